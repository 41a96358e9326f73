//! What the page's form shows of a scenario: its levers (the values a planner changes: staff
//! counts and schedules per group, staff reassigned, volumes, targets) and its assumptions in
//! words, both read from the scenario's merged JSON.

use serde::Serialize;
use serde_json::Value;

/// One value the form lets the planner change, at a scenario path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Lever {
    /// The dotted scenario path, as `--set` takes it.
    pub path: String,
    /// The form's section: `staff`, `volumes` or `targets`.
    pub section: &'static str,
    /// What the planner reads.
    pub label: String,
    /// `count` (a whole number), `number`, or `duration` (text such as `2m`, or seconds).
    pub kind: &'static str,
    /// The scenario's value.
    pub value: Value,
    /// Whether "how many?" can search it (a whole number of staff).
    pub searchable: bool,
}

/// A heading and its lines, for the assumptions panel.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// One assumption a line.
    pub lines: Vec<String>,
}

/// Every lever of the scenario, staff first.
pub fn levers(json: &Value) -> Vec<Lever> {
    let mut out = Vec::new();
    for (g, group) in objects(json.get("staff")) {
        let serves = names(group.get("serves"));
        let label = format!("{g} (serving {serves})");
        staff_levers(&mut out, &format!("staff.{g}.count"), &label, group.get("count"));
        if let Some(re) = group.get("reassign") {
            let label = format!("{g} reassigned to {}", names(re.get("serves")));
            let path = format!("staff.{g}.reassign.count");
            staff_levers(&mut out, &path, &label, re.get("count"));
        }
    }
    for (q, queue) in objects(json.get("queues")) {
        let arrivals = queue.get("arrivals");
        for (key, per) in [("per_week", "week"), ("per_day", "day"), ("per_hour", "hour")] {
            if let Some(v) = arrivals.and_then(|a| a.get(key)).filter(|v| v.is_number()) {
                out.push(Lever {
                    path: format!("queues.{q}.arrivals.{key}"),
                    section: "volumes",
                    label: format!("{q}: contacts a {per}"),
                    kind: "number",
                    value: v.clone(),
                    searchable: false,
                });
            }
        }
    }
    let targets = json.get("targets").and_then(Value::as_array);
    for (i, t) in targets.into_iter().flatten().enumerate() {
        let metric = t.get("metric").and_then(Value::as_str).unwrap_or("?");
        for (key, words) in [("max", "at most"), ("min", "at least")] {
            if let Some(v) = t.get(key).filter(|v| v.is_number() || v.is_string()) {
                out.push(Lever {
                    path: format!("targets.{i}.{key}"),
                    section: "targets",
                    label: format!("{} {words}", metric_words(metric)),
                    kind: if v.is_string() || metric.ends_with("_s") {
                        "duration"
                    } else {
                        "number"
                    },
                    value: v.clone(),
                    searchable: false,
                });
            }
        }
    }
    out
}

/// A metric's name as a planner reads it: `asa_s` gives `average wait (ASA)`.
pub fn label(name: &str) -> String {
    match name {
        "asa_s" => "average wait (ASA)".into(),
        "service_level" => "service level".into(),
        "abandon_rate" => "abandonment".into(),
        "booking_lead_s" => "booking lead time".into(),
        other => other.trim_end_matches("_s").replace('_', " "),
    }
}

/// A metric path in words: `phone.asa_s` gives `phone: average wait (ASA)`.
fn metric_words(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((scope, name)) => format!("{}: {}", scope.trim_start_matches("staff."), label(name)),
        None => label(path),
    }
}

/// The levers of a staff count: the number itself, or each count of its weekly schedule.
fn staff_levers(out: &mut Vec<Lever>, path: &str, label: &str, count: Option<&Value>) {
    let lever = |path: String, label: String, value: &Value| Lever {
        path,
        section: "staff",
        label,
        kind: "count",
        value: value.clone(),
        searchable: value.is_u64(),
    };
    match count {
        Some(v) if v.is_number() => out.push(lever(path.to_string(), label.to_string(), v)),
        Some(Value::Object(days)) => {
            for (day, slots) in days.iter().filter(|(d, _)| plain_key(d)) {
                match slots {
                    Value::Object(times) => {
                        for (time, n) in times.iter().filter(|(t, n)| plain_key(t) && n.is_number()) {
                            let (p, l) = (format!("{path}.{day}.{time}"), format!("{label}, {day} {time}"));
                            out.push(lever(p, l, n));
                        }
                    }
                    n if n.is_number() => {
                        out.push(lever(format!("{path}.{day}"), format!("{label}, {day}"), n));
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Array(steps)) => {
            for (i, step) in steps.iter().enumerate() {
                if let [Value::String(at), n] = step.as_array().map_or(&[][..], Vec::as_slice)
                    && n.is_number()
                {
                    out.push(lever(format!("{path}.{i}.1"), format!("{label}, from {at}"), n));
                }
            }
        }
        _ => {}
    }
}

/// A key a dotted path can name (no dot in it).
fn plain_key(key: &str) -> bool {
    !key.is_empty() && !key.contains('.')
}

/// What the scenario assumes, in words: time, each queue, each staff group, the targets.
pub fn assumptions(json: &Value) -> Vec<Section> {
    let mut out = vec![Section {
        title: "Run".into(),
        lines: ["horizon", "warmup", "interval", "replications", "seed"]
            .iter()
            .filter_map(|k| json.get(*k).map(|v| format!("{k}: {}", text(v))))
            .collect(),
    }];
    for (q, queue) in objects(json.get("queues")) {
        let lines = objects(Some(queue))
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), text(v)))
            .collect();
        out.push(Section {
            title: format!("Queue {q}"),
            lines,
        });
    }
    for (g, group) in objects(json.get("staff")) {
        let lines = objects(Some(group))
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), text(v)))
            .collect();
        out.push(Section {
            title: format!("Staff group {g}"),
            lines,
        });
    }
    let targets = json.get("targets").and_then(Value::as_array);
    let lines: Vec<String> = targets.into_iter().flatten().map(target_text).collect();
    if !lines.is_empty() {
        out.push(Section {
            title: "Targets".into(),
            lines,
        });
    }
    out
}

fn target_text(t: &Value) -> String {
    let metric = t.get("metric").map_or("?".into(), text);
    let bounds: Vec<String> = [("min", "≥"), ("max", "≤")]
        .iter()
        .filter_map(|(k, sign)| t.get(*k).map(|v| format!("{sign} {}", text(v))))
        .collect();
    format!("{metric} {}", bounds.join(" and "))
}

/// A JSON value in words: `lognormal, mean 7m, cv 0.8`; schedules as `mon-fri 08:00-16:30: 138`.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).into(),
        Value::Null => "none".into(),
        Value::Array(items) => {
            let pair = |i: &Value| i.as_array().is_some_and(|p| p.len() == 2);
            let sep = if items.iter().all(pair) { "; " } else { ", " };
            items.iter().map(text).collect::<Vec<_>>().join(sep)
        }
        Value::Object(map) if map.get("dist").is_some_and(|d| d == "mixture") => {
            let parts = map.get("parts").and_then(Value::as_array);
            let parts = parts.into_iter().flatten().map(|p| {
                let w = p.get("weight").and_then(Value::as_f64).unwrap_or(0.0);
                format!("{}% {}", (w * 100.0).round(), text(&without(p, "weight")))
            });
            format!("mixture of {}", parts.collect::<Vec<_>>().join(" and "))
        }
        Value::Object(map) => {
            let dist = map.get("dist").and_then(Value::as_str);
            let rest = map
                .iter()
                .filter(|(k, _)| k.as_str() != "dist")
                .map(|(k, v)| match v {
                    Value::Object(_) => format!("{k} ({})", text(v)),
                    _ if dist.is_some() => format!("{k} {}", text(v)),
                    _ => format!("{k}: {}", text(v)),
                });
            dist.map(str::to_string)
                .into_iter()
                .chain(rest)
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

fn without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    if let Value::Object(map) = &mut v {
        map.shift_remove(key);
    }
    v
}

fn objects(v: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    v.and_then(Value::as_object).into_iter().flatten()
}

fn names(v: Option<&Value>) -> String {
    let items = v.and_then(Value::as_array).into_iter().flatten();
    let names: Vec<&str> = items.filter_map(Value::as_str).collect();
    if names.is_empty() {
        "its queues".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schedule_gives_one_lever_per_count_and_a_number_one() {
        let sc = json!({
            "queues": {"phone": {"arrivals": {"per_week": 45000}}},
            "staff": {
                "cc": {"count": {"mon-fri": {"08:00-12:00": 10, "12:00-16:00": 12}}, "serves": ["phone"]},
                "office": {"count": 250, "serves": ["office"], "reassign": {"count": 93, "serves": ["phone"]}},
                "night": {"count": [["mon 20:00", 3], ["tue 06:00", 0]], "serves": ["phone"]}
            },
            "targets": [{"metric": "phone.asa_s", "max": "2m"}, {"metric": "phone.answered", "min": 36000}]
        });
        for lever in levers(&sc) {
            let same = crate::sweep::apply(&sc, &lever.path, &lever.value).unwrap();
            assert_eq!(same, sc, "{} names its own value", lever.path);
        }
        let paths: Vec<(String, &str, bool)> = levers(&sc)
            .into_iter()
            .map(|l| (l.path, l.kind, l.searchable))
            .collect();
        let expect = [
            ("staff.cc.count.mon-fri.08:00-12:00", "count", true),
            ("staff.cc.count.mon-fri.12:00-16:00", "count", true),
            ("staff.office.count", "count", true),
            ("staff.office.reassign.count", "count", true),
            ("staff.night.count.0.1", "count", true),
            ("staff.night.count.1.1", "count", true),
            ("queues.phone.arrivals.per_week", "number", false),
            ("targets.0.max", "duration", false),
            ("targets.1.min", "number", false),
        ];
        let expect: Vec<(String, &str, bool)> =
            expect.iter().map(|(p, k, s)| (p.to_string(), *k, *s)).collect();
        assert_eq!(paths, expect);
    }

    #[test]
    fn every_lever_path_exists_in_its_scenario() {
        for entry in std::fs::read_dir("scenarios").unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let sc = crate::api::Scenario::from_path(&path).unwrap();
            for lever in levers(sc.json()) {
                let same = crate::sweep::apply(sc.json(), &lever.path, &lever.value).unwrap();
                assert_eq!(&same, sc.json(), "{}: {}", path.display(), lever.path);
            }
        }
    }

    #[test]
    fn distributions_and_schedules_read_as_words() {
        let d = json!({"dist": "mixture", "parts": [
            {"weight": 0.85, "dist": "lognormal", "mean": "7m", "cv": 0.8},
            {"weight": 0.15, "dist": "lognormal", "mean": "20m", "cv": 0.5}]});
        assert_eq!(
            text(&d),
            "mixture of 85% lognormal, mean 7m, cv 0.8 and 15% lognormal, mean 20m, cv 0.5"
        );
        assert_eq!(text(&json!({"mon-fri": {"08:00-16:30": 138}})), "mon-fri (08:00-16:30: 138)");
        assert_eq!(target_text(&json!({"metric": "phone.asa_s", "max": "2m"})), "phone.asa_s ≤ 2m");
    }
}
