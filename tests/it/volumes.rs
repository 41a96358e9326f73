//! Weekly and daily volumes, day weights, intraday profiles and random daily levels.

use super::common::{replication, scenario};
use callsim::scenario::units::DAY_S;

fn weekly(daily_cv: f64) -> String {
    format!(
        r#"{{"horizon": "1w", "seed": 21,
            "queues": {{"q": {{"arrivals": {{"per_week": 1000, "daily_cv": {daily_cv},
                                           "day_weights": {{"mon": 2, "tue-fri": 1}},
                                           "profile": [["08:00", 3], ["12:00", 1]]}},
                             "open": {{"mon-fri": "08:00-16:00"}},
                             "handle_time": {{"dist": "exponential", "mean": 60}}}}}},
            "staff": {{"a": {{"count": 50, "serves": ["q"]}}}}}}"#
    )
}

#[test]
fn volumes_follow_day_weights_and_profile_exactly() {
    let sc = scenario(&weekly(0.0));
    let rate = &sc.queues[0].rate;
    let day = |d: f64| rate.integral_to((d + 1.0) * DAY_S) - rate.integral_to(d * DAY_S);
    // Monday weighs 2 of 6: 333.3 calls; Tuesday to Friday 166.7 each; weekend 0.
    assert!(
        (day(0.0) - 1000.0 / 3.0).abs() < 1e-6,
        "monday {}",
        day(0.0)
    );
    assert!((day(3.0) - 1000.0 / 6.0).abs() < 1e-6);
    assert_eq!(day(5.0), 0.0);
    // Profile 3:1 over 4 h + 4 h: the morning holds 3/4 of the day.
    let morning = rate.integral_to(12.0 * 3600.0) - rate.integral_to(8.0 * 3600.0);
    assert!((morning / day(0.0) - 0.75).abs() < 1e-9);
    assert_eq!(rate.value_at(7.9 * 3600.0), 0.0, "no calls before opening");
}

/// Sample mean and variance of the weekly count over `n` replications.
fn weekly_counts(daily_cv: f64, n: u32) -> (f64, f64) {
    let sc = scenario(&weekly(daily_cv));
    let counts: Vec<f64> = (0..n)
        .map(|r| replication(&sc, r).queues[0].offered as f64)
        .collect();
    let mean = counts.iter().sum::<f64>() / f64::from(n);
    let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / f64::from(n - 1);
    (mean, var)
}

#[test]
fn without_daily_variation_the_weekly_count_is_poisson() {
    // Poisson(1000): variance 1000. With 3000 replications the sample variance has a relative
    // standard error of sqrt(2/2999) = 2.6%; 12% is over 4.5 standard errors.
    let (mean, var) = weekly_counts(0.0, 3000);
    eprintln!("no daily variation: mean {mean:.1}, variance {var:.0}, Poisson 1000");
    assert!((mean / 1000.0 - 1.0).abs() < 0.01, "mean {mean}");
    assert!((var / 1000.0 - 1.0).abs() < 0.12, "variance {var}");
}

#[test]
fn a_daily_level_adds_the_predicted_variance() {
    // Day d's count is Poisson given a gamma level L (mean 1, cv c): Var = Λ_d + c²Λ_d².
    // Λ = 333.3 on Monday and 166.7 on four days, c = 0.2: Var = 1000 + 0.04 (333.3² + 4 · 166.7²)
    // = 1000 + 0.04 · 222,222 = 9,889. The sample variance's relative standard error with 3000
    // replications is about 2.7% (the gamma mixing adds little kurtosis); 12% is 4.4 of them.
    let c2 = 0.2_f64 * 0.2;
    let lambdas = [
        1000.0 / 3.0,
        1000.0 / 6.0,
        1000.0 / 6.0,
        1000.0 / 6.0,
        1000.0 / 6.0,
    ];
    let predicted: f64 = lambdas.iter().map(|l| l + c2 * l * l).sum();
    let (mean, var) = weekly_counts(0.2, 3000);
    eprintln!("daily cv 0.2: mean {mean:.1}, variance {var:.0}, predicted {predicted:.0}");
    assert!((mean / 1000.0 - 1.0).abs() < 0.02, "mean {mean}");
    assert!(
        (var / predicted - 1.0).abs() < 0.12,
        "variance {var}, predicted {predicted}"
    );
}

#[test]
fn per_day_volume_and_bad_combinations() {
    let json = r#"{"horizon": "1w",
        "queues": {"q": {"arrivals": {"per_day": 500, "day_weights": {"sat": 0.5}},
                         "open": {"sat": "10:00-14:00"},
                         "handle_time": {"dist": "fixed", "value": 60}}},
        "staff": {"a": {"count": 5, "serves": ["q"]}}}"#;
    let sc = scenario(json);
    assert!((sc.queues[0].rate.week_integral() - 250.0).abs() < 1e-9);
    let both = json.replace(r#""per_day": 500"#, r#""per_day": 500, "per_hour": 3"#);
    let err = callsim::scenario::parse(both.as_bytes(), "x.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("queues.q.arrivals: give exactly one of per_hour, per_week or per_day"),
        "{err}"
    );
    let closed = json.replace(r#"{"sat": 0.5}"#, r#"{"sun": 0.5}"#);
    let err = callsim::scenario::parse(closed.as_bytes(), "x.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("sun has a volume but no open hours"), "{err}");
}

#[test]
fn hourly_rates_may_be_steps_over_the_week() {
    // 60 an hour on Monday 08:00-12:00 and Sunday 22:00-24:00, 30 an hour on Tuesday
    // 08:00-10:00, none elsewhere; and a step out of order is refused with its index.
    let sc = scenario(
        r#"{"horizon": "1w", "queues": {"q": {"arrivals": {"per_hour":
              [["mon 08:00", 60], ["mon 12:00", 0], ["tue 08:00", 30], ["tue 10:00", 0], ["sun 22:00", 60]]},
            "handle_time": {"dist": "exponential", "mean": 60}}},
            "staff": {"a": {"count": 5, "serves": ["q"]}}}"#,
    );
    let rate = &sc.queues[0].rate;
    let day = |d: f64| rate.integral_to((d + 1.0) * DAY_S) - rate.integral_to(d * DAY_S);
    assert!((day(0.0) - 240.0).abs() < 1e-9, "monday {}", day(0.0));
    assert!((day(1.0) - 60.0).abs() < 1e-9);
    assert!(
        (day(6.0) - 120.0).abs() < 1e-9,
        "the last step runs to the end of the week"
    );
    assert_eq!(rate.value_at(DAY_S + 11.0 * 3600.0), 0.0);
    let bad = callsim::scenario::parse(
        br#"{"horizon": "1w", "queues": {"q": {"arrivals": {"per_hour": [["tue 08:00", 1], ["mon 08:00", 2]]},
            "handle_time": {"dist": "exponential", "mean": 60}}}, "staff": {"a": {"count": 5, "serves": ["q"]}}}"#,
        "bad.json",
    )
    .unwrap_err()
    .to_string();
    assert!(
        bad.contains(
            "queues.q.arrivals.per_hour[1]: \"mon 08:00\" is not after the time before it"
        ),
        "{bad}"
    );
}
