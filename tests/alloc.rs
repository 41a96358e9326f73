//! Allocation behaviour of the event loop, in its own test binary because it installs a
//! counting global allocator.
//!
//! - The event loop allocates nothing per event in steady state: simulating 20 times as many
//!   calls adds at most a handful of allocations (buffers that grow to a new peak length).
//! - Memory does not grow with the number of contacts: 52 weeks peak at about the memory of
//!   1 week when the per-interval report is weekly.

use callsim::model::simulate;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The tests measure process-wide counters, so they must not overlap.
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn scenario(horizon: &str, interval: &str) -> callsim::scenario::validate::ValidScenario {
    let json = format!(
        r#"{{"horizon": "{horizon}", "interval": "{interval}", "seed": 2,
            "queues": {{"q": {{"arrivals": {{"per_hour": [["08:00", 400], ["16:00", 0]]}},
                             "open": {{"mon-fri": "08:00-16:00"}},
                             "handle_time": {{"dist": "lognormal", "mean": "4m", "cv": 1}},
                             "patience": {{"dist": "exponential", "mean": "3m"}}}}}},
            "staff": {{"a": {{"count": {{"mon-fri": {{"08:00-12:00": 28, "12:00-16:00": 24}}}}, "serves": ["q"]}}}}}}"#
    );
    callsim::scenario::parse(json.as_bytes(), "alloc.json").unwrap()
}

/// Allocations made, and peak live bytes above the starting level, while simulating.
fn measure(sc: &callsim::scenario::validate::ValidScenario) -> (usize, usize, u64) {
    let rngs = callsim::runner::replication_streams(sc, 0);
    let (before, base) = (
        ALLOCATIONS.load(Ordering::SeqCst),
        LIVE.load(Ordering::SeqCst),
    );
    PEAK.store(base, Ordering::SeqCst);
    let rep = simulate(sc, rngs);
    let allocations = ALLOCATIONS.load(Ordering::SeqCst) - before;
    let peak = PEAK.load(Ordering::SeqCst) - base;
    (allocations, peak, rep.queues[0].offered)
}

#[test]
fn the_event_loop_allocates_nothing_per_event() {
    let _serial = SERIAL.lock().unwrap();
    let (short, _, calls_short) = measure(&scenario("1w", "1w"));
    let (long, _, calls_long) = measure(&scenario("20w", "1w"));
    eprintln!("allocations: {short} for {calls_short} calls, {long} for {calls_long} calls");
    assert!(
        calls_long > 19 * calls_short,
        "{calls_long} vs {calls_short} calls"
    );
    // Growth comes only from buffers reaching a new peak (doubling: logarithmic in the peak).
    assert!(
        long <= short + 16,
        "{long} allocations for 20 weeks vs {short} for 1 week"
    );
}

#[test]
fn memory_does_not_grow_with_the_horizon() {
    let _serial = SERIAL.lock().unwrap();
    let (_, one_week, _) = measure(&scenario("1w", "1w"));
    let (_, a_year, _) = measure(&scenario("52w", "1w"));
    eprintln!("peak heap: {one_week} B for 1 week, {a_year} B for 52 weeks");
    // The year's report has 51 more weekly intervals (a few hundred bytes); buffers may reach
    // a somewhat higher peak queue. 1.5x leaves room for that and nothing proportional to the
    // 2 million contacts.
    assert!(
        (a_year as f64) < 1.5 * one_week as f64,
        "peak {a_year} B for 52 weeks vs {one_week} B for 1"
    );
}
