//! Redials after abandonment: hand-computable cases.

use super::common::{replication, scenario};

/// One agent, taken for ever by the first caller (a handle time of 30 years); everyone else
/// finds nobody free and, with a patience of 0, abandons at once. Each abandoning caller
/// redials with probability `p`, so a caller makes a geometric number of attempts with mean
/// 1 / (1 - p).
fn blocked(p: f64, delay: &str, open: &str, when_closed: &str) -> String {
    format!(
        r#"{{"horizon": "1w", "seed": 13,
            "queues": {{"q": {{"arrivals": {{"per_hour": 60}}, {open}
                             "handle_time": {{"dist": "fixed", "value": "10000d"}},
                             "patience": {{"dist": "fixed", "value": 0}},
                             "redial": {{"probability": {p}, "delay": {delay}, "when_closed": "{when_closed}"}}}}}},
            "staff": {{"a": {{"count": 1, "serves": ["q"]}}}}}}"#
    )
}

#[test]
fn redial_probability_0_equals_the_plain_model() {
    let plain = r#"{"horizon": "200h", "seed": 3,
        "queues": {"q": {"arrivals": {"per_hour": 100}, "handle_time": {"dist": "exponential", "mean": "5m"},
                         "patience": {"dist": "exponential", "mean": "2m"}}},
        "staff": {"a": {"count": 8, "serves": ["q"]}}}"#;
    let with_zero = plain.replace(
        r#""mean": "2m"}"#,
        r#""mean": "2m"}, "redial": {"probability": 0, "delay": {"dist": "fixed", "value": 60}}"#,
    );
    assert_ne!(plain, with_zero);
    let (a, b) = (
        replication(&scenario(plain), 0),
        replication(&scenario(&with_zero), 0),
    );
    let (a, b) = (&a.queues[0], &b.queues[0]);
    assert!(a.abandoned > 100, "the case must have abandonments");
    assert_eq!(
        (a.offered, a.answered, a.abandoned),
        (b.offered, b.answered, b.abandoned)
    );
    assert_eq!(a.wait_answered_s.to_bits(), b.wait_answered_s.to_bits());
    assert_eq!(b.redials, 0);
}

#[test]
fn attempts_per_caller_are_geometric() {
    let sc = scenario(&blocked(
        0.5,
        r#"{"dist": "exponential", "mean": "10m"}"#,
        "",
        "next_open",
    ));
    let t = &replication(&sc, 0).queues[0];
    // About 10,000 callers, each with a geometric number of attempts (mean 2, variance 2): the
    // ratio's standard error is sqrt(2 / 10000) = 1.4%; 6% is over 4 of them.
    let ratio = t.offered as f64 / t.callers as f64;
    assert!((ratio - 2.0).abs() < 0.12, "{ratio} attempts per caller");
    assert_eq!(t.offered, t.callers + t.redials);
    assert_eq!(t.answered, 1, "only the first caller reaches the agent");
    assert_eq!(
        t.callers,
        t.answered + t.callers_lost,
        "every caller is answered or lost"
    );
    assert_eq!(t.offered, t.answered + t.abandoned);
}

#[test]
fn redials_into_a_closed_queue_are_lost_or_wait_for_the_opening() {
    // Open 08:00-16:00; a redial comes 10 h after the abandonment, between 18:00 and 02:00,
    // always while closed.
    let open = r#""open": {"mon-fri": "08:00-16:00"},"#;
    let delay = r#"{"dist": "fixed", "value": "10h"}"#;
    let lost = replication(&scenario(&blocked(0.5, delay, open, "lost")), 0);
    let t = &lost.queues[0];
    assert_eq!(t.redials, 0, "no redial may reach a closed queue");
    assert_eq!(t.callers_lost, t.callers - 1);

    let sc = scenario(&blocked(0.5, delay, open, "next_open"));
    let waited = replication(&sc, 0);
    let t = &waited.queues[0];
    assert!(t.redials > 1000, "{} redials", t.redials);
    assert_eq!(t.callers, t.answered + t.callers_lost);
    // Every redial arrives at exactly 08:00 of an open day, so the 08:00 hour of Tuesday to
    // Friday holds its 60 first calls plus 240 or more redials (half of the previous day's 480
    // abandoned first calls, and redials of redials); Monday 08:00 only its first calls
    // (Poisson with mean 60: above 110 has probability below 1e-8).
    let at_eight = |day: usize| waited.intervals[day * 24 + 8].offered;
    assert!(at_eight(0) < 110, "monday 08:00: {}", at_eight(0));
    for day in 1..5 {
        assert!(
            at_eight(day) > 200,
            "day {day} 08:00: {} attempts",
            at_eight(day)
        );
        assert!(
            waited.intervals[day * 24 + 9].offered < 110,
            "redials outside the opening hour"
        );
    }
}
