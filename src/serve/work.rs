//! What each request computes, on a blocking thread with its job's [`Watch`]: the scenario
//! with the form's changes, its run (and its paired change against the unedited scenario),
//! the staff search, the edited file.

use super::catalog::Catalog;
use super::error::ApiError;
use super::jobs::Watch;
use crate::api::Scenario;
use crate::report::Report;
use crate::scenario::validate::ValidScenario;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Value, json};

/// What one request may ask: bounds that keep a request from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most replications of one run (and of one staff search's evaluation).
    pub max_reps: u32,
    /// Most contacts one run may be expected to simulate (replications × expected arrivals).
    pub max_contacts: u64,
}

/// `POST /api/run` (and the page's run): a scenario file, changes, replications.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// A file name of `GET /api/scenarios`.
    pub file: String,
    /// Scenario path → value (`"staff.agents.count": 34`), as `--set` takes them.
    #[serde(default)]
    pub set: IndexMap<String, Value>,
    /// Replications (default: the scenario's).
    pub reps: Option<u32>,
}

/// `POST /api/staff`: the lever search of `callsim staff --lever`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffRequest {
    /// A file name of `GET /api/scenarios`.
    pub file: String,
    /// Changes made before the search.
    #[serde(default)]
    pub set: IndexMap<String, Value>,
    /// The whole-number scenario path to search.
    pub lever: String,
    /// `min` (the fewest that meet every target) or `max` (the most).
    pub direction: String,
    /// Replications of each evaluation (default: the scenario's).
    pub reps: Option<u32>,
    /// Most replications settling a close verdict may use (default: the scenario's
    /// `max_replications`), as `staff --max-reps`.
    pub max_reps: Option<u32>,
    /// Judge targets by their whole 95% interval.
    #[serde(default)]
    pub strict: bool,
}

/// A scenario of the catalog with the request's changes.
pub struct Edited {
    /// The unedited scenario.
    pub base: Scenario,
    /// The changed one, checked, with the request's replications.
    pub valid: ValidScenario,
    /// Its merged JSON: what the edited file holds.
    pub json: Value,
    /// SHA-256 of the edited file's bytes (of the original file when nothing changed).
    pub sha: String,
}

impl Edited {
    /// `file` with `set` applied and `reps` replications, within `limits`.
    pub fn new(
        catalog: &Catalog,
        (file, set, reps): (&str, &IndexMap<String, Value>, Option<u32>),
        limits: &Limits,
    ) -> Result<Edited, ApiError> {
        let base = catalog.load(file)?;
        let (mut valid, json, sha) = if set.is_empty() {
            let sc = base.checked().clone();
            (sc, base.json().clone(), base.sha256().to_string())
        } else {
            let json = changed(base.json(), set)?;
            let label = format!("{file} (edited)");
            let valid = crate::scenario::parse_value(json.clone(), &label)
                .map_err(|e| ApiError::input(&e))?;
            let sha = crate::scenario::sha256_hex(&file_bytes(&json));
            (valid, json, sha)
        };
        valid.replications = reps.unwrap_or(valid.replications);
        valid.max_replications = valid.max_replications.max(valid.replications);
        limits.bound(&mut valid)?;
        Ok(Edited {
            base,
            valid,
            json,
            sha,
        })
    }

    /// The unedited scenario on the same replications and seed.
    fn unedited(&self) -> ValidScenario {
        let mut sc = self.base.checked().clone();
        sc.replications = self.valid.replications;
        sc.max_replications = self.valid.max_replications;
        sc
    }
}

impl Limits {
    /// Refuses replications beyond the limits; keeps precision control (and the replications
    /// a staff search adds to settle a verdict) within them.
    fn bound(&self, sc: &mut ValidScenario) -> Result<(), ApiError> {
        if sc.replications == 0 || sc.replications > self.max_reps {
            return Err(ApiError::at(
                "reps",
                format!(
                    "replications must be 1 to {} here, got {}",
                    self.max_reps, sc.replications
                ),
            ));
        }
        sc.max_replications = sc.max_replications.min(self.max_reps).max(sc.replications);
        Ok(())
    }

    /// Refuses a run expected to simulate more contacts than one request may, when it runs
    /// `most` replications at most.
    fn afford(&self, sc: &ValidScenario, most: u32) -> Result<(), ApiError> {
        let contacts = crate::shard::unit_cost(sc).saturating_mul(u64::from(most));
        if contacts > self.max_contacts {
            return Err(ApiError::at(
                "reps",
                format!(
                    "this run would simulate about {} contacts, more than the {} one request may; ask fewer replications or a shorter horizon",
                    crate::report::html::grouped(contacts as f64),
                    crate::report::html::grouped(self.max_contacts as f64)
                ),
            ));
        }
        Ok(())
    }
}

/// The most replications a run of `sc` makes: more than asked only with precision control.
fn most_run(sc: &ValidScenario) -> u32 {
    match sc.precision {
        Some(_) => sc.max_replications,
        None => sc.replications,
    }
}

/// The scenario JSON with every `path: value` of `set` applied.
fn changed(json: &Value, set: &IndexMap<String, Value>) -> Result<Value, ApiError> {
    let mut out = json.clone();
    for (path, value) in set {
        out = crate::sweep::apply(&out, path, value)
            .map_err(|e| ApiError::at(path, format!("set {path}: {e}")))?;
    }
    let note = set
        .iter()
        .map(|(p, v)| format!("{p} = {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let description = super::catalog::description(&out);
    if let Value::Object(map) = &mut out {
        map.shift_remove("extends");
        let edited = format!("{description} Edited on callsim's planner page: {note}.");
        map.insert("description".into(), Value::String(edited.trim().to_string()));
    }
    Ok(out)
}

/// The bytes of an edited scenario's file: what the download holds and its hash is of.
pub fn file_bytes(json: &Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(json).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// `POST /api/run`: the `run --json` object of the edited scenario.
pub fn run(catalog: &Catalog, req: &RunRequest, limits: &Limits, watch: &Watch) -> Result<Value, ApiError> {
    let ed = Edited::new(catalog, (&req.file, &req.set, req.reps), limits)?;
    limits.afford(&ed.valid, most_run(&ed.valid))?;
    watch.start(u64::from(ed.valid.replications), format!("running {}", ed.valid.name));
    let report = crate::runner::simulate(&ed.valid, &ed.sha, watch).0;
    finished(watch)?;
    Ok(to_value(&report))
}

/// The page's run: the `run --json` object, its plots (SVG, with captions), and when the
/// form changed anything, the paired change against the unedited scenario (`compare --json`).
pub fn page_run(
    catalog: &Catalog,
    req: &RunRequest,
    limits: &Limits,
    watch: &Watch,
) -> Result<Value, ApiError> {
    let ed = Edited::new(catalog, (&req.file, &req.set, req.reps), limits)?;
    let pairs = if req.set.is_empty() { 1 } else { 2 };
    limits.afford(&ed.valid, pairs * most_run(&ed.valid))?;
    let reps = u64::from(ed.valid.replications);
    let (report, change) = if req.set.is_empty() {
        watch.start(reps, format!("running {}", ed.valid.name));
        (crate::runner::simulate(&ed.valid, &ed.sha, watch).0, Value::Null)
    } else {
        watch.start(2 * reps, format!("running {} and the unedited scenario", ed.valid.name));
        let base = crate::runner::run_with_samples(&ed.unedited(), ed.base.sha256(), watch);
        let edited = crate::runner::run_with_samples(&ed.valid, &ed.sha, watch);
        let pair = crate::report::compare::Comparison::new((&base.0, &base.1), (&edited.0, &edited.1));
        (edited.0, to_value(&pair))
    };
    finished(watch)?;
    Ok(json!({"run": to_value(&report), "change": change, "plots": plots(&report)?}))
}

/// The report's plots as SVG text with their captions.
fn plots(report: &Report) -> Result<Value, ApiError> {
    let files = crate::report::plot::render(report).map_err(|e| {
        ApiError::with_status(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e)
    })?;
    let svgs = files.into_iter().filter(|f| f.name.ends_with(".svg")).map(|f| {
        let svg = String::from_utf8_lossy(&f.bytes).into_owned();
        let start = svg.find("<svg").unwrap_or(0);
        json!({"name": f.name, "caption": f.caption, "svg": &svg[start..]})
    });
    Ok(Value::Array(svgs.collect()))
}

/// `POST /api/staff`: the `staff --json` object of the lever search on the edited scenario.
pub fn staff(catalog: &Catalog, req: &StaffRequest, limits: &Limits, watch: &Watch) -> Result<Value, ApiError> {
    use crate::staffing::lever;
    let direction = match req.direction.as_str() {
        "min" => crate::report::staff::Direction::Min,
        "max" => crate::report::staff::Direction::Max,
        other => {
            return Err(ApiError::at(
                "direction",
                format!("direction must be \"min\" (the fewest) or \"max\" (the most), got {other:?}"),
            ));
        }
    };
    let mut ed = Edited::new(catalog, (&req.file, &req.set, req.reps), limits)?;
    if let Some(most) = req.max_reps {
        if most < ed.valid.replications || most > limits.max_reps {
            return Err(ApiError::at(
                "max_reps",
                format!(
                    "max_reps must be {} (the replications) to {}, got {most}",
                    ed.valid.replications, limits.max_reps
                ),
            ));
        }
        ed.valid.max_replications = most;
    }
    limits.afford(&ed.valid, ed.valid.replications)?;
    // Settling a verdict may add replications only as far as the request's budget goes.
    let affordable = limits.max_contacts / crate::shard::unit_cost(&ed.valid);
    let most = u32::try_from(affordable).unwrap_or(u32::MAX);
    ed.valid.max_replications = ed.valid.max_replications.min(most).max(ed.valid.replications);
    let base = lever::Base {
        raw: &ed.json,
        file: &req.file,
        sc: &ed.valid,
        sha: &ed.sha,
    };
    let count = std::sync::atomic::AtomicUsize::new(0);
    let start = |value: i64, reps: u32| {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        watch.start(u64::from(reps), format!("{} = {value} (simulation {n})", req.lever));
    };
    let request = lever::Request {
        lever: req.lever.clone(),
        direction,
        range: None,
        criteria: crate::staffing::judge::Criteria {
            strict: req.strict,
            days: None,
        },
    };
    let search = lever::search(&base, &request, &lever::Watch { start: &start, tick: watch });
    finished(watch)?;
    let search = search.map_err(|e| match e.key_path() {
        Some(_) => ApiError::input(&e),
        None => ApiError::at("lever", e.to_string()),
    })?;
    Ok(to_value(&search))
}

/// The edited scenario as a file `callsim run` accepts: its name and bytes.
pub fn download(catalog: &Catalog, req: &RunRequest, limits: &Limits) -> Result<(String, Vec<u8>), ApiError> {
    let ed = Edited::new(catalog, (&req.file, &req.set, req.reps), limits)?;
    let stem = req.file.trim_end_matches(".json");
    let name = if req.set.is_empty() { format!("{stem}.json") } else { format!("{stem}-edited.json") };
    Ok((name, file_bytes(&ed.json)))
}

/// `GET /api/scenario`: what the form is made from.
pub fn scenario(catalog: &Catalog, file: &str) -> Result<Value, ApiError> {
    let sc = catalog.load(file)?;
    Ok(json!({
        "file": file,
        "name": sc.name(),
        "description": super::catalog::description(sc.json()),
        "replications": sc.replications(),
        "seed": sc.seed(),
        "levers": super::levers::levers(sc.json()),
        "assumptions": super::levers::assumptions(sc.json()),
        "metrics": metric_defs(),
    }))
}

/// Every metric's definition and unit, by name, for the page's tables.
fn metric_defs() -> Value {
    use crate::metrics::{QueueMetric, STAFF_METRICS, StaffMetric, Unit};
    let queue = QueueMetric::ALL.iter().map(|m| m.def());
    let on_queue = StaffMetric::UtilizationOn(String::new());
    let staff = STAFF_METRICS.iter().chain([&on_queue]);
    let defs = queue.chain(staff.map(|m| m.def()));
    let map = defs.map(|d| {
        let unit = match d.unit {
            Unit::Count => "count",
            Unit::Agents => "agents",
            Unit::Seconds => "seconds",
            Unit::LeadTime => "lead_time",
            Unit::Share => "share",
        };
        let label = super::levers::label(d.name);
        (d.name.to_string(), json!({"definition": d.definition, "unit": unit, "label": label}))
    });
    Value::Object(map.collect())
}

fn finished(watch: &Watch) -> Result<(), ApiError> {
    match watch.cancelled() {
        true => Err(super::jobs::cancelled()),
        false => Ok(()),
    }
}

fn to_value(v: &impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
