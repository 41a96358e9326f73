//! A `callsim serve` process for a test: started on a free port, stopped when dropped; and a
//! small HTTP client for it.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `callsim serve DIR --port 0 ARGS` and waits for the address it prints.
    pub fn start(dir: &std::path::Path, args: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("callsim"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("callsim serve starts");
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let at = line
            .find("http://")
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let base = line[at..].split_whitespace().next().unwrap();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build();
        Server {
            child,
            base: base.trim_end_matches('/').to_string(),
            agent: config.into(),
        }
    }

    /// GET `path`: the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let response = self.agent.get(format!("{}{path}", self.base)).call();
        read(response.expect("the server answers"))
    }

    /// POST `body` to `path`: the status and the body.
    pub fn post(&self, path: &str, body: &str) -> (u16, String) {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .content_type("application/json")
            .send(body);
        read(response.expect("the server answers"))
    }

    /// A request with headers of the test's choosing (over a plain socket, which sends them
    /// as given): the status and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        use std::io::{Read, Write};
        let address = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        let given = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        if !given("Host") {
            head.push_str(&format!("Host: {address}\r\n"));
        }
        if !given("Content-Type") {
            head.push_str("Content-Type: application/json\r\n");
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        stream
            .write_all(format!("{head}\r\n{body}").as_bytes())
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        (status, body.to_string())
    }

    /// DELETE `path`: the status and the body.
    pub fn delete(&self, path: &str) -> (u16, String) {
        let response = self.agent.delete(format!("{}{path}", self.base)).call();
        read(response.expect("the server answers"))
    }

    /// POST `body` and parse the JSON answer, which must have `status`.
    pub fn post_json(&self, path: &str, body: &Value, status: u16) -> Value {
        let (got, text) = self.post(path, &body.to_string());
        assert_eq!(got, status, "{path} {body}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> (u16, String) {
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (status, body)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
