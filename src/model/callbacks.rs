//! Booked callbacks: callers who book a slot instead of waiting, and booked calls that become
//! work for the agents when their slot starts.

use super::{Event, Origin, Sim};
use crate::scenario::validate::{Slots, ValidScenario};

/// Bookings per slot of one callback queue. Slot `k` starts at `k * length` (Monday 00:00 is
/// slot 0's start).
#[derive(Debug, Clone)]
pub struct SlotBook {
    bookings: Vec<u32>,
    /// Per slot, the streams of the callers booked into it (see `model::Origin`).
    streams: Vec<Vec<u64>>,
    /// Every slot before `hint` is full or has no capacity.
    hint: usize,
}

impl SlotBook {
    /// Room for every slot a booking made before `horizon_s` can reach.
    pub fn new(slots: &Slots, horizon_s: f64) -> Self {
        let count = ((horizon_s + slots.max_lead_s) / slots.length_s).ceil() as usize + 2;
        SlotBook {
            bookings: vec![0; count],
            streams: vec![Vec::new(); count],
            hint: 0,
        }
    }

    fn capacity(slots: &Slots, k: usize) -> u32 {
        slots.capacity.value_at(k as f64 * slots.length_s) as u32
    }

    /// Books the earliest free slot starting in `[now + min_lead, now + max_lead]`; returns its
    /// index and whether it is the slot's first booking. Amortised O(1): the hint only moves
    /// forward, as the earliest start does.
    fn book(&mut self, slots: &Slots, now: f64) -> Option<(usize, bool)> {
        let earliest = ((now + slots.min_lead_s) / slots.length_s).ceil() as usize;
        self.hint = self.hint.max(earliest);
        let mut k = self.hint;
        while k < self.bookings.len() && k as f64 * slots.length_s <= now + slots.max_lead_s {
            if self.bookings[k] < Self::capacity(slots, k) {
                self.bookings[k] += 1;
                return Some((k, self.bookings[k] == 1));
            }
            if k == self.hint {
                self.hint += 1;
            }
            k += 1;
        }
        None
    }

    /// Bookings and capacity of the slots starting in `[from, to)`.
    pub fn usage(&self, slots: &Slots, from: f64, to: f64) -> (f64, f64) {
        let first = (from / slots.length_s).ceil() as usize;
        let last = ((to / slots.length_s).ceil() as usize).min(self.bookings.len());
        (first..last).fold((0.0, 0.0), |(b, c), k| {
            (
                b + f64::from(self.bookings[k]),
                c + f64::from(Self::capacity(slots, k)),
            )
        })
    }
}

/// The callback queues' state: their booking slots and the calls booked into them.
pub(super) struct Callbacks {
    /// Per queue: its booking slots, for callback queues.
    pub(super) books: Vec<Option<SlotBook>>,
    /// Per queue: booked calls whose slot has not started.
    pending: Vec<usize>,
    /// Their sum, kept so the loop's end test costs nothing.
    pub(super) pending_total: usize,
    /// Per queue: the mean handle time, for the wait estimate (a mixture's takes a walk
    /// over its parts).
    handle_means: Vec<f64>,
}

impl Callbacks {
    pub(super) fn new(sc: &ValidScenario) -> Self {
        let books = sc
            .queues
            .iter()
            .map(|q| q.slots.as_ref().map(|s| SlotBook::new(s, sc.horizon_s)));
        Callbacks {
            books: books.collect(),
            pending: vec![0; sc.queues.len()],
            pending_total: 0,
            handle_means: sc.queues.iter().map(|q| q.handle.mean()).collect(),
        }
    }
}

/// Packs a queue index (< 256) and a slot index (< 2^24) into an event payload.
fn slot_key(queue: usize, slot: usize) -> u32 {
    debug_assert!(queue < 256 && slot < 1 << 24);
    ((queue as u32) << 24) | slot as u32
}

impl Sim<'_> {
    /// A caller of queue `q` who would wait is offered a callback; `accept_u` is its uniform
    /// draw. Returns whether it booked (and so left the queue).
    #[inline]
    pub(super) fn try_book(&mut self, q: usize, accept_u: f64, stream: u64) -> bool {
        let Some(cb) = &self.sc.queues[q].callback else {
            return false;
        };
        if accept_u >= cb.accept || self.estimated_wait(q) < cb.offer_when_wait_over_s {
            return false;
        }
        self.book(q, cb.to, stream)
    }

    /// A caller of queue `q` accepted a callback into queue `to`: books the earliest free
    /// slot. Returns false when none is free. Out of line: most callers never get here.
    #[inline(never)]
    fn book(&mut self, q: usize, to: usize, stream: u64) -> bool {
        let now = self.engine.now();
        let (Some(slots), Some(book)) =
            (&self.sc.queues[to].slots, self.callbacks.books[to].as_mut())
        else {
            return false;
        };
        let Some((slot, first)) = book.book(slots, now) else {
            return false;
        };
        let start = slot as f64 * slots.length_s;
        book.streams[slot].push(stream);
        self.rec.booking(q, to, now, start - now);
        self.callbacks.pending[to] += 1;
        self.callbacks.pending_total += 1;
        // One event per booked slot, not per booking: bookings made days ahead would
        // otherwise fill the event list.
        if first {
            self.schedule(
                start,
                Event::SlotDue {
                    key: slot_key(to, slot),
                },
            );
        }
        true
    }

    /// The wait a caller arriving now at queue `q` would face: the contacts ahead of it, plus
    /// itself, times the mean handle time, shared by the agents on duty who serve the queue.
    fn estimated_wait(&self, q: usize) -> f64 {
        // Summed in u64: several groups of billions would overflow a u32.
        let agents: u64 = self.routing.servers[q]
            .iter()
            .map(|&g| {
                let group = &self.groups[g as usize];
                u64::from(group.on_duty() - group.to_leave)
            })
            .sum();
        (self.lines[q].waiting() + 1) as f64 * self.callbacks.handle_means[q] / agents.max(1) as f64
    }

    /// A booking slot starts: each of its booked calls becomes a contact of the callback queue,
    /// in one go.
    pub(super) fn on_slot_due(&mut self, key: u32) {
        let (q, slot) = ((key >> 24) as usize, (key & 0x00FF_FFFF) as usize);
        let streams = self.callbacks.books[q]
            .as_mut()
            .map_or(vec![], |b| std::mem::take(&mut b.streams[slot]));
        self.callbacks.pending[q] -= streams.len();
        self.callbacks.pending_total -= streams.len();
        let now = self.engine.now();
        for stream in streams {
            self.admit(q, now, None, Origin::Returning(stream));
        }
    }

    /// At the horizon: bookings not yet served (due later, or waiting) per callback queue.
    pub(super) fn on_horizon(&mut self) {
        for q in 0..self.lines.len() {
            if self.callbacks.books[q].is_some() {
                let unserved = self.callbacks.pending[q] + self.lines[q].waiting();
                self.rec.queues[q].bookings_unserved_at_horizon = unserved as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::week::WeekProfile;

    fn slots(capacity: f64) -> Slots {
        Slots {
            length_s: 3600.0,
            capacity: WeekProfile::constant(capacity),
            min_lead_s: 1800.0,
            max_lead_s: 3.0 * 3600.0,
        }
    }

    #[test]
    fn earliest_free_slot_first_within_the_leads() {
        let s = slots(2.0);
        let mut book = SlotBook::new(&s, 10.0 * 3600.0);
        // At 00:10 the earliest start is 00:40: the 01:00 slot twice, then 02:00, ...; the
        // first booking of each slot says so.
        let booked: Vec<_> = (0..7).map(|_| book.book(&s, 600.0)).collect();
        let slot = |k: usize, first: bool| Some((k, first));
        let want = [
            slot(1, true),
            slot(1, false),
            slot(2, true),
            slot(2, false),
            slot(3, true),
            slot(3, false),
            None,
        ];
        assert_eq!(booked, want);
        assert_eq!(book.usage(&s, 0.0, 4.0 * 3600.0), (6.0, 8.0));
    }
}
