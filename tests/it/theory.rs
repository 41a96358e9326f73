//! The simulator against exact Erlang C (M/M/c) and Erlang A (M/M/c+M) values.
//!
//! Each case runs a long stationary scenario and checks ASA, abandonment rate, service level
//! and utilization against `callsim::theory`, which computes them exactly (Erlang C in closed
//! form, Erlang A from the birth–death chain). A metric passes when
//!
//! 1. the exact value lies within **2 ci95 half-widths** of the simulated mean. With 8
//!    replications a half-width is t(7) = 2.36 standard errors, so 2 half-widths are 4.7
//!    standard errors: an unbiased simulator fails this about once in 300,000 checks, and
//!    the fixed seeds make each run identical anyway; and
//! 2. the mean is within the case's stated **relative tolerance** of the exact value (plus a
//!    small absolute floor for values near zero), so a wide interval cannot pass a test by
//!    itself being vague.
//!
//! Warm-up (50 h from an empty system) is many relaxation times of every case, so start-up
//! bias is far below these tolerances.

use super::common::scenario;
use callsim::runner;
use callsim::stats::ci::Estimate;
use callsim::theory::{Performance, erlang_a, erlang_c};

/// A stationary single-queue case.
struct Case {
    name: &'static str,
    per_hour: f64,
    handle_s: f64,
    patience_s: Option<f64>,
    agents: u32,
    horizon_h: f64,
    reps: u32,
    /// Relative tolerance on ASA (the noisiest metric near saturation).
    asa_tol: f64,
}

const SL_S: f64 = 20.0;

fn exact(c: &Case) -> Performance {
    let (lambda, mu) = (c.per_hour / 3600.0, 1.0 / c.handle_s);
    match c.patience_s {
        Some(p) => erlang_a(lambda, mu, 1.0 / p, c.agents, SL_S),
        None => erlang_c(lambda, mu, c.agents, SL_S).expect("a stable Erlang C case"),
    }
}

fn json(c: &Case, seed: u64) -> String {
    let patience = c.patience_s.map_or(String::new(), |p| {
        format!(r#", "patience": {{"dist": "exponential", "mean": {p}}}"#)
    });
    format!(
        r#"{{"name": "{}", "horizon": "{}h", "warmup": "50h", "replications": {}, "seed": {seed},
            "interval": "100h",
            "queues": {{"q": {{"arrivals": {{"per_hour": {}}},
                             "handle_time": {{"dist": "exponential", "mean": {}}}{patience},
                             "service_level_within": {SL_S}}}}},
            "staff": {{"a": {{"count": {}, "serves": ["q"]}}}}}}"#,
        c.name, c.horizon_h, c.reps, c.per_hour, c.handle_s, c.agents
    )
}

/// Checks one metric; returns a description of the failure, if any.
fn check(
    case: &str,
    metric: &str,
    sim: &Estimate,
    exact: f64,
    rel_tol: f64,
    floor: f64,
) -> Option<String> {
    let (mean, hw) = (sim.mean?, sim.half_width()?);
    let err = (mean - exact).abs();
    eprintln!(
        "{case:<42} {metric:<14} sim {mean:>10.4} ± {hw:<8.4} exact {exact:>10.4}  error/hw {:.2}",
        err / hw.max(1e-12)
    );
    let ok = err <= 2.0 * hw + 1e-12 && err <= rel_tol * exact.abs() + floor;
    (!ok).then(|| {
        format!("{case}: {metric} simulated {mean:.5} ± {hw:.5}, exact {exact:.5} (error {err:.5}, tolerance {rel_tol})")
    })
}

fn run_case(c: &Case, seed: u64) -> Vec<String> {
    let sc = scenario(&json(c, seed));
    let report = runner::run(&sc, "", &|| {});
    let e = exact(c);
    let m = |name: &str| *report.metric(name).unwrap();
    [
        check(c.name, "asa_s", &m("q.asa_s"), e.asa_s, c.asa_tol, 0.05),
        check(
            c.name,
            "abandon_rate",
            &m("q.abandon_rate"),
            e.abandon_rate,
            0.03,
            0.0005,
        ),
        check(
            c.name,
            "service_level",
            &m("q.service_level"),
            e.service_level,
            0.01,
            0.002,
        ),
        check(
            c.name,
            "utilization",
            &m("staff.a.utilization"),
            e.utilization,
            0.005,
            0.0,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn assert_cases(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .flat_map(|(i, c)| run_case(c, 100 + i as u64))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn erlang_c_cases_agree_with_the_closed_form() {
    assert_cases(&[
        Case {
            name: "C light load, 5 agents at 0.4",
            per_hour: 60.0,
            handle_s: 120.0,
            patience_s: None,
            agents: 5,
            horizon_h: 2000.0,
            reps: 8,
            asa_tol: 0.05,
        },
        Case {
            name: "C one agent at 0.8 (M/M/1)",
            per_hour: 48.0,
            handle_s: 60.0,
            patience_s: None,
            agents: 1,
            horizon_h: 4000.0,
            reps: 8,
            asa_tol: 0.04,
        },
        Case {
            name: "C 10 agents at 0.7",
            per_hour: 84.0,
            handle_s: 300.0,
            patience_s: None,
            agents: 10,
            horizon_h: 4000.0,
            reps: 8,
            asa_tol: 0.04,
        },
        Case {
            name: "C 20 agents at 0.95",
            per_hour: 228.0,
            handle_s: 300.0,
            patience_s: None,
            agents: 20,
            horizon_h: 6000.0,
            reps: 8,
            asa_tol: 0.08,
        },
        Case {
            name: "C 300 agents at 0.95",
            per_hour: 3420.0,
            handle_s: 300.0,
            patience_s: None,
            agents: 300,
            horizon_h: 500.0,
            reps: 8,
            asa_tol: 0.08,
        },
    ]);
}

#[test]
fn erlang_a_cases_agree_with_the_birth_death_chain() {
    assert_cases(&[
        Case {
            name: "A contract example, 33 agents",
            per_hour: 360.0,
            handle_s: 300.0,
            patience_s: Some(240.0),
            agents: 33,
            horizon_h: 2000.0,
            reps: 8,
            asa_tol: 0.03,
        },
        Case {
            name: "A light load, 8 agents",
            per_hour: 100.0,
            handle_s: 180.0,
            patience_s: Some(120.0),
            agents: 8,
            horizon_h: 2000.0,
            reps: 8,
            asa_tol: 0.05,
        },
        Case {
            name: "A one agent",
            per_hour: 50.0,
            handle_s: 60.0,
            patience_s: Some(180.0),
            agents: 1,
            horizon_h: 3000.0,
            reps: 8,
            asa_tol: 0.03,
        },
        Case {
            name: "A 50 agents at 0.95",
            per_hour: 570.0,
            handle_s: 300.0,
            patience_s: Some(600.0),
            agents: 50,
            horizon_h: 2000.0,
            reps: 8,
            asa_tol: 0.03,
        },
        Case {
            name: "A overload 1.25, stable by abandonment",
            per_hour: 600.0,
            handle_s: 300.0,
            patience_s: Some(120.0),
            agents: 40,
            horizon_h: 1000.0,
            reps: 8,
            asa_tol: 0.02,
        },
        Case {
            name: "A 500 agents at 1.02",
            per_hour: 6120.0,
            handle_s: 300.0,
            patience_s: Some(180.0),
            agents: 500,
            horizon_h: 250.0,
            reps: 8,
            asa_tol: 0.02,
        },
        Case {
            name: "A 10 agents, patient callers",
            per_hour: 117.6,
            handle_s: 300.0,
            patience_s: Some(1800.0),
            agents: 10,
            horizon_h: 4000.0,
            reps: 8,
            asa_tol: 0.04,
        },
    ]);
}
