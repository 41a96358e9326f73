//! The verdict lines of `callsim check`: one line per target.

use super::{Report, TargetResult, table};
use crate::stats::ci::Estimate;

/// Renders one line per target of `r` and says whether all are met. A target is met when its
/// mean is within its bounds, or with `strict` when its whole ci95 is. A met target whose
/// interval crosses a bound is called inconclusive (a miss under `strict`).
pub fn render(r: &Report, strict: bool) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    if r.targets.is_empty() {
        out.push_str(&format!("{}: no targets to check\n", r.scenario));
    }
    for t in &r.targets {
        let (word, met) = verdict(t, strict);
        all &= met;
        out.push_str(&format!(
            "{word:<12} {}: {}\n",
            r.scenario,
            describe(t, r.replications)
        ));
    }
    (out, all)
}

fn verdict(t: &TargetResult, strict: bool) -> (&'static str, bool) {
    match (t.met, t.met_strict, strict) {
        (_, true, _) => ("met", true),
        (true, false, false) => ("met?", true),
        (true, false, true) => ("inconclusive", false),
        (false, _, _) => ("MISSED", false),
    }
}

fn describe(t: &TargetResult, n: u32) -> String {
    let e = Estimate {
        mean: t.value,
        ci95: t.ci95,
    };
    let bounds: Vec<String> = [
        t.min.map(|v| format!(">= {}", table::number(&t.metric, v))),
        t.max.map(|v| format!("<= {}", table::number(&t.metric, v))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let ci = t.ci95.map_or(String::new(), |[lo, hi]| {
        format!(
            " (ci95 [{}, {}], n={n})",
            table::number(&t.metric, lo),
            table::number(&t.metric, hi)
        )
    });
    let mean = e
        .mean
        .map_or("n/a".to_string(), |m| table::number(&t.metric, m));
    let note = if t.met && !t.met_strict {
        "; the ci95 crosses a bound: more replications would tell"
    } else {
        ""
    };
    format!(
        "{} {} — mean {mean}{ci}{note}",
        t.metric,
        bounds.join(" and ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(value: f64, ci: [f64; 2]) -> TargetResult {
        super::super::judge(
            "phone.asa_s",
            None,
            Some(120.0),
            &Estimate {
                mean: Some(value),
                ci95: Some(ci),
            },
        )
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(&target(100.0, [90.0, 110.0]), true), ("met", true));
        assert_eq!(
            verdict(&target(115.0, [105.0, 125.0]), false),
            ("met?", true)
        );
        assert_eq!(
            verdict(&target(115.0, [105.0, 125.0]), true),
            ("inconclusive", false)
        );
        assert_eq!(
            verdict(&target(130.0, [125.0, 135.0]), false),
            ("MISSED", false)
        );
    }
}
