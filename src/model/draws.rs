//! Common random numbers: every draw a contact makes, taken at its arrival whatever becomes of
//! it, from its queue's stream (a fresh arrival) or its caller's own (a returning attempt), so
//! that the same callers arrive with the same needs whatever the staffing.

use crate::dist;

/// Where an attempt comes from, which decides the random stream its draws use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A fresh arrival: its draws come from the queue's stream, at its arrival.
    Fresh,
    /// A redial or a booked call falling due: its draws come from its caller's own stream
    /// (seeded by a draw of the caller's previous attempt), so they do not depend on the order
    /// in which callers return.
    Returning(u64),
}

/// Every draw for one attempt, made at its arrival whatever becomes of it, so a stream's use
/// does not depend on staffing.
pub(super) struct Attempt {
    pub(super) handle: f64,
    pub(super) patience: Option<f64>,
    pub(super) redial_after: Option<f64>,
    pub(super) accept_u: Option<f64>,
    pub(super) unreached: bool,
    /// The seed of this caller's next attempt (a redial or a booked call).
    pub(super) next_stream: u64,
    /// The caller's class (0: regular).
    pub(super) class: u8,
}

/// The class a uniform draw `u` falls in: the first whose running share exceeds `u`, or 0.
fn class_of(classes: &[crate::scenario::validate::Class], u: f64) -> u8 {
    let mut total = 0.0;
    for (i, c) in classes.iter().enumerate() {
        total += c.share;
        if u < total {
            return (i + 1) as u8;
        }
    }
    0
}

impl Attempt {
    pub(super) fn draw<R: rand::Rng + ?Sized>(
        queue: &crate::scenario::validate::QueueModel,
        rng: &mut R,
    ) -> Self {
        let mut handle = queue.handle.sample(rng);
        let patience = queue.patience.as_ref().map(|p| p.sample(rng));
        // The delay only for a caller who would redial: still this attempt's own draws.
        let redial_after = queue
            .redial
            .as_ref()
            .and_then(|r| (dist::unit(rng) < r.probability).then(|| r.delay.sample(rng)));
        let accept_u = queue.callback.as_ref().map(|_| dist::unit(rng));
        let mut unreached = false;
        if let Some((share, short)) = &queue.unreached {
            let (u, h) = (dist::unit(rng), short.sample(rng));
            if u < *share {
                (unreached, handle) = (true, h);
            }
        }
        // Only callers who can come back (redial, book a callback) need a stream of their own.
        let returns = queue.redial.is_some() || queue.callback.is_some();
        let next_stream = if returns { rng.next_u64() } else { 0 };
        // Last, so that a queue without classes draws exactly what it drew before they existed.
        let class = if queue.classes.is_empty() {
            0
        } else {
            class_of(&queue.classes, dist::unit(rng))
        };
        Attempt {
            class,
            handle,
            patience,
            redial_after,
            accept_u,
            unreached,
            next_stream,
        }
    }
}
