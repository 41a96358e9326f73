//! The discrete-event engine: a clock and a time-ordered event list. It knows nothing about
//! contacts or agents; the model decides what an event means.
//!
//! Ordering of same-time events: by *rank* first (a small number the model gives each event
//! kind), then first-scheduled-first (FIFO by a sequence number). The order never depends on
//! random numbers or on the heap's internals.
//!
//! Besides events, the engine keeps cancellable [`Timers`] (one per id) for work that is
//! usually called off before its time; a timer takes its place in that same order, with the
//! rank given when it is set and the sequence number of that moment.

pub mod queue;
pub mod timers;

pub use queue::EventQueue;
#[cfg(any(test, feature = "internals"))]
pub use queue::Key;
pub use timers::Timers;

/// Simulated time in seconds since Monday 00:00 of the first week.
pub type SimTime = f64;

/// What [`Engine::step`] took: an event, or the timer of an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next<E> {
    /// An event.
    Event(E),
    /// The timer set for this id ran out.
    Timer(u32),
}

/// A simulation clock driving an [`EventQueue`] and [`Timers`].
#[derive(Debug)]
pub struct Engine<E> {
    now: SimTime,
    events: EventQueue<E>,
    timers: Timers,
    processed: u64,
}

impl<E: Copy> Engine<E> {
    /// An engine at time 0 with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        Engine {
            now: 0.0,
            events: EventQueue::with_capacity(capacity),
            timers: Timers::default(),
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

    /// Sets a timer for `id` (which has none) at `time` with same-time `rank`.
    #[inline]
    pub fn set_timer(&mut self, id: u32, time: SimTime, rank: u8) {
        debug_assert!(time >= self.now, "timer set in the past");
        let key = self.events.next_key(time, rank);
        self.timers.set(id, key);
    }

    /// Cancels `id`'s timer, if it has one.
    #[inline]
    pub fn cancel_timer(&mut self, id: u32) {
        self.timers.cancel(id);
    }

    /// Removes the next event or timer, advances the clock to it and returns it.
    #[inline]
    #[cfg(any(test, feature = "internals"))]
    pub fn step(&mut self) -> Option<Next<E>> {
        self.step_until(SimTime::INFINITY)
    }

    /// Like [`step`](Self::step), but only if the next event or timer is at or before `limit`
    /// (at a tie it wins: the caller's own timed work, at `limit`, comes after it).
    #[inline]
    pub fn step_until(&mut self, limit: SimTime) -> Option<Next<E>> {
        let event = self.events.peek_key();
        let timer = self.timers.peek_key();
        let timer_first = match (event, timer) {
            (Some(e), Some(t)) => t < e,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let key = if timer_first { timer } else { event }?;
        if key.time() > limit {
            return None;
        }
        self.now = key.time();
        self.processed += 1;
        if timer_first {
            self.timers.pop().map(Next::Timer)
        } else {
            self.events.pop().map(|(_, e)| Next::Event(e))
        }
    }

    /// Moves the clock to `time` (not before now) for work the caller times itself.
    #[inline]
    pub fn advance_to(&mut self, time: SimTime) {
        debug_assert!(time >= self.now, "the clock cannot go back");
        self.now = time;
    }

    /// Time of the next event or timer, if any.
    #[cfg(any(test, feature = "internals"))]
    pub fn peek_time(&self) -> Option<SimTime> {
        let times = [self.events.peek_key(), self.timers.peek_key()];
        times.into_iter().flatten().min().map(|k| k.time())
    }

    /// Events and timers processed so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Pending events and timers.
    #[cfg(any(test, feature = "internals"))]
    pub fn pending(&self) -> usize {
        self.events.len() + self.timers.len()
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
        assert_eq!(e.step(), Some(Next::Event('a')));
        assert_eq!(e.now(), 2.0);
        assert_eq!(e.peek_time(), Some(5.0));
        assert_eq!(e.step_until(4.0), None, "'b' is later than the limit");
        assert_eq!(
            e.step_until(5.0),
            Some(Next::Event('b')),
            "a tie goes to the event"
        );
        assert_eq!(e.step(), None);
        assert_eq!(e.processed(), 2);
        e.advance_to(7.0);
        assert_eq!(e.now(), 7.0);
    }

    #[test]
    fn timers_order_among_events_by_time_rank_and_setting() {
        let mut e = Engine::with_capacity(4);
        e.schedule(1.0, 1, 'a');
        e.set_timer(7, 1.0, 1); // same time and rank as 'a', set later: after it
        e.schedule(1.0, 1, 'b');
        e.set_timer(3, 1.0, 0); // lower rank: first
        e.set_timer(4, 0.5, 9);
        e.cancel_timer(4);
        e.set_timer(9, 2.0, 0);
        e.cancel_timer(9);
        let order: Vec<_> = std::iter::from_fn(|| e.step()).collect();
        let want = [
            Next::Timer(3),
            Next::Event('a'),
            Next::Timer(7),
            Next::Event('b'),
        ];
        assert_eq!(order, want, "cancelled timers 4 and 9 never come");
        assert_eq!((e.processed(), e.pending()), (4, 0));
    }
}
