//! report.html and the per-run plots as `callsim run FILE --out DIR` writes them: the summary
//! first, the three verdicts told apart, tables with definitions, captions that are
//! sentences, nothing loaded from elsewhere, well-formed markup; the service-level plots, the
//! ASA target line and the weekday-and-clock x axis.

use crate::common::callsim;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report-verdicts.json")
}

/// The --out directory of one run of the fixture, made once for every test here.
fn out() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        callsim()
            .args(["run", "--out"])
            .arg(dir.path())
            .arg(fixture())
            .assert()
            .success();
        dir
    })
    .path()
}

fn html() -> String {
    std::fs::read_to_string(out().join("report.html")).unwrap()
}

fn text_of(path: &str) -> String {
    std::fs::read_to_string(out().join(path)).unwrap()
}

/// The position of `needle` in `hay`, failing with its name when absent.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in report.html"))
}

#[test]
fn the_summary_comes_first_then_the_scenario_run_metrics_and_figures() {
    let html = html();
    let order = [
        "<section id=\"summary\">",
        "<h3>Targets</h3>",
        "<h3>Headline figures</h3>",
        "<section id=\"scenario\">",
        "<section id=\"run\">",
        "<section id=\"metrics\">",
        "<section id=\"figures\">",
    ];
    let positions: Vec<usize> = order.iter().map(|s| at(&html, s)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    // The headline figures name the queue's ASA with its interval, before any metric table.
    let summary = &html[positions[0]..positions[3]];
    assert!(summary.contains("ASA (average speed of answer)") && summary.contains("95%: "));
    assert!(summary.contains("<th>staff group</th>") && summary.contains(">agents<"));
    assert!(!summary.contains("class=\"metrics\""));
}

#[test]
fn the_description_and_the_run_metadata_are_shown_escaped() {
    let html = html();
    let scenario = &html[at(&html, "<section id=\"scenario\">")..at(&html, "<section id=\"run\">")];
    assert!(
        scenario.contains("one queue &lt;phone&gt; &amp; one group")
            && scenario.contains("&quot;Quoted&quot; and &#39;single-quoted&#39;"),
        "{scenario}"
    );
    let run = &html[at(&html, "<section id=\"run\">")..at(&html, "<section id=\"metrics\">")];
    let json: serde_json::Value = serde_json::from_str(&text_of("result.json")).unwrap();
    let sha = json["provenance"]["scenario_sha256"].as_str().unwrap();
    let events = json["provenance"]["events"].as_u64().unwrap();
    for expected in [
        sha.to_string(),
        format!("<td class=\"text\">{events}</td>"),
        format!("<td class=\"text\">{}</td>", env!("CARGO_PKG_VERSION")),
        "<td class=\"text\">11</td>".to_string(),
        "<td class=\"text\">5</td>".to_string(),
        "report-verdicts.json".to_string(),
    ] {
        assert!(run.contains(&expected), "no {expected} in {run}");
    }
}

#[test]
fn the_three_verdicts_have_three_classes_and_colours() {
    let html = html();
    let targets = &html[at(&html, "<h3>Targets</h3>")..at(&html, "<h3>Headline figures</h3>")];
    for (class, word) in [
        ("v-met", "met"),
        ("v-unsure", "met?"),
        ("v-missed", "MISSED"),
    ] {
        assert_eq!(
            targets
                .matches(&format!("class=\"verdict {class}\">{word}</td>"))
                .count(),
            1,
            "one {word} target"
        );
    }
    // Each class its own colour in the style sheet.
    let colour = |class: &str| {
        let rule = &html[at(&html, &format!(".{class}{{color:"))..];
        rule[..rule.find('}').unwrap()].to_string()
    };
    let colours = [colour("v-met"), colour("v-unsure"), colour("v-missed")];
    assert!(
        colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2],
        "{colours:?}"
    );
    assert!(html.contains("1 met</span>") && html.contains("1 met?</span>"));
}

#[test]
fn every_metric_row_has_its_definition_and_unit() {
    let html = html();
    let section =
        &html[at(&html, "<section id=\"metrics\">")..at(&html, "<section id=\"figures\">")];
    let json: serde_json::Value = serde_json::from_str(&text_of("result.json")).unwrap();
    let mut rows = 0;
    for table in section.split("<table class=\"metrics\">").skip(1) {
        let body = &table[..table.find("</table>").unwrap()];
        let caption = &body[at(body, "<caption>") + 9..at(body, "</caption>")];
        let path_of = |name: &str| match caption.strip_prefix("Staff group ") {
            Some(g) => format!("staff.{g}.{name}"),
            None => format!("{}.{name}", caption.strip_prefix("Queue ").unwrap()),
        };
        for row in body.split("<tr").skip(2) {
            let name = &row[at(row, "<code>") + 6..at(row, "</code>")];
            let def = callsim::metrics::def_of(&path_of(name))
                .unwrap_or_else(|| panic!("{name} is a metric"));
            let title = &row[at(row, " title=\"") + 8..];
            let title = &title[..title.find('"').unwrap()];
            let definition = def
                .definition
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            assert!(title.contains(&definition), "{name}: {title}");
            let unit = ["count", "agents", "seconds", "days", "% (share)"];
            assert!(
                unit.iter()
                    .any(|u| row.contains(&format!("<td class=\"text\">{u}</td>")))
            );
            rows += 1;
        }
    }
    let metrics = |k: &str| {
        json[k]
            .as_object()
            .unwrap()
            .values()
            .map(|m| m.as_object().unwrap().len())
    };
    let expected: usize = metrics("queues").sum::<usize>() + metrics("staff").sum::<usize>();
    assert_eq!(rows, expected, "a row per metric of the result");
}

#[test]
fn captions_are_sentences_that_say_what_a_figure_shows() {
    let html = html();
    let captions: Vec<&str> = html
        .split("<figcaption>")
        .skip(1)
        .map(|c| &c[..c.find("</figcaption>").unwrap()])
        .collect();
    assert_eq!(captions.len(), 4, "volume, ASA, service level, staff");
    for c in &captions {
        let sentence = c.split(" <code>").next().unwrap();
        assert!(sentence.chars().next().unwrap().is_uppercase(), "{c}");
        assert!(
            sentence.ends_with('.') && sentence.split(' ').count() >= 8,
            "{c}"
        );
        assert!(
            !sentence.contains(".svg") && !sentence.contains(".png"),
            "{c}"
        );
    }
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Average speed of answer")
                && c.contains("and the target of at most 10 min"))
    );
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Service level of queue phone")
                && c.contains("the target of at least 99 %"))
    );
}

#[test]
fn nothing_is_loaded_from_elsewhere() {
    let html = html();
    for banned in ["http", "<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(banned), "report.html holds {banned:?}");
    }
    // Links only within the page.
    for link in html.split("href=\"").skip(1) {
        assert!(link.starts_with('#'), "{}", &link[..20.min(link.len())]);
    }
}

/// Checks that every element is closed, in order (void and self-closed ones aside).
fn assert_well_formed(html: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').expect("every < has its >") + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "a bare < in the text: <{tag}>");
        if ["meta", "br", "hr", "img", "input"].contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            let open = stack.pop();
            assert_eq!(
                open.as_deref(),
                Some(name.as_str()),
                "</{name}> closes {open:?}"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

#[test]
fn the_page_is_well_formed() {
    let html = html();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert_eq!(
        html.matches("<table").count(),
        html.matches("</table>").count()
    );
    assert_well_formed(&html);
    // The checker catches what it should.
    let broken = std::panic::catch_unwind(|| assert_well_formed("<table><tr><td>1</tr></table>"));
    assert!(broken.is_err());
}

#[test]
fn the_plots_show_the_service_level_the_asa_target_and_weekdays() {
    for ext in ["png", "svg"] {
        assert!(out().join(format!("phone-service-level.{ext}")).exists());
    }
    let asa = text_of("phone-asa.svg");
    // The target's line label, in the legend and on the line.
    assert_eq!(asa.matches("target: ≤ 600 s").count(), 2, "the 10m target");
    let service = text_of("phone-service-level.svg");
    assert_eq!(service.matches("target: ≥ 99 %").count(), 2);
    // The x axis counts no hours: weekday and clock time (the run starts Monday 00:00).
    for svg in [
        &asa,
        &service,
        &text_of("phone-volume.svg"),
        &text_of("staff-agents.svg"),
    ] {
        // plotters writes each text on a line of its own.
        assert!(svg.contains("\nMon 00:00\n") && svg.contains("\nMon 04:00\n"));
        assert!(!svg.contains("since"), "no hours since a start");
    }
    let html = html();
    assert_eq!(html.matches("<svg").count(), 4, "each plot inline once");
}

#[test]
fn several_scenarios_stand_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture()).unwrap();
    let other = dir.path().join("more-agents.json");
    let more = text
        .replace("\"name\": \"verdicts\"", "\"name\": \"more-agents\"")
        .replace("\"count\": 6", "\"count\": 8");
    std::fs::write(&other, more).unwrap();
    let out = dir.path().join("out");
    callsim()
        .args(["run", "--reps", "3", "--out"])
        .arg(&out)
        .arg(fixture())
        .arg(&other)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("<h1>verdicts vs more-agents</h1>"));
    // A column per scenario in the metric tables, a row per scenario in the summary.
    let metrics = &html[at(&html, "<table class=\"metrics\">")..];
    assert!(metrics.contains("<th>verdicts</th><th>more-agents</th>"));
    let targets = &html[at(&html, "<h3>Targets</h3>")..at(&html, "<h3>Headline figures</h3>")];
    assert_eq!(targets.matches("<td>more-agents</td>").count(), 3);
    assert!(
        html.contains("<h3>Scenarios compared</h3>")
            && html.contains("<h3>Scenario more-agents</h3>")
    );
    assert!(html.contains("in each of the 2 scenarios"));
    assert!(out.join("more-agents/phone-service-level.svg").exists());
}
