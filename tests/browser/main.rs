//! The planner's page in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) loads the page that `callsim serve` serves, changes a lever, runs, reads
//! the new ASA from the page, asks "how many?", and cancels a long run. Screenshots go to
//! target/browser/ for people to look at. Needs `chromium` and `chromedriver` (Debian's
//! `chromium` and `chromium-driver`); tests/browser/run.sh installs them and runs this.

// Shared with the API tests (tests/it), of which this test uses a part.
#[path = "../it/server.rs"]
#[allow(dead_code)]
mod server;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use server::Server;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The lever the test moves: FPA's office staff on the phones, May 2020.
const REASSIGNED: &str = "staff.office_staff.reassign.count.mon-fri.08:00-16:30";
const ASA: &str = "#figures td[data-metric='phone.asa_s']";

/// A chromedriver process on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{bin}: {e}; install Debian's chromium-driver (tests/browser/run.sh does)")
            });
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,2400"]}),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("chromedriver starts a headless chromium")
}

/// Waits for `css` (a result the page has just drawn), up to two minutes.
async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(120))
        .every(Duration::from_millis(100))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn set_input(client: &Client, css: &str, value: &str) {
    let input = client.find(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::create_dir_all("target/browser").unwrap();
    std::fs::write(format!("target/browser/{name}.png"), png).unwrap();
}

/// Empties a result table, so that waiting for its rows waits for the next result.
async fn click(client: &Client, id: &str) {
    let button = client.find(Locator::Id(id)).await.unwrap();
    button.click().await.unwrap();
}

async fn forget(client: &Client, id: &str) {
    let script = "document.getElementById(arguments[0]).replaceChildren()";
    client.execute(script, vec![json!(id)]).await.unwrap();
}

async fn run_and_read_asa(client: &Client) -> f64 {
    forget(client, "figures").await;
    click(client, "run").await;
    let cell = wait_for(client, ASA).await;
    cell.attr("data-value")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
#[ignore = "needs chromium and chromedriver: tests/browser/run.sh installs them and runs it"]
fn a_planner_changes_a_lever_runs_and_reads_the_new_wait() {
    let server = Server::start(std::path::Path::new("scenarios"), &[]);
    let driver = Driver::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        let result = planner_session(&client, &server).await;
        client.close().await.unwrap();
        result
    });
}

async fn planner_session(client: &Client, server: &Server) {
    client
        .goto(&format!("{}/?file=fpa-2020-05.json", server.base))
        .await
        .unwrap();
    let lever = format!("input[data-path='{REASSIGNED}']");
    wait_for(client, &lever).await;
    set_input(client, "#reps", "4").await;
    let before = run_and_read_asa(client).await;
    screenshot(client, "planner-page-may-2020").await;

    // Fewer office staff on the phones: the page's new ASA is the API's, and longer.
    set_input(client, &lever, "40").await;
    let after = run_and_read_asa(client).await;
    let request = json!({"file": "fpa-2020-05.json", "set": {REASSIGNED: 40}, "reps": 4});
    let api = server.post_json("/api/run", &request, 200);
    assert_eq!(
        Some(after),
        api["queues"]["phone"]["asa_s"]["mean"].as_f64()
    );
    assert!(
        after > before,
        "40 reassigned wait longer than 93: {after} vs {before}"
    );
    let change = wait_for(client, "#change tr[data-metric='phone.asa_s']").await;
    assert!(
        change.text().await.unwrap().contains('+'),
        "the change shows the longer wait"
    );
    let verdicts = client
        .find_all(Locator::Css("#targets .verdict"))
        .await
        .unwrap();
    assert!(!verdicts.is_empty());
    let figures = client
        .find_all(Locator::Css("#plots figure svg"))
        .await
        .unwrap();
    assert!(!figures.is_empty(), "the per-interval plots are drawn");
    screenshot(client, "planner-page-40-reassigned").await;

    // How many on the phones keep the targets? The page's answer is the API's.
    let pick = "document.getElementById('lever').value = arguments[0]";
    client.execute(pick, vec![json!(REASSIGNED)]).await.unwrap();
    set_input(client, &lever, "93").await;
    // Settling a close verdict may take at most 100 replications, to keep the search short.
    set_input(client, "#settle", "100").await;
    click(client, "find").await;
    let answer = wait_for(client, "#staff-answer[data-value]:not([data-value=''])").await;
    let shown: i64 = answer
        .attr("data-value")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let request = json!({"file": "fpa-2020-05.json", "lever": REASSIGNED, "direction": "min", "reps": 4, "max_reps": 100});
    let api: Value = server.post_json("/api/staff", &request, 200);
    assert_eq!(Some(shown), api["value"].as_i64());
    screenshot(client, "planner-page-how-many").await;

    // A long run shows its progress and stops when cancelled.
    set_input(client, "#reps", "1000").await;
    click(client, "run").await;
    wait_for(client, "#progress:not([hidden])").await;
    click(client, "cancel").await;
    let error = wait_for(client, "#error:not([hidden])").await;
    assert_eq!(error.text().await.unwrap(), "Cancelled.");
}
