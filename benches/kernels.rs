//! The hand-written kernels against what they replace, so each keeps earning its place
//! (`cargo bench --bench kernels`; divan reports items per second):
//!
//! - `event_queue`: 1,000 events held while 100,000 are pushed and popped (the FPA week holds
//!   a few hundred), against `std::collections::BinaryHeap` with the same (time, rank, seq)
//!   ordering;
//! - `timers`: abandonment timers set and mostly cancelled (94% in the FPA week), against
//!   lazy deletion in a `BinaryHeap`, which pops each dead timer in the end;
//! - `normal`, `exponential`: 100,000 ziggurat draws against `rand_distr`'s `StandardNormal`
//!   and `Exp1`;
//! - `exp`: 100,000 of the table-driven `exp` against libm's `f64::exp`, on lognormal
//!   arguments.

use callsim::dist::{exp, ziggurat};
use callsim::engine::Timers;
use callsim::engine::queue::{EventQueue, Key};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

fn main() {
    divan::main();
}

const N: usize = 100_000;
const HELD: usize = 1_000;

fn rng() -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(7)
}

/// Exponential gaps with mean 1: the times a hold model pushes at.
fn gaps() -> Vec<f64> {
    let mut r = rng();
    (0..N + HELD).map(|_| ziggurat::exp1(&mut r)).collect()
}

#[divan::bench]
fn event_queue_ours(bencher: Bencher) {
    let gaps = gaps();
    bencher.counter(ItemsCount::new(N)).bench(|| {
        let mut q = EventQueue::with_capacity(HELD + 1);
        for (i, g) in gaps[..HELD].iter().enumerate() {
            q.push(*g, (i % 4) as u8, i as u32);
        }
        for g in &gaps[HELD..] {
            let (t, e) = q.pop().unwrap();
            q.push(t + g, (e % 4) as u8, e);
        }
        black_box(q.len())
    });
}

#[divan::bench]
fn event_queue_std_binary_heap(bencher: Bencher) {
    let gaps = gaps();
    bencher.counter(ItemsCount::new(N)).bench(|| {
        let mut q = BinaryHeap::with_capacity(HELD + 1);
        let mut seq = 0u64;
        let mut push = |q: &mut BinaryHeap<_>, t: f64, e: u32| {
            q.push(Reverse((Key::new(t, (e % 4) as u8, seq), e)));
            seq += 1;
        };
        for (i, g) in gaps[..HELD].iter().enumerate() {
            push(&mut q, *g, i as u32);
        }
        for g in &gaps[HELD..] {
            let Reverse((k, e)) = q.pop().unwrap();
            push(&mut q, k.time() + g, e);
        }
        black_box(q.len())
    });
}

/// Per contact: (arrival gap, patience) in a hold model of `HELD` waiting contacts, where a
/// contact is answered (its timer cancelled) 94 times in 100.
fn contacts() -> Vec<(f64, f64, bool)> {
    let mut r = rng();
    (0..N)
        .map(|_| {
            let cancelled = r.random::<f64>() < 0.94;
            (
                ziggurat::exp1(&mut r),
                20.0 * ziggurat::exp1(&mut r),
                cancelled,
            )
        })
        .collect()
}

#[divan::bench]
fn timers_ours(bencher: Bencher) {
    let contacts = contacts();
    bencher.counter(ItemsCount::new(N)).bench(|| {
        let mut timers = Timers::default();
        let mut now = 0.0;
        for (i, &(gap, patience, cancelled)) in contacts.iter().enumerate() {
            now += gap;
            while timers.peek_key().is_some_and(|k| k.time() <= now) {
                timers.pop();
            }
            let id = (i % HELD) as u32;
            timers.cancel(id);
            timers.set(id, Key::new(now + patience, 2, i as u64));
            if cancelled {
                timers.cancel(id);
            }
        }
        black_box(timers.len())
    });
}

#[divan::bench]
fn timers_lazy_deletion(bencher: Bencher) {
    let contacts = contacts();
    bencher.counter(ItemsCount::new(N)).bench(|| {
        let mut heap = BinaryHeap::new();
        let mut live = vec![u64::MAX; HELD];
        let mut now = 0.0;
        for (i, &(gap, patience, cancelled)) in contacts.iter().enumerate() {
            now += gap;
            while heap
                .peek()
                .is_some_and(|Reverse((k, _)): &Reverse<(Key, u32)>| k.time() <= now)
            {
                let Reverse((_, id)) = heap.pop().unwrap();
                black_box(live[id as usize]);
            }
            let id = (i % HELD) as u32;
            heap.push(Reverse((Key::new(now + patience, 2, i as u64), id)));
            live[id as usize] = if cancelled { u64::MAX } else { i as u64 };
        }
        black_box(heap.len())
    });
}

/// Sums `N` draws of `draw`, so that none is optimised away.
fn draws(bencher: Bencher, draw: impl Fn(&mut Xoshiro256PlusPlus) -> f64 + Sync) {
    bencher.counter(ItemsCount::new(N)).bench(|| {
        let mut r = rng();
        (0..N).map(|_| draw(&mut r)).sum::<f64>()
    });
}

#[divan::bench]
fn normal_ziggurat(bencher: Bencher) {
    draws(bencher, ziggurat::normal);
}

#[divan::bench]
fn normal_rand_distr(bencher: Bencher) {
    draws(bencher, |r| StandardNormal.sample(r));
}

#[divan::bench]
fn exponential_ziggurat(bencher: Bencher) {
    draws(bencher, ziggurat::exp1);
}

#[divan::bench]
fn exponential_rand_distr(bencher: Bencher) {
    draws(bencher, |r| Exp1.sample(r));
}

/// Lognormal arguments: ln of handle times around 5 minutes.
fn arguments() -> Vec<f64> {
    let mut r = rng();
    (0..N)
        .map(|_| 5.7 + 0.6 * ziggurat::normal(&mut r))
        .collect()
}

#[divan::bench]
fn exp_table_driven(bencher: Bencher) {
    let xs = arguments();
    bencher
        .counter(ItemsCount::new(N))
        .bench(|| xs.iter().map(|&x| exp::exp(black_box(x))).sum::<f64>());
}

#[divan::bench]
fn exp_libm(bencher: Bencher) {
    let xs = arguments();
    bencher
        .counter(ItemsCount::new(N))
        .bench(|| xs.iter().map(|&x| black_box(x).exp()).sum::<f64>());
}
