//! Staff reassigned from offices to phones, and utilization split by queue.

use super::common::{replication, scenario};
use callsim::runner;

/// Phone and office queues; the office group moves `reassign` of its 30 people to the phones.
fn offices(reassign: &str) -> String {
    format!(
        r#"{{"horizon": "2w", "warmup": "1d", "replications": 3, "seed": 31,
            "queues": {{
              "phone": {{"arrivals": {{"per_hour": 240}}, "open": {{"mon-fri": "08:00-16:00"}},
                        "handle_time": {{"dist": "exponential", "mean": "5m"}},
                        "patience": {{"dist": "exponential", "mean": "3m"}}}},
              "office": {{"arrivals": {{"per_week": 1500}}, "open": {{"mon-fri": "09:00-15:00"}},
                         "handle_time": {{"dist": "gamma", "mean": "15m", "cv": 0.6}},
                         "patience": {{"dist": "exponential", "mean": "40m"}}}}
            }},
            "staff": {{
              "phones": {{"count": {{"mon-fri": {{"08:00-16:00": 12}}}}, "serves": ["phone"]}},
              "office_staff": {{"count": {{"mon-fri": {{"08:00-16:00": 30}}}}, "serves": ["office"]{reassign}}}
            }}}}"#
    )
}

#[test]
fn reassigning_nobody_equals_not_reassigning() {
    let plain = scenario(&offices(""));
    let zero = scenario(&offices(
        r#", "reassign": {"count": 0, "serves": ["phone"]}"#,
    ));
    assert_eq!(zero.groups.len(), 3);
    for r in 0..2 {
        let (a, b) = (replication(&plain, r), replication(&zero, r));
        for (x, y) in a.queues.iter().zip(&b.queues) {
            assert_eq!(
                (x.offered, x.answered, x.abandoned),
                (y.offered, y.answered, y.abandoned)
            );
            assert_eq!(x.wait_answered_s.to_bits(), y.wait_answered_s.to_bits());
        }
    }
}

#[test]
fn reassigned_agents_serve_the_phones_and_the_total_stays_fixed() {
    let schedule = r#", "reassign": {"count": {"mon-fri": {"08:00-12:00": 10, "12:00-16:00": 6}}, "serves": ["phone", "office"]}"#;
    let sc = scenario(&offices(schedule));
    let names: Vec<&str> = sc.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["phones", "office_staff", "office_staff_reassigned"]);
    let at = |g: usize, t: f64| sc.groups[g].count.value_at(t);
    assert_eq!((at(1, 9.0 * 3600.0), at(2, 9.0 * 3600.0)), (20.0, 10.0));
    assert_eq!((at(1, 13.0 * 3600.0), at(2, 13.0 * 3600.0)), (24.0, 6.0));

    let report = runner::run(&sc, "", &|| {});
    let plain = runner::run(&scenario(&offices("")), "", &|| {});
    let asa = |r: &callsim::report::Report| r.metric("phone.asa_s").unwrap().mean.unwrap();
    assert!(
        asa(&report) < 0.5 * asa(&plain),
        "help on the phones: {} s vs {} s",
        asa(&report),
        asa(&plain)
    );
    let on_phone = report
        .metric("staff.office_staff_reassigned.utilization_on_phone")
        .unwrap()
        .mean
        .unwrap();
    assert!(
        on_phone > 0.3,
        "the reassigned agents spend {on_phone} of their time on the phones"
    );
}

#[test]
fn utilization_split_by_queue_adds_up() {
    // Busy time per queue is summed from whole services clipped to the window; busy time in
    // all is integrated over the busy count. They are the same integral, so equal up to
    // rounding.
    let sc = scenario(&offices(
        r#", "reassign": {"count": {"mon-fri": {"08:00-16:00": 8}}, "serves": ["phone", "office"]}"#,
    ));
    let report = runner::run(&sc, "", &|| {});
    for g in ["phones", "office_staff", "office_staff_reassigned"] {
        let staff = &report.staff[g];
        let total = staff["utilization"].mean.unwrap();
        let split: f64 = staff
            .iter()
            .filter(|(k, _)| k.starts_with("utilization_on_"))
            .map(|(_, e)| e.mean.unwrap())
            .sum();
        assert!((split - total).abs() < 1e-9, "{g}: {split} vs {total}");
    }
}

#[test]
fn a_plain_number_moves_at_most_those_on_duty() {
    // 12 moved, but the group works only 08:00-16:00: at night nobody is moved.
    let sc = scenario(&offices(
        r#", "reassign": {"count": 12, "serves": ["phone"]}"#,
    ));
    let at = |g: usize, t: f64| sc.groups[g].count.value_at(t);
    assert_eq!((at(1, 9.0 * 3600.0), at(2, 9.0 * 3600.0)), (18.0, 12.0));
    assert_eq!((at(1, 20.0 * 3600.0), at(2, 20.0 * 3600.0)), (0.0, 0.0));
}

#[test]
fn moving_more_people_than_the_group_has_is_an_error() {
    let bad =
        offices(r#", "reassign": {"count": {"mon": {"08:00-16:00": 31}}, "serves": ["phone"]}"#);
    let err = callsim::scenario::parse(bad.as_bytes(), "x.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "staff.office_staff.reassign.count: moves more agents than the group has (mon 08:00)"
        ),
        "{err}"
    );
}

#[test]
fn a_count_given_as_steps_equals_the_same_schedule_given_by_days() {
    let by_days = r#"{"mon-fri": {"08:00-12:00": 10, "12:00-16:00": 6}}"#;
    let steps: String = (0..5)
        .map(|d| {
            let day = ["mon", "tue", "wed", "thu", "fri"][d];
            format!(r#"["{day} 08:00", 10], ["{day} 12:00", 6], ["{day} 16:00", 0]"#)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let a = scenario(&offices("").replace(r#"{"mon-fri": {"08:00-16:00": 12}}"#, by_days));
    let b = scenario(
        &offices("").replace(r#"{"mon-fri": {"08:00-16:00": 12}}"#, &format!("[{steps}]")),
    );
    assert_eq!(a.groups[0].count, b.groups[0].count);
    assert_eq!(
        b.groups[0].count.value_at(3.0 * 86_400.0 + 13.0 * 3600.0),
        6.0
    );
    let (first, r) = (replication(&a, 0), replication(&b, 0));
    assert_eq!(first.queues[0].answered, r.queues[0].answered);
}

#[test]
fn steps_out_of_order_or_without_a_day_are_named() {
    let bad = offices("").replace(
        r#"{"mon-fri": {"08:00-16:00": 12}}"#,
        r#"[["mon 08:00", 5], ["mon 07:00", 3], ["08:00", 2]]"#,
    );
    let e = callsim::scenario::parse(bad.as_bytes(), "steps.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("staff.phones.count.1: \"mon 07:00\" is not after the step before it"),
        "{e}"
    );
    assert!(
        e.contains("staff.phones.count.2: expected a day and a clock time"),
        "{e}"
    );
}
