//! [`EventQueue`]: a binary heap of events keyed by (time, rank, sequence number).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event. `key` packs the time's bits (top 64), the rank (next 8) and the sequence
/// number (low 56), so a single integer comparison orders entries. For non-negative finite
/// times the IEEE-754 bit pattern orders exactly as the number does.
#[derive(Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
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
        other.key.cmp(&self.key)
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
        // +0.0 so that -0.0 (whose bits would sort last) cannot occur.
        let bits = (time + 0.0).to_bits();
        let key = (u128::from(bits) << 64) | (u128::from(rank) << 56) | u128::from(self.seq);
        self.seq += 1;
        self.heap.push(Entry { key, event });
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (time_of(e.key), e.event))
    }

    /// Time of the earliest event.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| time_of(e.key))
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

#[inline]
fn time_of(key: u128) -> f64 {
    f64::from_bits((key >> 64) as u64)
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
