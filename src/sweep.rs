//! Sweeps: the cartesian product of values set at dotted paths of a scenario
//! (`staff.office_staff.reassign.count=0..180:20`), each point a scenario of its own.
//!
//! Every point uses the same seed, so replication r of every point draws from the same random
//! streams (common random numbers): differences between points are not drowned in noise.

use crate::error::{InputError, Issue};
use crate::scenario::validate::ValidScenario;
use serde_json::Value;

/// One `--set PATH=VALUES`.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The dotted path, e.g. `queues.phone.arrivals.per_week`.
    pub path: String,
    /// The values, in order.
    pub values: Vec<Value>,
}

/// Parses `PATH=VALUES`, where VALUES is `a,b,c` (each read as JSON when it is, e.g. numbers
/// or `"2m"`, else as a string) or `from..to:step` (numbers from `from` up to `to` inclusive).
pub fn parse_setting(text: &str) -> Result<Setting, String> {
    let (path, values) = text.split_once('=').ok_or_else(|| {
        format!("--set {text:?}: write PATH=VALUES, e.g. staff.agents.count=30,33,36")
    })?;
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(format!(
            "--set {text:?}: the path must be dotted keys, e.g. queues.phone.arrivals.per_hour"
        ));
    }
    Ok(Setting {
        path: path.to_string(),
        values: parse_values(values).map_err(|e| format!("--set {text:?}: {e}"))?,
    })
}

/// The most points a sweep may have, a setting's values or their product: beyond it, a sweep
/// is a study for shards (or a mistake), and its points alone would fill memory.
pub const MAX_POINTS: usize = 10_000;

/// `a,b,c` or `from..to:step`, as in [`parse_setting`].
fn parse_values(text: &str) -> Result<Vec<Value>, String> {
    let values = match text.split_once("..") {
        Some((from, rest)) => range(from, rest)?,
        None => text.split(',').map(value).collect(),
    };
    if values.is_empty() || values.iter().any(|v| v == &Value::String(String::new())) {
        return Err("give at least one value, none empty".to_string());
    }
    Ok(values)
}

fn value(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.trim().to_string()))
}

/// `from..to:step` as numbers; whole numbers stay integers.
fn range(from: &str, rest: &str) -> Result<Vec<Value>, String> {
    let (to, step) = rest.split_once(':').unwrap_or((rest, "1"));
    let num = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("{s:?} is not a number"))
    };
    let (from, to, step) = (num(from)?, num(to)?, num(step)?);
    if step.is_nan() || step <= 0.0 || to < from {
        return Err("a range needs from <= to and a step > 0".to_string());
    }
    let count = ((to - from) / step + 1e-9).floor() + 1.0;
    if count > MAX_POINTS as f64 {
        return Err(format!(
            "{count} values is too many for one sweep (at most {MAX_POINTS})"
        ));
    }
    let count = count as usize;
    let whole = [from, step].iter().all(|v| v.fract() == 0.0);
    Ok((0..count)
        .map(|i| from + step * i as f64)
        .map(|v| {
            if whole {
                Value::from(v as i64)
            } else {
                Value::from(v)
            }
        })
        .collect())
}

/// The points of settings taken in parallel (`--zip`): the first value of each, then the
/// second of each, ... All settings must have as many values.
pub fn zipped(settings: &[Setting]) -> Result<Vec<Vec<(String, Value)>>, String> {
    let n = settings.first().map_or(0, |s| s.values.len());
    if let Some(s) = settings.iter().find(|s| s.values.len() != n) {
        return Err(format!(
            "{} has {} values, the first setting {n}",
            s.path,
            s.values.len()
        ));
    }
    Ok((0..n)
        .map(|i| {
            settings
                .iter()
                .map(|s| (s.path.clone(), s.values[i].clone()))
                .collect()
        })
        .collect())
}

/// The settings of a scenario's `sweep` block.
/// A bad setting gives its path and what is wrong.
pub fn from_spec(spec: &crate::scenario::SweepSpec) -> Result<Vec<Setting>, (String, String)> {
    use crate::scenario::SweepValues;
    spec.set
        .iter()
        .map(|(path, values)| match values {
            SweepValues::Text(t) => Ok(Setting {
                path: path.clone(),
                values: parse_values(t).map_err(|e| (path.clone(), e))?,
            }),
            SweepValues::List(l) if l.is_empty() => {
                Err((path.clone(), "give at least one value".to_string()))
            }
            SweepValues::List(l) => Ok(Setting {
                path: path.clone(),
                values: l.clone(),
            }),
        })
        .collect()
}

/// The cartesian product of the settings: each point lists `(path, value)` in setting order;
/// the last setting varies fastest.
pub fn points(settings: &[Setting]) -> Vec<Vec<(String, Value)>> {
    settings.iter().fold(vec![vec![]], |acc, s| {
        acc.iter()
            .flat_map(|point| {
                s.values.iter().map(move |v| {
                    let mut p = point.clone();
                    p.push((s.path.clone(), v.clone()));
                    p
                })
            })
            .collect()
    })
}

/// Where a sweep's settings come from, which messages name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--set` on the command line.
    CommandLine,
    /// The scenario's `sweep` block.
    Block,
}

impl Origin {
    fn name(self, path: &str) -> String {
        match self {
            Origin::CommandLine => format!("--set {path}"),
            Origin::Block => format!("sweep.set.{path}"),
        }
    }

    /// The error for a problem with the setting at `path` (a sweep path, or `None` for the
    /// sweep as a whole): a usage error on the command line, an issue of the file in a block.
    fn error(self, file: &str, path: Option<&str>, message: impl std::fmt::Display) -> InputError {
        let at = match (self, path) {
            (_, Some(p)) => self.name(p),
            (Origin::CommandLine, None) => "--set".to_string(),
            (Origin::Block, None) => "sweep".to_string(),
        };
        self.error_at(file, at, message)
    }

    /// The error for a problem at `at` (e.g. `--zip`).
    fn error_at(self, file: &str, at: String, message: impl std::fmt::Display) -> InputError {
        let issue = Issue::new(at, message);
        match self {
            Origin::CommandLine => InputError::Usage(issue.to_string()),
            Origin::Block => InputError::Invalid {
                file: file.to_string(),
                issues: vec![issue],
            },
        }
    }
}

/// Checks what can be checked before building any point: no path set twice, zipped
/// settings of one length, and at most [`MAX_POINTS`] points (the product is refused at once,
/// before it is built).
fn check_shape(file: &str, settings: &[Setting], zip: bool, origin: Origin) -> Result<(), InputError> {
    for (i, s) in settings.iter().enumerate() {
        if settings[..i].iter().any(|t| t.path == s.path) {
            let message = "set twice; give each path once, with all its values (a,b,c)";
            return Err(origin.error(file, Some(&s.path), message));
        }
    }
    if zip {
        let at = match origin {
            Origin::CommandLine => "--zip",
            Origin::Block => "sweep.zip",
        };
        return zipped(settings)
            .map(|_| ())
            .map_err(|e| origin.error_at(file, at.to_string(), e));
    }
    let counts: Vec<String> = settings.iter().map(|s| s.values.len().to_string()).collect();
    let total = settings
        .iter()
        .try_fold(1usize, |n, s| n.checked_mul(s.values.len()))
        .unwrap_or(usize::MAX);
    if total > MAX_POINTS {
        let message = format!(
            "{} points ({}) are more than {MAX_POINTS}; sweep fewer values, or split the study",
            if total == usize::MAX { "too many".to_string() } else { total.to_string() },
            counts.join(" x ")
        );
        return Err(origin.error(file, None, message));
    }
    Ok(())
}

/// A sweep point: the `(path, value)` pairs set, and the checked scenario they give.
pub type PointScenario = (Vec<(String, Value)>, ValidScenario);

/// Every point's scenario: `raw` (the merged JSON of `file`) with the point's values set,
/// each checked as a scenario of its own, before anything runs.
pub fn build(
    raw: &Value,
    file: &str,
    settings: &[Setting],
    zip: bool,
    origin: Origin,
) -> Result<Vec<PointScenario>, InputError> {
    check_shape(file, settings, zip, origin)?;
    let combos = if zip {
        // check_shape has seen the lengths agree.
        zipped(settings).unwrap_or_default()
    } else {
        points(settings)
    };
    let mut out = Vec::with_capacity(combos.len());
    for point in combos {
        let mut value = raw.clone();
        for (path, v) in &point {
            value = apply(&value, path, v).map_err(|e| origin.error(file, Some(path), e))?;
        }
        let label: Vec<String> = point.iter().map(|(p, v)| format!("{p}={v}")).collect();
        let sc = crate::scenario::parse_value(value, &format!("{file} ({})", label.join(", ")))?;
        out.push((point, sc));
    }
    Ok(out)
}

/// What a sweep asks for: `PATH=VALUES` settings (none: the scenario's `sweep` block), paired
/// instead of crossed (`zip`), and each point on its own streams (`independent`).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `PATH=VALUES` settings, as `--set` takes them.
    pub sets: Vec<String>,
    /// Settings given as values (the library's), used when `sets` is empty.
    pub settings: Vec<Setting>,
    /// Pair the settings' values instead of taking their product.
    pub zip: bool,
    /// Give every point its own random streams instead of common random numbers.
    pub independent: bool,
}

/// The settings (from the request, or else the scenario's `sweep` block) and every point's
/// checked scenario, all built before anything runs. Every point runs as `base` does
/// (replications, precision), on its seed unless `independent`.
/// `raw` is the base's merged JSON and `name` names it in messages.
pub fn points_for(
    raw: &Value,
    name: &str,
    base: &ValidScenario,
    request: &Request,
) -> Result<(Vec<Setting>, Vec<PointScenario>), InputError> {
    let block: Option<crate::scenario::SweepSpec> = raw
        .get("sweep")
        .and_then(|b| serde_json::from_value(b.clone()).ok());
    let (settings, zip, origin) = if !request.sets.is_empty() {
        let parsed: Result<Vec<_>, _> = request.sets.iter().map(|s| parse_setting(s)).collect();
        (
            parsed.map_err(InputError::Usage)?,
            request.zip,
            Origin::CommandLine,
        )
    } else if !request.settings.is_empty() {
        (request.settings.clone(), request.zip, Origin::CommandLine)
    } else if let Some(spec) = &block {
        let settings =
            from_spec(spec).map_err(|(path, e)| Origin::Block.error(name, Some(&path), e))?;
        (settings, spec.zip || request.zip, Origin::Block)
    } else {
        return Err(InputError::Usage(format!(
            "{name}: give --set PATH=VALUES, or a \"sweep\" block in the scenario"
        )));
    };
    let mut points = build(raw, name, &settings, zip, origin)?;
    for (i, (_, sc)) in points.iter_mut().enumerate() {
        sc.replications = base.replications;
        sc.precision = base.precision;
        sc.max_replications = base.max_replications;
        sc.seed = if request.independent {
            independent_seed(base.seed, i)
        } else {
            base.seed
        };
    }
    Ok((settings, points))
}

/// The scenario `raw` (merged JSON, named `file` in messages) with each `PATH=VALUE` set: a
/// variant named after its changes.
pub fn variant(raw: Value, file: &str, sets: &[String]) -> Result<ValidScenario, InputError> {
    if sets.is_empty() {
        return Err(InputError::Usage(
            "compare: give a VARIANT file or --set PATH=VALUE changes".into(),
        ));
    }
    let (mut value, label) = with_values(raw, sets)?;
    let name = format!("{file} ({})", label.join(", "));
    if let Value::Object(map) = &mut value {
        map.insert("name".into(), Value::String(label.join(", ")));
    }
    crate::scenario::parse_value(value, &name)
}

/// `raw` with each `PATH=VALUE` of `sets` set (one value each, as `compare --set` and
/// `staff --set` take them), and the changes as `path=value` labels.
pub fn with_values(raw: Value, sets: &[String]) -> Result<(Value, Vec<String>), InputError> {
    let mut value = raw;
    let mut label = Vec::new();
    for text in sets {
        let setting = parse_setting(text).map_err(InputError::Usage)?;
        let [v] = setting.values.as_slice() else {
            return Err(InputError::Usage(format!(
                "--set {text}: give one value per path"
            )));
        };
        value = apply(&value, &setting.path, v)
            .map_err(|e| InputError::Usage(format!("--set {}: {e}", setting.path)))?;
        label.push(format!("{}={v}", setting.path));
    }
    Ok((value, label))
}

/// Checks the `sweep` block of a scenario (merged JSON `raw` of `file`), if it has one,
/// cheaply, as every command does: every path exists, the points are countable, and each
/// setting's values are valid on their own. A setting's non-numeric values are each checked
/// as a scenario; of its numbers only the lowest, the highest and a fractional one, as
/// validation bounds numbers by ranges and wholeness. `callsim sweep` still checks every
/// point in full before it runs any.
pub fn check_block(raw: &Value, file: &str) -> Result<(), InputError> {
    let Some(block) = raw.get("sweep") else {
        return Ok(());
    };
    let spec: crate::scenario::SweepSpec = serde_json::from_value(block.clone())
        .map_err(|e| Origin::Block.error(file, None, e))?;
    let settings =
        from_spec(&spec).map_err(|(path, e)| Origin::Block.error(file, Some(&path), e))?;
    check_shape(file, &settings, spec.zip, Origin::Block)?;
    for s in &settings {
        let alone = Setting {
            path: s.path.clone(),
            values: representatives(&s.values),
        };
        build(raw, file, &[alone], false, Origin::Block)?;
    }
    Ok(())
}

/// The values of a setting that stand for all of them in [`check_block`]: every distinct
/// non-number, and the lowest, the highest and the first fractional number.
fn representatives(values: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut keep = |v: &Value| {
        if !out.contains(v) {
            out.push(v.clone());
        }
    };
    let numbers = || values.iter().filter(|v| v.is_number());
    let by = |a: &&Value, b: &&Value| {
        let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        f(a).total_cmp(&f(b))
    };
    numbers().min_by(by).into_iter().for_each(&mut keep);
    numbers().max_by(by).into_iter().for_each(&mut keep);
    numbers()
        .find(|v| v.as_f64().is_some_and(|x| x.fract() != 0.0))
        .into_iter()
        .for_each(&mut keep);
    values.iter().filter(|v| !v.is_number()).for_each(keep);
    out
}

/// `base` with `value` set at the dotted `path`. Every key but the last must exist, and the
/// last must exist too unless its parent is an object (new optional keys may be set).
pub fn apply(base: &Value, path: &str, value: &Value) -> Result<Value, String> {
    let mut out = base.clone();
    let keys: Vec<&str> = path.split('.').collect();
    let (last, parents) = keys.split_last().ok_or("empty path")?;
    let mut node = &mut out;
    for (i, key) in parents.iter().enumerate() {
        node = match node {
            Value::Object(map) => map.get_mut(*key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|k| items.get_mut(k)),
            _ => None,
        }
        .ok_or_else(|| format!("the scenario has no {:?}", keys[..=i].join(".")))?;
    }
    match node {
        Value::Object(map) => {
            map.insert(last.to_string(), value.clone());
        }
        Value::Array(items) => {
            let slot = last.parse::<usize>().ok().and_then(|k| items.get_mut(k));
            *slot.ok_or_else(|| format!("no item {last:?} in that list"))? = value.clone();
        }
        _ => {
            return Err(format!("{:?} is not an object", parents.join(".")));
        }
    }
    Ok(out)
}

/// The seed of point `i` when points do not share random streams (`--independent`): the base
/// seed mixed with the point's index (a SplitMix64 step), so points are far apart.
pub fn independent_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed.wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn representatives_are_the_extremes_a_fraction_and_every_non_number() {
        let values: Vec<Value> = (1..=1000).map(Value::from).collect();
        assert_eq!(representatives(&values), [json!(1), json!(1000)]);
        let mixed = [json!(5), json!(-2), json!(2.5), json!("3m"), json!("3m"), json!(7)];
        assert_eq!(
            representatives(&mixed),
            [json!(-2), json!(7), json!(2.5), json!("3m")]
        );
    }

    #[test]
    fn values_and_ranges() {
        let s = parse_setting("staff.a.count=30,33,36").unwrap();
        assert_eq!(s.values, [json!(30), json!(33), json!(36)]);
        let s = parse_setting("x.y=0..180:60").unwrap();
        assert_eq!(s.values, [json!(0), json!(60), json!(120), json!(180)]);
        let s = parse_setting("x.y=0.5..1:0.25").unwrap();
        assert_eq!(s.values, [json!(0.5), json!(0.75), json!(1.0)]);
        assert_eq!(
            parse_setting("q.patience.mean=2m,4m").unwrap().values,
            [json!("2m"), json!("4m")]
        );
        assert!(parse_setting("nopath").is_err());
        assert!(parse_setting("a..b=1").is_err());
        assert!(parse_setting("a.b=5..1").is_err());
        assert!(parse_setting("a.b=1,,2").is_err());
    }

    #[test]
    fn cartesian_product_last_fastest() {
        let a = Setting {
            path: "a".into(),
            values: vec![json!(1), json!(2)],
        };
        let b = Setting {
            path: "b".into(),
            values: vec![json!("x"), json!("y")],
        };
        let p = points(&[a, b]);
        assert_eq!(p.len(), 4);
        assert_eq!(
            p[1],
            [("a".to_string(), json!(1)), ("b".to_string(), json!("y"))]
        );
    }

    #[test]
    fn apply_sets_nested_keys_and_names_bad_paths() {
        let base = json!({"staff": {"a": {"count": 5, "serves": ["q"]}}});
        let out = apply(&base, "staff.a.count", &json!(7)).unwrap();
        assert_eq!(out["staff"]["a"]["count"], 7);
        assert_eq!(
            apply(&base, "staff.a.serves.0", &json!("r")).unwrap()["staff"]["a"]["serves"][0],
            "r"
        );
        let err = apply(&base, "staff.b.count", &json!(7)).unwrap_err();
        assert!(err.contains("no \"staff.b\""), "{err}");
    }
}
