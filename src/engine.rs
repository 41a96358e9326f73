//! The discrete-event engine: a clock and a time-ordered event list. It knows nothing about
//! contacts or agents; the model decides what an event means.
//!
//! Ordering of same-time events: by *rank* first (a small number the model gives each event
//! kind), then first-scheduled-first (FIFO by a sequence number). The order never depends on
//! random numbers or on the heap's internals.

pub mod queue;

pub use queue::EventQueue;

/// Simulated time in seconds since Monday 00:00 of the first week.
pub type SimTime = f64;

/// A simulation clock driving an [`EventQueue`].
#[derive(Debug)]
pub struct Engine<E> {
    now: SimTime,
    events: EventQueue<E>,
    processed: u64,
}

impl<E> Engine<E> {
    /// An engine at time 0 with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        Engine {
            now: 0.0,
            events: EventQueue::with_capacity(capacity),
            processed: 0,
        }
    }

    /// The current time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `time` (not before now) with same-time `rank`.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, rank: u8, event: E) {
        debug_assert!(time >= self.now, "event scheduled in the past");
        self.events.push(time, rank, event);
    }

    /// Removes the next event, advances the clock to it and returns it.
    #[inline]
    pub fn step(&mut self) -> Option<E> {
        let (time, event) = self.events.pop()?;
        self.now = time;
        self.processed += 1;
        Some(event)
    }

    /// Like [`step`](Self::step), but only if the next event is at or before `limit` (at a
    /// tie the event wins: the caller's own timed work, at `limit`, comes after it).
    #[inline]
    pub fn step_until(&mut self, limit: SimTime) -> Option<E> {
        match self.events.peek_time() {
            Some(t) if t <= limit => self.step(),
            _ => None,
        }
    }

    /// Moves the clock to `time` (not before now) for work the caller times itself.
    #[inline]
    pub fn advance_to(&mut self, time: SimTime) {
        debug_assert!(time >= self.now, "the clock cannot go back");
        self.now = time;
    }

    /// Time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.events.peek_time()
    }

    /// Events processed so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Pending events.
    pub fn pending(&self) -> usize {
        self.events.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_follows_events() {
        let mut e = Engine::with_capacity(4);
        e.schedule(5.0, 0, 'b');
        e.schedule(2.0, 0, 'a');
        assert_eq!(e.step(), Some('a'));
        assert_eq!(e.now(), 2.0);
        assert_eq!(e.peek_time(), Some(5.0));
        assert_eq!(e.step_until(4.0), None, "'b' is later than the limit");
        assert_eq!(e.step_until(5.0), Some('b'), "a tie goes to the event");
        assert_eq!(e.step(), None);
        assert_eq!(e.processed(), 2);
        e.advance_to(7.0);
        assert_eq!(e.now(), 7.0);
    }
}
