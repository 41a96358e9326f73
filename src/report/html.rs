//! report.html: one self-contained page (tables and SVG plots inline, no network) for the
//! scenarios of one `callsim run --out`.

use super::Report;
use super::plot::PlotFile;
use std::fmt::Write;

/// The page: for each scenario its description, targets, warnings and metrics table, with
/// every scenario side by side when there are several, then the plots.
pub fn page(reports: &[Report], plots: &[(String, Vec<PlotFile>)]) -> String {
    let title = reports
        .iter()
        .map(|r| r.scenario.as_str())
        .collect::<Vec<_>>()
        .join(" vs ");
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>callsim: {}</title>\n<style>{STYLE}</style></head><body>\n<h1>callsim: {}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = writeln!(
        html,
        "<p>± is the 95% confidence half-width (Student-t over the replications).</p>"
    );
    html.push_str(&targets(reports));
    html.push_str(&metrics(reports));
    for (scenario, files) in plots {
        let _ = writeln!(html, "<h2>Plots: {}</h2>", escape(scenario));
        for f in files.iter().filter(|f| f.name.ends_with(".svg")) {
            let svg = String::from_utf8_lossy(&f.bytes);
            let body = svg.find("<svg").map_or(svg.as_ref(), |i| &svg[i..]);
            let _ = writeln!(
                html,
                "<figure>{body}<figcaption>{}</figcaption></figure>",
                escape(&f.name)
            );
        }
    }
    html.push_str("</body></html>\n");
    html
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1250px;margin:2em auto;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
th:first-child,td:first-child{text-align:left}.missed{color:#b00;font-weight:bold}.met{color:#070}\
figure{margin:1em 0}svg{max-width:100%;height:auto}";

fn targets(reports: &[Report]) -> String {
    let mut html = String::from(
        "<h2>Targets and warnings</h2>\n<table><tr><th>scenario</th><th>target</th><th>mean</th><th>ci95</th><th>verdict</th></tr>\n",
    );
    for r in reports {
        for t in &r.targets {
            let bounds = [
                t.min
                    .map(|v| format!("≥ {}", super::table::number(&t.metric, v))),
                t.max
                    .map(|v| format!("≤ {}", super::table::number(&t.metric, v))),
            ];
            let bounds: Vec<String> = bounds.into_iter().flatten().collect();
            let mean = t
                .value
                .map_or("n/a".into(), |v| super::table::number(&t.metric, v));
            let ci = t.ci95.map_or("n/a".into(), |[a, b]| {
                format!(
                    "[{}, {}]",
                    super::table::number(&t.metric, a),
                    super::table::number(&t.metric, b)
                )
            });
            // The words of `callsim check`: "met?" when the interval crosses a bound.
            let (word, passed) = super::check::verdict(t, false);
            let class = if passed { "met" } else { "missed" };
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{} {}</td><td>{mean}</td><td>{ci}</td><td class=\"{class}\">{word}</td></tr>",
                escape(&r.scenario),
                escape(&t.metric),
                escape(&bounds.join(" and "))
            );
        }
    }
    html.push_str("</table>\n<ul>\n");
    for r in reports {
        for w in &r.warnings {
            let _ = writeln!(
                html,
                "<li>{}: {}</li>",
                escape(&r.scenario),
                escape(&w.to_string())
            );
        }
    }
    html.push_str("</ul>\n");
    html
}

fn metrics(reports: &[Report]) -> String {
    let text = if reports.len() > 1 {
        super::table::side_by_side(reports)
    } else {
        super::table::render(&reports[0])
    };
    format!("<h2>Metrics</h2>\n<pre>{}</pre>\n", escape(&text))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
