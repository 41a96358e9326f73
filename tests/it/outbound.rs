//! Outbound work: released evenly over the open hours, a share not reaching the customer, a
//! backlog carried from day to day, and a guard for the inbound queue.

use super::common::{replication, scenario};
use callsim::runner;

/// 840 calls a weekday released over 08:00-16:00; reached calls take 2 min, the 25% unreached
/// take 20 s; `agents` work 08:00-16:00 on weekdays.
fn outbound(agents: u32) -> String {
    format!(
        r#"{{"horizon": "1w", "replications": 4, "seed": 9,
            "queues": {{"outbound": {{
                "arrivals": {{"per_day": 840, "process": "even"}},
                "open": {{"mon-fri": "08:00-16:00"}},
                "handle_time": {{"dist": "fixed", "value": "2m"}},
                "unreached": {{"share": 0.25, "handle_time": {{"dist": "fixed", "value": "20s"}}}}}}}},
            "staff": {{"a": {{"count": {{"mon-fri": {{"08:00-16:00": {agents}}}}}, "serves": ["outbound"]}}}}}}"#
    )
}

#[test]
fn even_release_gives_exact_volumes() {
    let report = runner::run(&scenario(&outbound(4)), "", &|| {});
    for iv in &report.intervals {
        let hour: u32 = iv.start[4..6].parse().unwrap();
        let weekday = !iv.start.starts_with("sat") && !iv.start.starts_with("sun");
        let expected = if weekday && (8..16).contains(&hour) {
            105.0
        } else {
            0.0
        };
        assert_eq!(iv.queues["outbound"].offered, expected, "at {}", iv.start);
    }
}

#[test]
fn workload_and_unreached_share_match_hand_computation() {
    // Work per weekday: 840 · (0.75 · 120 s + 0.25 · 20 s) = 79,800 s on 4 · 8 h = 115,200 s
    // on duty: utilization 0.6927. The unreached share is Binomial(4200, 0.25) over the week
    // (sd 0.7 points), so the utilization varies by about 0.5%; 3% is a safe bound.
    let report = runner::run(&scenario(&outbound(4)), "", &|| {});
    let m = |k: &str| report.metric(k).unwrap().mean.unwrap();
    assert_eq!(
        m("outbound.answered"),
        4200.0,
        "every released call is done"
    );
    assert!((m("outbound.unreached") / 4200.0 - 0.25).abs() < 0.03);
    assert!(
        (m("staff.a.utilization") / 0.6927 - 1.0).abs() < 0.03,
        "{}",
        m("staff.a.utilization")
    );
    assert_eq!(
        m("outbound.backlog_end_of_day_max"),
        0.0,
        "capacity suffices: nothing left at night"
    );
}

#[test]
fn the_backlog_carries_over_from_day_to_day() {
    // 2 agents give 57,600 s a day for 79,800 s of work: 22,200 s (about 234 calls at 95 s on
    // average) are left each weekday, and nobody works at weekends. Backlog at 24:00: about
    // 234, 467, 701, 935, 1168, 1168, 1168; the unreached share's noise is under 1%.
    let sc = scenario(&outbound(2));
    let rep = replication(&sc, 0);
    let backlog: Vec<f64> = rep.queues[0]
        .days
        .iter()
        .map(|d| f64::from(d.backlog_end))
        .collect();
    for (day, want) in [234.0, 467.0, 701.0, 935.0, 1168.0, 1168.0, 1168.0]
        .iter()
        .enumerate()
    {
        assert!(
            (backlog[day] / want - 1.0).abs() < 0.05,
            "day {day}: {} vs {want}",
            backlog[day]
        );
    }
    let t = &rep.queues[0];
    assert_eq!(
        t.offered, t.answered,
        "the backlog is worked off after the horizon"
    );
}

#[test]
fn a_guard_keeps_agents_on_the_inbound_queue() {
    // Outbound listed first would starve the phones. A guard at 0 waiting lets agents take
    // outbound work only while no caller waits, which is exactly phone-first priority: the
    // results must be identical. A guard at 2 lies in between.
    let json = |serves: &str, guard: &str| {
        format!(
            r#"{{"horizon": "2w", "warmup": "1d", "replications": 3, "seed": 12,
                "queues": {{
                  "phone": {{"arrivals": {{"per_hour": 100}}, "open": {{"mon-fri": "08:00-16:00"}},
                            "handle_time": {{"dist": "exponential", "mean": "4m"}},
                            "patience": {{"dist": "exponential", "mean": "4m"}}}},
                  "outbound": {{"arrivals": {{"per_day": 2400, "process": "even"}}, "open": {{"mon-fri": "08:00-16:00"}},
                               "handle_time": {{"dist": "fixed", "value": "90s"}}{guard}}}
                }},
                "staff": {{"a": {{"count": {{"mon-fri": {{"08:00-18:00": 12}}}}, "serves": [{serves}]}}}}}}"#
        )
    };
    let outbound_first = r#""outbound", "phone""#;
    let run = |serves: &str, guard: &str| runner::run(&scenario(&json(serves, guard)), "", &|| {});
    let plain = run(outbound_first, "");
    let guard = |n: u32| format!(r#", "guard": {{"queue": "phone", "max_waiting": {n}}}"#);
    let guarded = run(outbound_first, &guard(0));
    let phone_first = run(r#""phone", "outbound""#, "");
    let loose = run(outbound_first, &guard(2));
    let asa = |r: &callsim::report::Report| r.metric("phone.asa_s").unwrap().mean.unwrap();
    assert!(
        asa(&guarded) < 0.3 * asa(&plain),
        "ASA {} s guarded vs {} s",
        asa(&guarded),
        asa(&plain)
    );
    assert_eq!(
        asa(&guarded).to_bits(),
        asa(&phone_first).to_bits(),
        "guard 0 is phone-first priority"
    );
    assert!(asa(&guarded) < asa(&loose) && asa(&loose) < asa(&plain));
    let m = |r: &callsim::report::Report, k: &str| r.metric(k).unwrap().mean.unwrap();
    assert_eq!(
        m(&guarded, "outbound.answered"),
        m(&guarded, "outbound.offered"),
        "outbound work still gets done"
    );
}

#[test]
fn agents_starting_while_a_guard_holds_wait_for_it_to_lift() {
    // The phones are overloaded from 08:00 to 12:00 (8 erlangs on 6 agents, nobody hangs
    // up), so at 10:00, when the outbound agents start, callers wait and the guard keeps the
    // outbound agents idle although outbound work is waiting. Once the phones catch up
    // (about 13:30) the guard lifts and the 60 calls (1 h of work for 2 agents) are done
    // before 16:00. An agent who started while the guard held must not be lost to it: such
    // agents used to count as busy with nothing, for ever.
    let sc = scenario(
        r#"{"horizon": "1d", "replications": 2, "seed": 5,
            "queues": {
              "phone": {"arrivals": {"per_hour": 120}, "open": {"mon-fri": "08:00-12:00"},
                        "handle_time": {"dist": "exponential", "mean": "4m"}},
              "outbound": {"arrivals": {"per_day": 60, "process": "even"},
                           "open": {"mon-fri": "08:00-12:00"},
                           "handle_time": {"dist": "fixed", "value": "2m"},
                           "guard": {"queue": "phone", "max_waiting": 0}}
            },
            "staff": {
              "p": {"count": {"mon-fri": {"08:00-16:00": 6}}, "serves": ["phone"]},
              "o": {"count": {"mon-fri": {"10:00-16:00": 2}}, "serves": ["outbound"]}
            }}"#,
    );
    for r in 0..2 {
        let rep = replication(&sc, r);
        assert!(rep.capped_at.is_none(), "replication {r} never finished");
        let out = &rep.queues[1];
        assert_eq!((out.offered, out.answered), (60, 60), "replication {r}");
        assert_eq!(
            out.days[0].backlog_end, 0,
            "replication {r}: left at midnight"
        );
    }
}
