//! `callsim serve`: its JSON API against the command line, every class of bad request, path
//! traversal, oversize bodies, concurrent runs, and the page's jobs (progress, cancel).

use super::common::{callsim, write};
use super::server::Server;
use serde_json::{Value, json};
use std::path::Path;

fn scenarios() -> Server {
    Server::start(Path::new("scenarios"), &[])
}

fn cli_json(args: &[&str]) -> Value {
    let out = callsim().args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn lists_the_scenarios_of_its_directory_and_serves_the_page_from_the_binary() {
    let server = scenarios();
    let (status, text) = server.get("/api/scenarios");
    assert_eq!(status, 200);
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut files: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".json"))
        .collect();
    files.sort();
    let listed: Vec<&str> = list.iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(listed, files);
    let fpa = &list[files.iter().position(|f| f == "fpa-2020-05.json").unwrap()];
    assert_eq!(fpa["name"], "fpa-2020-05");
    assert!(
        fpa["description"]
            .as_str()
            .unwrap()
            .starts_with("FPA (Kela)")
    );
    for asset in ["/", "/app.js", "/style.css"] {
        let (status, text) = server.get(asset);
        assert_eq!(status, 200, "{asset}");
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{asset} loads nothing from elsewhere"
        );
    }
    let page = server.get("/").1;
    assert!(page.contains("<script src=\"/app.js\"></script>"));
    for file in &files {
        let option = format!("<option value=\"{file}\">");
        assert!(page.contains(&option), "GET / lists {file}");
    }
    assert_eq!(server.get("/nothing-here").0, 404);
}

#[test]
fn a_directory_lists_only_the_scenarios_that_load() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("scenarios/erlang-a-example.json").unwrap();
    write(&dir, "good.json", &good);
    write(&dir, "broken.json", "{\"name\": ");
    write(&dir, "notes.txt", "not a scenario");
    std::fs::create_dir(dir.path().join("sub.json")).unwrap();
    let server = Server::start(dir.path(), &[]);
    let list: Value = serde_json::from_str(&server.get("/api/scenarios").1).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["file"], "good.json");
    let (status, text) = server.post("/api/run", r#"{"file": "broken.json"}"#);
    assert_eq!(status, 400);
    assert!(
        text.contains("broken.json") && text.contains("JSON syntax error"),
        "{text}"
    );
    assert!(
        !text.contains(&dir.path().display().to_string()),
        "no server path in {text}"
    );
}

#[test]
fn a_run_is_the_command_lines_run_json() {
    let server = scenarios();
    for file in [
        "erlang-a-example.json",
        "fpa-2020-05.json",
        "fpa-reopened.json",
    ] {
        let served = server.post_json("/api/run", &json!({"file": file, "reps": 2}), 200);
        let path = format!("scenarios/{file}");
        assert_eq!(
            served,
            cli_json(&["run", &path, "--reps", "2", "--json"]),
            "{file}"
        );
    }
}

#[test]
fn an_edited_run_is_the_run_of_the_file_it_downloads() {
    let server = scenarios();
    let request = json!({
        "file": "fpa-reopened.json",
        "set": {"staff.office_staff.reassign.count": 60, "targets.0.max": "3m"},
        "reps": 2
    });
    let served = server.post_json("/api/run", &request, 200);
    let (status, file) = server.post("/api/download", &request.to_string());
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "edited.json", &file);
    let edited: Value = serde_json::from_str(&file).unwrap();
    assert!(edited.get("extends").is_none(), "the download stands alone");
    assert!(
        edited["description"]
            .as_str()
            .unwrap()
            .contains("staff.office_staff.reassign.count = 60")
    );
    let run = cli_json(&["run", path.to_str().unwrap(), "--reps", "2", "--json"]);
    assert_eq!(served, run);
    let unedited = server.post_json(
        "/api/run",
        &json!({"file": "fpa-reopened.json", "reps": 2}),
        200,
    );
    let asa = |r: &Value| r["queues"]["phone"]["asa_s"]["mean"].as_f64().unwrap();
    assert!(
        asa(&served) > asa(&unedited),
        "fewer on the phones wait longer"
    );
    assert_eq!(served["targets"][0]["max"], 180.0);
}

#[test]
fn a_staff_search_is_the_command_lines_staff_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut sc: Value =
        serde_json::from_str(&std::fs::read_to_string("scenarios/erlang-a-example.json").unwrap())
            .unwrap();
    sc["targets"] = json!([{"metric": "phone.asa_s", "max": 20}]);
    let file = write(&dir, "asa.json", &sc.to_string());
    let server = Server::start(dir.path(), &[]);
    let request = json!({
        "file": "asa.json",
        "set": {"queues.phone.arrivals.per_hour": 330},
        "lever": "staff.agents.count",
        "direction": "min",
        "reps": 2
    });
    let mut served = server.post_json("/api/staff", &request, 200);
    let mut cli = cli_json(&[
        "staff",
        file.to_str().unwrap(),
        "--lever",
        "staff.agents.count",
        "--min",
        "--set",
        "queues.phone.arrivals.per_hour=330",
        "--reps",
        "2",
        "--json",
    ]);
    // What differs: the search's wall-clock time, and notes name the file as each was given.
    for v in [&mut served, &mut cli] {
        v["cost"]["seconds"] = Value::Null;
    }
    let notes = cli["notes"]
        .to_string()
        .replace(file.to_str().unwrap(), "asa.json");
    cli["notes"] = serde_json::from_str(&notes).unwrap();
    assert_eq!(served, cli);
    assert!(
        served["value"].as_i64().is_some_and(|v| v > 20 && v < 33),
        "{served}"
    );
}

/// Every kind of bad request: HTTP status, the key path it names, words of its message.
#[test]
fn bad_requests_get_400_with_their_message_and_path_and_the_server_goes_on() {
    let mut server = scenarios();
    let erlang = "erlang-a-example.json";
    let cases: Vec<(&str, String, u16, Option<&str>, &str)> = vec![
        ("/api/run", "not json".into(), 400, None, "expected"),
        ("/api/run", "{}".into(), 400, None, "missing field `file`"),
        (
            "/api/run",
            json!({"file": 3}).to_string(),
            400,
            Some("file"),
            "invalid type",
        ),
        (
            "/api/run",
            json!({"file": erlang, "sett": {}}).to_string(),
            400,
            Some("sett"),
            "unknown field",
        ),
        (
            "/api/run",
            json!({"file": erlang, "reps": "x"}).to_string(),
            400,
            Some("reps"),
            "invalid type",
        ),
        (
            "/api/run",
            json!({"file": erlang, "reps": 0}).to_string(),
            400,
            Some("reps"),
            "1 to 1000",
        ),
        (
            "/api/run",
            json!({"file": erlang, "reps": 1001}).to_string(),
            400,
            Some("reps"),
            "1 to 1000",
        ),
        (
            "/api/run",
            json!({"file": "nope.json"}).to_string(),
            400,
            Some("file"),
            "no scenario",
        ),
        (
            "/api/run",
            json!({"file": erlang, "set": {"staff.nobody.count": 3}}).to_string(),
            400,
            Some("staff.nobody.count"),
            "has no",
        ),
        (
            "/api/run",
            json!({"file": erlang, "set": {"staff.agents.count": -1}}).to_string(),
            400,
            Some("staff.agents.count"),
            "whole number",
        ),
        (
            "/api/run",
            json!({"file": erlang, "set": {"queues.phone.handle_time.mean": "soon"}}).to_string(),
            400,
            Some("queues.phone.handle_time.mean"),
            "soon",
        ),
        (
            "/api/run",
            json!({"file": erlang, "set": {"horizon": "1000w"}, "reps": 10}).to_string(),
            400,
            Some("reps"),
            "contacts",
        ),
        (
            "/api/staff",
            json!({"file": erlang, "lever": "staff.agents.count", "direction": "up"}).to_string(),
            400,
            Some("direction"),
            "\"min\"",
        ),
        (
            "/api/staff",
            json!({"file": erlang, "lever": "queues.phone.handle_time", "direction": "min"})
                .to_string(),
            400,
            Some("lever"),
            "whole number",
        ),
        (
            "/api/staff",
            json!({"file": erlang, "direction": "min"}).to_string(),
            400,
            None,
            "missing field `lever`",
        ),
        (
            "/api/jobs",
            json!({"kind": "dance", "file": erlang}).to_string(),
            400,
            Some("kind"),
            "\"run\" or \"staff\"",
        ),
        (
            "/api/jobs",
            json!({"kind": "run", "file": erlang, "reps": -2}).to_string(),
            400,
            Some("reps"),
            "invalid value",
        ),
        (
            "/api/download",
            json!({"file": "../Cargo.toml"}).to_string(),
            400,
            Some("file"),
            "no scenario",
        ),
        (
            "/api/run",
            format!("{{\"file\": \"{}\"}}", "x".repeat(300 * 1024)),
            400,
            None,
            "larger than 256 KiB",
        ),
    ];
    for (route, body, status, path, words) in &cases {
        let (got, text) = server.post(route, body);
        let short = &body[..body.len().min(80)];
        assert_eq!(got, *status, "{route} {short}: {text}");
        let error: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(error["path"].as_str(), *path, "{route} {short}: {text}");
        assert!(
            error["error"].as_str().unwrap().contains(words),
            "{route} {short}: {text}"
        );
    }
    for (route, status) in [
        ("/api/scenario", 400),
        ("/api/scenario?file=../Cargo.toml", 400),
        ("/api/jobs/abc", 404),
        ("/api/jobs/99999", 404),
    ] {
        let (got, text) = server.get(route);
        assert_eq!(got, status, "{route}: {text}");
        assert!(serde_json::from_str::<Value>(&text).unwrap()["error"].is_string());
    }
    assert!(server.alive());
    assert_eq!(server.get("/api/scenarios").0, 200, "still serving");
}

#[test]
fn what_another_web_site_could_send_is_refused() {
    let server = scenarios();
    let port = server.base.rsplit(':').next().unwrap();
    let body = r#"{"file": "erlang-a-example.json", "reps": 1}"#;
    for host in ["evil.example", "evil.example:80", "127.0.0.1.evil.example"] {
        let (status, text) = server.request("POST", "/api/run", body, &[("Host", host)]);
        assert_eq!(status, 400, "{host}: {text}");
        assert!(
            text.contains("answers only as 127.0.0.1 or localhost"),
            "{text}"
        );
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".into(),
    ] {
        let (status, text) = server.request("POST", "/api/run", body, &[("Host", &host)]);
        assert_eq!(status, 200, "{host}: {text}");
    }
    for kind in ["text/plain", "application/x-www-form-urlencoded"] {
        let (status, text) = server.request("POST", "/api/run", body, &[("Content-Type", kind)]);
        assert_eq!(status, 400, "{kind}: {text}");
        assert!(text.contains("Content-Type: application/json"), "{text}");
    }
}

#[test]
fn no_request_reaches_a_file_outside_the_directory() {
    let server = scenarios();
    let outside = [
        "../Cargo.toml",
        "../scenarios/erlang-a-example.json",
        "/etc/passwd",
        "/work/main/scenarios/erlang-a-example.json",
        "shifts/../erlang-a-example.json",
        "..\\Cargo.toml",
        "%2e%2e%2fCargo.toml",
        ".",
        "",
    ];
    for file in outside {
        for route in ["/api/run", "/api/download"] {
            let (status, text) = server.post(route, &json!({"file": file}).to_string());
            assert_eq!(status, 400, "{route} {file:?}: {text}");
            assert!(text.contains("no scenario"), "{text}");
        }
        let (status, _) = server.get(&format!("/api/scenario?file={}", file.replace('%', "%25")));
        assert_eq!(status, 400, "{file:?}");
    }
    for url in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/scenarios/erlang-a-example.json",
        "/etc/passwd",
    ] {
        let (status, text) = server.get(url);
        assert_eq!(status, 404, "{url}");
        assert!(
            !text.contains("[package]") && !text.contains("root:"),
            "{url}"
        );
    }
}

#[test]
fn a_link_out_of_the_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = std::fs::canonicalize("scenarios/erlang-a-example.json").unwrap();
    std::os::unix::fs::symlink(target, dir.path().join("linked.json")).unwrap();
    let server = Server::start(dir.path(), &[]);
    let (status, text) = server.post("/api/run", r#"{"file": "linked.json", "reps": 1}"#);
    assert_eq!(status, 400, "{text}");
}

#[test]
fn twenty_concurrent_runs_each_get_their_own_result() {
    let server = scenarios();
    let request = |agents: u64| json!({"file": "erlang-a-example.json", "set": {"staff.agents.count": agents, "horizon": "200h"}, "reps": 2});
    let alone: Vec<Value> = (0..4)
        .map(|i| server.post_json("/api/run", &request(31 + i), 200))
        .collect();
    let together: Vec<(u64, Value)> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..20u64)
            .map(|i| {
                let server = &server;
                s.spawn(move || {
                    (
                        i % 4,
                        server.post_json("/api/run", &request(31 + i % 4), 200),
                    )
                })
            })
            .collect();
        runs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, result) in &together {
        assert_eq!(result, &alone[*i as usize], "run with {} agents", 31 + i);
    }
}

#[test]
fn a_page_job_reports_progress_and_stops_when_cancelled() {
    let server = scenarios();
    let long = json!({"kind": "run", "file": "fpa-2020-05.json", "reps": 1000});
    let id = server.post_json("/api/jobs", &long, 202)["id"]
        .as_u64()
        .unwrap();
    let status = |id: u64| -> Value {
        serde_json::from_str(&server.get(&format!("/api/jobs/{id}")).1).unwrap()
    };
    let mut seen = status(id);
    for _ in 0..600 {
        if seen["progress"]["done"].as_u64().unwrap() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        seen = status(id);
    }
    assert_eq!(seen["state"], "running", "{seen}");
    assert_eq!(seen["progress"]["total"], 1000 * 100, "{seen}");
    assert_eq!(server.delete(&format!("/api/jobs/{id}")).0, 200);
    assert_eq!(status(id)["state"], "cancelled");
    // The server is free again: a short job runs to the end, with the page's parts.
    let short = json!({"kind": "run", "file": "erlang-a-example.json", "reps": 2, "set": {"staff.agents.count": 34}});
    let id = server.post_json("/api/jobs", &short, 202)["id"]
        .as_u64()
        .unwrap();
    let mut done = status(id);
    for _ in 0..1200 {
        if done["state"] != "running" && done["state"] != "waiting" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        done = status(id);
    }
    assert_eq!(done["state"], "done", "{done}");
    let result = &done["result"];
    assert_eq!(result["run"]["scenario"], "erlang-a-example");
    let asa = result["change"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["metric"] == "phone.asa_s")
        .unwrap();
    assert!(
        asa["difference"]["mean"].as_f64().unwrap() < 0.0,
        "one more agent, shorter waits: {asa}"
    );
    let plots = result["plots"].as_array().unwrap();
    assert!(
        !plots.is_empty()
            && plots
                .iter()
                .all(|p| p["svg"].as_str().unwrap().starts_with("<svg"))
    );
    assert!(
        plots
            .iter()
            .all(|p| !p["caption"].as_str().unwrap().is_empty())
    );
}

#[test]
fn it_listens_on_this_machine_only_unless_asked_and_then_warns() {
    let server = scenarios();
    assert!(
        server.base.starts_with("http://127.0.0.1:"),
        "{}",
        server.base
    );
    let mut other = std::process::Command::new(assert_cmd::cargo::cargo_bin("callsim"))
        .args(["serve", "scenarios", "--port", "0", "--host", "0.0.0.0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(other.stderr.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _ = other.kill();
    let _ = other.wait();
    assert!(
        line.starts_with("warning: serving on 0.0.0.0") && line.contains("no login"),
        "{line}"
    );
}

#[test]
fn a_directory_that_is_not_there_is_a_clear_error() {
    let out = callsim()
        .args(["serve", "no-such-dir", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-dir: cannot open the directory"),
        "{stderr}"
    );
    let out = callsim()
        .args(["serve", "scenarios", "--max-reps", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
