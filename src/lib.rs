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
//! [`Error`]. The modules hidden from these docs are the machinery, public only so that the
//! integration tests and benchmarks can reach inside; they may change at any release.
//!
//! The machinery is layered, and dependencies point one way: `cli` → [`api`] → `runner` →
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
//! a kind, in the order they were scheduled. See [`model`] for why.
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

// The machinery (see "The library" above).
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod dist;
#[doc(hidden)]
pub mod engine;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod runner;
#[doc(hidden)]
pub mod scenario;
#[doc(hidden)]
pub mod stats;
#[doc(hidden)]
pub mod sweep;

pub use api::{Options, Scenario, simulate, sweep};
pub use error::InputError as Error;
pub use metrics::MetricPath;
pub use report::Report;
pub use report::sweep::Sweep;
pub use stats::ci::Estimate;
