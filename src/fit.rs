//! `callsim fit`: a scenario estimated from a center's call log, with every estimate, its
//! sample size and its goodness of fit.
//!
//! Each call type is a queue. Per queue: arrival rates per weekday and interval (the mean over
//! the log's dates of that weekday) with the day-to-day variation beyond Poisson; handle times
//! (a lognormal by maximum likelihood, or the empirical distribution when the lognormal's
//! Kolmogorov-Smirnov distance to the sample exceeds [`KS_LIMIT`]); patience from waits
//! censored by service (Kaplan-Meier, then an exponential and a lognormal by maximum
//! likelihood, the one closer to the Kaplan-Meier curve chosen); redials (the
//! same caller calling the same queue within an hour of hanging up); the priority head start
//! (SEE Lab logs: the bank's documented 90 s for priority 2). Staff groups and their agents on
//! duty per interval are inferred from who served what, when ([`staffing`]).

pub mod estimate;
pub mod observe;
pub mod staffing;
mod summary;

use crate::calllog::{self, Format, Quality};
use crate::error::InputError;
use estimate::{Exponential, Lognormal};
use indexmap::IndexMap;
use observe::{Observed, QueueSeen};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::Path;

/// The lognormal is used when its Kolmogorov-Smirnov distance to the handle-time sample is at
/// most this; beyond, the empirical distribution.
pub const KS_LIMIT: f64 = 0.05;
/// The bank's documented head start of its priority customers (SEE Lab logs, priority 2).
pub const SEELAB_HEAD_START_S: f64 = 90.0;
/// Fewest redials for a redial estimate.
const MIN_REDIALS: u64 = 10;

/// What to fit.
pub struct Request<'a> {
    pub paths: &'a [&'a Path],
    pub format: Format,
    pub dates: calllog::Dates,
    /// Interval of the arrival and staffing profiles (s).
    pub interval_s: f64,
    /// The scenario's name.
    pub name: String,
    /// A gap of more than this many minutes between an agent's services is off duty.
    pub off_after_min: usize,
    /// What the planner says of queues, groups and head starts (`--map`).
    pub mapping: &'a calllog::mapping::Mapping,
}

/// The fit: the scenario, and fit.json.
pub struct Fitted {
    pub scenario: Value,
    pub report: FitReport,
    /// Per queue: the Kaplan-Meier curve, the handle sample, the weekday rate profiles.
    pub curves: IndexMap<String, Curves>,
    /// Per group: agents on duty per (interval, weekday).
    pub on_duty: IndexMap<String, Vec<[f64; 7]>>,
}

/// What the plots draw of one queue.
pub struct Curves {
    pub kaplan_meier: Vec<(f64, f64)>,
    pub handle_sample: Vec<f64>,
    /// Calls per hour per (interval, weekday).
    pub rates: Vec<[f64; 7]>,
}

/// fit.json.
#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub files: Vec<String>,
    pub format: String,
    pub interval_s: f64,
    /// The log's dates: first, last and how many had contacts.
    pub first_date: String,
    pub last_date: String,
    pub days: usize,
    pub days_per_weekday: [u64; 7],
    pub quality: Quality,
    pub queues: IndexMap<String, QueueFit>,
    pub staff: IndexMap<String, staffing::Group>,
    /// How staffing was inferred, and its bias.
    pub staffing_estimator: String,
}

/// The estimates of one queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueFit {
    pub contacts: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub left_otherwise: u64,
    /// Mean contacts per date of each weekday, Monday first.
    pub per_weekday: [f64; 7],
    /// Day-to-day variation beyond Poisson, over `days` dates.
    pub daily_cv: f64,
    pub handle: HandleFit,
    pub patience: Option<PatienceFit>,
    pub redial: Option<RedialFit>,
    /// Each priority class with a head start: the format's documented one (SEE Lab logs: 90
    /// s for priority 2) or the map's.
    pub priority: Vec<PriorityFit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandleFit {
    /// Handle times seen (positive ones, and of 0 s).
    pub n: u64,
    pub zero: u64,
    pub lognormal: Option<Lognormal>,
    /// Values in the empirical distribution (an evenly spread sample).
    pub empirical_values: usize,
    /// `"lognormal"` or `"empirical"`, by the Kolmogorov-Smirnov distance.
    pub chosen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PatienceFit {
    /// Abandonments (events) and answered waits (censored).
    pub abandoned: u64,
    pub censored: u64,
    pub exponential: Exponential,
    pub lognormal: Option<estimate::LognormalPatience>,
    /// `"exponential"` or `"lognormal"`: the one closer to the Kaplan-Meier curve.
    pub chosen: String,
    /// Kaplan-Meier survival at 30 s, 1, 2, 5 and 10 min.
    pub kaplan_meier: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RedialFit {
    pub abandonments_of_identified_callers: u64,
    pub redials: u64,
    pub probability: f64,
    pub mean_delay_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityFit {
    pub priority_value: u32,
    pub contacts: u64,
    pub share: f64,
    pub head_start_s: f64,
    pub source: String,
}

/// Reads the logs and fits.
pub fn fit(req: &Request) -> Result<Fitted, InputError> {
    let mut seen = Observed::new(req.interval_s);
    let quality = calllog::read(req.paths, req.format, req.dates, &mut |c| seen.add(&req.mapping.apply(c)))?;
    seen.count_redials();
    let days_per_weekday = staffing::weekday_counts(&seen);
    let groups = staffing::groups(&seen, req.off_after_min, req.mapping);
    if staffed(&groups).is_empty() {
        return Err(InputError::Usage(format!(
            "{}: the log shows no agent on duty for as much as half an interval on average ({} contacts over {} days, {} agents); a scenario needs staff: fit a longer log, or one that records who served each call",
            req.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            quality.kept,
            seen.dates.len(),
            seen.activity.served.len()
        )));
    }
    let mut queues = IndexMap::new();
    let mut curves = IndexMap::new();
    let head_starts = head_starts(req);
    for (name, q) in &seen.queues {
        let (fit, c) = queue_fit(q, &head_starts, &seen, &days_per_weekday);
        queues.insert(name.clone(), fit);
        curves.insert(name.clone(), c);
    }
    let first = seen.dates.keys().next().map(|d| d.to_string()).unwrap_or_default();
    let last = seen.dates.keys().last().map(|d| d.to_string()).unwrap_or_default();
    let report = FitReport {
        files: req.paths.iter().map(|p| p.display().to_string()).collect(),
        format: format!("{:?}", req.format).to_lowercase(),
        interval_s: req.interval_s,
        first_date: first,
        last_date: last,
        days: seen.dates.len(),
        days_per_weekday,
        quality,
        queues,
        staff: groups.clone(),
        staffing_estimator: format!(
            "an agent is on duty on a date from the first minute they serve to the last, a gap of more than {} minutes without a service being off duty; the mean over the log's dates of each weekday. Biased low: idle minutes before an agent's first call and after their last are missed, and an agent on duty who served nobody is missed",
            req.off_after_min
        ),
    };
    let on_duty = groups.iter().map(|(k, g)| (k.clone(), g.on_duty.clone())).collect();
    let scenario = scenario(req, &report, &curves, &groups);
    Ok(Fitted {
        scenario,
        report,
        curves,
        on_duty,
    })
}

/// The priority classes with a head start: (priority value, head start in s, its source).
fn head_starts(req: &Request) -> Vec<(u32, f64, String)> {
    match (&req.mapping.head_starts, req.format) {
        (Some(list), _) => list.iter().map(|&(p, s)| (p, s, "the map file (--map)".to_string())).collect(),
        (None, Format::Seelab) => vec![(2, SEELAB_HEAD_START_S, "the SEE Lab documentation of the bank's log: priority 2 customers are placed as if they had waited 1.5 minutes more".into())],
        (None, Format::Csv) => vec![],
    }
}

fn queue_fit(q: &QueueSeen, head_starts: &[(u32, f64, String)], seen: &Observed, days: &[u64; 7]) -> (QueueFit, Curves) {
    let answered: u64 = q.answered_at.iter().sum();
    let abandoned: u64 = q.abandoned_at.iter().sum();
    let contacts = answered + abandoned + q.left_otherwise;
    let mut per_weekday = [0.0; 7];
    for slot in &q.per_slot {
        for w in 0..7 {
            per_weekday[w] += slot[w] as f64 / days[w].max(1) as f64;
        }
    }
    let daily: Vec<(usize, f64)> = seen
        .dates
        .keys()
        .map(|d| {
            let w = chrono::Datelike::weekday(d).num_days_from_monday() as usize;
            (w, q.per_date.get(d).copied().unwrap_or(0) as f64)
        })
        .collect();
    let lognormal = estimate::lognormal(q);
    let chosen = match lognormal {
        Some(l) if l.ks <= KS_LIMIT => "lognormal",
        _ if !q.handle_sample.is_empty() => "empirical",
        _ => "none",
    };
    let km = estimate::kaplan_meier(q);
    let patience_lognormal = estimate::lognormal_patience(q, &km);
    let patience = estimate::exponential_patience(q, &km).map(|exponential| PatienceFit {
        abandoned,
        censored: answered,
        exponential,
        lognormal: patience_lognormal,
        chosen: match patience_lognormal {
            Some(l) if l.max_gap_to_kaplan_meier < exponential.max_gap_to_kaplan_meier => "lognormal",
            _ => "exponential",
        }
        .into(),
        kaplan_meier: [30.0, 60.0, 120.0, 300.0, 600.0]
            .iter()
            .map(|&t| (t, km.iter().take_while(|p| p.0 <= t).last().map_or(1.0, |p| p.1)))
            .collect(),
    });
    let redial = (q.redials >= MIN_REDIALS && q.redials < q.abandons_identified).then(|| RedialFit {
        abandonments_of_identified_callers: q.abandons_identified,
        redials: q.redials,
        probability: q.redials as f64 / q.abandons_identified as f64,
        mean_delay_s: q.redial_gap_sum / q.redials as f64,
    });
    let priority = head_starts
        .iter()
        .filter_map(|(p, s, source)| {
            let n = q.priorities.get(p).copied()?;
            Some(PriorityFit {
                priority_value: *p,
                contacts: n,
                share: n as f64 / contacts.max(1) as f64,
                head_start_s: *s,
                source: source.clone(),
            })
        })
        .collect();
    let hours = seen.step_s / 3600.0;
    let rates = q
        .per_slot
        .iter()
        .map(|slot| std::array::from_fn(|w| slot[w] as f64 / days[w].max(1) as f64 / hours))
        .collect();
    let fit = QueueFit {
        contacts,
        answered,
        abandoned,
        left_otherwise: q.left_otherwise,
        per_weekday,
        daily_cv: estimate::daily_cv(&daily),
        handle: HandleFit {
            n: q.handle_n,
            zero: q.handle_zero,
            lognormal,
            empirical_values: q.handle_sample.len(),
            chosen: chosen.into(),
        },
        patience,
        redial,
        priority,
    };
    let curves = Curves {
        kaplan_meier: km,
        handle_sample: q.handle_sample.clone(),
        rates,
    };
    (fit, curves)
}

/// Steps over the week of a per-(interval, weekday) profile: `[["mon 00:00", v], ...]`, a
/// step where the value changes.
fn week_steps(values: &[[f64; 7]], step_s: f64, round: impl Fn(f64) -> Value) -> Value {
    let mut out = Vec::new();
    let mut previous: Option<Value> = None;
    for w in 0..7 {
        for (slot, v) in values.iter().enumerate() {
            let value = round(v[w]);
            if previous.as_ref() != Some(&value) {
                let label = crate::calendar::week_label(w as f64 * 86_400.0 + slot as f64 * step_s);
                out.push(json!([label, value.clone()]));
                previous = Some(value);
            }
        }
    }
    Value::Array(out)
}

/// The scenario JSON.
fn scenario(
    req: &Request,
    report: &FitReport,
    curves: &IndexMap<String, Curves>,
    groups: &IndexMap<String, staffing::Group>,
) -> Value {
    let mut queues = serde_json::Map::new();
    let mut said = vec![format!(
        "Fitted by callsim fit from {} ({}, {} to {}, {} days, {} contacts kept of {} rows).",
        report.files.join(", "),
        report.format,
        report.first_date,
        report.last_date,
        report.days,
        report.quality.kept,
        report.quality.rows
    )];
    for (name, f) in &report.queues {
        let c = &curves[name];
        let mut q = serde_json::Map::new();
        let rate = |v: f64| json!((v * 1000.0).round() / 1000.0);
        q.insert(
            "arrivals".into(),
            json!({"per_hour": week_steps(&c.rates, req.interval_s, rate), "daily_cv": (f.daily_cv * 1000.0).round() / 1000.0}),
        );
        let handle = match (f.handle.chosen.as_str(), f.handle.lognormal) {
            ("lognormal", Some(l)) => json!({"dist": "lognormal", "mean": round(l.mean_s), "cv": round(l.cv)}),
            ("empirical", _) => json!({"dist": "empirical", "values": c.handle_sample}),
            _ => json!({"dist": "fixed", "value": 0}),
        };
        q.insert("handle_time".into(), handle);
        let mut text = format!(
            "{name}: {} contacts; arrivals per weekday and {}-minute interval over {} days, daily_cv {:.3}; handle time {} from {} services",
            f.contacts,
            req.interval_s / 60.0,
            report.days,
            f.daily_cv,
            match f.handle.lognormal {
                Some(l) if f.handle.chosen == "lognormal" => format!("lognormal (mean {:.1} s, cv {:.3}, KS {:.3})", l.mean_s, l.cv, l.ks),
                Some(l) => format!("empirical ({} values; the lognormal's KS distance {:.3} > {KS_LIMIT})", f.handle.empirical_values, l.ks),
                None => "unknown".into(),
            },
            f.handle.n + f.handle.zero
        );
        if let Some(p) = &f.patience {
            let (dist, what) = match (p.chosen.as_str(), p.lognormal) {
                ("lognormal", Some(l)) => (
                    json!({"dist": "lognormal", "mean": round(l.mean_s), "cv": round(l.cv)}),
                    format!(
                        "lognormal (mean {:.1} s, cv {:.3}; largest gap to Kaplan-Meier {:.3}, the exponential's {:.3})",
                        l.mean_s, l.cv, l.max_gap_to_kaplan_meier, p.exponential.max_gap_to_kaplan_meier
                    ),
                ),
                _ => (
                    json!({"dist": "exponential", "mean": round(p.exponential.mean_s)}),
                    format!(
                        "exponential (mean {:.1} s; largest gap to Kaplan-Meier {:.3})",
                        p.exponential.mean_s, p.exponential.max_gap_to_kaplan_meier
                    ),
                ),
            };
            q.insert("patience".into(), dist);
            text += &format!(
                "; patience {what} from {} abandonments and {} censored waits, by maximum likelihood",
                p.abandoned, p.censored
            );
        }
        if let Some(r) = &f.redial {
            q.insert(
                "redial".into(),
                json!({"probability": round(r.probability), "delay": {"dist": "exponential", "mean": round(r.mean_delay_s)}}),
            );
            text += &format!(
                "; redials {:.3} (mean delay {:.0} s) from {} abandonments of identified callers",
                r.probability, r.mean_delay_s, r.abandonments_of_identified_callers
            );
        }
        if !f.priority.is_empty() {
            let one = f.priority.len() == 1;
            let classes = f.priority.iter().map(|p| {
                let name = if one { "priority".to_string() } else { format!("priority_{}", p.priority_value) };
                (name, json!({"share": round(p.share), "head_start": format!("{}s", p.head_start_s)}))
            });
            q.insert("classes".into(), Value::Object(classes.collect()));
            for p in &f.priority {
                let from = if p.source.starts_with("the map") { "from the map" } else { "documented" };
                let which = if one { String::new() } else { format!(" {}", p.priority_value) };
                text += &format!(
                    "; priority{which} customers {:.3} of contacts, head start {} s ({from})",
                    p.share, p.head_start_s
                );
            }
        }
        said.push(text + ".");
        queues.insert(name.clone(), Value::Object(q));
    }
    let mut staff = serde_json::Map::new();
    for (name, g) in staffed(groups) {
        let count = week_steps(&g.on_duty, req.interval_s, |v| json!(v.round() as u64));
        staff.insert(name.clone(), json!({"count": count, "serves": g.serves}));
        said.push(format!(
            "Staff {name}: {} agents serving {}, on duty per interval as inferred from their services (see fit.json: biased low at quiet hours).",
            g.agents.len(),
            g.serves.join(", ")
        ));
    }
    json!({
        "name": req.name,
        "description": said.join(" "),
        "horizon": "4w",
        "warmup": "1d",
        "replications": 10,
        "seed": 1,
        "interval": format!("{}s", req.interval_s),
        "queues": queues,
        "staff": staff,
    })
}

/// The groups with at least one agent on duty in some interval (counts are whole numbers),
/// each queue of a dropped group moved, last, to the group that serves most queues.
fn staffed(groups: &IndexMap<String, staffing::Group>) -> IndexMap<String, staffing::Group> {
    let some = |g: &staffing::Group| g.on_duty.iter().flatten().any(|v| v.round() >= 1.0);
    let mut kept: IndexMap<String, staffing::Group> =
        groups.iter().filter(|(_, g)| some(g)).map(|(k, g)| (k.clone(), g.clone())).collect();
    let orphans: Vec<String> = groups
        .values()
        .filter(|g| !some(g))
        .flat_map(|g| g.serves.clone())
        .collect();
    if let Some(widest) = kept.values_mut().max_by_key(|g| g.serves.len()) {
        for q in orphans {
            if !widest.serves.contains(&q) {
                widest.serves.push(q);
            }
        }
    }
    kept
}

/// Rounded to 4 significant decimals, for a readable scenario.
fn round(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}
