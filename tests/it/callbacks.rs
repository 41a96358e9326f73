//! Booked callbacks: hand-computable slot filling, lead times and lateness.

use super::common::{replication, scenario};
use callsim::runner;

/// Callers arrive evenly, 10 an hour around the clock (at 3, 9, ..., 57 minutes past). The one
/// phone agent is taken for ever by the first caller, so every later caller is offered a
/// callback and takes it. Slots are 1 h with room for 10 (capacity equal to demand), and 10
/// callback agents answer a slot's calls at once.
fn booking(capacity: &str, max_lead: &str, offer: &str) -> String {
    format!(
        r#"{{"horizon": "1w", "warmup": "2h", "replications": 2, "seed": 4,
            "queues": {{
              "phone": {{"arrivals": {{"per_hour": 10, "process": "even"}},
                        "handle_time": {{"dist": "fixed", "value": "10000d"}},
                        "callback": {{"to": "callbacks", "accept": 1{offer}}}}},
              "callbacks": {{"handle_time": {{"dist": "fixed", "value": "5m"}},
                            "slots": {{"length": "1h", "capacity": {capacity}, "max_lead": "{max_lead}"}}}}
            }},
            "staff": {{
              "phones": {{"count": 1, "serves": ["phone"]}},
              "callers_back": {{"count": 10, "serves": ["callbacks"]}}
            }}}}"#
    )
}

#[test]
fn capacity_equal_to_demand_fills_every_slot_on_time() {
    let report = runner::run(&scenario(&booking("10", "14d", "")), "", &|| {});
    let m = |k: &str| report.metric(k).unwrap().mean.unwrap();
    // Each caller books the next hour's slot: leads 57, 51, ..., 3 min, exactly 30 min on
    // average; every slot from the warm-up on is full; nobody waits for the callback.
    assert_eq!(
        m("phone.booked"),
        166.0 * 10.0,
        "every caller from 02:00 books"
    );
    assert!(
        (m("callbacks.booking_lead_s") - 1800.0).abs() < 1e-6,
        "{}",
        m("callbacks.booking_lead_s")
    );
    assert!((m("callbacks.booking_lead_max_s") - 57.0 * 60.0).abs() < 1e-6);
    assert!((m("callbacks.booking_lead_p90_s") / (51.0 * 60.0) - 1.0).abs() < 0.01);
    assert_eq!(m("callbacks.slot_utilization"), 1.0);
    assert_eq!(m("callbacks.max_wait_s"), 0.0, "calls start on time");
    assert_eq!(m("callbacks.asa_s"), 0.0);
    // The last hour's 10 bookings have the slot at the horizon itself.
    assert_eq!(m("callbacks.bookings_unserved_at_horizon"), 10.0);
    let sc = scenario(&booking("10", "14d", ""));
    let t = &replication(&sc, 0).queues;
    assert_eq!(t[0].offered, t[0].answered + t[0].abandoned + t[0].booked);
    assert_eq!(t[1].answered, t[1].offered, "every booked call is made");
}

#[test]
fn scarce_slots_push_bookings_days_ahead_until_max_lead() {
    // Room for 5 an hour, demand 10: the backlog of bookings grows by 5 slots' worth an hour,
    // so leads grow through the week; bookings beyond max_lead (2 days) are refused and those
    // callers wait in the queue instead (for ever, as the agent never frees: the run is capped
    // once the horizon is long past, which does not change the bookings). Every reachable slot,
    // up to 2 days past the horizon, is filled: 5 x (168 + 48) bookings at most.
    let report = runner::run(&scenario(&booking("5", "2d", "")), "", &|| {});
    let m = |k: &str| report.metric(k).unwrap().mean.unwrap();
    assert!(
        m("callbacks.booking_lead_s") > 12.0 * 3600.0,
        "lead {} s",
        m("callbacks.booking_lead_s")
    );
    assert!(m("callbacks.booking_lead_max_s") <= 2.0 * 86_400.0);
    assert_eq!(m("callbacks.slot_utilization"), 1.0);
    assert!(m("phone.booked") <= 5.0 * (168.0 + 48.0) && m("phone.booked") > 5.0 * 166.0);
    assert!(m("phone.booked") < 0.7 * m("phone.offered"));
}

#[test]
fn callbacks_are_offered_only_above_the_wait_threshold() {
    // With a handle time of 1,000 days the estimated wait is (waiting + 1) x 1,000 days / 1
    // agent. With a threshold of 10,000 days the 2nd to 10th callers (0 to 8 ahead of them)
    // are not offered a booking and wait; from the 11th on, 9 wait ahead, the estimate reaches
    // the threshold and everyone books. All of that happens in the first hour, before the
    // warm-up ends.
    let with_handle = |handle: &str, threshold: &str| {
        let offer = format!(r#", "offer_when_wait_over": "{threshold}""#);
        let text = booking("10", "14d", &offer);
        scenario(&text.replace(r#""value": "10000d""#, &format!(r#""value": "{handle}""#)))
    };
    let report = runner::run(&with_handle("1000d", "10000d"), "", &|| {});
    let m = |k: &str| report.metric(k).unwrap().mean.unwrap();
    assert_eq!(m("phone.booked"), 1660.0);
    assert_eq!(m("phone.queue_len_mean"), 9.0);
    // A threshold above any estimate: 100 years is 36,500 waiting a day each, and a week
    // brings 1,680 callers. Nobody books.
    let never = runner::run(&with_handle("1d", "36500d"), "", &|| {});
    assert_eq!(never.metric("phone.booked").unwrap().mean, Some(0.0));
    assert_eq!(never.metric("callbacks.bookings").unwrap().mean, Some(0.0));
}
