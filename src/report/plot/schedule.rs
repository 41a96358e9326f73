//! Plots of a schedule search (`callsim staff --schedule --out DIR`): the requirement found
//! per interval against the scenario's schedule and the Erlang start, and per targeted queue
//! the ASA and service level achieved in each interval with the target line.

use super::{
    BLUE_, Band, Chart, GREEN_, GREY, Line, ORANGE, PlotFile, Rule, TimeAxis, push_both,
    register_embedded_font, target_label,
};
use crate::report::schedule::{ScheduleSearch, Slot};

/// `schedule-requirement`, and `schedule-<queue>-asa` and `schedule-<queue>-service-level`
/// for each targeted queue, each as `.png` and `.svg`. The x axis spans the intervals from
/// the first to the last in which the group has agents or targets are judged.
pub fn render(s: &ScheduleSearch) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let busy = |x: &Slot| x.judged || x.original > 0.0 || x.requirement > 0;
    let first = s.slots.iter().position(busy).unwrap_or(0);
    let last = s.slots.iter().rposition(busy).unwrap_or(0);
    let slots = &s.slots[first..=last.max(first).min(s.slots.len().saturating_sub(1))];
    let starts: Vec<f64> = slots.iter().map(|x| x.start_s).collect();
    let axis = TimeAxis::over(&starts);
    let mut files = Vec::new();
    let caption = format!(
        "Agents of staff group {} needed {} so that {}, found by simulation, against the scenario's schedule and the Erlang estimate the search started from.",
        s.group,
        axis.per(),
        s.targets_hold()
    );
    push_both(
        &mut files,
        "schedule-requirement",
        &caption,
        &requirement(s, slots, &axis),
    )?;
    let queues: Vec<String> = slots
        .first()
        .map(|x| x.queues.keys().cloned().collect())
        .unwrap_or_default();
    for q in &queues {
        let caption = format!(
            "Average speed of answer of queue {q} {} at the {} found, mean over {} replications, with its 95% interval and the target.",
            axis.per(),
            at(s),
            s.replications
        );
        push_both(
            &mut files,
            &format!("schedule-{q}-asa"),
            &caption,
            &asa(s, slots, &axis, q),
        )?;
        let caption = format!(
            "Service level of queue {q} {} at the {} found (answered within the threshold / offered), mean over {} replications, with its 95% interval and the target.",
            axis.per(),
            at(s),
            s.replications
        );
        push_both(
            &mut files,
            &format!("schedule-{q}-service-level"),
            &caption,
            &service_level(s, slots, &axis, q),
        )?;
    }
    Ok(files)
}

fn requirement(s: &ScheduleSearch, slots: &[Slot], axis: &TimeAxis) -> Chart {
    let h = &s.agent_hours;
    Chart {
        title: format!(
            "{} · staff group {}: agents needed per interval",
            s.scenario, s.group
        ),
        subtitle: format!(
            "so that {} in every interval · {:.0} agent-hours a week (scenario: {:.0}, Erlang: {:.0})",
            s.targets_hold(),
            h.requirement,
            h.original,
            h.erlang
        ),
        y_label: "agents".to_string(),
        lines: vec![
            Line::new(
                "scenario's schedule",
                GREY,
                slots.iter().map(|x| Some(x.original)).collect(),
            )
            .wide(),
            Line::new(
                "Erlang per interval (start)",
                BLUE_,
                slots.iter().map(|x| x.erlang.map(f64::from)).collect(),
            ),
            Line::new(
                "requirement found by simulation",
                ORANGE,
                slots
                    .iter()
                    .map(|x| Some(f64::from(x.requirement)))
                    .collect(),
            ),
        ]
        .into_iter()
        .chain(s.roster.as_ref().map(|r| {
            Line::new(
                &format!("roster of whole shifts ({:.0} agent-hours)", r.agent_hours),
                GREEN_,
                slots.iter().map(|x| x.rostered.map(f64::from)).collect(),
            )
        }))
        .collect(),
        bands: vec![],
        ..Chart::on(axis)
    }
}

/// The bounds of the per-interval targets on `metric` of queue `q` as red rules.
fn rules(
    s: &ScheduleSearch,
    q: &str,
    metric: &str,
    factor: f64,
    unit: &str,
    axis: &TimeAxis,
) -> Vec<Rule> {
    let bounds = s.whole_run.iter().map(|v| &v.target).filter(|t| {
        t.metric == format!("{q}.{metric}") || t.metric == format!("{q}.{metric}_pooled")
    });
    bounds
        .flat_map(|t| [t.max.map(|m| ("≤", m)), t.min.map(|m| ("≥", m))])
        .flatten()
        .map(|b| Rule {
            label: target_label(b, factor, unit),
            y: b.1 * factor,
            x: (0.0, axis.x_max),
        })
        .collect()
}

/// What the per-interval values were simulated at.
fn at(s: &ScheduleSearch) -> &'static str {
    if s.roster.is_some() {
        "roster"
    } else {
        "requirement"
    }
}

fn asa(s: &ScheduleSearch, slots: &[Slot], axis: &TimeAxis, q: &str) -> Chart {
    let e = |x: &Slot| x.queues.get(q).map(|v| v.asa_s).filter(|_| x.judged);
    Chart {
        title: format!(
            "{} · queue {q}: ASA per interval at the {}",
            s.scenario,
            at(s)
        ),
        subtitle: format!("mean and 95% CI over {} replications", s.replications),
        y_label: "ASA (s)".to_string(),
        lines: vec![Line::new(
            "ASA (mean)",
            ORANGE,
            slots.iter().map(|x| e(x)?.mean).collect(),
        )],
        bands: vec![Band {
            label: "95% CI".to_string(),
            color: ORANGE,
            bounds: slots.iter().map(|x| e(x)?.ci95).collect(),
        }],
        rules: rules(s, q, "asa_s", 1.0, "s", axis),
        ..Chart::on(axis)
    }
}

fn service_level(s: &ScheduleSearch, slots: &[Slot], axis: &TimeAxis, q: &str) -> Chart {
    let e = |x: &Slot| {
        x.queues
            .get(q)
            .map(|v| v.service_level)
            .filter(|_| x.judged)
    };
    let pct = |v: f64| v * 100.0;
    Chart {
        title: format!(
            "{} · queue {q}: service level per interval at the {}",
            s.scenario,
            at(s)
        ),
        subtitle: format!(
            "answered within the queue's threshold / offered, mean and 95% CI over {} replications",
            s.replications
        ),
        y_label: "service level (%)".to_string(),
        lines: vec![Line::new(
            "service level (mean)",
            GREEN_,
            slots.iter().map(|x| e(x)?.mean.map(pct)).collect(),
        )],
        bands: vec![Band {
            label: "95% CI".to_string(),
            color: GREEN_,
            bounds: slots
                .iter()
                .map(|x| e(x)?.ci95.map(|[a, b]| [pct(a), pct(b)]))
                .collect(),
        }],
        rules: rules(s, q, "service_level", 100.0, "%", axis),
        ..Chart::on(axis)
    }
}
