//! Checking distribution specs and building their samplers.

use super::Issues;
use crate::dist::Dist;
use crate::scenario::units::Duration;
use crate::scenario::{DistKind, DistSpec};

/// Checks `d` (at key path `path`) and builds it. On a problem the issue is recorded and a
/// placeholder returned, so checking can go on.
pub fn dist(issues: &mut Issues, path: &str, d: &DistSpec) -> Dist {
    build(issues, path, d, false)
}

fn build(issues: &mut Issues, path: &str, d: &DistSpec, in_mixture: bool) -> Dist {
    check_keys(issues, path, d, in_mixture);
    let mut num = Checker { issues, path };
    let secs = |x: Option<Duration>| x.map(Duration::secs);
    let built = match d.dist {
        DistKind::Exponential => Some(Dist::Exponential {
            mean: num.positive("mean", secs(d.mean)),
        }),
        DistKind::Lognormal => Dist::lognormal(num.positive("mean", secs(d.mean)), num.cv(d.cv)),
        DistKind::Gamma => Dist::gamma(num.positive("mean", secs(d.mean)), num.cv(d.cv)),
        DistKind::Fixed => Some(Dist::Fixed {
            value: num.non_negative("value", secs(d.value)),
        }),
        DistKind::Uniform => {
            let (min, max) = (
                num.non_negative("min", secs(d.min)),
                num.non_negative("max", secs(d.max)),
            );
            if min > max {
                num.fail("max", &format!("must be >= min ({min}), got {max}"));
            }
            Some(Dist::Uniform { min, max })
        }
        DistKind::Empirical => empirical(&mut num, d.values.as_deref()),
        DistKind::Mixture => mixture(issues, path, d.parts.as_deref()),
    };
    built.unwrap_or(Dist::Fixed { value: 0.0 })
}

fn empirical(num: &mut Checker, values: Option<&[Duration]>) -> Option<Dist> {
    let values = values?;
    if values.is_empty() {
        num.fail("values", "must list at least one value");
        return None;
    }
    let secs = values
        .iter()
        .enumerate()
        .map(|(i, v)| num.non_negative(&format!("values[{i}]"), Some(v.secs())));
    Some(Dist::Empirical {
        values: secs.collect(),
    })
}

fn mixture(issues: &mut Issues, path: &str, parts: Option<&[DistSpec]>) -> Option<Dist> {
    let parts = parts?;
    if parts.len() < 2 {
        issues.add(
            &format!("{path}.parts"),
            "a mixture needs at least two parts",
        );
        return None;
    }
    let mut built = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let part_path = format!("{path}.parts[{i}]");
        if p.dist == DistKind::Mixture {
            issues.add(
                &format!("{part_path}.dist"),
                "a mixture part cannot itself be a mixture",
            );
            return None;
        }
        let weight = Checker {
            issues,
            path: &part_path,
        }
        .positive("weight", p.weight);
        built.push((weight, build(issues, &part_path, p, true)));
    }
    Dist::mixture(built)
}

/// Reports keys a family needs but lacks, and keys it does not use.
fn check_keys(issues: &mut Issues, path: &str, d: &DistSpec, in_mixture: bool) {
    let used: &[&str] = match d.dist {
        DistKind::Exponential => &["mean"],
        DistKind::Lognormal | DistKind::Gamma => &["mean", "cv"],
        DistKind::Fixed => &["value"],
        DistKind::Uniform => &["min", "max"],
        DistKind::Empirical => &["values"],
        DistKind::Mixture => &["parts"],
    };
    let present = [
        ("mean", d.mean.is_some()),
        ("cv", d.cv.is_some()),
        ("value", d.value.is_some()),
        ("min", d.min.is_some()),
        ("max", d.max.is_some()),
        ("values", d.values.is_some()),
        ("parts", d.parts.is_some()),
    ];
    let kind = format!("{:?}", d.dist).to_lowercase();
    for (key, is_set) in present {
        match (used.contains(&key), is_set) {
            (true, false) => issues.add(
                &format!("{path}.{key}"),
                format!("required for dist {kind}"),
            ),
            (false, true) => issues.add(
                &format!("{path}.{key}"),
                format!("not used by dist {kind} (it takes {})", used.join(", ")),
            ),
            _ => {}
        }
    }
    if d.weight.is_some() != in_mixture {
        let message = if in_mixture {
            "required for a mixture part"
        } else {
            "only a mixture part has a weight"
        };
        issues.add(&format!("{path}.weight"), message);
    }
}

/// Checks numbers and records problems under `path`.
struct Checker<'a> {
    issues: &'a mut Issues,
    path: &'a str,
}

/// The largest cv accepted. Measured handle times and patience have cvs of about 0.5 to 2;
/// far beyond 10 a lognormal puts almost all its draws near 0 and its mean in rare huge ones,
/// so a few replications would misreport it badly.
const MAX_CV: f64 = 10.0;

impl Checker<'_> {
    fn fail(&mut self, key: &str, message: &str) {
        self.issues.add(&format!("{}.{key}", self.path), message);
    }

    fn check(&mut self, key: &str, v: Option<f64>, ok: bool, rule: &str) -> f64 {
        let v = v.unwrap_or(f64::NAN);
        if !v.is_nan() && !ok {
            self.fail(key, &format!("must be {rule}, got {}", super::shown(v)));
        }
        v
    }

    fn positive(&mut self, key: &str, v: Option<f64>) -> f64 {
        let ok = v.is_some_and(|x| x > 0.0 && x.is_finite());
        self.check(key, v, ok, "> 0")
    }

    /// A coefficient of variation: positive, and at most [`MAX_CV`].
    fn cv(&mut self, v: Option<f64>) -> f64 {
        let v = self.positive("cv", v);
        self.check(
            "cv",
            Some(v),
            v.is_nan() || v <= MAX_CV,
            &format!("at most {MAX_CV}"),
        )
    }

    fn non_negative(&mut self, key: &str, v: Option<f64>) -> f64 {
        let ok = v.is_some_and(|x| x >= 0.0 && x.is_finite());
        self.check(key, v, ok, ">= 0")
    }
}
