//! The library's public surface, what the Python package and the planner's web page call:
//! load a [`Scenario`] (from a file or a JSON value), [`simulate`] it with [`Options`] and read
//! the typed [`Report`], or run a [`sweep`], a [`compare`] or a [`check`]. Everything else in
//! the crate is its machinery.

use crate::error::{InputError, Issue};
use crate::report::Report;
use crate::report::sweep::Sweep;
use crate::scenario::validate::ValidScenario;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A checked scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    valid: ValidScenario,
    /// The whole scenario as JSON (with any `extends` chain merged in), for sweeps.
    json: Value,
    /// What messages call it: the file, or the name given with the JSON.
    file: String,
    /// SHA-256 of the file's bytes (and its bases'), or of the JSON value's text.
    sha256: String,
}

impl Scenario {
    /// Reads, parses and checks a scenario file (following its `extends` chain).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, InputError> {
        let path = path.as_ref();
        let (valid, sha256, json) = crate::scenario::load_with_json(path)?;
        Ok(Scenario {
            valid,
            json,
            file: path.display().to_string(),
            sha256,
        })
    }

    /// Checks a scenario given as JSON. `file` names it in messages and, without a `name`
    /// key, gives it its name (`"mm2.json"` gives `mm2`). It may not `extends` a file.
    pub fn from_json(value: Value, file: &str) -> Result<Scenario, InputError> {
        if value.get("extends").is_some() {
            return Err(InputError::Invalid {
                file: file.to_string(),
                issues: vec![Issue::new(
                    "extends",
                    "a scenario given as JSON cannot extend a file; load it with from_path",
                )],
            });
        }
        let text = serde_json::to_vec(&value).unwrap_or_default();
        Ok(Scenario {
            valid: crate::scenario::parse_value(value.clone(), file)?,
            json: value,
            file: file.to_string(),
            sha256: crate::scenario::sha256_hex(&text),
        })
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.valid.name
    }

    /// Replications it asks for.
    pub fn replications(&self) -> u32 {
        self.valid.replications
    }

    /// Its seed.
    pub fn seed(&self) -> u64 {
        self.valid.seed
    }

    /// The scenario as JSON (with any `extends` chain merged in).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// SHA-256 of the file's bytes (and its bases'), as results' provenance records it.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The checked scenario the simulator runs.
    pub fn checked(&self) -> &ValidScenario {
        &self.valid
    }
}

/// How to simulate: each `None` keeps the scenario's own value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Replications (at least 1).
    pub replications: Option<u32>,
    /// Seed of the random streams.
    pub seed: Option<u64>,
    /// Worker threads (at least 1; `None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// A handle another thread may cancel the call with.
    pub cancel: Option<Cancel>,
}

/// Stops a simulation from another thread: once [`Cancel::cancel`] is called, every
/// replication ends at its next hundredth and the call returns [`InputError::Cancelled`].
/// Clones share the one flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A handle not yet cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Cancels every call given this handle (or a clone of it).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Handles are equal when they share their flag.
impl PartialEq for Cancel {
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl crate::model::Progress for Cancel {
    fn tick(&self) {}

    fn stopped(&self) -> bool {
        self.is_cancelled()
    }
}

/// What a call's simulations report to: its cancel handle, or nothing.
fn progress(options: &Options) -> &dyn crate::model::Progress {
    static NOTHING: fn() = || {};
    match &options.cancel {
        Some(cancel) => cancel,
        None => &NOTHING,
    }
}

/// `result`, unless the call was cancelled (its numbers then mean nothing).
fn unless_cancelled<T>(options: &Options, result: T) -> Result<T, InputError> {
    match &options.cancel {
        Some(cancel) if cancel.is_cancelled() => Err(InputError::Cancelled),
        _ => Ok(result),
    }
}

impl Options {
    /// The scenario with these options applied, or what is wrong with them.
    fn apply(&self, sc: &Scenario) -> Result<ValidScenario, InputError> {
        let usage = |m: &str| Err(InputError::Usage(m.to_string()));
        if self.replications == Some(0) {
            return usage("replications: must be at least 1, got 0");
        }
        if self.threads == Some(0) {
            return usage("threads: must be at least 1, got 0");
        }
        let mut valid = sc.valid.clone();
        valid.replications = self.replications.unwrap_or(valid.replications);
        valid.seed = self.seed.unwrap_or(valid.seed);
        valid.max_replications = valid.max_replications.max(valid.replications);
        Ok(valid)
    }

    /// Runs `work` on a pool of the asked threads (the global pool when none are asked).
    fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T, InputError> {
        let Some(threads) = self.threads else {
            return Ok(work());
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| InputError::Usage(format!("threads: {e}")))?;
        Ok(pool.install(work))
    }
}

/// Simulates a scenario: its replications (with precision control when the scenario asks
/// for it), each on its own random stream, in parallel. The result is the same whatever the
/// number of threads.
pub fn simulate(sc: &Scenario, options: &Options) -> Result<Report, InputError> {
    let valid = options.apply(sc)?;
    let report =
        options.install(|| crate::runner::simulate(&valid, &sc.sha256, progress(options)).0)?;
    unless_cancelled(options, report)
}

/// Runs a sweep: `sets` are `PATH=VALUES` settings as `callsim sweep --set` takes them
/// (`"staff.agents.count=30..34"`), crossed, or the scenario's own `sweep` block when `sets`
/// is empty. Every point runs on the same random streams (common random numbers).
pub fn sweep(sc: &Scenario, sets: &[&str], options: &Options) -> Result<Sweep, InputError> {
    let base = options.apply(sc)?;
    let request = crate::sweep::Request {
        sets: sets.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let (settings, points) = crate::sweep::points_for(&sc.json, &sc.file, &base, &request)?;
    let watch = progress(options);
    let sweep = options
        .install(|| crate::runner::sweep(&base, &settings, points, false, &sc.sha256, watch))?;
    unless_cancelled(options, sweep)
}

/// Runs a sweep of values given as JSON: each `(path, values)` setting as `callsim sweep --set
/// PATH=a,b,c` takes it (values may be any JSON, schedules too), crossed, or paired when `zip`;
/// each point on its own streams when `independent` (else common random numbers).
pub fn sweep_values(
    sc: &Scenario,
    settings: &[(String, Vec<Value>)],
    (zip, independent): (bool, bool),
    options: &Options,
) -> Result<Sweep, InputError> {
    let base = options.apply(sc)?;
    let request = crate::sweep::Request {
        settings: settings
            .iter()
            .map(|(path, values)| crate::sweep::Setting {
                path: path.clone(),
                values: values.clone(),
            })
            .collect(),
        zip,
        independent,
        ..Default::default()
    };
    let (settings, points) = crate::sweep::points_for(&sc.json, &sc.file, &base, &request)?;
    let watch = progress(options);
    let sweep = options.install(|| {
        crate::runner::sweep(&base, &settings, points, independent, &sc.sha256, watch)
    })?;
    unless_cancelled(options, sweep)
}

/// The scenario with each `(path, value)` set, named after its changes (`staff.a.count=34`),
/// as `callsim compare --set` makes its variant.
pub fn variant(sc: &Scenario, sets: &[(String, Value)]) -> Result<Scenario, InputError> {
    let mut json = sc.json.clone();
    let mut label = Vec::new();
    for (path, value) in sets {
        json = crate::sweep::apply(&json, path, value)
            .map_err(|e| InputError::Usage(format!("set {path}: {e}")))?;
        label.push(format!("{path}={value}"));
    }
    let label = label.join(", ");
    if let Value::Object(map) = &mut json {
        map.insert("name".into(), Value::String(label.clone()));
    }
    let file = format!("{} ({label})", sc.file);
    Ok(Scenario {
        valid: crate::scenario::parse_value(json.clone(), &file)?,
        json,
        file,
        // As `callsim compare --set`: a variant made of changes has no file to hash.
        sha256: String::new(),
    })
}

/// Runs a base and a variant on the same random streams (the variant on the base's seed and
/// replications) and pairs every metric, as `callsim compare --json` prints it.
pub fn compare(
    base: &Scenario,
    variant: &Scenario,
    options: &Options,
) -> Result<crate::report::compare::Comparison, InputError> {
    let base_valid = options.apply(base)?;
    let mut variant_valid = options.apply(variant)?;
    (variant_valid.replications, variant_valid.seed) = (base_valid.replications, base_valid.seed);
    let watch = progress(options);
    let runs = options.install(|| {
        let run = |v: &ValidScenario, sha: &str| crate::runner::run_with_samples(v, sha, watch);
        (
            run(&base_valid, &base.sha256),
            run(&variant_valid, &variant.sha256),
        )
    })?;
    let ((b, bs), (v, vs)) = unless_cancelled(options, runs)?;
    Ok(crate::report::compare::Comparison::new(
        (&b, &bs),
        (&v, &vs),
    ))
}

/// Runs a scenario and judges its targets (`strict`: a target is met only when its whole 95%
/// interval is within its bounds), as `callsim check --json` prints it for one scenario.
pub fn check(
    sc: &Scenario,
    strict: bool,
    options: &Options,
) -> Result<crate::report::check::ScenarioCheck, InputError> {
    let report = simulate(sc, options)?;
    let asked = options.replications.unwrap_or(sc.valid.replications);
    Ok(crate::report::check::ScenarioCheck::new(
        &report,
        asked,
        strict,
        vec![],
    ))
}

/// The JSON Schema of the scenario format, as `callsim schema` prints it.
pub fn schema() -> Value {
    crate::scenario::json_schema()
}
