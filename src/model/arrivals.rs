//! The time of each queue's next fresh arrival, and the earliest of them.
//!
//! The loop asks for the earliest at every event and one queue's time changes at each
//! arrival. With a few queues a scan is fastest; with many, a tournament tree keeps both
//! operations logarithmic, so that cost stays linear in the number of queues. Both break ties
//! towards the lower queue index, so the choice never changes results.

/// Up to this many queues are scanned; beyond, the tree is kept.
const SCAN_MAX: usize = 16;

#[derive(Debug)]
pub(super) struct NextArrivals {
    /// Per queue: the time of its next fresh arrival (infinite when there is none).
    times: Vec<f64>,
    /// With many queues, a complete binary tree over `times` (leaves from `leaves` on, padded
    /// with infinite times); node `i` holds the earliest `(time, queue)` below it.
    tree: Vec<(f64, u32)>,
    leaves: usize,
    /// The earliest queue and its time, kept up to date by `set`.
    earliest: (usize, f64),
}

impl NextArrivals {
    pub(super) fn new(queues: usize) -> Self {
        let leaves = if queues > SCAN_MAX {
            queues.next_power_of_two()
        } else {
            0
        };
        let mut tree = vec![(f64::INFINITY, u32::MAX); 2 * leaves];
        for q in 0..leaves {
            tree[leaves + q].1 = q as u32;
        }
        for i in (1..leaves).rev() {
            tree[i] = earlier(tree[2 * i], tree[2 * i + 1]);
        }
        NextArrivals {
            times: vec![f64::INFINITY; queues],
            tree,
            leaves,
            earliest: (0, f64::INFINITY),
        }
    }

    /// The queue with the earliest next arrival and its time (infinite if there is none).
    #[inline]
    pub(super) fn earliest(&self) -> (usize, f64) {
        self.earliest
    }

    /// Queue `q`'s next arrival is at `t`.
    #[inline]
    pub(super) fn set(&mut self, q: usize, t: f64) {
        self.times[q] = t;
        self.earliest = if self.leaves == 0 {
            self.scan()
        } else {
            self.update(q, t)
        };
    }

    #[inline]
    fn scan(&self) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (q, &t) in self.times.iter().enumerate() {
            if t < best.1 {
                best = (q, t);
            }
        }
        best
    }

    fn update(&mut self, q: usize, t: f64) -> (usize, f64) {
        let mut i = self.leaves + q;
        self.tree[i].0 = t;
        while i > 1 {
            i /= 2;
            self.tree[i] = earlier(self.tree[2 * i], self.tree[2 * i + 1]);
        }
        let (t, q) = self.tree[1];
        if t.is_finite() {
            (q as usize, t)
        } else {
            (0, f64::INFINITY)
        }
    }
}

/// The earlier of two `(time, queue)` entries; on a tie the left one, whose queues are lower.
#[inline]
fn earlier(left: (f64, u32), right: (f64, u32)) -> (f64, u32) {
    if right.0 < left.0 { right } else { left }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn the_tree_agrees_with_a_scan_ties_included() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        for queues in [1, 3, 16, 17, 40, 100] {
            let mut a = NextArrivals::new(queues);
            for _ in 0..2000 {
                let q = rng.random_range(0..queues);
                // Few distinct times, so ties are common; sometimes none.
                let t = match rng.random_range(0..4) {
                    0 => f64::INFINITY,
                    k => f64::from(k),
                };
                a.set(q, t);
                assert_eq!(a.earliest(), a.scan(), "{queues} queues");
            }
        }
    }
}
