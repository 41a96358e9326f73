//! Whole-run traces of tiny deterministic scenarios that pin the documented same-time order
//! and routing rules (docs/background/same-time-order.md, docs/background/routing.md). Each
//! scenario puts two events at exactly the same time, or gives an agent or a contact exactly
//! one choice to make, and each test fails if that rule changes.
//!
//! The scenarios use fixed handle times and patience and `"process": "even"` arrivals, which
//! are released at (k + 1/2) units of expected count: `per_hour` 120 releases at 15 s, 45 s,
//! 75 s, ... All these times are whole seconds, exact in floating point, so ties are real ties.

use crate::common::{replication, scenario};
use callsim::model::{QueueTally, Replication};

fn run(json: &str) -> Replication {
    replication(&scenario(json), 0)
}

fn queue<'a>(rep: &'a Replication, sc_json: &str, name: &str) -> &'a QueueTally {
    let sc = scenario(sc_json);
    let i = sc.queues.iter().position(|q| q.name == name).unwrap();
    &rep.queues[i]
}

fn fixed(seconds: u32) -> String {
    format!(r#"{{"dist": "fixed", "value": {seconds}}}"#)
}

#[test]
fn a_service_end_comes_before_an_abandonment_at_the_same_time() {
    // One agent, handle 60 s, patience 30 s; arrivals at 15 s and 45 s. The first is served
    // 15–75 s; the second's patience ends at 75 s, when the agent is freed: it is answered.
    let json = format!(
        r#"{{"horizon": 60, "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": 120, "process": "even"}},
                          "handle_time": {}, "patience": {}}}}},
        "staff": {{"a": {{"count": 1, "serves": ["q"]}}}}}}"#,
        fixed(60),
        fixed(30)
    );
    let rep = run(&json);
    let q = queue(&rep, &json, "q");
    assert_eq!((q.offered, q.answered, q.abandoned), (2, 2, 0));
    assert_eq!(q.wait_answered_s, 30.0, "the second waited 45–75 s");
}

#[test]
fn a_service_end_comes_before_a_fresh_arrival_at_the_same_time() {
    // One agent, handle 30 s, patience 0 (leave unless an agent is free); arrivals every 30 s
    // from 15 s. Each arrival meets the previous service's end: all are answered.
    let json = format!(
        r#"{{"horizon": "1h", "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": 120, "process": "even"}},
                          "handle_time": {}, "patience": {}}}}},
        "staff": {{"a": {{"count": 1, "serves": ["q"]}}}}}}"#,
        fixed(30),
        fixed(0)
    );
    let rep = run(&json);
    let q = queue(&rep, &json, "q");
    assert_eq!((q.offered, q.answered, q.abandoned), (120, 120, 0));
}

#[test]
fn a_staff_change_comes_before_a_fresh_arrival_at_the_same_time() {
    // The agent starts at 08:00; the only arrival is at 08:00 (rate 0.5/h over 07:00–09:00:
    // one unit of count is 2 h, released at half a unit) and will not wait (patience 0).
    let json = format!(
        r#"{{"horizon": "1d", "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": 0.5, "process": "even"}},
                          "open": {{"daily": "07:00-09:00"}},
                          "handle_time": {}, "patience": {}}}}},
        "staff": {{"a": {{"count": {{"daily": {{"08:00-24:00": 1}}}}, "serves": ["q"]}}}}}}"#,
        fixed(60),
        fixed(0)
    );
    let rep = run(&json);
    let q = queue(&rep, &json, "q");
    assert_eq!((q.offered, q.answered, q.abandoned), (1, 1, 0));
}

#[test]
fn a_redial_comes_before_a_fresh_arrival_at_the_same_time() {
    // One agent serves "a" then "b", handle 60 s, nobody waits (patience 0).
    // a: arrivals at 15 s and 45 s only (120/h during the first minute). The first is served
    //    15–75 s; the second leaves at once and redials 30 s later, at 75 s.
    // b: one arrival, at 75 s (24/h, horizon 100 s).
    // At 75 s the service ends first; then the redial takes the agent, and b's caller, arriving
    // fresh at the same time, finds nobody and leaves.
    let json = format!(
        r#"{{"horizon": 100, "seed": 1,
        "queues": {{
          "a": {{"arrivals": {{"per_hour": [["00:00", 120], ["00:01", 0]], "process": "even"}},
                 "handle_time": {h}, "patience": {p},
                 "redial": {{"probability": 0.999999, "delay": {d}}}}},
          "b": {{"arrivals": {{"per_hour": 24, "process": "even"}},
                 "handle_time": {h}, "patience": {p}}}}},
        "staff": {{"agents": {{"count": 1, "serves": ["a", "b"]}}}}}}"#,
        h = fixed(60),
        p = fixed(0),
        d = fixed(30)
    );
    let rep = run(&json);
    let a = queue(&rep, &json, "a");
    let b = queue(&rep, &json, "b");
    assert_eq!(
        (a.offered, a.answered, a.abandoned, a.redials),
        (3, 2, 1, 1)
    );
    assert_eq!((b.offered, b.answered, b.abandoned), (1, 0, 1));
}

#[test]
fn a_freed_agent_takes_the_first_queue_it_serves_before_a_longer_wait_elsewhere() {
    // One agent serves "high" then "low", handle 60 s. low: arrivals at 15 s and 45 s; high:
    // one at 60 s. At 75 s the agent is freed with low's second caller waiting since 45 s and
    // high's since 60 s: it takes high's (wait 15 s); low's waits until 135 s (wait 90 s).
    let json = format!(
        r#"{{"horizon": 70, "seed": 1,
        "queues": {{
          "high": {{"arrivals": {{"per_hour": 30, "process": "even"}}, "handle_time": {h}}},
          "low": {{"arrivals": {{"per_hour": [["00:00", 120], ["00:01", 0]], "process": "even"}},
                   "handle_time": {h}}}}},
        "staff": {{"agents": {{"count": 1, "serves": ["high", "low"]}}}}}}"#,
        h = fixed(60)
    );
    let rep = run(&json);
    let high = queue(&rep, &json, "high");
    let low = queue(&rep, &json, "low");
    assert_eq!((high.answered, high.wait_answered_s), (1, 15.0));
    assert_eq!(
        (low.answered, low.wait_answered_s, low.max_wait_s),
        (2, 90.0, 90.0)
    );
}

#[test]
fn within_a_queue_the_longest_waiting_contact_is_answered_first() {
    // One agent, handle 100 s; arrivals at 15, 45 and 75 s. When the first service ends at
    // 115 s, the 45 s caller goes first (wait 70 s), the 75 s one at 215 s (wait 140 s).
    // Last come, first served would give a longest wait of 170 s.
    let json = format!(
        r#"{{"horizon": 80, "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": 120, "process": "even"}}, "handle_time": {}}}}},
        "staff": {{"a": {{"count": 1, "serves": ["q"]}}}}}}"#,
        fixed(100)
    );
    let rep = run(&json);
    let q = queue(&rep, &json, "q");
    assert_eq!(
        (q.answered, q.wait_answered_s, q.max_wait_s),
        (3, 210.0, 140.0)
    );
}

#[test]
fn an_arrival_goes_to_the_longest_idle_agent_and_a_tie_to_the_group_listed_first() {
    // Groups "first" and "second", one agent each, both idle since 0; handle 10 s; arrivals
    // at 15, 45 and 75 s. 15 s: a tie, so "first" (listed first). 45 s: "second" has been idle
    // longer (since 0, against 25 s). 75 s: "first" (idle since 25 s, against 55 s). The
    // horizon, 90 s, leaves every service inside the window that busy time counts.
    let json = format!(
        r#"{{"horizon": 90, "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": 120, "process": "even"}}, "handle_time": {}}}}},
        "staff": {{"first": {{"count": 1, "serves": ["q"]}},
                   "second": {{"count": 1, "serves": ["q"]}}}}}}"#,
        fixed(10)
    );
    let rep = run(&json);
    let busy: Vec<f64> = rep.groups.iter().map(|g| g.busy_area).collect();
    assert_eq!(busy, [20.0, 10.0], "busy seconds of first, second");
}

#[test]
fn a_staff_change_comes_before_a_service_end_at_the_same_time() {
    // Groups "x" (one agent all day) and "y" (one agent from 00:01) both serve q; handle
    // 45 s; arrivals at 15 s and 45 s only. x serves the first 15–60 s. At 60 s y's agent
    // starts first and takes the waiting caller; x's service then ends with nobody waiting.
    // Were the service end first, x would take the caller and y would stay idle.
    let json = format!(
        r#"{{"horizon": 200, "seed": 1,
        "queues": {{"q": {{"arrivals": {{"per_hour": [["00:00", 120], ["00:01", 0]], "process": "even"}},
                          "handle_time": {}}}}},
        "staff": {{"x": {{"count": 1, "serves": ["q"]}},
                   "y": {{"count": {{"daily": {{"00:01-24:00": 1}}}}, "serves": ["q"]}}}}}}"#,
        fixed(45)
    );
    let rep = run(&json);
    let busy: Vec<f64> = rep.groups.iter().map(|g| g.busy_area).collect();
    assert_eq!(busy, [45.0, 45.0], "busy seconds of x, y");
}
