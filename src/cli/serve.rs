//! `callsim serve`: the planner's page on a local port.

use crate::error::InputError;
use clap::Args;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

/// `callsim serve [DIR] [--port P] [--host H]`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The directory of scenario files the page offers.
    #[arg(default_value = "scenarios")]
    dir: PathBuf,
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on. Anything but 127.0.0.1 (or ::1) lets other machines run
    /// simulations here and read the scenarios: the page has no login.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Most replications one request may ask.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_reps: u32,
}

/// Serves until stopped (Ctrl-C).
pub fn serve(args: ServeArgs) -> Result<i32, InputError> {
    if args.max_reps == 0 {
        return Err(InputError::Usage("--max-reps: must be at least 1".into()));
    }
    if !args.host.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine's port {} can run simulations and read the scenarios in {}; the page has no login",
            args.host,
            args.port,
            args.dir.display()
        );
    }
    let config = crate::serve::Config {
        dir: args.dir.clone(),
        host: args.host,
        port: args.port,
        max_reps: args.max_reps,
    };
    let dir = args.dir.display().to_string();
    crate::serve::serve(&config, |address, scenarios| {
        println!(
            "callsim serve: the planner's page is at http://{address}/ ({} from {dir}); Ctrl-C stops it",
            crate::report::table::plural(scenarios, "scenario")
        );
        let _ = std::io::stdout().flush();
    })
    .map_err(InputError::Usage)?;
    Ok(0)
}
