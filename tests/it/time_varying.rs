//! Time-varying scenarios (opening hours, arrival profiles, staff schedules): conservation,
//! Little's law, no arrival while closed, and agents who finish before they leave.

use super::common::{replication, scenario};
use callsim::runner;

/// A weekday office line: open 08:00-16:00, a morning peak, a schedule that drops at noon and
/// ends at 16:00, impatient callers, and a second queue served at lower priority. The horizon
/// ends on the fourth Saturday at 00:00, when every queue has emptied.
const OFFICE: &str = r#"{
  "horizon": "26d", "warmup": "1d", "replications": 4, "seed": 17, "interval": "30m",
  "queues": {
    "phone": {
      "arrivals": {"per_hour": [["08:00", 240], ["10:00", 180], ["12:00", 120], ["14:00", 90]]},
      "open": {"mon-fri": "08:00-16:00"},
      "handle_time": {"dist": "lognormal", "mean": "4m", "cv": 0.8},
      "patience": {"dist": "exponential", "mean": "3m"}
    },
    "email": {
      "arrivals": {"per_hour": 20},
      "open": {"mon-fri": ["08:00-12:00", "13:00-16:00"], "sat": "10:00-14:00"},
      "handle_time": {"dist": "gamma", "mean": "6m", "cv": 0.5}
    }
  },
  "staff": {
    "front": {"count": {"mon-fri": {"08:00-12:00": 14, "12:00-16:00": 9}}, "serves": ["phone", "email"]},
    "back": {"count": {"mon-fri": {"08:00-17:00": 2}, "sat": {"10:00-15:00": 1}}, "serves": ["email"]}
  }
}"#;

#[test]
fn every_contact_is_answered_or_abandoned() {
    let sc = scenario(OFFICE);
    for r in 0..3 {
        let rep = replication(&sc, r);
        assert!(rep.capped_at.is_none());
        for (q, t) in rep.queues.iter().enumerate() {
            assert!(
                t.offered > 1000,
                "queue {q} saw only {} contacts",
                t.offered
            );
            assert_eq!(
                t.offered,
                t.answered + t.abandoned,
                "queue {q}, replication {r}"
            );
        }
        // Per interval too: each counted contact is in the interval of its arrival.
        let nq = rep.queues.len();
        for q in 0..nq {
            let per_interval: u64 = rep
                .intervals
                .iter()
                .skip(q)
                .step_by(nq)
                .map(|iv| u64::from(iv.offered))
                .sum();
            assert_eq!(per_interval, rep.queues[q].offered);
        }
    }
}

#[test]
fn littles_law_holds_for_the_waiting_line() {
    // L = λW over [warmup, horizon): the time-average number waiting equals the arrival rate
    // times the mean wait. They differ only by waits that straddle the window's ends (a few
    // contacts out of ~35,000 a replication, and every queue empties overnight), so 1% is
    // generous.
    let sc = scenario(OFFICE);
    let window = sc.horizon_s - sc.warmup_s;
    for r in 0..2 {
        let rep = replication(&sc, r);
        for t in &rep.queues {
            let l = t.queue_len_area / window;
            let lambda_w = (t.wait_answered_s + t.wait_abandoned_s) / window;
            assert!(
                (l / lambda_w - 1.0).abs() < 0.01,
                "L = {l}, λW = {lambda_w}"
            );
        }
    }
}

#[test]
fn nobody_arrives_while_closed() {
    let sc = scenario(OFFICE);
    let report = runner::run(&sc, "", &|| {});
    let mut open_intervals = 0;
    for iv in &report.intervals {
        let (day, time) = iv.start.split_once(' ').unwrap();
        let weekday = !matches!(day, "sat" | "sun");
        let phone_open = weekday && ("08:00".."16:00").contains(&time);
        let email_open = (weekday && phone_open && !("12:00".."13:00").contains(&time))
            || (day == "sat" && ("10:00".."14:00").contains(&time));
        let phone = iv.queues["phone"].offered;
        let email = iv.queues["email"].offered;
        assert_eq!(phone > 0.0, phone_open, "phone at {} {}", iv.start, iv.week);
        assert_eq!(
            email > 0.0,
            email_open,
            "email at {} week {}: {email}",
            iv.start,
            iv.week
        );
        open_intervals += usize::from(phone_open);
    }
    assert_eq!(
        open_intervals,
        16 * (5 * 4 - 1),
        "4 weeks of weekdays, minus the warm-up day"
    );
}

#[test]
fn agents_leave_only_after_finishing() {
    // Long fixed handle times make the noon drop visible: agents busy at 12:00 stay until their
    // contact ends, so busy agents exceed the scheduled count just after noon, and utilization
    // counts their extra time as on duty.
    let json = r#"{
      "horizon": "1w", "replications": 2, "seed": 4, "interval": "10m",
      "queues": {"phone": {"arrivals": {"per_hour": 200}, "open": {"mon-fri": "08:00-16:00"},
                           "handle_time": {"dist": "fixed", "value": "25m"}}},
      "staff": {"a": {"count": {"mon-fri": {"08:00-12:00": 20, "12:00-16:00": 5}}, "serves": ["phone"]}}
    }"#;
    let sc = scenario(json);
    let report = runner::run(&sc, "", &|| {});
    let at = |label: &str| {
        report
            .intervals
            .iter()
            .find(|iv| iv.start == label)
            .unwrap()
    };
    let noon = &at("mon 12:00").staff["a"];
    assert_eq!(noon.scheduled, 5.0);
    assert!(
        noon.busy > 5.0 + 5.0,
        "busy {} right after the drop: agents were sent home mid-call",
        noon.busy
    );
    let later = &at("mon 12:30").staff["a"];
    assert!(
        later.busy <= 5.0 + 1e-9,
        "busy {} after every pre-noon contact ended",
        later.busy
    );
    let util = report.metric("staff.a.utilization").unwrap().mean.unwrap();
    assert!(
        util <= 1.0,
        "utilization {util} > 1: on-duty time misses agents who stayed"
    );
}

#[test]
fn staff_serve_queues_in_priority_order() {
    // One group serves "high" before "low"; the same load on each. The high-priority queue
    // must wait far less.
    let json = r#"{
      "horizon": "300h", "warmup": "10h", "replications": 3, "seed": 8,
      "queues": {
        "high": {"arrivals": {"per_hour": 50}, "handle_time": {"dist": "exponential", "mean": "3m"}},
        "low": {"arrivals": {"per_hour": 50}, "handle_time": {"dist": "exponential", "mean": "3m"}}
      },
      "staff": {"a": {"count": 6, "serves": ["high", "low"]}}
    }"#;
    let report = runner::run(&scenario(json), "", &|| {});
    let high = report.metric("high.asa_s").unwrap().mean.unwrap();
    let low = report.metric("low.asa_s").unwrap().mean.unwrap();
    assert!(low > 3.0 * high, "low {low} s vs high {high} s");
}
