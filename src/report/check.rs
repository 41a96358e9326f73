//! The verdict lines of `callsim check`: one line per target.

use super::{Report, TargetResult, table};

use crate::stats::ci::Estimate;

/// The one verdict word of a target, used by `check`, `run` and report.html alike, and whether
/// it passes. A met target whose interval crosses a bound is "met?" (a miss under `--strict`,
/// where it is called inconclusive).
pub fn verdict(t: &TargetResult, strict: bool) -> (&'static str, bool) {
    match (t.met, t.met_strict, strict) {
        (_, true, _) => ("met", true),
        (true, false, false) => ("met?", true),
        (true, false, true) => ("inconclusive", false),
        (false, _, _) => ("MISSED", false),
    }
}

/// A target's bounds and numbers, as `check` prints them: `phone.asa_s <= 2m — mean 1m 54s (ci95 ...)`.
pub fn describe(t: &TargetResult, n: u32) -> String {
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

/// What `check` found for one scenario.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioCheck {
    /// Scenario name.
    pub scenario: String,
    /// Replications used (more than asked when `--decide` added some).
    pub replications: u32,
    /// Replications asked for.
    pub replications_asked: u32,
    /// Each target with its verdict word (`met`, `met?`, `inconclusive`, `MISSED`).
    pub targets: Vec<Verdict>,
    /// Metrics that regressed against the baseline.
    pub regressions: Vec<super::baseline::Regression>,
    /// Replications stopped early: a truncated run, which fails whatever its numbers say.
    pub replications_stopped_early: u32,
    /// The run's warnings (also printed on stderr).
    pub warnings: Vec<super::Warning>,
    /// What adaptive replication did, when it ran: e.g. "decided after 40 replications".
    pub adaptive: Option<String>,
    /// Whether everything passed.
    pub passed: bool,
}

/// A target and its verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verdict {
    /// The verdict word.
    pub verdict: &'static str,
    /// Whether it passes (`met`, or `met?` without `--strict`); the target's own `met` says
    /// whether its mean is within the bounds.
    pub passed: bool,
    /// The target and its numbers.
    #[serde(flatten)]
    pub target: TargetResult,
}

impl ScenarioCheck {
    /// Judges `r`'s targets (with `strict`) and records the baseline's regressions.
    pub fn new(
        r: &Report,
        asked: u32,
        strict: bool,
        regressions: Vec<super::baseline::Regression>,
    ) -> Self {
        let targets: Vec<Verdict> = r
            .targets
            .iter()
            .map(|t| {
                let (verdict, passed) = verdict(t, strict);
                Verdict {
                    verdict,
                    passed,
                    target: t.clone(),
                }
            })
            .collect();
        let truncated = r.replications_stopped_early;
        let passed = targets.iter().all(|v| v.passed) && regressions.is_empty() && truncated == 0;
        ScenarioCheck {
            scenario: r.scenario.clone(),
            replications: r.replications,
            replications_asked: asked,
            targets,
            regressions,
            replications_stopped_early: truncated,
            warnings: r.warnings.clone(),
            adaptive: None,
            passed,
        }
    }

    /// The lines `check` prints: one per target, one per regression, and what `--decide` cost.
    pub fn lines(&self) -> String {
        let mut out = String::new();
        if self.targets.is_empty() {
            out.push_str(&format!("{}: no targets to check\n", self.scenario));
        }
        for v in &self.targets {
            out.push_str(&format!(
                "{:<12} {}: {}\n",
                v.verdict,
                self.scenario,
                describe(&v.target, self.replications)
            ));
        }
        if let Some(note) = &self.adaptive {
            out.push_str(&format!("{:<12} {}: {note}\n", "", self.scenario));
        }
        if let Some(text) = self.truncation() {
            out.push_str(&format!("{:<12} {}: {text}\n", "TRUNCATED", self.scenario));
        }
        for r in &self.regressions {
            out.push_str(&format!(
                "{:<12} {}: {}\n",
                "REGRESSED",
                self.scenario,
                regression(r)
            ));
        }
        out
    }
}

impl ScenarioCheck {
    /// Why a truncated run fails, if it was truncated.
    fn truncation(&self) -> Option<String> {
        (self.replications_stopped_early > 0).then(|| {
            format!(
                "{} of {} replications were stopped early (see the warning): the numbers describe a truncated run, so the check fails whatever the targets say",
                self.replications_stopped_early, self.replications
            )
        })
    }
}

/// The line that ends a check of several scenarios: "12 met, 1 missed in 3 scenarios", with
/// regressions, truncated runs and scenarios without targets when there are any.
pub fn summary(checks: &[ScenarioCheck]) -> String {
    let all = checks.iter().flat_map(|c| &c.targets);
    let met = all.clone().filter(|v| v.passed).count();
    let missed = all.count() - met;
    let scenarios = table::plural(checks.len(), "scenario");
    let mut line = format!("{met} met, {missed} missed in {scenarios}");
    let regressed: usize = checks.iter().map(|c| c.regressions.len()).sum();
    let truncated = checks.iter().filter(|c| c.replications_stopped_early > 0);
    let untargeted = checks.iter().filter(|c| c.targets.is_empty()).count();
    if regressed > 0 {
        line += &format!(", {regressed} regressed");
    }
    match truncated.count() {
        0 => {}
        n => line += &format!(", {} truncated", table::plural(n, "run")),
    }
    if untargeted > 0 {
        line += &format!(", {untargeted} without targets");
    }
    let verdict = if checks.iter().all(|c| c.passed) {
        "passed"
    } else {
        "FAILED"
    };
    format!("{verdict}: {line}\n")
}

fn regression(r: &super::baseline::Regression) -> String {
    let n = |v: f64| table::number(&r.metric, v);
    format!(
        "{} got worse: {} -> {} ({:+.1}%; {}: t = {:.2}, df = {:.1})",
        r.metric,
        n(r.old),
        n(r.new),
        r.relative_change * 100.0,
        r.test,
        r.t,
        r.df
    )
}

/// JUnit XML: a test suite per scenario, a test case per target and per regression, with the
/// numbers in the failure message.
pub fn junit(checks: &[ScenarioCheck]) -> String {
    // A truncated run adds a failing test case of its own.
    let truncated = |c: &ScenarioCheck| usize::from(c.replications_stopped_early > 0);
    let failures = |c: &ScenarioCheck| {
        c.targets.iter().filter(|v| !v.passed).count() + c.regressions.len() + truncated(c)
    };
    let tests = |c: &ScenarioCheck| c.targets.len() + c.regressions.len() + truncated(c);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"callsim check\" tests=\"{}\" failures=\"{}\">\n",
        checks.iter().map(tests).sum::<usize>(),
        checks.iter().map(failures).sum::<usize>()
    ));
    for c in checks {
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n",
            escape(&c.scenario),
            tests(c),
            failures(c)
        ));
        for v in &c.targets {
            let text = describe(&v.target, c.replications);
            let name = format!(
                "{} {}",
                v.target.metric,
                text.split(" — ")
                    .next()
                    .unwrap_or("")
                    .trim_start_matches(&v.target.metric)
                    .trim()
            );
            let line = format!("{}: {text}", v.verdict);
            match v.passed {
                true => passing_case(&mut xml, &c.scenario, &name, &line),
                false => case(&mut xml, &c.scenario, &name, Some(line)),
            }
        }
        for r in &c.regressions {
            case(
                &mut xml,
                &c.scenario,
                &format!("regression of {}", r.metric),
                Some(regression(r)),
            );
        }
        if let Some(text) = c.truncation() {
            case(&mut xml, &c.scenario, "run completed", Some(text));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn case(xml: &mut String, class: &str, name: &str, failure: Option<String>) {
    let head = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape(class),
        escape(name)
    );
    match failure {
        None => xml.push_str(&format!("{head}/>\n")),
        Some(m) => xml.push_str(&format!(
            "{head}>\n      <failure message=\"{}\"/>\n    </testcase>\n",
            escape(&m)
        )),
    }
}

/// A passing test case that still shows its numbers, as CI systems display system-out.
fn passing_case(xml: &mut String, class: &str, name: &str, text: &str) {
    xml.push_str(&format!(
        "    <testcase classname=\"{}\" name=\"{}\">\n      <system-out>{}</system-out>\n    </testcase>\n",
        escape(class),
        escape(name),
        escape(text)
    ));
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
