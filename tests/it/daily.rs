//! Target-attainment risk: the distribution of each replicated day's ASA.

use super::common::{replication, scenario};
use callsim::runner;

const DAILY: &str = r#"{"horizon": "3w", "warmup": "12h", "replications": 6, "seed": 5,
  "queues": {"phone": {"arrivals": {"per_week": 12000, "daily_cv": 0.15}, "open": {"mon-fri": "08:00-16:00"},
    "handle_time": {"dist": "exponential", "mean": "4m"}, "patience": {"dist": "exponential", "mean": "5m"}}},
  "staff": {"agents": {"count": {"mon-fri": {"08:00-16:00": 22}}, "serves": ["phone"]}},
  "targets": [{"metric": "phone.asa_s", "max": "30s"}]}"#;

#[test]
fn daily_asa_counts_whole_open_days_and_their_share_within_the_target() {
    let sc = scenario(DAILY);
    let report = runner::run(&sc, "", &|| {});
    let days = &report.days["phone"];
    // 3 weeks of 5 open days; the warm-up (12 h) removes the first Monday.
    assert_eq!(days.days, 6 * 14);
    // Recompute each replication's days by hand from its tallies.
    let mut all = Vec::new();
    let mut shares = Vec::new();
    for r in 0..sc.replications {
        let rep = replication(&sc, r);
        let asas: Vec<f64> = rep.queues[0].days[1..21]
            .iter()
            .filter(|d| d.answered > 0)
            .map(|d| d.wait_answered_s / f64::from(d.answered))
            .collect();
        shares.push(asas.iter().filter(|a| **a <= 30.0).count() as f64 / asas.len() as f64);
        all.extend(asas);
    }
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    assert!((days.asa_s_mean.unwrap() - mean).abs() < 1e-9 * mean);
    let max = all.iter().copied().fold(0.0, f64::max);
    assert_eq!(days.asa_s_max, Some(max));
    let share = shares.iter().sum::<f64>() / shares.len() as f64;
    assert_eq!(days.within.len(), 1);
    assert_eq!(days.within[0].max_s, 30.0);
    assert!((days.within[0].share.mean.unwrap() - share).abs() < 1e-12);
    assert!(
        share > 0.05 && share < 0.95,
        "the case should have good and bad days: {share}"
    );
    // The median of the daily ASAs, within the histogram's 1%.
    all.sort_by(f64::total_cmp);
    let median = all[all.len().div_ceil(2) - 1];
    assert!((days.asa_s_p50.unwrap() / median - 1.0).abs() < 0.01);
}

#[test]
fn the_table_shows_the_share_of_days_within_the_target_as_a_percentage() {
    let sc = scenario(DAILY);
    let report = runner::run(&sc, "", &|| {});
    let share = report.days["phone"].within[0].share;
    let text = callsim::report::table::render(&report);
    let line = text
        .lines()
        .find(|l| l.contains("days with ASA <= 30 s"))
        .expect("the daily line");
    let (mean, half) = (share.mean.unwrap(), share.half_width().unwrap());
    let expected = format!("{:.2} % ± {:.2} %", mean * 100.0, half * 100.0);
    assert!(line.ends_with(&expected), "{line:?} vs {expected:?}");
}
