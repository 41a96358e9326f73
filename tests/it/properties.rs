//! Properties every result must have, on random scenarios that mix the features: queues with
//! and without patience, redials, opening hours, callbacks into slots, outbound work behind a
//! guard, shared and scheduled staff. Bounded and seeded: the same cases on every run.

use callsim::{Options, Report, Scenario, simulate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

/// Random scenarios tried per run: about two seconds of CI time in all.
const CASES: u32 = 256;

fn duration() -> impl Strategy<Value = String> {
    (1u32..=20).prop_map(|m| format!("{m}m"))
}

fn dist() -> impl Strategy<Value = Value> {
    prop_oneof![
        duration().prop_map(|m| json!({"dist": "exponential", "mean": m})),
        (duration(), 0.2f64..2.0)
            .prop_map(|(m, cv)| json!({"dist": "lognormal", "mean": m, "cv": cv})),
        (duration(), 0.2f64..2.0).prop_map(|(m, cv)| json!({"dist": "gamma", "mean": m, "cv": cv})),
        duration().prop_map(|v| json!({"dist": "fixed", "value": v})),
        prop::collection::vec(duration(), 1..4)
            .prop_map(|v| json!({"dist": "empirical", "values": v})),
    ]
}

/// A queue of fresh calls, with the optional features drawn at random.
fn queue() -> impl Strategy<Value = Value> {
    (
        1u32..=150,
        dist(),
        prop::option::of(dist()),
        prop::option::of((0.0f64..0.9, dist())),
        any::<bool>(),
    )
        .prop_map(|(per_hour, handle, patience, redial, office_hours)| {
            let mut q = json!({"arrivals": {"per_hour": per_hour}, "handle_time": handle});
            if let Some(p) = patience {
                q["patience"] = p;
            }
            if let (Some((probability, delay)), true) = (redial, q.get("patience").is_some()) {
                q["redial"] = json!({"probability": probability, "delay": delay});
            }
            if office_hours {
                q["open"] = json!({"mon-fri": "08:00-16:00"});
            }
            q
        })
}

/// A whole scenario: 1 to 3 call queues, maybe a callback queue and an outbound queue, and
/// 1 to 3 staff groups each serving a random non-empty subset (every queue served).
fn scenario() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(queue(), 1..=3),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((1u32..=12, any::<u8>(), any::<bool>()), 1..=3),
        prop_oneof![Just("8h"), Just("1d"), Just("2d")],
        0u64..1000,
    )
        .prop_map(|(queues, callbacks, outbound, groups, horizon, seed)| {
            let mut qs = serde_json::Map::new();
            for (i, q) in queues.into_iter().enumerate() {
                qs.insert(format!("q{i}"), q);
            }
            if callbacks {
                qs["q0"]["callback"] =
                    json!({"to": "cb", "offer_when_wait_over": "1m", "accept": 0.5});
                qs.insert(
                    "cb".into(),
                    json!({
                    "handle_time": {"dist": "exponential", "mean": "5m"},
                    "slots": {"length": "30m", "capacity": {"mon-sun": {"00:00-24:00": 3}},
                              "min_lead": "1h", "max_lead": "1d"}}),
                );
            }
            if outbound {
                qs.insert(
                    "out".into(),
                    json!({
                    "arrivals": {"per_day": 100, "process": "even"},
                    "handle_time": {"dist": "exponential", "mean": "3m"},
                    "unreached": {"share": 0.3, "handle_time": {"dist": "fixed", "value": "40s"}},
                    "guard": {"queue": "q0", "max_waiting": 5}}),
                );
            }
            let names: Vec<String> = qs.keys().cloned().collect();
            let mut staff = serde_json::Map::new();
            for (g, (count, mask, scheduled)) in groups.iter().enumerate() {
                let mut serves: Vec<&String> = names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask >> (i % 8) & 1 == 1)
                    .map(|(_, n)| n)
                    .collect();
                if g == 0 {
                    serves = names.iter().collect(); // every queue is served by someone
                }
                if serves.is_empty() {
                    serves.push(&names[0]);
                }
                let count = if *scheduled {
                    json!({"mon-sun": {"06:00-18:00": count, "18:00-24:00": (count / 2).max(1)}})
                } else {
                    json!(count)
                };
                staff.insert(format!("g{g}"), json!({"count": count, "serves": serves}));
            }
            json!({"horizon": horizon, "replications": 3, "seed": seed,
                   "queues": qs, "staff": staff})
        })
}

fn mean(e: &Value) -> Option<f64> {
    e["mean"].as_f64()
}

/// Checks one report; returns the first property it breaks.
fn properties(r: &Report) -> Result<(), String> {
    let v = serde_json::to_value(r).map_err(|e| e.to_string())?;
    for (name, q) in v["queues"].as_object().unwrap() {
        let m = |k: &str| mean(&q[k]).unwrap_or(0.0);
        // Every contact offered ends answered, abandoned or booked for a callback.
        let ended = m("answered") + m("abandoned") + m("booked");
        if r.replications_stopped_early == 0
            && (m("offered") - ended).abs() > 1e-6 * m("offered").max(1.0)
        {
            return Err(format!("{name}: offered {} != ended {ended}", m("offered")));
        }
        for (k, e) in q.as_object().unwrap() {
            let (Some(mu), Some(lo), Some(hi)) =
                (mean(e), e["ci95"][0].as_f64(), e["ci95"][1].as_f64())
            else {
                continue;
            };
            if !(0.0 <= lo && lo <= mu + 1e-9 && mu <= hi + 1e-9) {
                return Err(format!(
                    "{name}.{k}: mean {mu} outside [0, ci95] {lo}..{hi}"
                ));
            }
            let share = k.contains("rate") || k.contains("level") || k.contains("utilization");
            if share && hi > 1.0 {
                return Err(format!("{name}.{k}: a share above 1: {hi}"));
            }
        }
        let order = ["wait_p50_s", "wait_p90_s", "wait_p95_s", "max_wait_s"];
        let waits: Vec<f64> = order.iter().filter_map(|k| mean(&q[*k])).collect();
        if waits.windows(2).any(|w| w[0] > w[1] + 1e-9) {
            return Err(format!("{name}: percentiles out of order {waits:?}"));
        }
    }
    for (name, g) in v["staff"].as_object().unwrap() {
        if mean(&g["utilization"]).is_some_and(|u| !(0.0..=1.0 + 1e-9).contains(&u)) {
            return Err(format!("staff {name}: utilization {}", g["utilization"]));
        }
    }
    Ok(())
}

#[test]
fn random_scenarios_conserve_contacts_and_keep_their_ranges_at_any_thread_count() {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&scenario(), |json| {
        let sc = Scenario::from_json(json.clone(), "random.json")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        let options = |threads| Options {
            threads: Some(threads),
            ..Options::default()
        };
        let one = simulate(&sc, &options(1)).unwrap();
        let two = simulate(&sc, &options(2)).unwrap();
        let text = |r: &Report| serde_json::to_string(r).unwrap();
        prop_assert!(
            text(&one) == text(&two),
            "threads changed the result of {}",
            json
        );
        properties(&one).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
