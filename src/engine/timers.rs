//! [`Timers`]: cancellable timers, at most one per id, in a binary heap that tracks each
//! timer's position so that cancelling one is O(log n).
//!
//! Why not events: a timer that is almost always cancelled (a caller's patience, which runs
//! out for few callers) would otherwise stay in the event list until its time, making the
//! list longer and costing a pop to discard. Here a cancelled timer is gone at once, and the
//! heap holds only live timers.

use super::queue::Key;

/// No heap position: the id has no timer.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Key,
    id: u32,
}

/// Pending timers keyed like events ([`Key`]), each named by a small integer id.
#[derive(Debug, Default)]
pub struct Timers {
    heap: Vec<Entry>,
    /// Per id, its timer's index in `heap`, or `NONE`.
    pos: Vec<u32>,
}

impl Timers {
    /// Sets a timer for `id`, which has none, at `key`.
    #[inline]
    pub fn set(&mut self, id: u32, key: Key) {
        let i = id as usize;
        if i >= self.pos.len() {
            self.pos.resize(i + 1, NONE);
        }
        debug_assert_eq!(self.pos[i], NONE, "timer {id} is already set");
        self.heap.push(Entry { key, id });
        self.sift_up(self.heap.len() - 1, Entry { key, id });
    }

    /// Cancels `id`'s timer, if it has one.
    #[inline]
    pub fn cancel(&mut self, id: u32) {
        let Some(&at) = self.pos.get(id as usize) else {
            return;
        };
        if at != NONE {
            self.pos[id as usize] = NONE;
            self.remove_at(at as usize);
        }
    }

    /// The earliest timer's key.
    #[inline]
    pub fn peek_key(&self) -> Option<Key> {
        self.heap.first().map(|e| e.key)
    }

    /// Removes the earliest timer and returns its id.
    #[inline]
    pub fn pop(&mut self) -> Option<u32> {
        let id = self.heap.first()?.id;
        self.pos[id as usize] = NONE;
        self.remove_at(0);
        Some(id)
    }

    /// Number of pending timers.
    #[cfg(any(test, feature = "internals"))]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no timer is pending.
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Removes the entry at `at` (its id's position already cleared): the last entry fills
    /// the hole and moves up or down to its place.
    fn remove_at(&mut self, at: usize) {
        let last = self.heap.pop().expect("a timer to remove");
        if at == self.heap.len() {
            return;
        }
        if at > 0 && last.key < self.heap[(at - 1) / 2].key {
            self.sift_up(at, last);
        } else {
            self.sift_down(at, last);
        }
    }

    /// Places `e` at or above the hole at `pos`.
    #[inline]
    fn sift_up(&mut self, mut pos: usize, e: Entry) {
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if e.key >= self.heap[parent].key {
                break;
            }
            self.place(pos, self.heap[parent]);
            pos = parent;
        }
        self.place(pos, e);
    }

    /// Places `e` at or below the hole at `pos`.
    fn sift_down(&mut self, mut pos: usize, e: Entry) {
        let n = self.heap.len();
        loop {
            let mut child = 2 * pos + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.heap[child + 1].key < self.heap[child].key {
                child += 1;
            }
            if e.key <= self.heap[child].key {
                break;
            }
            self.place(pos, self.heap[child]);
            pos = child;
        }
        self.place(pos, e);
    }

    #[inline]
    fn place(&mut self, at: usize, e: Entry) {
        self.heap[at] = e;
        self.pos[e.id as usize] = at as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn cancelled_timers_never_fire() {
        let mut t = Timers::default();
        t.set(0, Key::new(3.0, 0, 0));
        t.set(5, Key::new(1.0, 0, 1));
        t.set(2, Key::new(2.0, 0, 2));
        t.cancel(5);
        t.cancel(7); // never set: nothing happens
        assert_eq!(t.pop(), Some(2));
        t.set(5, Key::new(0.5, 0, 3)); // an id can be set again once its timer is gone
        assert_eq!(t.pop(), Some(5));
        assert_eq!(t.pop(), Some(0));
        assert_eq!(t.pop(), None);
        assert!(t.is_empty());
    }

    /// Random sets, cancels and pops against a plain list: every pop is the smallest live key.
    #[test]
    fn agrees_with_a_list() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut t = Timers::default();
        let mut live: Vec<Option<Key>> = vec![None; 64];
        for seq in 0..30_000u64 {
            let id = rng.random_range(0..64u32);
            match rng.random_range(0..3u8) {
                0 if live[id as usize].is_none() => {
                    let key = Key::new(rng.random_range(0..100u32) as f64, 0, seq);
                    t.set(id, key);
                    live[id as usize] = Some(key);
                }
                1 => {
                    t.cancel(id);
                    live[id as usize] = None;
                }
                _ => {
                    let want = (0..64u32)
                        .filter_map(|i| live[i as usize].map(|k| (k, i)))
                        .min()
                        .map(|(_, i)| i);
                    assert_eq!(t.peek_key(), want.and_then(|i| live[i as usize]));
                    assert_eq!(t.pop(), want);
                    want.into_iter().for_each(|i| live[i as usize] = None);
                }
            }
            assert_eq!(t.len(), live.iter().flatten().count());
        }
    }
}
