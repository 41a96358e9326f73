//! [`EventQueue`]: a binary heap of events keyed by (time, rank, sequence number).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event: the time's bits, then the rank (top 8 bits) and sequence number (low
/// 56) packed in one word. For non-negative finite times the IEEE-754 bit pattern orders
/// exactly as the number does, so two integer comparisons order entries. Two `u64`s rather
/// than a `u128` keep an entry at 24 bytes with an 8-byte event (a `u128` would align it to
/// 32): the heap moves less memory.
#[derive(Debug)]
struct Entry<E> {
    time: u64,
    rank_seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.rank_seq) == (other.time, other.rank_seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed, so that BinaryHeap (a max-heap) pops the earliest entry.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.rank_seq).cmp(&(self.time, self.rank_seq))
    }
}

/// A priority queue of events: earliest time first, then lowest rank, then FIFO.
///
/// `push` and `pop` are O(log n); `peek_time` is O(1). Memory is reused: once the heap has
/// reached its largest size, pushing allocates nothing.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
}

impl<E> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            seq: 0,
        }
    }

    /// Adds `event` at `time` (finite, >= 0) with same-time `rank` (lower first).
    #[inline]
    pub fn push(&mut self, time: f64, rank: u8, event: E) {
        debug_assert!(time >= 0.0 && time.is_finite(), "event time {time}");
        // +0.0 so that -0.0 (whose bits would sort last) cannot occur. 56 bits of sequence
        // number last 2^56 events, far beyond any run.
        let entry = Entry {
            time: (time + 0.0).to_bits(),
            rank_seq: (u64::from(rank) << 56) | self.seq,
            event,
        };
        self.seq += 1;
        self.heap.push(entry);
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (f64::from_bits(e.time), e.event))
    }

    /// Time of the earliest event.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| f64::from_bits(e.time))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
