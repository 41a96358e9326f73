//! callsim's integration tests, in one binary: cheap checks first, statistical ones last.

mod api;
mod callbacks;
mod calls;
mod check;
mod cli;
mod common;
mod crn;
mod daily;
mod determinism;
mod docs;
mod fuzz_corpus;
mod order;
mod outbound;
mod properties;
mod redials;
mod rough_edges;
mod seelab;
mod shipped;
mod staff_schedule;
mod staff_search;
mod staff_shifts;
mod staffing;
mod theory;
mod time_varying;
mod value_stability;
mod volumes;
