//! # callsim: a call-queue discrete-event simulator
//!
//! callsim simulates contact centers: callers arrive at queues (a Poisson process, constant or
//! piecewise constant over the week, only while the queue is open), wait, hang up when their
//! patience runs out, and are answered by agents in staff groups that follow weekly schedules
//! and serve queues in a priority order. It replicates each scenario on independent random
//! streams, in parallel, and reports every metric with a Student-t 95% confidence interval.
//!
//! Beyond the Erlang models it covers what a public agency's contact center does: weekly
//! volumes with day weights, intraday profiles and random daily levels; redials after
//! abandonment; booked callbacks in capacity-limited slots; outbound work released over the
//! day; office walk-in queues; and staff reassigned from offices to the phones.
//!
//! ## The library
//!
//! The public surface is small: [`Scenario`] (from a file or a JSON value), [`simulate`] with
//! [`Options`] giving a [`Report`], [`sweep`] giving a [`Sweep`]; metric paths and their
//! definitions in [`metrics`]; the exact Erlang values in [`theory`]; bad input as an
//! [`Error`]. The rest is the machinery, private to the crate; its own integration tests and
//! benchmarks reach inside through the `internals` feature, which is no stable interface.
//!
//! The machinery is layered, and dependencies point one way: `cli` → `output`, [`api`] and
//! `staffing` (the search of `callsim staff`) → `runner` →
//! `model` → `engine`; `runner` and `api` use `sweep` (points and variants); `model`,
//! `sweep` and `runner` use `scenario` (reading and validating files); `runner` builds the
//! result data of [`report`], whose renderers use only it. The leaves are `dist`
//! (distributions), [`calendar`], [`metrics`] and [`error`]. `engine` is a domain-free event
//! list and knows no contact. docs/contributing.md draws the layers.
//!
//! ## Same-time ordering
//!
//! Events at the same time run by kind — staff changes, then service ends, then
//! abandonments, then redials and booked calls falling due, then fresh arrivals — and, within
//! a kind, in the order they were scheduled. docs/background/same-time-order.md says why.
//!
//! ## Example
//!
//! An M/M/2 queue (Erlang C): arrivals 1 a minute, handle time 1 minute, 2 agents. Theory gives
//! a mean wait of 20 s.
//!
//! ```
//! use callsim::{Options, Scenario, simulate, theory};
//!
//! let json = serde_json::json!({
//!     "name": "mm2", "horizon": "500h", "warmup": "5h", "replications": 4, "seed": 3,
//!     "queues": {"phone": {"arrivals": {"per_hour": 60},
//!                          "handle_time": {"dist": "exponential", "mean": "1m"}}},
//!     "staff": {"agents": {"count": 2, "serves": ["phone"]}}
//! });
//! let scenario = Scenario::from_json(json, "mm2.json").unwrap();
//! let report = simulate(&scenario, &Options { threads: Some(2), ..Options::default() }).unwrap();
//! let asa = report.metric("phone.asa_s").unwrap();
//! let exact = theory::erlang_c(1.0 / 60.0, 1.0 / 60.0, 2, 20.0).unwrap();
//! assert!((asa.mean.unwrap() / exact.asa_s - 1.0).abs() < 0.1, "{asa:?} vs {exact:?}");
//!
//! // A sweep over the number of agents, on the same callers at every point.
//! let sweep = callsim::sweep(&scenario, &["staff.agents.count=2..4"], &Options::default()).unwrap();
//! assert_eq!(sweep.points.len(), 3);
//! let waits: Vec<f64> = sweep.points.iter()
//!     .map(|p| p.queues["phone"]["asa_s"].mean.unwrap())
//!     .collect();
//! assert!(waits[0] > waits[1] && waits[1] > waits[2], "{waits:?}");
//! ```
#![deny(missing_docs)]

pub mod api;
pub mod calendar;
pub mod error;
pub mod metrics;
pub mod report;
pub mod theory;

/// Declares the machinery modules (see "The library" above): crate-private, or public but
/// hidden with the `internals` feature that this crate's own tests and benchmarks turn on.
macro_rules! machinery {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}

machinery!(
    backtest, calllog, cli, dist, engine, fit, model, output, runner, scenario, shard, slurm,
    staffing, stats, sweep
);

#[cfg(feature = "serve")]
machinery!(serve);

/// The `callsim` command line: parses `args` (the program name first), runs the command and
/// returns the exit code: 0 success, 1 a missed target (`check`), 2 bad input.
#[doc(hidden)]
pub fn command_line(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    cli::main(args)
}

pub use api::{Options, Scenario, simulate, sweep};
pub use error::InputError as Error;
pub use metrics::MetricPath;
pub use report::Report;
pub use report::sweep::Sweep;
pub use stats::ci::Estimate;
