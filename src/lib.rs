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
//! The library is layered: [`scenario`] reads and validates scenario files, [`engine`] is a
//! domain-free event list, [`model`] gives the events their meaning, [`runner`] runs
//! replications, [`sweep`] builds the points of a sweep and [`report`] renders the results.
//! [`theory`] has the exact Erlang C and Erlang A values the simulator is tested against.
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
//! a utilization of 0.5 and a mean wait of 20 s.
//!
//! ```
//! use callsim::{runner, scenario, theory};
//!
//! let json = r#"{
//!     "name": "mm2", "horizon": "500h", "warmup": "5h", "replications": 4, "seed": 3,
//!     "queues": {"phone": {"arrivals": {"per_hour": 60},
//!                          "handle_time": {"dist": "exponential", "mean": "1m"}}},
//!     "staff": {"agents": {"count": 2, "serves": ["phone"]}}
//! }"#;
//! let sc = scenario::parse(json.as_bytes(), "mm2.json").unwrap();
//! let report = runner::run(&sc, "", &|| {});
//! let asa = report.metric("phone.asa_s").unwrap().mean.unwrap();
//! let exact = theory::erlang_c(1.0 / 60.0, 1.0 / 60.0, 2, 20.0).unwrap();
//! assert!((asa / exact.asa_s - 1.0).abs() < 0.1, "{asa} vs {}", exact.asa_s);
//! ```
#![deny(missing_docs)]

pub mod cli;
pub mod engine;
pub mod error;
pub mod metrics;
pub mod model;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod theory;
