//! report.html: one self-contained page (tables and SVG plots inline, no script, font or
//! style sheet from elsewhere) for the scenarios of one `callsim run --out`, written for a
//! contact-center planner: a summary of the targets and the headline figures first, then the
//! scenario's description, the run's metadata, every metric in tables with units and
//! definitions, and the figures with captions that say what each shows.

use super::plot::PlotFile;
use super::{Report, TargetResult};
use crate::metrics::Unit;
use crate::stats::ci::Estimate;
use std::fmt::Write;

/// What report.html tells of a scenario beyond its [`Report`]: what the scenario file says.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The scenario's `description`.
    pub description: Option<String>,
    /// The scenario file, as given on the command line (`None` when not known, e.g. a merge
    /// of shards).
    pub file: Option<String>,
}

/// The page for `reports` (side by side when there are several), with `about[i]` telling of
/// `reports[i]`'s scenario (missing entries count as unknown) and `plots` the figures, as
/// (group heading, files) pairs; only the SVG files are shown, inline.
pub fn page(reports: &[Report], about: &[About], plots: &[(String, Vec<PlotFile>)]) -> String {
    let title = reports
        .iter()
        .map(|r| r.scenario.as_str())
        .collect::<Vec<_>>()
        .join(" vs ");
    let unknown = About::default();
    let about_of = |i: usize| about.get(i).unwrap_or(&unknown);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>callsim report: {t}</title>\n<style>{STYLE}</style></head><body>\n\
         <header><h1>{t}</h1><p class=\"lede\">{lede}</p>\n<nav>\
         <a href=\"#summary\">Summary</a> · <a href=\"#scenario\">Scenario</a> · \
         <a href=\"#run\">Run</a> · <a href=\"#metrics\">All metrics</a> · \
         <a href=\"#figures\">Figures</a></nav></header>\n",
        t = escape(&title),
        lede = escape(&lede(reports)),
    );
    html.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    html.push_str(&targets(reports));
    html.push_str(&headline(reports));
    html.push_str(&warnings(reports));
    html.push_str("</section>\n");
    html.push_str(&scenario(reports, &about_of));
    html.push_str(&run_metadata(reports, &about_of));
    html.push_str(&metrics(reports));
    html.push_str(&figures(plots));
    html.push_str("</body></html>\n");
    html
}

const STYLE: &str = "\
:root{--met:#1a7f37;--met-bg:#dafbe1;--unsure:#7d4e00;--unsure-bg:#fff1c2;--missed:#b3261e;--missed-bg:#ffe1de}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:1250px;margin:1.5em auto;padding:0 1em;color:#1f2328;line-height:1.45}\
h1{margin:.2em 0}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}\
.lede{color:#57606a;margin:.2em 0 .6em}nav a{color:#0969da;text-decoration:none}\
table{border-collapse:collapse;margin:.6em 0 1.2em}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:right;vertical-align:top}\
th{background:#f6f8fa}th:first-child,td:first-child{text-align:left}td.text{text-align:left}\
caption{text-align:left;font-weight:600;padding:.3em 0}\
tr[title]{cursor:help}code{font-size:.85em;color:#57606a}\
.ci{display:block;font-size:.82em;color:#57606a;white-space:nowrap}\
.verdict{font-weight:700;text-align:center;white-space:nowrap}\
.v-met{color:var(--met);background:var(--met-bg)}.v-unsure{color:var(--unsure);background:var(--unsure-bg)}\
.v-missed{color:var(--missed);background:var(--missed-bg)}\
.counts span{display:inline-block;padding:2px 10px;margin-right:.5em;border-radius:4px}\
.key{font-size:.9em;color:#57606a}.key dt{font-weight:700;display:inline}.key dd{display:inline;margin:0 1em 0 .3em}\
.warnings li{color:#7d4e00}.description{white-space:pre-wrap;max-width:80ch}\
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.meta dt{font-weight:600}dl.meta dd{margin:0}\
figure{margin:1.5em 0;border:1px solid #d0d7de;padding:.5em}figcaption{font-size:.95em;color:#1f2328;padding:.3em .5em}\
svg{max-width:100%;height:auto;display:block}\
@media print{nav{display:none}figure{break-inside:avoid}}";

/// The line under the title: scenarios, replications, seed.
fn lede(reports: &[Report]) -> String {
    let runs: Vec<String> = reports
        .iter()
        .map(|r| {
            format!(
                "{}: {} (seed {})",
                r.scenario,
                super::table::plural(r.replications as usize, "replication"),
                r.seed
            )
        })
        .collect();
    format!(
        "Simulated by callsim {} · {} · ± and intervals are 95% confidence intervals over the replications (Student-t).",
        reports
            .first()
            .map_or("", |r| r.provenance.callsim_version.as_str()),
        runs.join(" · ")
    )
}

/// The verdict's word, as `check` and the table print it, and its CSS class.
fn verdict(t: &TargetResult) -> (&'static str, &'static str) {
    match super::check::verdict(t, false) {
        ("met", _) => ("met", "v-met"),
        (word, true) => (word, "v-unsure"),
        (word, false) => (word, "v-missed"),
    }
}

/// The targets table, with a count of each verdict and a key to the three.
fn targets(reports: &[Report]) -> String {
    let several = reports.len() > 1;
    let all: Vec<(&Report, &TargetResult)> = reports
        .iter()
        .flat_map(|r| r.targets.iter().map(move |t| (r, t)))
        .collect();
    if all.is_empty() {
        return "<h3>Targets</h3>\n<p>The scenario sets no targets, so nothing is judged.</p>\n"
            .to_string();
    }
    let mut counts = [0usize; 3];
    let mut html = String::from("<h3>Targets</h3>\n<table class=\"targets\"><thead><tr>");
    if several {
        html.push_str("<th>scenario</th>");
    }
    html.push_str(
        "<th>target</th><th>result (mean)</th><th>95% interval</th><th>verdict</th></tr></thead><tbody>\n",
    );
    for (r, t) in &all {
        let bounds: Vec<String> = [
            t.min.map(|v| format!("≥ {}", number(&t.metric, v))),
            t.max.map(|v| format!("≤ {}", number(&t.metric, v))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mean = t.value.map_or("n/a".into(), |v| number(&t.metric, v));
        let ci = t.ci95.map_or("n/a".into(), |[a, b]| {
            format!("{} – {}", number(&t.metric, a), number(&t.metric, b))
        });
        let (word, class) = verdict(t);
        counts[match class {
            "v-met" => 0,
            "v-unsure" => 1,
            _ => 2,
        }] += 1;
        let _ = write!(html, "<tr title=\"{}\">", escape(&definition(&t.metric)));
        if several {
            let _ = write!(html, "<td>{}</td>", escape(&r.scenario));
        }
        let _ = writeln!(
            html,
            "<td>{} {} <code>{}</code></td><td>{}</td><td>{}</td><td class=\"verdict {class}\">{}</td></tr>",
            escape(&path_label(&t.metric)),
            escape(&bounds.join(" and ")),
            escape(&t.metric),
            escape(&mean),
            escape(&ci),
            escape(word)
        );
    }
    html.push_str("</tbody></table>\n");
    let _ = writeln!(
        html,
        "<p class=\"counts\"><span class=\"v-met\">{} met</span><span class=\"v-unsure\">{} met?</span><span class=\"v-missed\">{} missed</span> of {} targets</p>",
        counts[0],
        counts[1],
        counts[2],
        all.len()
    );
    html.push_str(
        "<dl class=\"key\"><dt class=\"v-met\">met</dt><dd>the mean and its whole 95% interval are within the target.</dd>\
         <dt class=\"v-unsure\">met?</dt><dd>the mean is within the target but its 95% interval crosses a bound: more replications would tell.</dd>\
         <dt class=\"v-missed\">MISSED</dt><dd>the mean is outside the target.</dd></dl>\n",
    );
    html
}

/// A headline column: (metric name, heading).
type Column = (&'static str, &'static str);

/// The headline queue and staff metrics.
const QUEUE_HEADLINE: [Column; 5] = [
    ("offered", "offered"),
    ("answered", "answered"),
    ("asa_s", "ASA (average speed of answer)"),
    ("service_level", "service level"),
    ("abandon_rate", "abandonment rate"),
];
const STAFF_HEADLINE: [Column; 2] = [
    ("utilization", "utilization"),
    ("agents_mean", "agents on duty (average)"),
];

/// The headline figures: a row per queue (and per staff group), each figure with its 95%
/// interval under it.
fn headline(reports: &[Report]) -> String {
    let several = reports.len() > 1;
    let mut html = String::from("<h3>Headline figures</h3>\n");
    let tables: [(&str, &[Column], bool); 2] = [
        ("queue", &QUEUE_HEADLINE, true),
        ("staff group", &STAFF_HEADLINE, false),
    ];
    for (noun, columns, queues) in tables {
        let rows: Vec<(&Report, &String, &indexmap::IndexMap<String, Estimate>)> = reports
            .iter()
            .flat_map(|r| {
                let of = if queues { &r.queues } else { &r.staff };
                of.iter().map(move |(name, m)| (r, name, m))
            })
            .collect();
        let shown: Vec<&Column> = columns
            .iter()
            .filter(|(m, _)| rows.iter().any(|(_, _, ms)| ms.contains_key(*m)))
            .collect();
        if rows.is_empty() || shown.is_empty() {
            continue;
        }
        html.push_str("<table class=\"headline\"><thead><tr>");
        if several {
            html.push_str("<th>scenario</th>");
        }
        let _ = write!(html, "<th>{noun}</th>");
        for (m, heading) in &shown {
            let path = if queues {
                format!("q.{m}")
            } else {
                format!("staff.g.{m}")
            };
            let _ = write!(
                html,
                "<th title=\"{}\">{}</th>",
                escape(&definition(&path)),
                escape(heading)
            );
        }
        html.push_str("</tr></thead><tbody>\n");
        for (r, name, ms) in &rows {
            html.push_str("<tr>");
            if several {
                let _ = write!(html, "<td>{}</td>", escape(&r.scenario));
            }
            let _ = write!(html, "<td>{}</td>", escape(name));
            for (m, _) in &shown {
                html.push_str(&cell(m, ms.get(*m)));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody></table>\n");
    }
    html
}

/// A table cell: the mean, and its 95% interval under it.
fn cell(metric: &str, e: Option<&Estimate>) -> String {
    let Some(e) = e else {
        return "<td>—</td>".to_string();
    };
    let mean = e.mean.map_or("n/a".to_string(), |m| number(metric, m));
    let ci = match e.ci95 {
        Some([lo, hi]) => format!(
            "<span class=\"ci\">95%: {} – {}</span>",
            escape(&number(metric, lo)),
            escape(&number(metric, hi))
        ),
        None => String::new(),
    };
    format!("<td>{}{ci}</td>", escape(&mean))
}

fn warnings(reports: &[Report]) -> String {
    let mut items = String::new();
    for r in reports {
        let who = if reports.len() > 1 {
            format!("{}: ", r.scenario)
        } else {
            String::new()
        };
        for w in &r.warnings {
            let _ = writeln!(items, "<li>{}{}</li>", escape(&who), escape(&w.to_string()));
        }
        if r.replications_stopped_early > 0 {
            let _ = writeln!(
                items,
                "<li>{}{} stopped early (too many waiting, or a backlog that never cleared): their numbers describe a truncated run, and no target counts as met.</li>",
                escape(&who),
                super::table::plural(r.replications_stopped_early as usize, "replication")
            );
        }
    }
    if items.is_empty() {
        return String::new();
    }
    format!("<h3>Warnings</h3>\n<ul class=\"warnings\">\n{items}</ul>\n")
}

/// Each scenario's description, as its file gives it.
fn scenario<'a>(reports: &[Report], about: &dyn Fn(usize) -> &'a About) -> String {
    let mut html = String::from("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    for (i, r) in reports.iter().enumerate() {
        if reports.len() > 1 {
            let _ = writeln!(html, "<h3>{}</h3>", escape(&r.scenario));
        }
        match about(i).description.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => {
                let _ = writeln!(html, "<p class=\"description\">{}</p>", escape(d));
            }
            _ => html.push_str(
                "<p>The scenario file has no <code>description</code> of its assumptions.</p>\n",
            ),
        }
    }
    html.push_str("</section>\n");
    html
}

/// What identifies each run: a row per item, a column per scenario.
fn run_metadata<'a>(reports: &[Report], about: &dyn Fn(usize) -> &'a About) -> String {
    type Item<'r> = (&'static str, Box<dyn Fn(usize, &Report) -> String + 'r>);
    let items: Vec<Item> = vec![
        (
            "callsim version",
            Box::new(|_, r| r.provenance.callsim_version.clone()),
        ),
        (
            "scenario file",
            Box::new(|i, _| about(i).file.clone().unwrap_or_else(|| "—".to_string())),
        ),
        (
            "SHA-256 of the scenario file",
            Box::new(|_, r| r.provenance.scenario_sha256.clone()),
        ),
        ("seed", Box::new(|_, r| r.seed.to_string())),
        ("replications", Box::new(|_, r| r.replications.to_string())),
        (
            "replications stopped early",
            Box::new(|_, r| r.replications_stopped_early.to_string()),
        ),
        (
            "events simulated (all replications)",
            Box::new(|_, r| r.provenance.events.to_string()),
        ),
        (
            "random number generator",
            Box::new(|_, r| r.provenance.rng.clone()),
        ),
        (
            "random streams",
            Box::new(|_, r| r.provenance.streams.clone()),
        ),
    ];
    let mut html = String::from(
        "<section id=\"run\">\n<h2>Run</h2>\n<p>What identifies this result: the same version, file, seed and replications give the same numbers.</p>\n<table class=\"meta\"><thead><tr><th>item</th>",
    );
    for r in reports {
        let _ = write!(html, "<th>{}</th>", escape(&r.scenario));
    }
    html.push_str("</tr></thead><tbody>\n");
    for (name, value) in &items {
        let _ = write!(html, "<tr><td>{name}</td>");
        for (i, r) in reports.iter().enumerate() {
            let _ = write!(html, "<td class=\"text\">{}</td>", escape(&value(i, r)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table>\n</section>\n");
    html
}

/// Every metric: a table per queue and per staff group, a row per metric with its unit and
/// its definition on hover, a column per scenario; then the daily ASA.
fn metrics(reports: &[Report]) -> String {
    let mut html = String::from(
        "<section id=\"metrics\">\n<h2>All metrics</h2>\n<p>Each figure is the mean over the replications with its 95% interval under it. Hover over a row for the metric's definition.</p>\n",
    );
    let mut owners: Vec<(bool, &String)> = Vec::new();
    for r in reports {
        let queues = r.queues.keys().map(|q| (true, q));
        let groups = r.staff.keys().map(|g| (false, g));
        for o in queues.chain(groups) {
            if !owners.contains(&o) {
                owners.push(o);
            }
        }
    }
    for (is_queue, owner) in owners {
        let of = |r: &'_ Report| {
            if is_queue {
                r.queues.get(owner).cloned()
            } else {
                r.staff.get(owner).cloned()
            }
        };
        let mut names: Vec<String> = Vec::new();
        for m in reports.iter().filter_map(of) {
            for k in m.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        let heading = if is_queue {
            format!("Queue {owner}")
        } else {
            format!("Staff group {owner}")
        };
        let _ = write!(
            html,
            "<table class=\"metrics\"><caption>{}</caption><thead><tr><th>metric</th><th>unit</th>",
            escape(&heading)
        );
        for r in reports {
            let _ = write!(html, "<th>{}</th>", escape(&r.scenario));
        }
        html.push_str("</tr></thead><tbody>\n");
        for name in &names {
            let path = if is_queue {
                format!("{owner}.{name}")
            } else {
                format!("staff.{owner}.{name}")
            };
            let _ = write!(
                html,
                "<tr title=\"{}\"><td>{} <code>{}</code></td><td class=\"text\">{}</td>",
                escape(&definition(&path)),
                escape(&label(name)),
                escape(name),
                unit_name(&path)
            );
            for r in reports {
                html.push_str(&cell(&path, of(r).as_ref().and_then(|m| m.get(name))));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str(&daily(reports));
    html.push_str("</section>\n");
    html
}

/// The distribution of each replicated day's ASA, per queue.
fn daily(reports: &[Report]) -> String {
    let rows: Vec<(&Report, &String, &super::DailyReport)> = reports
        .iter()
        .flat_map(|r| r.days.iter().map(move |(q, d)| (r, q, d)))
        .filter(|(_, _, d)| d.days > 0)
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        "<table class=\"daily\"><caption>ASA of single days (each whole day of each replication)</caption><thead><tr>",
    );
    if reports.len() > 1 {
        html.push_str("<th>scenario</th>");
    }
    html.push_str("<th>queue</th><th>days</th><th>mean</th><th>10th percentile</th><th>median</th><th>90th percentile</th><th>worst day</th><th>days within the ASA target</th></tr></thead><tbody>\n");
    let s = |v: Option<f64>| v.map_or("n/a".to_string(), |x| number("asa_s", x));
    for (r, q, d) in rows {
        html.push_str("<tr title=\"Each whole day in [warmup, horizon) of each replication, with an answered contact, is one replicated day; its ASA is the mean wait of the contacts that arrived that day and were answered.\">");
        if reports.len() > 1 {
            let _ = write!(html, "<td>{}</td>", escape(&r.scenario));
        }
        let within: Vec<String> = d
            .within
            .iter()
            .map(|w| {
                format!(
                    "≤ {}: {}",
                    number("asa_s", w.max_s),
                    w.share
                        .mean
                        .map_or("n/a".into(), |m| number("abandon_rate", m))
                )
            })
            .collect();
        let _ = writeln!(
            html,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(q),
            d.days,
            s(d.asa_s_mean),
            s(d.asa_s_p10),
            s(d.asa_s_p50),
            s(d.asa_s_p90),
            s(d.asa_s_max),
            escape(&if within.is_empty() {
                "—".to_string()
            } else {
                within.join("; ")
            })
        );
    }
    html.push_str("</tbody></table>\n");
    html
}

/// The figures, inline SVG, each with its caption.
fn figures(plots: &[(String, Vec<PlotFile>)]) -> String {
    let mut html = String::from("<section id=\"figures\">\n<h2>Figures</h2>\n");
    for (group, files) in plots {
        let heading = if group == "comparison" {
            "Scenarios compared".to_string()
        } else {
            format!("Scenario {group}")
        };
        let _ = writeln!(html, "<h3>{}</h3>", escape(&heading));
        for f in files.iter().filter(|f| f.name.ends_with(".svg")) {
            let svg = String::from_utf8_lossy(&f.bytes);
            let body = svg.find("<svg").map_or(svg.as_ref(), |i| &svg[i..]);
            // Inline SVG in HTML needs no namespace; dropping it keeps every address out.
            let body = body.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
            let _ = writeln!(
                html,
                "<figure id=\"fig-{}\">{body}<figcaption>{} <code>{}</code></figcaption></figure>",
                escape(&anchor(&format!("{group}-{}", f.name))),
                escape(&f.caption),
                escape(&f.name.replace(".svg", ".png/.svg"))
            );
        }
    }
    html.push_str("</section>\n");
    html
}

/// A fragment identifier made of letters, digits and `-`.
fn anchor(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A number in the metric's unit as the terminal table prints it, except that counts of 100
/// or more are whole and grouped by thousands (`46,593`), and durations of two minutes or
/// more also say the minutes (`125.0 s (2.1 min)`).
fn number(metric: &str, v: f64) -> String {
    let unit = crate::metrics::def_of(metric).map(|d| d.unit);
    match unit {
        Some(Unit::Count | Unit::Agents) | None if v.abs() >= 100.0 && v.is_finite() => {
            grouped(v.round())
        }
        Some(Unit::Seconds) if v >= 120.0 && v.is_finite() => {
            format!("{} ({:.1} min)", super::table::number(metric, v), v / 60.0)
        }
        _ => super::table::number(metric, v),
    }
}

/// A whole number with thousands separated by commas: `-1,234,567`.
pub(crate) fn grouped(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// The metric's definition, for a title attribute.
fn definition(path: &str) -> String {
    crate::metrics::def_of(path).map_or_else(
        || format!("{path}: not a metric callsim defines"),
        |d| {
            let pooled = if d.pooled {
                " (pooled over all replications)"
            } else {
                ""
            };
            format!("{}: {}{pooled}", d.name, d.definition)
        },
    )
}

/// The unit a metric's numbers are in, in words.
fn unit_name(path: &str) -> &'static str {
    match crate::metrics::def_of(path).map(|d| d.unit) {
        Some(Unit::Seconds) => "seconds",
        Some(Unit::LeadTime) => "days",
        Some(Unit::Share) => "% (share)",
        Some(Unit::Agents) => "agents",
        Some(Unit::Count) | None => "count",
    }
}

/// `phone: average speed of answer` for `phone.asa_s`.
fn path_label(path: &str) -> String {
    match crate::metrics::MetricPath::parse(path) {
        Ok(crate::metrics::MetricPath::Queue { queue, .. }) => {
            let name = path.rsplit('.').next().unwrap_or(path);
            format!("queue {queue}: {}", label(name))
        }
        Ok(crate::metrics::MetricPath::Staff { group, .. }) => {
            let name = path.rsplit('.').next().unwrap_or(path);
            format!("staff group {group}: {}", label(name))
        }
        Err(_) => path.to_string(),
    }
}

/// A metric's name in words, for a planner: `asa_s` → `average speed of answer (ASA)`.
fn label(name: &str) -> String {
    let words = match name {
        "offered" => "offered",
        "callers" => "callers (first attempts)",
        "redials" => "redials",
        "callers_lost" => "callers lost for good",
        "answered" => "answered",
        "unreached" => "answered but not reached",
        "abandoned" => "abandoned",
        "asa_s" => "average speed of answer (ASA)",
        "mean_wait_s" => "mean wait (answered or abandoned)",
        "wait_p50_s" => "median wait",
        "wait_p90_s" => "90th percentile wait",
        "wait_p95_s" => "95th percentile wait",
        "max_wait_s" => "longest wait",
        "abandon_rate" => "abandonment rate",
        "service_level" => "service level",
        "queue_len_mean" => "contacts waiting (average)",
        "backlog_end_of_day_mean" => "backlog at midnight (average)",
        "backlog_end_of_day_max" => "backlog at midnight (most)",
        "booked" => "callbacks booked",
        "bookings" => "bookings into slots",
        "booking_lead_s" => "booking lead time",
        "booking_lead_p90_s" => "booking lead time, 90th percentile",
        "booking_lead_max_s" => "booking lead time, longest",
        "slot_utilization" => "slot utilization",
        "bookings_unserved_at_horizon" => "bookings unserved at the end",
        "asa_s_pooled" => "ASA, pooled",
        "mean_wait_s_pooled" => "mean wait, pooled",
        "abandon_rate_pooled" => "abandonment rate, pooled",
        "service_level_pooled" => "service level, pooled",
        "utilization" => "utilization",
        "utilization_pooled" => "utilization, pooled",
        "agents_mean" => "agents on duty (average)",
        other => {
            return match other.strip_prefix("utilization_on_") {
                Some(q) => format!("utilization on queue {q}"),
                None => other.replace('_', " "),
            };
        }
    };
    words.to_string()
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn target(metric: &str, max: f64, value: f64, ci: [f64; 2]) -> TargetResult {
        TargetResult {
            metric: metric.to_string(),
            max: Some(max),
            min: None,
            value: Some(value),
            ci95: Some(ci),
            met: value <= max,
            met_strict: ci[1] <= max,
        }
    }

    #[test]
    fn the_three_verdicts_get_three_classes_and_text_is_escaped() {
        let mut r = fixture::report(
            "a<b",
            5,
            &[("asa_s", 30.0, 3.0)],
            &[("utilization", 0.8, 0.01)],
        );
        r.targets = vec![
            target("phone.asa_s", 60.0, 30.0, [27.0, 33.0]),
            target("phone.asa_s", 31.0, 30.0, [27.0, 33.0]),
            target("phone.asa_s", 20.0, 30.0, [27.0, 33.0]),
        ];
        let about = About {
            description: Some("x & <y>".into()),
            file: Some("f\"1\".json".into()),
        };
        let html = page(&[r], &[about], &[]);
        for class in [
            "v-met\">met</td>",
            "v-unsure\">met?</td>",
            "v-missed\">MISSED</td>",
        ] {
            assert!(html.contains(class), "{class}");
        }
        assert!(html.contains("x &amp; &lt;y&gt;") && html.contains("f&quot;1&quot;.json"));
        assert!(html.contains("a&lt;b") && !html.contains("a<b"));
        assert!(html.contains("1 met</span>") && html.contains("1 missed</span>"));
    }

    #[test]
    fn every_metric_row_has_its_definition_and_unit() {
        let r = fixture::report(
            "s",
            3,
            &[("asa_s", 30.0, 3.0), ("service_level", 0.8, 0.05)],
            &[("utilization_on_phone", 0.5, 0.1)],
        );
        let html = page(std::slice::from_ref(&r), &[], &[]);
        assert!(html.contains("title=\"asa_s: mean wait of answered contacts"));
        assert!(html.contains("utilization on queue phone"));
        assert!(html.contains("<td class=\"text\">seconds</td>"));
        assert!(html.contains("The scenario file has no <code>description</code>"));
        assert!(
            html.contains("<td class=\"text\">—</td>"),
            "the unknown file"
        );
    }

    #[test]
    fn labels_are_words() {
        assert_eq!(label("asa_s"), "average speed of answer (ASA)");
        assert_eq!(label("some_new_metric"), "some new metric");
        assert_eq!(
            path_label("staff.agents.utilization"),
            "staff group agents: utilization"
        );
        assert_eq!(anchor("a b/c.svg"), "a-b-c-svg");
        assert_eq!(number("phone.offered", 46593.04), "46,593");
        assert_eq!(number("phone.offered", 7.04), "7.0");
        assert_eq!(number("phone.asa_s", 150.0), "150.0 s (2.5 min)");
        assert_eq!(number("phone.asa_s", 41.26), "41.3 s");
        assert_eq!(grouped(-1234567.0), "-1,234,567");
    }
}
