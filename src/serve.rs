//! `callsim serve`: the planner's page. A local web server (axum on tokio) over the scenario
//! files of one directory: a page to change a scenario's levers, run it, see its targets,
//! figures, plots and change, and ask "how many?"; and the JSON API behind it. Everything it
//! serves is in the binary, so the page works offline.

mod catalog;
mod error;
mod jobs;
mod levers;
mod page;
mod routes;
mod work;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory of scenario files.
    pub dir: PathBuf,
    /// The address to listen on (127.0.0.1 unless asked).
    pub host: IpAddr,
    /// The port (0: any free one).
    pub port: u16,
    /// Most replications one request may ask.
    pub max_reps: u32,
}

/// What every request shares.
pub struct App {
    /// Whether it listens on this machine only (then it answers only to this machine's names).
    local_only: bool,
    catalog: catalog::Catalog,
    jobs: Arc<jobs::Jobs>,
    limits: work::Limits,
}

/// Most simulations held at once (running or waiting their turn).
const ADMITTED: usize = 64;
/// Most contacts one run may be expected to simulate: about 7,000 weeks of FPA's phones.
const MAX_CONTACTS: u64 = 500_000_000;

/// Serves until the process is stopped. `listening` is told the address once it listens.
pub fn serve(config: &Config, listening: impl FnOnce(SocketAddr, usize)) -> Result<(), String> {
    let catalog = catalog::Catalog::open(&config.dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let app = Arc::new(App {
        local_only: config.host.is_loopback(),
        catalog,
        jobs: Arc::new(jobs::Jobs::new(cores, ADMITTED)),
        limits: work::Limits {
            max_reps: config.max_reps,
            max_contacts: MAX_CONTACTS,
        },
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async {
        let address = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("cannot listen on {address}: {e}; choose another --port"))?;
        let bound = listener.local_addr().map_err(|e| e.to_string())?;
        let (entries, broken) = app.catalog.list();
        for why in &broken {
            eprintln!("warning: not listed: {why}");
        }
        listening(bound, entries.len());
        axum::serve(listener, routes::router(app))
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}
