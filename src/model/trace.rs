//! The contacts of one replication, a record each, for `callsim run --calls`: tracing is off
//! in every other run, and on or off it changes no draw and no result.

use super::callers::Contact;

/// What became of one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traced {
    /// Its queue.
    pub queue: u32,
    /// When it arrived.
    pub arrival: f64,
    /// When its caller first called (the same for a caller's redials).
    pub first_arrival: f64,
    /// When an agent answered it.
    pub answered: Option<f64>,
    /// When it abandoned.
    pub abandoned: Option<f64>,
    /// When its service ended.
    pub end: Option<f64>,
    /// The staff group that served it.
    pub group: Option<u32>,
    /// Its caller's class (0: regular).
    pub class: u8,
}

impl Traced {
    /// `c`, which left without an answer or an abandonment (booked, or still waiting).
    pub fn left(c: &Contact) -> Self {
        Traced {
            queue: c.queue,
            arrival: c.arrival,
            first_arrival: c.first_arrival,
            answered: None,
            abandoned: None,
            end: None,
            group: None,
            class: c.class,
        }
    }

    /// `c`, answered at `now` by group `g`.
    pub fn answered(c: &Contact, now: f64, g: usize) -> Self {
        Traced {
            answered: Some(now),
            end: Some(now + c.handle),
            group: Some(g as u32),
            ..Traced::left(c)
        }
    }

    /// `c`, abandoned at `now`.
    pub fn abandoned(c: &Contact, now: f64) -> Self {
        Traced {
            abandoned: Some(now),
            ..Traced::left(c)
        }
    }
}
