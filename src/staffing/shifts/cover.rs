//! Whole shifts covering a requirement at the fewest agent-hours, as an integer program:
//! minimise Σ_j hours_j·x_j over whole x_j ≥ 0 (agents on column j: a shift at one start on one
//! day), subject to Σ_{j on duty in s} x_j ≥ need_s in every interval s and, for a shift with
//! a `max`, Σ_{its columns on day d} x_j ≤ max on every day. Solved by good_lp's microlp
//! backend (pure Rust; branch and bound on the LP relaxation). The relaxation's optimum is a
//! lower bound on any roster, reported beside the answer.

use super::{Column, Shifts};
use crate::staffing::schedule::slots::Week;
use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithTimeLimit, microlp,
    variable,
};
use std::time::Instant;

/// Longest the integer program may run (s); the best roster found by then is used.
pub const TIME_LIMIT_S: f64 = 60.0;

/// Most interval names listed in a message.
const LISTED: usize = 8;

/// A roster: agents per column and what they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// Per column.
    pub agents: Vec<u32>,
    /// Agents on duty per interval of the week.
    pub coverage: Vec<u32>,
    /// On-duty agent-hours a week (breaks excluded).
    pub agent_hours: f64,
    /// The LP relaxation's agent-hours: no roster of these shifts has fewer.
    pub lower_bound: f64,
    /// The solver stopped at [`TIME_LIMIT_S`]: the roster may not be the fewest agent-hours.
    pub timed_out: bool,
    pub seconds: f64,
}

/// Covers `need` (agents per interval of `week`) with `columns` of `shifts`, or says why
/// the shifts cannot.
pub fn cover(
    need: &[u32],
    columns: &[Column],
    shifts: &Shifts,
    week: Week,
) -> Result<Roster, String> {
    let began = Instant::now();
    check_coverable(need, columns, shifts, week)?;
    let hours: Vec<f64> = columns
        .iter()
        .map(|c| c.slots.len() as f64 * week.step_s / 3600.0)
        .collect();
    let lower_bound = solve(need, columns, shifts, &hours, false)?.1;
    let (agents, agent_hours) = solve(need, columns, shifts, &hours, true)?;
    let seconds = began.elapsed().as_secs_f64();
    let mut coverage = vec![0; week.count];
    for (c, &n) in columns.iter().zip(&agents) {
        c.slots.iter().for_each(|&s| coverage[s] += n);
    }
    Ok(Roster {
        agents,
        coverage,
        agent_hours,
        lower_bound,
        timed_out: seconds >= TIME_LIMIT_S,
        seconds,
    })
}

/// The program with whole (`integer`) or real agents: agents per column and agent-hours.
fn solve(
    need: &[u32],
    columns: &[Column],
    shifts: &Shifts,
    hours: &[f64],
    integer: bool,
) -> Result<(Vec<u32>, f64), String> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = columns
        .iter()
        .map(|_| {
            let v = variable().min(0);
            vars.add(if integer { v.integer() } else { v })
        })
        .collect();
    let objective: Expression = x.iter().zip(hours).map(|(&v, &h)| h * v).sum();
    let mut problem = vars.minimise(objective.clone()).using(microlp);
    if integer {
        problem = problem.with_time_limit(TIME_LIMIT_S);
    }
    let mut on_duty: Vec<Vec<usize>> = vec![vec![]; need.len()];
    for (j, c) in columns.iter().enumerate() {
        c.slots.iter().for_each(|&s| on_duty[s].push(j));
    }
    for (s, &n) in need.iter().enumerate().filter(|(_, n)| **n > 0) {
        let covered: Expression = on_duty[s].iter().map(|&j| x[j]).sum();
        problem.add_constraint(covered.geq(f64::from(n)));
    }
    for (k, max) in shifts.shifts.iter().enumerate().filter_map(|(k, s)| Some((k, s.max?))) {
        for day in 0..7 {
            let of_day: Vec<Variable> = (0..columns.len())
                .filter(|&j| columns[j].shift == k && columns[j].day == day)
                .map(|j| x[j])
                .collect();
            if !of_day.is_empty() {
                let total: Expression = of_day.into_iter().sum();
                problem.add_constraint(total.leq(f64::from(max)));
            }
        }
    }
    let solution = problem.solve().map_err(|e| {
        format!("{}: the integer program of the shifts could not be solved: {e}", shifts.file)
    })?;
    let agents = x
        .iter()
        .map(|&v| solution.value(v).round().max(0.0) as u32)
        .collect();
    Ok((agents, solution.eval(&objective)))
}

/// Every interval that needs agents can be reached by some shift, within the shifts' `max`.
fn check_coverable(
    need: &[u32],
    columns: &[Column],
    shifts: &Shifts,
    week: Week,
) -> Result<(), String> {
    let mut most: Vec<Option<u64>> = vec![Some(0); need.len()];
    let mut groups: Vec<Vec<(usize, usize)>> = vec![vec![]; need.len()];
    for c in columns {
        for &s in &c.slots {
            if !groups[s].contains(&(c.shift, c.day)) {
                groups[s].push((c.shift, c.day));
                let cap = shifts.shifts[c.shift].max.map(u64::from);
                most[s] = most[s].zip(cap).map(|(a, b)| a + b);
            }
        }
    }
    let short: Vec<usize> = (0..need.len())
        .filter(|&s| most[s].is_some_and(|m| m < u64::from(need[s])))
        .collect();
    if short.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = short
        .iter()
        .take(LISTED)
        .map(|&s| match most[s] {
            Some(0) => format!("{} (needs {}, no shift on duty)", week.label(s), need[s]),
            Some(m) => format!("{} (needs {}, the shifts' max allow {m})", week.label(s), need[s]),
            None => unreachable!("only capped intervals fall short"),
        })
        .collect();
    let more = short.len().saturating_sub(LISTED);
    Err(format!(
        "{}: the shifts cannot cover the requirement in {}: {}{}; add shifts on duty then, or raise their max",
        shifts.file,
        crate::report::table::plural(short.len(), "interval"),
        listed.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::shifts::Shift;

    fn shift(name: &str, max: Option<u32>) -> Shift {
        Shift {
            name: name.into(),
            days: [true; 7],
            starts: vec![0.0],
            length_s: 3600.0,
            breaks: vec![],
            max,
        }
    }

    /// Columns given by their intervals directly, all of shift `shift` on Monday.
    fn columns(slots: &[&[usize]], shift: usize) -> Vec<Column> {
        slots
            .iter()
            .map(|s| Column {
                shift,
                day: 0,
                start_s: 0.0,
                slots: s.to_vec(),
            })
            .collect()
    }

    /// A day of hours: the week's first `n` intervals are an hour each.
    fn hours() -> Week {
        Week::new(3600.0)
    }

    #[test]
    fn a_cycle_needs_whole_shifts_where_the_relaxation_takes_halves() {
        // Three intervals each needing one agent, three two-hour shifts covering each pair
        // around the cycle: the relaxation takes half an agent of each (3 agent-hours); whole
        // agents need two shifts (4 agent-hours), and no roster of fewer covers all three.
        let shifts = Shifts {
            file: "s.json".into(),
            shifts: vec![shift("pair", None)],
        };
        let cols = columns(&[&[0, 1], &[1, 2], &[2, 0]], 0);
        let mut need = vec![0; hours().count];
        need[..3].copy_from_slice(&[1, 1, 1]);
        let r = cover(&need, &cols, &shifts, hours()).unwrap();
        assert!((r.lower_bound - 3.0).abs() < 1e-6, "{r:?}");
        assert!((r.agent_hours - 4.0).abs() < 1e-6, "{r:?}");
        assert_eq!(r.agents.iter().sum::<u32>(), 2);
        assert!(r.coverage[..3].iter().all(|&c| c >= 1), "{r:?}");
    }

    #[test]
    fn the_fewest_agent_hours_on_a_hand_solved_day() {
        // Six hours needing 3, 5, 5, 2, 2, 4 agents; three-hour shifts starting at hours 0 to 3.
        // Hour 0 forces 3 on the first shift and hour 5 forces 4 on the last; hour 1 then needs
        // 2 more from the first two; hours 2 to 4 are covered: 9 shifts, 27 agent-hours.
        let shifts = Shifts {
            file: "s.json".into(),
            shifts: vec![shift("three", None)],
        };
        let cols = columns(&[&[0, 1, 2], &[1, 2, 3], &[2, 3, 4], &[3, 4, 5]], 0);
        let mut need = vec![0; hours().count];
        need[..6].copy_from_slice(&[3, 5, 5, 2, 2, 4]);
        let r = cover(&need, &cols, &shifts, hours()).unwrap();
        assert!((r.agent_hours - 27.0).abs() < 1e-6, "{r:?}");
        assert_eq!(r.agents[3], 4);
        assert_eq!(r.agents[0] + r.agents[1], 5);
        assert!(r.coverage.iter().zip(&need).all(|(c, n)| c >= n));
    }

    #[test]
    fn a_max_moves_agents_to_dearer_shifts() {
        // Two hours needing 4 each. A two-hour shift covers both (4 agents: 8 agent-hours) but
        // at most 1 may work it; the others take a one-hour shift for hour 0 and a two-hour
        // one for hours 1 and 2: 1·2 + 3·1 + 3·2 = 11 agent-hours (none on the long shift
        // would cost 4 + 8 = 12).
        let shifts = Shifts {
            file: "s.json".into(),
            shifts: vec![shift("long", Some(1)), shift("short", None)],
        };
        let mut cols = columns(&[&[0, 1]], 0);
        cols.extend(columns(&[&[0], &[1, 2]], 1));
        let mut need = vec![0; hours().count];
        need[..2].copy_from_slice(&[4, 4]);
        let r = cover(&need, &cols, &shifts, hours()).unwrap();
        assert_eq!(r.agents, vec![1, 3, 3]);
        assert!((r.agent_hours - 11.0).abs() < 1e-6, "{r:?}");
        assert!((r.lower_bound - 11.0).abs() < 1e-6, "{r:?}");
    }

    #[test]
    fn an_interval_no_shift_reaches_is_named() {
        let shifts = Shifts {
            file: "s.json".into(),
            shifts: vec![shift("one", Some(2))],
        };
        let cols = columns(&[&[0]], 0);
        let mut need = vec![0; hours().count];
        need[0] = 3;
        need[5] = 1;
        let e = cover(&need, &cols, &shifts, hours()).unwrap_err();
        assert!(e.contains("2 intervals"), "{e}");
        assert!(e.contains("mon 00:00 (needs 3, the shifts' max allow 2)"), "{e}");
        assert!(e.contains("mon 05:00 (needs 1, no shift on duty)"), "{e}");
    }
}
