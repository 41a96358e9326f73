//! The scenario file format: serde types that mirror the JSON one to one.
//!
//! Every struct denies unknown keys. Values are checked once, in [`validate`], which turns a
//! [`Scenario`] into the simulator's [`ValidScenario`](validate::ValidScenario). The JSON
//! Schema printed by `callsim schema` is derived from these same types.

mod extends;
pub mod units;
pub mod validate;
pub mod week;

use crate::error::Issue;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use units::{Duration, NumberOrText};

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A base scenario file (path relative to this one) whose keys this file overrides:
    /// objects merge key by key, anything else is replaced.
    #[allow(dead_code, reason = "read from the JSON, before parsing, by the extends loader")]
    pub extends: Option<String>,
    /// Name shown in reports (default: the file name without `.json`).
    pub name: Option<String>,
    /// Free text: the scenario's assumptions and sources.
    pub description: Option<String>,
    /// Arrivals stop at the horizon; contacts already in the system are followed until they leave.
    pub horizon: Duration,
    /// Statistics count only contacts arriving at or after the warm-up (default 0).
    pub warmup: Option<Duration>,
    /// Independent replications (default 10).
    #[schemars(range(min = 1))]
    pub replications: Option<u32>,
    /// Seed of the random streams (default 1).
    pub seed: Option<u64>,
    /// Precision control: add batches of `replications` until every target's metric has a
    /// ci95 half-width within this share of its mean (e.g. 0.02), up to `max_replications`.
    #[schemars(extend("exclusiveMinimum" = 0, "exclusiveMaximum" = 1))]
    pub precision: Option<f64>,
    /// Most replications precision control (and `check --decide`) may use (default 1000).
    #[schemars(range(min = 1))]
    pub max_replications: Option<u32>,
    /// Relative worsening a metric must exceed to fail `check --baseline` (default 0.05).
    #[schemars(range(min = 0))]
    pub regression_tolerance: Option<f64>,
    /// Step of the per-interval report (default `"1h"`).
    pub interval: Option<Duration>,
    /// Queue name → queue.
    pub queues: IndexMap<String, QueueSpec>,
    /// Staff group name → group.
    pub staff: IndexMap<String, StaffSpec>,
    /// Service targets, judged on the result.
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
    /// The study `callsim sweep FILE` runs when given no `--set`.
    #[allow(dead_code, reason = "read from the JSON by the sweep module; here for the schema")]
    pub sweep: Option<SweepSpec>,
}

/// A sweep stored in the scenario.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Dotted path → values: `"a,b,c"` or `"from..to:step"` as on the command line, or a
    /// JSON list of values.
    pub set: IndexMap<String, SweepValues>,
    /// Pair the values (the first of each, the second of each, ...) instead of taking the
    /// cartesian product.
    #[serde(default)]
    pub zip: bool,
}

/// Sweep values: a command-line style string or a list.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "\"a,b,c\", \"from..to:step\", or a list of values"
)]
pub enum SweepValues {
    /// `"30,33,36"` or `"0..180:20"`.
    Text(String),
    /// `[30, 33, 36]`.
    List(Vec<serde_json::Value>),
}

/// One queue of contacts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// The arrival process; absent means the queue gets no contacts of its own (e.g. a queue
    /// of booked callbacks).
    pub arrivals: Option<ArrivalSpec>,
    /// Handle (service) time of one contact.
    pub handle_time: DistSpec,
    /// Time a caller waits before hanging up; absent means nobody abandons.
    pub patience: Option<DistSpec>,
    /// Threshold of the service level (default `"20s"`).
    pub service_level_within: Option<Duration>,
    /// Opening hours: day set → `"HH:MM-HH:MM"`, a list of ranges, or `"closed"`.
    /// Absent means always open; days not listed are closed.
    pub open: Option<IndexMap<String, OpenSpec>>,
    /// What callers who abandon do: call again with a probability, after a delay.
    pub redial: Option<RedialSpec>,
    /// A share of contacts that do not reach the customer (outbound work), with their own
    /// (short) handle time.
    pub unreached: Option<UnreachedSpec>,
    /// Keeps agents off this queue while another queue has too many contacts waiting.
    pub guard: Option<GuardSpec>,
    /// Callers may book a callback in another queue's slots instead of waiting.
    pub callback: Option<CallbackSpec>,
    /// Makes this a queue of booked callbacks: the slots callers book into.
    pub slots: Option<SlotsSpec>,
    /// Classes of callers who enter the line ahead of others: name → share of the queue's
    /// fresh callers and head start (placed as if they had already waited that long).
    pub classes: Option<IndexMap<String, ClassSpec>>,
}

/// A class of callers with a head start in the line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    /// Share of the queue's fresh callers in this class (0 to 1; the classes' shares add up to
    /// at most 1, the rest are the queue's regular callers).
    #[schemars(range(min = 0, max = 1))]
    pub share: f64,
    /// How far ahead they enter the line: as if they had already waited this long.
    pub head_start: Duration,
}

/// Booking a callback instead of waiting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackSpec {
    /// The queue (with `slots`) where booked calls become work at their slot.
    pub to: String,
    /// Offer the booking only when the caller's estimated wait is at least this (default 0:
    /// to every caller who would wait).
    pub offer_when_wait_over: Option<Duration>,
    /// Probability that a caller offered a booking takes it.
    #[schemars(range(min = 0, max = 1))]
    pub accept: f64,
}

/// Capacity-limited booking slots of a callback queue.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotsSpec {
    /// Length of a slot; slots start at multiples of it from Monday 00:00.
    pub length: Duration,
    /// Bookings a slot can take, by the slot's start: a number, or a weekly schedule
    /// (0 outside the times listed).
    pub capacity: CountSpec,
    /// Earliest slot start after the booking (default 0).
    pub min_lead: Option<Duration>,
    /// Latest slot start after the booking (default 14 days); with no free slot by then, the
    /// caller waits in the queue instead.
    pub max_lead: Option<Duration>,
}

/// Contacts that do not reach the customer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnreachedSpec {
    /// Share of contacts (0 to 1).
    #[schemars(range(min = 0, max = 1))]
    pub share: f64,
    /// Their handle time.
    pub handle_time: DistSpec,
}

/// A guard: agents take no work from this queue while `queue` has more than `max_waiting`
/// contacts waiting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardSpec {
    /// The queue watched (e.g. the inbound phone queue).
    pub queue: String,
    /// Most contacts it may have waiting for this queue to be worked.
    pub max_waiting: u32,
}

/// Redials after abandonment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedialSpec {
    /// Probability that a caller who abandons calls again (each time; 0 <= p < 1).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub probability: f64,
    /// Time from abandoning to calling again.
    pub delay: DistSpec,
    /// A redial that lands while the queue is closed: `"next_open"` (the caller calls at the
    /// next opening, the default) or `"lost"` (the caller gives up).
    pub when_closed: Option<WhenClosed>,
}

/// What a redial landing while the queue is closed does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhenClosed {
    /// The caller calls at the next opening time.
    NextOpen,
    /// The caller gives up.
    Lost,
}

/// Arrivals: a Poisson process given by an hourly rate, or by a weekly or daily volume spread
/// over the open hours by day weights and an intraday profile; optionally with a random daily
/// level.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalSpec {
    /// Calls per hour: a number, or `[["08:00", R1], ["09:00", R2], ...]` (each rate holds from its
    /// time to the next, the last to midnight; 0 before the first).
    pub per_hour: Option<RateSpec>,
    /// Calls per week, spread over the days by `day_weights` and over each day's open hours by
    /// `profile`.
    pub per_week: Option<f64>,
    /// Calls per day (times the day's weight), spread over its open hours by `profile`.
    pub per_day: Option<f64>,
    /// Day set → relative weight of each day's volume (with `per_week` or `per_day`). Default:
    /// weight 1 for every day with opening hours; days not listed get 0.
    pub day_weights: Option<IndexMap<String, f64>>,
    /// Relative intraday weights `[["08:00", w1], ["09:00", w2], ...]`, each from its time to the
    /// next (the last to midnight), applied over the open hours. Default: flat.
    pub profile: Option<Vec<(String, f64)>>,
    /// Day-to-day variation: each day's rates are multiplied by a gamma level with mean 1 and
    /// this coefficient of variation (0 or absent: none).
    #[schemars(range(min = 0, max = 10))]
    pub daily_cv: Option<f64>,
    /// `"poisson"` (default): random arrivals. `"even"`: contacts released at evenly spaced
    /// times following the rate (work released over the day, e.g. outbound calls).
    /// `"counted"`: each step of the rate gets exactly its expected count, at uniform random
    /// times within it (a day's known volume, as `callsim backtest` replays it).
    pub process: Option<Process>,
}

/// How arrivals are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Process {
    /// A Poisson process.
    #[default]
    Poisson,
    /// Deterministic: one contact per unit of expected count, at the midpoints.
    Even,
    /// Each step of the rate gets exactly its expected count (rounded to whole contacts), at
    /// independent uniform times within it: a Poisson process conditioned on its counts.
    Counted,
}

/// An arrival rate, constant or a daily profile.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged, expecting = "a number, or a list of [\"HH:MM\", rate] pairs")]
pub enum RateSpec {
    /// Constant while open.
    Constant(f64),
    /// Piecewise constant over each day.
    Profile(Vec<(String, f64)>),
}

/// Opening hours of one day set.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "\"HH:MM-HH:MM\", a list of such ranges, or \"closed\""
)]
pub enum OpenSpec {
    /// `"08:00-16:00"` or `"closed"`.
    One(String),
    /// `["08:00-12:00", "13:00-16:00"]`.
    Many(Vec<String>),
}

/// A distribution of durations. Which keys apply depends on `dist`:
/// exponential(mean), lognormal(mean, cv), gamma(mean, cv), fixed(value), uniform(min, max),
/// empirical(values), mixture(parts: distributions each with a `weight`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DistSpec {
    /// The family.
    pub dist: DistKind,
    /// Mean (exponential, lognormal, gamma).
    pub mean: Option<Duration>,
    /// Coefficient of variation, standard deviation / mean (lognormal, gamma).
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 10))]
    pub cv: Option<f64>,
    /// The one value (fixed).
    pub value: Option<Duration>,
    /// Lower end (uniform).
    pub min: Option<Duration>,
    /// Upper end (uniform).
    pub max: Option<Duration>,
    /// Values drawn uniformly (empirical).
    pub values: Option<Vec<Duration>>,
    /// The components (mixture), each a distribution with a `weight`.
    pub parts: Option<Vec<DistSpec>>,
    /// Relative weight of a mixture component (only inside `parts`; weights need not sum to 1).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub weight: Option<f64>,
}

/// Distribution families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DistKind {
    /// Exponential with the given mean.
    Exponential,
    /// Lognormal with the given mean and cv.
    Lognormal,
    /// Gamma with the given mean and cv.
    Gamma,
    /// Always the same value.
    Fixed,
    /// Uniform between min and max.
    Uniform,
    /// Uniform among the listed values.
    Empirical,
    /// A weighted mixture of other distributions (e.g. a share of long contacts).
    Mixture,
}

/// A staff group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSpec {
    /// Agents on duty: a number, or a weekly schedule
    /// `{"mon-fri": {"08:00-12:00": 150, "12:00-16:00": 120}}` (0 outside the times listed).
    pub count: CountSpec,
    /// Queue names in priority order.
    pub serves: Vec<String>,
    /// Part of the group moved to serve other queues (e.g. office staff on the phones). The
    /// moved agents form the group `<name>_reassigned`; the group keeps `count` minus them, so
    /// the total stays fixed when the number moved changes.
    pub reassign: Option<ReassignSpec>,
}

/// Agents of a group moved to other queues.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignSpec {
    /// How many are moved: a number or a weekly schedule (never more than the group's count).
    pub count: CountSpec,
    /// What the moved agents serve, in priority order.
    pub serves: Vec<String>,
}

/// A staff count: constant, or a weekly schedule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a whole number, a schedule such as {\"mon-fri\": {\"08:00-16:00\": 10}}, or steps such as [[\"mon 08:00\", 10], [\"mon 16:00\", 0]]"
)]
pub enum CountSpec {
    /// The same number of agents all the time.
    Constant(u32),
    /// Day set → time range → agents.
    Schedule(IndexMap<String, IndexMap<String, u32>>),
    /// Steps over the week: from each time of week (`"mon 08:00"`, in increasing order) until
    /// the next, that many; 0 before the first. A list replaces a base's count whole under
    /// `extends`, where a schedule object would merge into it.
    Steps(Vec<(String, u32)>),
}

/// A service target on one metric.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// `<queue>.<metric>` or `staff.<group>.<metric>`.
    pub metric: String,
    /// Upper bound (a number, or a duration string for `_s` metrics).
    pub max: Option<Bound>,
    /// Lower bound.
    pub min: Option<Bound>,
}

/// A target bound: a number, or a duration string such as `"2m"`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Bound(#[schemars(with = "Duration")] pub NumberOrText);

/// The JSON Schema of scenario files (`callsim schema`): a whole scenario, or an overlay that
/// `extends` a base. An overlay may leave out any key, even ones a whole scenario requires
/// (its base gives them), so the schema checks its `extends` only; callsim checks the merge.
pub fn json_schema() -> serde_json::Value {
    let mut full = serde_json::to_value(schemars::schema_for!(Scenario)).unwrap_or_default();
    let Some(map) = full.as_object_mut() else {
        return full;
    };
    let mut root = serde_json::Map::new();
    for key in ["$schema", "title", "description", "$defs"] {
        if let Some(v) = map.remove(key) {
            root.insert(key.to_string(), v);
        }
    }
    let overlay = serde_json::json!({
        "type": "object",
        "required": ["extends"],
        "properties": {"extends": {"type": "string", "description": "the base scenario file"}}
    });
    root.insert("anyOf".into(), serde_json::json!([full, overlay]));
    serde_json::Value::Object(root)
}

/// Reads, parses and validates a scenario file. Returns the scenario and the SHA-256 of the
/// file's bytes (hex). It checks the scenario only, not its `sweep` block: callers that will
/// run the block check it with [`crate::sweep::check_block`].
#[cfg(any(test, feature = "internals"))]
pub fn load(
    path: &std::path::Path,
) -> Result<(validate::ValidScenario, String), crate::error::InputError> {
    load_with_json(path).map(|(sc, sha, _)| (sc, sha))
}

/// As [`load`], also returning the file's JSON with any `extends` chain merged in.
pub fn load_with_json(
    path: &std::path::Path,
) -> Result<(validate::ValidScenario, String, serde_json::Value), crate::error::InputError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    // Parse once as it is, for syntax errors with their line and column in this file.
    let raw: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => {
            return Err(parse(&bytes, &file)
                .err()
                .unwrap_or_else(|| not_json(&file)));
        }
    };
    if !raw.is_object() {
        return Err(crate::error::InputError::Invalid {
            file,
            issues: vec![crate::error::Issue::new(
                "(top level)",
                "a scenario is one JSON object, {\"horizon\": ..., \"queues\": ..., \"staff\": ...}",
            )],
        });
    }
    if raw.get("extends").is_none() {
        let sc = parse(&bytes, &file)?;
        return Ok((sc, sha256_hex(&bytes), raw));
    }
    let mut chain = vec![(path.to_path_buf(), bytes)];
    let merged = extends::resolve(path, raw.clone(), &mut chain)?;
    let sc = parse_value(merged.clone(), &file).map_err(|e| match e {
        crate::error::InputError::Invalid { file, issues } => crate::error::InputError::Invalid {
            file,
            issues: extends::attribute(issues, &raw, &chain[1..]),
        },
        other => other,
    })?;
    let all: Vec<u8> = chain.into_iter().flat_map(|(_, b)| b).collect();
    Ok((sc, sha256_hex(&all), merged))
}

/// The error for bytes that serde_json rejects as a value but `parse` accepted: cannot
/// happen, as both parse the same bytes, but is an error rather than a panic.
fn not_json(file: &str) -> crate::error::InputError {
    crate::error::InputError::Invalid {
        file: file.to_string(),
        issues: vec![crate::error::Issue::new("(top level)", "not a JSON value")],
    }
}

/// The scenario file's JSON with any `extends` chain merged in (for sweeps, which set values
/// in it), for the benchmarks. The file must already have loaded with [`load`].
#[cfg(any(test, feature = "internals"))]
pub fn merged_json(path: &std::path::Path) -> Result<serde_json::Value, crate::error::InputError> {
    let bytes = read(path)?;
    let raw: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| crate::error::InputError::Syntax {
            file: path.display().to_string(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
    extends::resolve(path, raw, &mut vec![])
}

/// Reads a file, or says why it cannot. A UTF-8 byte-order mark (some Windows editors write
/// one) is dropped: JSON does not allow it, and it is invisible to the person editing.
pub(crate) fn read(path: &std::path::Path) -> Result<Vec<u8>, crate::error::InputError> {
    let mut bytes = std::fs::read(path).map_err(|e| crate::error::InputError::Unreadable {
        file: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Ok(bytes)
}

/// Reads a JSON file of another kind than a scenario (a shifts file, a map file) as `T`: a
/// syntax error or a wrong key or value names its key path, line and column.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, crate::error::InputError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner();
        crate::error::InputError::Type {
            file,
            path: if at == "." { "(top level)".into() } else { at },
            message: strip_position(&inner.to_string()),
            line: inner.line(),
            column: inner.column(),
        }
    })
}

/// The SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses and validates scenario JSON; `file` names it in messages and, without a `name` key,
/// gives the scenario its name (the file name without `.json`).
pub fn parse(
    bytes: &[u8],
    file: &str,
) -> Result<validate::ValidScenario, crate::error::InputError> {
    use crate::error::InputError;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let syntax = |e: serde_json::Error| InputError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    };
    let parsed: Result<Scenario, _> = serde_path_to_error::deserialize(&mut de);
    let scenario = match parsed {
        Ok(scenario) => scenario,
        Err(e) => {
            let path = shown_path(e.path());
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(syntax(inner));
            }
            let (line, column) = (inner.line(), inner.column());
            let message = strip_position(&inner.to_string());
            let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
            let more = if remove_unknown(&mut value, &path, &message) {
                further_issues(value, file)
            } else {
                vec![]
            };
            if more.is_empty() {
                return Err(InputError::Type {
                    file: file.to_string(),
                    path: crate::error::one_line(&path),
                    message: crate::error::one_line(&message),
                    line,
                    column,
                });
            }
            let first = Issue::new(path, format!("{message} (line {line}, column {column})"));
            return Err(InputError::Invalid {
                file: file.to_string(),
                issues: std::iter::once(first).chain(more).collect(),
            });
        }
    };
    de.end().map_err(syntax)?;
    checked(&scenario, file)
}

/// Most problems listed for one file: beyond them, the first ones are enough to start on.
const MAX_ISSUES: usize = 50;

/// The problems left in `value` once its unknown keys are reported and dropped one by one:
/// more unknown keys, then a wrong type, or else the value checks of the rest. Serde stops at
/// its first error; this lists every misspelt key at once.
fn further_issues(mut value: serde_json::Value, file: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    while issues.len() < MAX_ISSUES {
        match serde_path_to_error::deserialize::<_, Scenario>(&value) {
            Ok(scenario) => {
                if let Err(crate::error::InputError::Invalid { issues: rest, .. }) =
                    checked(&scenario, file)
                {
                    issues.extend(rest);
                }
                break;
            }
            Err(e) => {
                let path = shown_path(e.path());
                let message = e.into_inner().to_string();
                let dropped = remove_unknown(&mut value, &path, &message);
                issues.push(Issue::new(path, message));
                if !dropped {
                    break;
                }
            }
        }
    }
    issues.truncate(MAX_ISSUES);
    issues
}

/// A serde path as messages show it: `(top level)` for the whole file.
fn shown_path(path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    if path == "." {
        "(top level)".to_string()
    } else {
        path
    }
}

/// Drops the unknown key at `path` (serde's path ends with the key) of `value` when `message`
/// says it is unknown; false for any other error, or where the path cannot be followed.
fn remove_unknown(value: &mut serde_json::Value, path: &str, message: &str) -> bool {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return false;
    };
    let key = match rest.find("`, expected") {
        Some(end) => &rest[..end],
        None => rest.strip_suffix("`, there are no fields").unwrap_or(rest),
    };
    let parents = path.strip_suffix(key).map(|p| p.trim_end_matches('.'));
    let Some(parents) = parents else {
        return false;
    };
    let mut at = value;
    if !parents.is_empty() {
        for part in parents.split('.') {
            let next = match at {
                serde_json::Value::Array(items) => part.parse().ok().and_then(|i: usize| items.get_mut(i)),
                other => other.get_mut(part),
            };
            match next {
                Some(v) => at = v,
                None => return false,
            }
        }
    }
    at.as_object_mut().is_some_and(|o| o.shift_remove(key).is_some())
}

/// Parses and validates a scenario already read as a JSON value (e.g. a sweep point).
pub fn parse_value(
    value: serde_json::Value,
    file: &str,
) -> Result<validate::ValidScenario, crate::error::InputError> {
    match serde_path_to_error::deserialize::<_, Scenario>(&value) {
        Ok(scenario) => checked(&scenario, file),
        Err(_) => Err(crate::error::InputError::Invalid {
            file: file.to_string(),
            issues: further_issues(value, file),
        }),
    }
}

/// [`parse_value`], allowing queues that get work with no agent to serve them (a day of a
/// real center's log, in `backtest`).
pub fn parse_value_unstaffed(
    value: serde_json::Value,
    file: &str,
) -> Result<validate::ValidScenario, crate::error::InputError> {
    match serde_path_to_error::deserialize::<_, Scenario>(&value) {
        Ok(scenario) => checked_with(&scenario, file, validate::Staffing::Optional),
        Err(_) => Err(crate::error::InputError::Invalid {
            file: file.to_string(),
            issues: further_issues(value, file),
        }),
    }
}

/// Validates a parsed scenario; without a `name` it is named after the file.
fn checked(
    scenario: &Scenario,
    file: &str,
) -> Result<validate::ValidScenario, crate::error::InputError> {
    checked_with(scenario, file, validate::Staffing::Required)
}

fn checked_with(
    scenario: &Scenario,
    file: &str,
    staffing: validate::Staffing,
) -> Result<validate::ValidScenario, crate::error::InputError> {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    validate::validate(scenario, &stem, staffing).map_err(|issues| crate::error::InputError::Invalid {
        file: file.to_string(),
        issues: issues.0,
    })
}

/// serde_json appends " at line L column C"; the error types place the position themselves.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
