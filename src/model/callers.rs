//! Callers: the arrival process of a queue and the contacts waiting in it.

use crate::dist::{Dist, ziggurat};
use crate::scenario::Process;
use crate::scenario::units::{DAY_S, WEEK_S};
use crate::scenario::week::WeekProfile;
use rand::{Rng, RngExt};
use std::collections::VecDeque;

/// Generates the arrival times of a non-homogeneous Poisson process whose rate is a
/// piecewise-constant weekly profile, optionally times a random level drawn for each day.
///
/// Exactness: an exponential gap is drawn at the current piece's rate; if it would cross the
/// piece's end, the clock moves to that end and a fresh gap is drawn at the next rate. By the
/// memoryless property this is exactly the non-homogeneous process (a gap drawn at one rate is
/// never carried across a rate change). With a daily level, pieces end at every midnight, so a
/// day's level applies to whole pieces.
#[derive(Debug, Clone)]
pub struct ArrivalClock {
    piece: usize,
    week_base: f64,
    never: bool,
    level: f64,
    level_day: Option<u64>,
    /// Expected count still to pass before the next release (even process only).
    carry: f64,
    /// Contacts still to arrive in the current piece (counted process only).
    left: u32,
    /// Whether `end` and `rate` are those of `piece`: they are found when the clock first
    /// looks at a piece, not when it reaches its start, so the daily level is drawn at the same
    /// point of the stream as if they were found every time.
    entered: bool,
    /// The absolute end of the current piece.
    end: f64,
    /// The current piece's rate times the day's level.
    rate: f64,
    /// Its inverse, the mean gap: a multiplication per arrival instead of a division, whose
    /// latency was a sixth of finding the next arrival.
    mean_gap: f64,
}

impl ArrivalClock {
    /// A clock positioned at time `t`.
    pub fn new(rate: &WeekProfile, t: f64) -> Self {
        ArrivalClock {
            piece: rate.piece_at(t),
            week_base: (t / WEEK_S).floor() * WEEK_S,
            never: rate.max() <= 0.0,
            level: 1.0,
            level_day: None,
            carry: 0.5,
            left: 0,
            entered: false,
            end: 0.0,
            rate: 0.0,
            mean_gap: 0.0,
        }
    }

    /// The first arrival after `now` and before `until`, if any. `now` is the clock's last
    /// arrival (or the time it was made at). `daily_level`, when given,
    /// is drawn once for each day the clock enters. With [`Process::Even`], contacts are
    /// released each time another unit of expected count has passed (the first at half a
    /// unit), so a day with volume V gets exactly V releases when V is whole. With
    /// [`Process::Counted`], each piece gets its expected count (rounded) at independent
    /// uniform times: the next is the earliest of those left, drawn as the minimum of k
    /// uniforms, t + (end − t)(1 − U^(1/k)).
    #[inline]
    pub fn next<R: Rng + ?Sized>(
        &mut self,
        rate: &WeekProfile,
        daily_level: Option<&Dist>,
        process: Process,
        (now, until): (f64, f64),
        rng: &mut R,
    ) -> Option<f64> {
        if self.never {
            return None;
        }
        let mut t = now;
        while t < until {
            if !self.entered {
                self.enter_piece(rate, daily_level, t, rng);
                if process == Process::Counted {
                    self.left = (self.rate * (self.end - t)).round() as u32;
                }
            }
            if process == Process::Counted {
                if self.left > 0 {
                    let u: f64 = rng.random();
                    let next = t + (self.end - t) * (1.0 - u.powf(1.0 / f64::from(self.left)));
                    self.left -= 1;
                    return (next < until).then_some(next);
                }
            } else if self.rate > 0.0 {
                // The gap in units of expected count: exponential, or what is left to release.
                let gap: f64 = match process {
                    Process::Even => self.carry,
                    _ => ziggurat::exp1(rng),
                };
                let next = t + gap * self.mean_gap;
                if next < self.end {
                    self.carry = 1.0;
                    return (next < until).then_some(next);
                }
                if process == Process::Even {
                    self.carry -= self.rate * (self.end - t);
                }
            }
            t = self.end;
            self.piece = rate.next_piece(self.piece);
            if self.piece == 0 {
                self.week_base += WEEK_S;
            }
            self.entered = false;
        }
        None
    }

    /// Finds the current piece's end and rate, drawing the day's level if it is a new day.
    /// Out of line: it runs once a piece, and inlined (with the level's gamma draw) it made
    /// every arrival save and restore more registers.
    #[inline(never)]
    fn enter_piece<R: Rng + ?Sized>(
        &mut self,
        rate: &WeekProfile,
        daily_level: Option<&Dist>,
        t: f64,
        rng: &mut R,
    ) {
        self.end = self.week_base + rate.piece_end(self.piece);
        self.rate = rate.value(self.piece) * self.level_for(t, daily_level, rng);
        self.mean_gap = 1.0 / self.rate;
        self.entered = true;
    }

    /// The level of the day holding `t`, drawing it when the clock enters a new day.
    #[inline]
    fn level_for<R: Rng + ?Sized>(
        &mut self,
        t: f64,
        daily_level: Option<&Dist>,
        rng: &mut R,
    ) -> f64 {
        let Some(dist) = daily_level else { return 1.0 };
        let day = (t / DAY_S) as u64;
        if self.level_day != Some(day) {
            self.level = dist.sample(rng);
            self.level_day = Some(day);
        }
        self.level
    }
}

/// A contact in the system: waiting in a queue, just answered, or a caller who will redial.
#[derive(Debug, Clone, Copy)]
pub struct Contact {
    /// Arrival time of this attempt.
    pub arrival: f64,
    /// Arrival time of the caller's first attempt.
    pub first_arrival: f64,
    /// Handle time, drawn at arrival so that the contact's draws do not depend on staffing.
    pub handle: f64,
    /// If this attempt abandons, the caller calls again after this delay (drawn at arrival).
    pub redial_after: Option<f64>,
    /// Index of its queue.
    pub queue: u32,
    /// Whether it is still waiting (false once answered or abandoned).
    pub waiting: bool,
    /// Whether it will not reach the customer (outbound work).
    pub unreached: bool,
    /// The seed of the caller's next attempt's draws (a redial or a booked call).
    pub stream: u64,
    /// The report interval of its arrival (`u32::MAX`: outside the grid).
    pub interval: u32,
    /// The day of its arrival (day 0 starts at time 0).
    pub day: u32,
    /// Its caller's class (0: regular; see `QueueModel::classes`).
    pub class: u8,
}

impl Contact {
    /// A new attempt arriving at `arrival`.
    pub fn new(
        queue: u32,
        arrival: f64,
        first_arrival: f64,
        handle: f64,
        redial_after: Option<f64>,
    ) -> Self {
        Contact {
            arrival,
            first_arrival,
            handle,
            redial_after,
            queue,
            waiting: true,
            unreached: false,
            stream: 0,
            interval: u32::MAX,
            day: 0,
            class: 0,
        }
    }
}

/// Storage for contacts with reusable slots, so the event loop allocates nothing once warm.
#[derive(Debug, Default)]
pub struct Contacts {
    slots: Vec<Contact>,
    free: Vec<u32>,
}

impl Contacts {
    /// Stores `c` and returns its slot.
    #[inline]
    pub fn insert(&mut self, c: Contact) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.put(slot, c);
                slot
            }
            None => {
                self.slots.push(c);
                self.slots.len() as u32 - 1
            }
        }
    }

    /// Stores `c` in `slot`, which its caller holds.
    #[inline]
    pub fn put(&mut self, slot: u32, c: Contact) {
        self.slots[slot as usize] = c;
    }

    /// The contact in `slot`.
    #[inline]
    pub fn get(&self, slot: u32) -> &Contact {
        &self.slots[slot as usize]
    }

    /// The contact in `slot`, mutably.
    #[inline]
    pub fn get_mut(&mut self, slot: u32) -> &mut Contact {
        &mut self.slots[slot as usize]
    }

    /// Frees `slot` (its abandonment timer, if any, is gone: fired or cancelled).
    #[inline]
    pub fn release(&mut self, slot: u32) {
        self.slots[slot as usize].waiting = false;
        self.free.push(slot);
    }
}

/// The waiting line of one queue, first come first served. Abandoned contacts are removed
/// lazily, when they reach the head.
#[derive(Debug, Default)]
pub struct Line {
    slots: VecDeque<u32>,
    waiting: usize,
}

impl Line {
    /// Contacts still waiting.
    #[inline]
    pub fn waiting(&self) -> usize {
        self.waiting
    }

    /// Appends a waiting contact.
    #[inline]
    pub fn push(&mut self, slot: u32) {
        self.slots.push_back(slot);
        self.waiting += 1;
    }

    /// Places a waiting contact by its place in line, `place(contact)` (its arrival less its
    /// head start): behind every contact placed at or before it, so equal places keep their
    /// order of arrival. The line is in order of place, so the search runs from the back and
    /// stops at the first contact placed no later.
    pub fn push_placed(&mut self, slot: u32, contacts: &Contacts, place: impl Fn(&Contact) -> f64) {
        let at = place(contacts.get(slot));
        let mut i = self.slots.len();
        while i > 0 && place(contacts.get(self.slots[i - 1])) > at {
            i -= 1;
        }
        self.slots.insert(i, slot);
        self.waiting += 1;
    }

    /// The slots of the contacts still waiting, longest-waiting first.
    pub fn waiting_slots<'a>(&'a self, contacts: &'a Contacts) -> impl Iterator<Item = u32> + 'a {
        let waiting = |slot: &u32| contacts.get(*slot).waiting;
        self.slots.iter().copied().filter(waiting)
    }

    /// One waiting contact left the line from the middle (it abandoned).
    #[inline]
    pub fn note_abandon(&mut self) {
        self.waiting -= 1;
    }

    /// Removes and returns the longest-waiting contact still waiting, releasing the slots of
    /// abandoned contacts passed on the way. The returned slot is not released.
    #[inline]
    pub fn pop(&mut self, contacts: &mut Contacts) -> Option<u32> {
        if self.waiting == 0 {
            // Only abandoned entries can remain: release them all.
            while let Some(slot) = self.slots.pop_front() {
                contacts.release(slot);
            }
            return None;
        }
        while let Some(slot) = self.slots.pop_front() {
            if contacts.get(slot).waiting {
                self.waiting -= 1;
                return Some(slot);
            }
            contacts.release(slot);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn arrivals_only_in_positive_pieces_and_before_until() {
        let rate = WeekProfile::from_assignments(0.0, &[(100.0, 200.0, 0.5)]);
        let mut clock = ArrivalClock::new(&rate, 0.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut t = 0.0;
        let mut n = 0;
        while let Some(next) =
            clock.next(&rate, None, Process::Poisson, (t, 3.0 * WEEK_S), &mut rng)
        {
            let w = next % WEEK_S;
            assert!((100.0..200.0).contains(&w), "arrival at week time {w}");
            t = next;
            n += 1;
        }
        // Three weeks of 100 s at 0.5/s: 150 expected, sd 12.2; 5 sd either side.
        assert!((89..=211).contains(&n), "{n} arrivals");
    }

    #[test]
    fn counted_arrivals_are_exactly_each_pieces_count_at_uniform_times() {
        // 0.25/s over 100..200 s (25 contacts) and 0.1/s over 200..500 s (30): exactly those
        // counts, every week, and uniform within each piece: the mean position of 25 uniform
        // times in a 100 s piece is 50 s with sd 5.8 s over one week, 1.2 s over 25 weeks.
        let rate = WeekProfile::from_assignments(0.0, &[(100.0, 200.0, 0.25), (200.0, 500.0, 0.1)]);
        let mut clock = ArrivalClock::new(&rate, 0.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let weeks = 25;
        let (mut t, mut first, mut second, mut offset) = (0.0, 0, 0, 0.0);
        while let Some(next) = clock.next(&rate, None, Process::Counted, (t, weeks as f64 * WEEK_S), &mut rng) {
            assert!(next >= t, "in order");
            let w = next % WEEK_S;
            match w {
                w if (100.0..200.0).contains(&w) => (first, offset) = (first + 1, offset + w - 100.0),
                w if (200.0..500.0).contains(&w) => second += 1,
                w => panic!("arrival at week time {w}"),
            }
            t = next;
        }
        assert_eq!((first, second), (25 * weeks, 30 * weeks));
        let mean = offset / first as f64;
        assert!((mean - 50.0).abs() < 5.0, "mean position {mean} s");
    }

    #[test]
    fn a_head_start_places_a_caller_ahead_of_those_who_waited_less() {
        // Regular callers at 0, 50 and 100 s; a priority caller (head start 90 s) at 120 s
        // is placed at 30 s: behind the first, ahead of the other two.
        let mut contacts = Contacts::default();
        let mut line = Line::default();
        let place = |c: &Contact| c.arrival - if c.class == 1 { 90.0 } else { 0.0 };
        for (t, class) in [(0.0, 0), (50.0, 0), (100.0, 0), (120.0, 1)] {
            let slot = contacts.insert(Contact {
                class,
                ..Contact::new(0, t, t, 1.0, None)
            });
            line.push_placed(slot, &contacts, place);
        }
        let order: Vec<u32> = std::iter::from_fn(|| line.pop(&mut contacts)).collect();
        assert_eq!(order, vec![0, 3, 1, 2]);
    }

    #[test]
    fn line_skips_abandoned() {
        let mut contacts = Contacts::default();
        let mut line = Line::default();
        for t in 0..3 {
            let slot = contacts.insert(Contact::new(0, t as f64, t as f64, 1.0, None));
            line.push(slot);
        }
        contacts.get_mut(0).waiting = false;
        line.note_abandon();
        assert_eq!(line.waiting(), 2);
        assert_eq!(line.pop(&mut contacts), Some(1));
        assert_eq!(line.pop(&mut contacts), Some(2));
        assert_eq!(line.pop(&mut contacts), None);
    }
}
