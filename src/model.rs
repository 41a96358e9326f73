//! The call-center model: what each event means. One replication is one [`simulate`] call.
//!
//! Events and their same-time order are in `model/events.rs`; every draw a contact makes, and
//! from which stream, in `model/draws.rs`; what a replication records, in [`tally`].
//!
//! Fresh arrivals do not go through the event list: each queue keeps the time of its next
//! arrival, and the loop takes whichever comes first, the event list's next event or the
//! earliest arrival (a tie goes to the event list). A third of all events are arrivals, and
//! this saves each a heap push and pop.
//!
//! Who answers whom is in `model/routing.rs`; redials and booked callbacks keep their own
//! state in `model/redials.rs` and `model/callbacks.rs`.

mod arrivals;
mod callbacks;
pub mod callers;
mod draws;
mod events;
pub mod tally;
pub mod trace;

mod redials;
mod routing;
pub mod staff;

use crate::engine::{Engine, Next};
use crate::scenario::units::{DAY_S, WEEK_S};
use crate::scenario::validate::ValidScenario;
use crate::stats::{GridCursor, IntervalGrid, TimeAverage};
use callers::{ArrivalClock, Contact, Contacts, Line};
use draws::Attempt;
use draws::Origin;
use events::{ABANDON_RANK, Event};
use rand::SeedableRng;
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};
use staff::Group;
use tally::Recorder;
pub use tally::{DayTally, GroupTally, QueueTally, Replication};
pub use tally::IntervalTally;

/// Most contacts allowed to wait at once. Beyond it a run is capped: only an overloaded queue
/// without patience gets there, and it would otherwise grow until memory runs out.
pub const MAX_WAITING: usize = 500_000;

/// The report-interval grid of a scenario: aligned to multiples of the interval, covering
/// `[warmup, horizon)`.
pub fn interval_grid(sc: &ValidScenario) -> IntervalGrid {
    let start = (sc.warmup_s / sc.interval_s).floor() * sc.interval_s;
    let count = ((sc.horizon_s - start) / sc.interval_s).ceil().max(1.0) as usize;
    IntervalGrid {
        start,
        step: sc.interval_s,
        count,
    }
}

/// Runs one replication. `rngs[q]` is queue `q`'s stream: it gives the arrival gaps and every
/// draw for each fresh contact at its arrival, so the same callers arrive whatever the staffing
/// (common random numbers). A returning attempt (a redial, a booked call) draws from its
/// caller's own stream, seeded by the caller's previous attempt, so its draws are tied to the
/// caller too, not to the order in which callers return.
#[cfg(any(test, feature = "internals"))]
pub fn simulate(sc: &ValidScenario, rngs: Vec<Xoshiro256PlusPlus>) -> Replication {
    simulate_with_progress(sc, rngs, &|| {})
}

/// Parts of a replication that `progress` counts: it is called [`TICKS`] times per
/// replication, as simulated time passes, so a long replication shows progress too.
pub const TICKS: u32 = 100;

/// What a run tells as it goes, and asks whether it is still wanted. Any `Fn() + Sync`
/// closure is one that is always wanted.
pub trait Progress: Sync {
    /// A [`TICKS`]th of a replication is done (called from any thread).
    fn tick(&self);
    /// True once the run's result is no longer wanted (a cancelled request): every
    /// replication then ends at its next tick, so what it returns means nothing.
    fn stopped(&self) -> bool {
        false
    }
}

impl<F: Fn() + Sync> Progress for F {
    fn tick(&self) {
        self()
    }
}

/// [`simulate`], calling `progress` [`TICKS`] times as the replication advances. Progress
/// never touches a random stream: results do not depend on it.
pub fn simulate_with_progress(
    sc: &ValidScenario,
    rngs: Vec<Xoshiro256PlusPlus>,
    progress: &dyn Progress,
) -> Replication {
    assert_eq!(rngs.len(), sc.queues.len(), "one random stream per queue");
    let mut sim = Sim::new(sc, rngs);
    sim.start();
    let mut ticks = Ticks::new(sc.horizon_s, progress);
    sim.run(&mut ticks);
    ticks.finish();
    sim.finish()
}

/// [`simulate`], also returning a record of every attempt, ordered by the time it left the
/// queue (those still waiting at the end last). The replication is the same as untraced.
pub fn simulate_traced(
    sc: &ValidScenario,
    rngs: Vec<Xoshiro256PlusPlus>,
) -> (Replication, Vec<trace::Traced>) {
    assert_eq!(rngs.len(), sc.queues.len(), "one random stream per queue");
    let mut sim = Sim::new(sc, rngs);
    sim.trace = Some(Vec::new());
    sim.start();
    sim.run(&mut Ticks::new(sc.horizon_s, &|| {}));
    let mut traced = sim.trace.take().unwrap_or_default();
    for line in &sim.lines {
        let waiting = line.waiting_slots(&sim.contacts);
        traced.extend(waiting.map(|slot| trace::Traced::left(sim.contacts.get(slot))));
    }
    (sim.finish(), traced)
}

/// Reports simulated time as [`TICKS`] equal parts of the horizon; a drain past the
/// horizon stays on the last tick until the replication ends.
struct Ticks<'p> {
    every_s: f64,
    next_at: f64,
    done: u32,
    progress: &'p dyn Progress,
}

impl<'p> Ticks<'p> {
    fn new(horizon_s: f64, progress: &'p dyn Progress) -> Self {
        let every_s = horizon_s / f64::from(TICKS);
        Ticks {
            every_s,
            // A run stopped before this replication began ends it at its first event.
            next_at: if progress.stopped() {
                f64::NEG_INFINITY
            } else {
                every_s
            },
            done: 0,
            progress,
        }
    }

    /// Called once per event: one comparison unless a tick is due. False when the run is
    /// stopped.
    #[inline]
    fn at(&mut self, now: f64) -> bool {
        if now >= self.next_at {
            if self.progress.stopped() {
                self.next_at = f64::NEG_INFINITY;
                return false;
            }
            let due = ((now / self.every_s) as u32).min(TICKS - 1);
            self.tick_to(due);
            // Past the last tick (a drain), it still asks once per tick's length.
            self.next_at = if self.done + 1 < TICKS {
                f64::from(self.done + 1) * self.every_s
            } else {
                now + self.every_s
            };
        }
        true
    }

    fn tick_to(&mut self, due: u32) {
        while self.done < due {
            self.progress.tick();
            self.done += 1;
        }
    }

    fn finish(mut self) {
        self.tick_to(TICKS);
    }
}

/// A staff group's position in its weekly schedule.
#[derive(Debug, Clone, Copy)]
struct ScheduleCursor {
    piece: usize,
    week_base: f64,
}

struct Sim<'a> {
    sc: &'a ValidScenario,
    engine: Engine<Event>,
    rngs: Vec<Xoshiro256PlusPlus>,
    clocks: Vec<ArrivalClock>,
    /// Each queue's next fresh arrival, and the earliest of them.
    next_arrivals: arrivals::NextArrivals,
    /// Fresh arrivals processed (they bypass the event list).
    arrivals: u64,
    contacts: Contacts,
    lines: Vec<Line>,
    groups: Vec<Group>,
    cursors: Vec<ScheduleCursor>,
    routing: routing::Routing,
    total_waiting: usize,
    redials: redials::Redials,
    callbacks: callbacks::Callbacks,
    grid: IntervalGrid,
    /// The report interval of now.
    now_interval: GridCursor,
    /// The day of now and the time it ends. Not a `GridCursor` over days: its range checks
    /// cost 0.8% more instructions in the FPA week, and days need none (`days.get_mut`).
    now_day: (u32, f64),
    /// What the replication records: the one place that applies the warm-up.
    rec: Recorder,
    /// Busy agent-seconds per report interval, index `group * intervals + interval`.
    busy_by_interval: Vec<f64>,
    on_duty: Vec<TimeAverage>,
    scheduled: Vec<TimeAverage>,
    /// Busy agent-seconds in the window, index `group * queues + queue`.
    busy_by_queue: Vec<f64>,
    capped_at: Option<f64>,
    /// Every attempt's record, when tracing (`run --calls`).
    trace: Option<Vec<trace::Traced>>,
}

impl<'a> Sim<'a> {
    fn new(sc: &'a ValidScenario, rngs: Vec<Xoshiro256PlusPlus>) -> Self {
        let (nq, ng) = (sc.queues.len(), sc.groups.len());
        let grid = interval_grid(sc);
        let days = (sc.horizon_s / DAY_S).ceil() as usize;
        let window = |g: Option<IntervalGrid>| {
            let t = TimeAverage::new(sc.warmup_s, sc.horizon_s);
            g.map_or(t, |g| {
                TimeAverage::with_intervals(sc.warmup_s, sc.horizon_s, g)
            })
        };
        Sim {
            sc,
            engine: Engine::with_capacity(1024),
            rngs,
            clocks: sc
                .queues
                .iter()
                .map(|q| ArrivalClock::new(&q.rate, 0.0))
                .collect(),
            next_arrivals: arrivals::NextArrivals::new(nq),
            arrivals: 0,
            contacts: Contacts::default(),
            lines: (0..nq).map(|_| Line::default()).collect(),
            groups: (0..ng).map(|_| Group::default()).collect(),
            cursors: vec![
                ScheduleCursor {
                    piece: 0,
                    week_base: 0.0
                };
                ng
            ],
            routing: routing::Routing::new(sc),
            total_waiting: 0,
            redials: redials::Redials::default(),
            callbacks: callbacks::Callbacks::new(sc),
            grid,
            now_interval: GridCursor::new(&grid),
            now_day: (0, DAY_S),
            rec: Recorder::new(sc, days, grid.count),
            busy_by_interval: vec![0.0; ng * grid.count],
            on_duty: (0..ng).map(|_| window(None)).collect(),
            scheduled: (0..ng).map(|_| window(Some(grid))).collect(),
            busy_by_queue: vec![0.0; ng * nq],
            capped_at: None,
            trace: None,
        }
    }

    fn start(&mut self) {
        for g in 0..self.groups.len() {
            self.apply_schedule(g);
        }
        for q in 0..self.lines.len() {
            self.schedule_arrival(q);
        }
        self.schedule_day_end(0);
        self.schedule(self.sc.horizon_s, Event::Horizon);
    }

    /// Books the snapshot at the end of day `day` if the day ends within the horizon.
    fn schedule_day_end(&mut self, day: u32) {
        let end = f64::from(day + 1) * DAY_S;
        if end <= self.sc.horizon_s {
            self.schedule(end, Event::DayEnd { day });
        }
    }

    /// Records each queue's backlog at the end of day `day`.
    fn on_day_end(&mut self, day: u32) {
        for (t, line) in self.rec.queues.iter_mut().zip(&self.lines) {
            t.days[day as usize].backlog_end = line.waiting() as u32;
        }
        self.schedule_day_end(day + 1);
    }

    fn run(&mut self, ticks: &mut Ticks) {
        let horizon = self.sc.horizon_s;
        // A drain that outlasts the horizon by this much cannot be a real backlog clearing.
        let drain_limit = horizon + horizon.max(4.0 * WEEK_S);
        loop {
            let (q, arrival) = self.next_arrivals.earliest();
            match self.engine.step_until(arrival) {
                Some(Next::Event(event)) => self.dispatch(event),
                Some(Next::Timer(slot)) => self.on_abandon(slot),
                None if arrival.is_finite() => {
                    self.engine.advance_to(arrival);
                    self.arrivals += 1;
                    self.on_arrival(q);
                }
                None => break,
            }
            let now = self.engine.now();
            if !ticks.at(now) {
                break;
            }
            if now >= horizon
                && self.total_waiting == 0
                && self.redials.pending + self.callbacks.pending_total == 0
            {
                break;
            }
            if self.total_waiting > MAX_WAITING || now > drain_limit {
                self.capped_at = Some(now);
                break;
            }
        }
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::ServiceEnd { group } => self.on_service_end(group as usize),
            Event::StaffChange { group } => self.on_staff_change(group as usize),
            Event::Redial { slot } => self.on_redial(slot),
            Event::DayEnd { day } => self.on_day_end(day),
            Event::Horizon => self.on_horizon(),
            Event::SlotDue { key } => self.on_slot_due(key),
        }
    }

    fn finish(mut self) -> Replication {
        let end = self.engine.now();
        let (nq, ni) = (self.lines.len(), self.grid.count);
        let all = self.on_duty.iter_mut().chain(&mut self.scheduled);
        all.for_each(|t| t.finish(end));
        // Contacts still waiting (a capped run) count as waiting until the horizon, as the
        // time averages above do.
        let (warmup, horizon) = (self.sc.warmup_s, self.sc.horizon_s);
        for (line, tally) in self.lines.iter().zip(&mut self.rec.queues) {
            for slot in line.waiting_slots(&self.contacts) {
                let from = self.contacts.get(slot).arrival.max(warmup);
                tally.queue_len_area += (horizon - from).max(0.0);
            }
        }
        for (q, book) in self.callbacks.books.iter().enumerate() {
            if let (Some(book), Some(slots)) = (book, &self.sc.queues[q].slots) {
                let (booked, capacity) = book.usage(slots, self.sc.warmup_s, self.sc.horizon_s);
                (
                    self.rec.queues[q].slots_booked,
                    self.rec.queues[q].slots_capacity,
                ) = (booked, capacity);
            }
        }
        let groups = (0..self.groups.len())
            .map(|g| GroupTally {
                busy_area: self.busy_by_queue[g * nq..(g + 1) * nq].iter().sum(),
                on_duty_area: self.on_duty[g].area(),
                busy_by_interval: self.busy_by_interval[g * ni..(g + 1) * ni].to_vec(),
                scheduled_by_interval: self.scheduled[g].interval_areas().to_vec(),
                busy_by_queue: self.busy_by_queue[g * nq..(g + 1) * nq].to_vec(),
            })
            .collect();
        Replication {
            queues: self.rec.queues,
            groups,
            grid: self.grid,
            intervals: self.rec.intervals,
            capped_at: self.capped_at,
            events: self.engine.processed() + self.arrivals,
            end_s: end,
        }
    }

    fn schedule(&mut self, time: f64, event: Event) {
        self.engine.schedule(time, event.rank(), event);
    }

    fn schedule_arrival(&mut self, q: usize) {
        let (now, horizon) = (self.engine.now(), self.sc.horizon_s);
        let queue = &self.sc.queues[q];
        let level = queue.daily_level.as_ref();
        let process = queue.process;
        let next = self.clocks[q].next(
            &queue.rate,
            level,
            process,
            (now, horizon),
            &mut self.rngs[q],
        );
        self.next_arrivals.set(q, next.unwrap_or(f64::INFINITY));
    }

    fn on_arrival(&mut self, q: usize) {
        let now = self.engine.now();
        self.admit(q, now, None, Origin::Fresh);
        self.schedule_arrival(q);
    }

    /// An attempt arrives at queue `q` from a caller who first called at `first_arrival`.
    /// `caller_slot` is the slot a redialling caller already holds.
    fn admit(&mut self, q: usize, first_arrival: f64, caller_slot: Option<u32>, origin: Origin) {
        let now = self.engine.now();
        let queue = &self.sc.queues[q];
        let a = match origin {
            Origin::Fresh => Attempt::draw(queue, &mut self.rngs[q]),
            Origin::Returning(seed) => Attempt::draw(queue, &mut SplitMix64::seed_from_u64(seed)),
        };
        let (handle, patience, redial_after, accept_u, unreached) = (
            a.handle,
            a.patience,
            a.redial_after,
            a.accept_u,
            a.unreached,
        );
        let (interval, day) = self.tally_offer(q, now, first_arrival);
        // A caller keeps its class on every attempt.
        let class = caller_slot.map_or(a.class, |s| self.contacts.get(s).class);
        let contact = Contact {
            class,
            unreached,
            stream: a.next_stream,
            interval,
            day,
            ..Contact::new(q as u32, now, first_arrival, handle, redial_after)
        };
        if let Some(g) = self.free_server(q) {
            caller_slot
                .into_iter()
                .for_each(|s| self.contacts.release(s));
            self.groups[g].take_idle();
            self.answer(g, &contact);
        } else if accept_u.is_some_and(|u| self.try_book(q, u, a.next_stream)) {
            if let Some(t) = &mut self.trace {
                t.push(trace::Traced::left(&contact));
            }
            caller_slot
                .into_iter()
                .for_each(|s| self.contacts.release(s));
        } else if patience == Some(0.0) {
            if let Some(t) = &mut self.trace {
                t.push(trace::Traced::abandoned(&contact, now));
            }
            self.rec.abandon(&contact, 0.0);
            self.after_abandon(&contact, caller_slot);
        } else {
            let slot = match caller_slot {
                Some(s) => {
                    self.contacts.put(s, contact);
                    s
                }
                None => self.contacts.insert(contact),
            };
            if queue.classes.is_empty() {
                self.lines[q].push(slot);
            } else {
                let place = |c: &Contact| c.arrival - queue.head_start(c.class);
                self.lines[q].push_placed(slot, &self.contacts, place);
            }
            self.total_waiting += 1;
            self.line_changed(q);
            if let Some(p) = patience {
                self.engine.set_timer(slot, now + p, ABANDON_RANK);
            }
        }
    }

    fn on_service_end(&mut self, g: usize) {
        let now = self.engine.now();
        let group = &mut self.groups[g];
        if group.to_leave > 0 {
            group.to_leave -= 1;
            group.busy -= 1;
            self.update_on_duty(g);
        } else if !self.serve_next(g) {
            self.groups[g].become_idle(now);
        }
    }

    /// An agent of group `g` (already counted busy) answers `c`.
    #[inline]
    fn answer(&mut self, g: usize, c: &Contact) {
        let q = c.queue as usize;
        let now = self.engine.now();
        if let Some(t) = &mut self.trace {
            t.push(trace::Traced::answered(c, now, g));
        }
        self.rec.answer(c, now - c.arrival);
        if c.unreached {
            self.rec.unreached(c);
        }
        self.start_service(g, q, c.handle);
    }

    /// An agent of group `g` starts a contact of queue `q` lasting `handle`.
    #[inline]
    fn start_service(&mut self, g: usize, q: usize, handle: f64) {
        let now = self.engine.now();
        // No preemption: the whole service is known now, so its share of the window and of
        // each report interval is too; busy time needs no bookkeeping at every change.
        let (a, b) = (
            now.max(self.sc.warmup_s),
            (now + handle).min(self.sc.horizon_s),
        );
        if b > a {
            self.busy_by_queue[g * self.lines.len() + q] += b - a;
        }
        let ni = self.grid.count;
        let areas = &mut self.busy_by_interval[g * ni..(g + 1) * ni];
        match self.now_interval.index(&self.grid, now) {
            Some(i) => self.grid.spread_from(areas, i, now, b),
            None => self.grid.spread(areas, now, b),
        }
        self.schedule(now + handle, Event::ServiceEnd { group: g as u32 });
    }

    fn on_abandon(&mut self, slot: u32) {
        let c = *self.contacts.get(slot);
        debug_assert!(c.waiting, "an answered contact's timer is cancelled");
        self.contacts.get_mut(slot).waiting = false;
        let q = c.queue as usize;
        self.lines[q].note_abandon();
        self.total_waiting -= 1;
        self.count_waiting(q, c.arrival, self.engine.now());
        self.line_changed(q);
        self.rec.abandon(&c, self.engine.now() - c.arrival);
        if let Some(t) = &mut self.trace {
            t.push(trace::Traced::abandoned(&c, self.engine.now()));
        }
        self.after_abandon(&c, None);
    }

    fn on_staff_change(&mut self, g: usize) {
        let cursor = &mut self.cursors[g];
        let profile = &self.sc.groups[g].count;
        cursor.piece = profile.next_piece(cursor.piece);
        if cursor.piece == 0 {
            cursor.week_base += WEEK_S;
        }
        self.apply_schedule(g);
    }

    /// Sets group `g` to its scheduled count for the current piece and books the next change.
    fn apply_schedule(&mut self, g: usize) {
        let now = self.engine.now();
        let profile = &self.sc.groups[g].count;
        let cursor = self.cursors[g];
        let target = profile.value(cursor.piece) as u32;
        let started = self.groups[g].set_target(target, now);
        self.scheduled[g].set(now, f64::from(target));
        // New agents take waiting work. While a queue of the group has a contact it may take
        // (waiting, and no guard holding), no older agent of the group is idle, so the agent
        // taken here is a new one. Work kept off by a guard waits for the guard to lift. A
        // contact taken may lift a guard and wake the group's other new agents, so each turn
        // checks that one is still idle.
        for _ in 0..started {
            if !self.has_work(g) || !self.groups[g].has_idle() {
                break;
            }
            self.groups[g].take_idle();
            self.serve_next(g);
        }
        self.update_on_duty(g);
        if profile.len() > 1 {
            let next = cursor.week_base + profile.piece_end(cursor.piece);
            self.schedule(next, Event::StaffChange { group: g as u32 });
        }
    }

    fn update_on_duty(&mut self, g: usize) {
        self.on_duty[g].set(self.engine.now(), f64::from(self.groups[g].on_duty()));
    }

    /// Adds a contact's time waiting in queue `q`, `[from, to)`, to the queue-length integral
    /// over the window: the integral of the number waiting is the sum of each contact's wait,
    /// so it is counted once a contact leaves the line rather than at every change.
    #[inline]
    fn count_waiting(&mut self, q: usize, from: f64, to: f64) {
        let (a, b) = (from.max(self.sc.warmup_s), to.min(self.sc.horizon_s));
        if b > a {
            self.rec.queues[q].queue_len_area += b - a;
        }
    }

    /// Counts an attempt arriving at queue `q` now, at `arrival`. Returns its report interval
    /// (`u32::MAX` outside the grid) and day, found once here so that counting its outcome
    /// later costs nothing, and found from cursors that follow the clock, without division.
    #[inline]
    fn tally_offer(&mut self, q: usize, arrival: f64, first_arrival: f64) -> (u32, u32) {
        let interval = self.now_interval.index(&self.grid, arrival);
        let interval = interval.map_or(u32::MAX, |i| i as u32);
        while arrival >= self.now_day.1 {
            self.now_day = (self.now_day.0 + 1, f64::from(self.now_day.0 + 2) * DAY_S);
        }
        self.rec.offer(q, arrival, first_arrival, interval);
        (interval, self.now_day.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    #[test]
    fn ticks_follow_simulated_time_and_add_up_to_one_replication() {
        let calls = AtomicU32::new(0);
        let count = || {
            calls.fetch_add(1, Ordering::Relaxed);
        };
        let calls = || calls.load(Ordering::Relaxed);
        let mut ticks = Ticks::new(100.0, &count);
        assert!(ticks.at(0.5));
        assert_eq!(calls(), 0, "no tick before the first hundredth");
        ticks.at(1.0);
        ticks.at(1.5);
        assert_eq!(calls(), 1);
        ticks.at(50.3);
        assert_eq!(calls(), 50, "a jump in time ticks every part it passed");
        assert!(ticks.at(1e9));
        assert!(ticks.at(1e9 + 0.5));
        assert_eq!(calls(), TICKS - 1, "a drain past the horizon waits on the last");
        ticks.finish();
        assert_eq!(calls(), TICKS);
    }

    /// A progress whose run is stopped from outside, as a cancelled request stops it.
    struct Stoppable(AtomicBool);

    impl Progress for Stoppable {
        fn tick(&self) {}
        fn stopped(&self) -> bool {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[test]
    fn a_stopped_run_ends_at_its_next_tick_and_a_new_replication_at_once() {
        let stop = Stoppable(AtomicBool::new(false));
        let mut ticks = Ticks::new(100.0, &stop);
        assert!(ticks.at(10.0));
        stop.0.store(true, Ordering::Relaxed);
        assert!(ticks.at(10.5), "not asked again before the next tick");
        assert!(!ticks.at(11.0));
        assert!(!Ticks::new(100.0, &stop).at(0.0), "a stopped run starts no replication");
    }

    #[test]
    fn a_drain_past_the_horizon_still_asks_whether_to_stop() {
        let stop = Stoppable(AtomicBool::new(false));
        let mut ticks = Ticks::new(100.0, &stop);
        assert!(ticks.at(500.0));
        stop.0.store(true, Ordering::Relaxed);
        assert!(!ticks.at(502.0));
    }
}
