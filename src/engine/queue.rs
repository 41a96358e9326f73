//! [`EventQueue`]: a binary heap of events keyed by (time, rank, sequence number).

/// An event's place in the order: time first, then rank, then sequence number.
///
/// The time is kept as its bits: for non-negative finite times the IEEE-754 bit pattern orders
/// exactly as the number does, so two integer comparisons order keys. The rank (top 8 bits)
/// and sequence number (low 56) share one word. Two `u64`s rather than a `u128` keep an entry
/// at 24 bytes with an 8-byte event (a `u128` would align it to 32): the heap moves less
/// memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    time: u64,
    rank_seq: u64,
}

impl Ord for Key {
    /// As one 128-bit number: a compare and a subtract-with-borrow, no branch on equal times.
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.wide().cmp(&other.wide())
    }
}

impl PartialOrd for Key {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }

    #[inline]
    fn lt(&self, other: &Self) -> bool {
        self.wide() < other.wide()
    }

    #[inline]
    fn ge(&self, other: &Self) -> bool {
        self.wide() >= other.wide()
    }
}

impl Key {
    #[inline]
    fn wide(&self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.rank_seq)
    }

    /// The key of an event at `time` (finite, >= 0) with same-time `rank` and sequence `seq`.
    #[inline]
    pub fn new(time: f64, rank: u8, seq: u64) -> Self {
        debug_assert!(time >= 0.0 && time.is_finite(), "event time {time}");
        // +0.0 so that -0.0 (whose bits would sort last) cannot occur. 56 bits of sequence
        // number last 2^56 events, far beyond any run.
        Key {
            time: (time + 0.0).to_bits(),
            rank_seq: (u64::from(rank) << 56) | seq,
        }
    }

    /// The time.
    #[inline]
    pub fn time(&self) -> f64 {
        f64::from_bits(self.time)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry<E> {
    key: Key,
    event: E,
}

/// A priority queue of events: earliest time first, then lowest rank, then FIFO.
///
/// A binary min-heap in a `Vec`. `push` and `pop` are O(log n); `peek_key` is O(1). Memory is
/// reused: once the heap has reached its largest size, pushing allocates nothing.
///
/// Written out rather than `std::collections::BinaryHeap`: moving the new entry up with the
/// entry kept in registers, written once at its place, avoids reloading an entry just stored
/// field by field (a stalled store-to-load forward that cost a tenth of the FPA week's time).
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: Vec<Entry<E>>,
    seq: u64,
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(capacity),
            seq: 0,
        }
    }

    /// The key of an event at `time` with `rank`, taking the next sequence number: an event
    /// kept elsewhere (a [`Timers`](super::Timers) entry) orders among this queue's events
    /// as if it had been pushed now.
    #[inline]
    pub fn next_key(&mut self, time: f64, rank: u8) -> Key {
        let key = Key::new(time, rank, self.seq);
        self.seq += 1;
        key
    }

    /// Adds `event` at `time` (finite, >= 0) with same-time `rank` (lower first).
    #[inline]
    pub fn push(&mut self, time: f64, rank: u8, event: E) {
        let entry = Entry {
            key: self.next_key(time, rank),
            event,
        };
        self.heap.push(entry);
        let heap = &mut self.heap[..];
        sift_up(heap, heap.len() - 1, entry);
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else {
            return Some((last.key.time(), last.event));
        };
        // The hole left at the root goes down to a leaf along the earlier children, then the
        // last entry goes up from there: it usually belongs near the bottom, so this takes
        // fewer comparisons than sifting it down from the root. A local slice keeps the
        // length in a register, so the loop conditions prove every index in bounds.
        let heap = &mut self.heap[..];
        let n = heap.len();
        let mut pos = 0;
        let mut child = 1;
        while child < n - 1 {
            // SAFETY: `child + 1 < n` by the loop condition, and `pos < child` (a parent's
            // index is below its children's), so all three indices are within `heap`. The
            // checked version cost three bounds checks a level on the hottest loop.
            unsafe {
                let right_first = heap.get_unchecked(child + 1).key < heap.get_unchecked(child).key;
                child += usize::from(right_first);
                *heap.get_unchecked_mut(pos) = *heap.get_unchecked(child);
            }
            pos = child;
            child = 2 * pos + 1;
        }
        if child + 1 == n {
            heap[pos] = heap[child];
            pos = child;
        }
        sift_up(heap, pos, last);
        Some((top.key.time(), top.event))
    }

    /// The key of the earliest event.
    #[inline]
    pub fn peek_key(&self) -> Option<Key> {
        self.heap.first().map(|e| e.key)
    }

    /// Number of pending events.
    #[cfg(any(test, feature = "internals"))]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// Places `entry` at or above the hole at `pos`.
#[inline]
fn sift_up<E: Copy>(heap: &mut [Entry<E>], mut pos: usize, entry: Entry<E>) {
    while pos > 0 {
        let parent = (pos - 1) / 2;
        if entry.key >= heap[parent].key {
            break;
        }
        heap[pos] = heap[parent];
        pos = parent;
    }
    heap[pos] = entry;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn equal_keys_pop_in_insertion_order() {
        let mut q = EventQueue::with_capacity(0);
        q.push(1.0, 0, "first");
        q.push(1.0, 0, "second");
        q.push(1.0, 0, "third");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["first", "second", "third"]);
    }

    #[test]
    fn time_then_rank_then_fifo() {
        let mut q = EventQueue::with_capacity(0);
        q.push(2.0, 0, "late");
        q.push(1.0, 3, "rank3");
        q.push(1.0, 1, "rank1-a");
        q.push(1.0, 1, "rank1-b");
        q.push(0.5, 9, "early");
        q.push(1e9, 0, "much later");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(
            order,
            ["early", "rank1-a", "rank1-b", "rank3", "late", "much later"]
        );
    }

    /// Interleaved pushes and pops against a sorted list: every pop is the smallest
    /// (time, rank, order of pushing) still pending.
    #[test]
    fn agrees_with_a_sorted_list() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut q = EventQueue::with_capacity(0);
        let mut model: Vec<(u64, u8, u64)> = Vec::new();
        let mut n = 0u64;
        for _ in 0..20_000 {
            if rng.random::<f64>() < 0.55 {
                // Few distinct times and ranks, so ties are common.
                let (t, r) = (rng.random_range(0..50u64), rng.random_range(0..3u8));
                q.push(t as f64, r, n);
                model.push((t, r, n));
                n += 1;
            } else {
                model.sort();
                let want = (!model.is_empty()).then(|| model.remove(0));
                let got = q.pop().map(|(t, e)| (t as u64, e));
                assert_eq!(got, want.map(|(t, _, e)| (t, e)));
            }
            assert_eq!(q.len(), model.len());
        }
    }
}
