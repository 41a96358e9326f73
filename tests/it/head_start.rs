//! Classes with a head start (`queues.<q>.classes`): callers of a class enter the line as if
//! they had already waited their head start. Checked against a one-agent queue replayed by
//! hand from the run's own call log: arrivals and classes from `run --calls`, answers
//! recomputed here by the rule, and compared call by call.

use super::common::{callsim, simulated_log, write};
use callsim::calllog::Call;

/// One agent, Poisson arrivals of 60 an hour, every call 50 s (utilisation 0.83, so a line
/// forms), a third of callers with a 90 s head start; two days.
const SCENARIO: &str = r#"{"name": "priority", "horizon": "2d", "warmup": 0, "replications": 1, "seed": 8,
    "queues": {"phone": {"arrivals": {"per_hour": 60},
        "handle_time": {"dist": "fixed", "value": "50s"},
        "classes": {"priority": {"share": 0.34, "head_start": "90s"}}}},
    "staff": {"agents": {"count": 1, "serves": ["phone"]}}}"#;

/// When each call is answered by one agent taking, whenever free, the waiting call placed
/// first (arrival less head start; ties by arrival), each service 50 s.
fn replay(calls: &[Call]) -> Vec<f64> {
    let place = |c: &Call| c.arrival - if c.priority == 1 { 90.0 } else { 0.0 };
    let mut answered = vec![f64::NAN; calls.len()];
    let (mut free, mut next, mut waiting) = (f64::NEG_INFINITY, 0, Vec::<usize>::new());
    while next < calls.len() || !waiting.is_empty() {
        if waiting.is_empty() {
            free = free.max(calls[next].arrival);
        }
        while next < calls.len() && calls[next].arrival <= free {
            waiting.push(next);
            next += 1;
        }
        let (k, &first) = waiting
            .iter()
            .enumerate()
            .min_by(|a, b| {
                place(&calls[*a.1])
                    .total_cmp(&place(&calls[*b.1]))
                    .then(a.1.cmp(b.1))
            })
            .unwrap();
        waiting.remove(k);
        answered[first] = free;
        free += 50.0;
    }
    answered
}

#[test]
fn a_head_start_orders_the_line_as_a_hand_replay_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "priority.json", SCENARIO);
    let path = dir.path().join("calls.csv");
    let (calls, _, _) = simulated_log(&file, &path, &[]);
    let priority = calls.iter().filter(|c| c.priority == 1).count() as f64 / calls.len() as f64;
    // About 2,880 calls, a third of them priority: the share is within 0.05 (4 sd) of 0.34.
    assert!((priority - 0.34).abs() < 0.05, "{priority}");
    let want = replay(&calls);
    for (c, w) in calls.iter().zip(&want) {
        // The log's times are to the millisecond.
        assert!(
            (c.answered.unwrap() - w).abs() < 0.002,
            "{c:?}: replay answers at {w}"
        );
    }
    // The head start changed the order: some call was answered before one that arrived earlier.
    let overtaken = calls
        .windows(2)
        .filter(|w| w[1].answered.unwrap() < w[0].answered.unwrap())
        .count();
    assert!(overtaken > 50, "{overtaken} overtakings");
    // And priority callers wait less on average.
    let mean_wait = |p: u32| {
        let w: Vec<f64> = calls
            .iter()
            .filter(|c| c.priority == p)
            .filter_map(Call::wait)
            .collect();
        w.iter().sum::<f64>() / w.len() as f64
    };
    assert!(
        mean_wait(1) < mean_wait(0),
        "{} vs {}",
        mean_wait(1),
        mean_wait(0)
    );
}

#[test]
fn bad_classes_are_refused_with_their_key_paths() {
    let dir = tempfile::tempdir().unwrap();
    let bad = SCENARIO.replace(
        r#""priority": {"share": 0.34, "head_start": "90s"}"#,
        r#""a": {"share": 0.7, "head_start": "90s"}, "b": {"share": 0.6, "head_start": "-5s"}"#,
    );
    let file = write(&dir, "bad.json", &bad);
    let out = callsim().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("queues.phone.classes: the classes' shares add up to 1.3"),
        "{err}"
    );
    assert!(
        err.contains("queues.phone.classes.b.head_start: must be >= 0"),
        "{err}"
    );
}
