//! Staff groups: agents on duty, idle or busy, following a weekly schedule without preemption.

use std::collections::VecDeque;

/// The agents of one group.
///
/// Agents are interchangeable within a group, so only counts and the idle-since times (for
/// longest-idle routing) are kept. Idle agents are kept as runs of agents idle since the same
/// time, so that memory grows with the number of distinct times, not with the count a
/// schedule gives: a group of a billion agents who start together is one run.
#[derive(Debug, Default)]
pub struct Group {
    /// Runs of idle agents: idle-since time and how many, longest idle first.
    idle: VecDeque<(f64, u32)>,
    /// Idle agents in all runs.
    idle_count: u32,
    /// Agents busy with a contact.
    pub busy: u32,
    /// Busy agents who leave when their contact ends (the schedule dropped).
    pub to_leave: u32,
}

impl Group {
    /// Agents on duty: idle plus busy (including those who will leave after their contact).
    #[inline]
    pub fn on_duty(&self) -> u32 {
        self.idle_count + self.busy
    }

    /// Whether an agent is idle.
    #[inline]
    pub fn has_idle(&self) -> bool {
        self.idle_count > 0
    }

    /// Since when the longest-idle agent has been idle.
    #[inline]
    pub fn longest_idle_since(&self) -> Option<f64> {
        self.idle.front().map(|r| r.0)
    }

    /// The longest-idle agent takes a contact. There must be one ([`Group::has_idle`]).
    #[inline]
    pub fn take_idle(&mut self) {
        debug_assert!(self.has_idle(), "take_idle with no idle agent");
        if let Some(front) = self.idle.front_mut() {
            front.1 -= 1;
            if front.1 == 0 {
                self.idle.pop_front();
            }
            self.idle_count -= 1;
            self.busy += 1;
        }
    }

    /// `n` agents become idle at `now`, after every agent already idle.
    #[inline]
    fn push_idle(&mut self, now: f64, n: u32) {
        match self.idle.back_mut() {
            Some(back) if back.0 == now => back.1 += n,
            _ => self.idle.push_back((now, n)),
        }
        self.idle_count += n;
    }

    /// A busy agent became idle at `now`.
    #[inline]
    pub fn become_idle(&mut self, now: f64) {
        self.busy -= 1;
        self.push_idle(now, 1);
    }

    /// Up to `n` idle agents leave, the most recently idle first. Returns how many left.
    fn leave_idle(&mut self, mut n: u32) -> u32 {
        let wanted = n;
        while n > 0 {
            let Some(back) = self.idle.back_mut() else {
                break;
            };
            let k = back.1.min(n);
            back.1 -= k;
            if back.1 == 0 {
                self.idle.pop_back();
            }
            n -= k;
        }
        self.idle_count -= wanted - n;
        wanted - n
    }

    /// Adjusts the group towards `target` agents on duty. Returns how many new agents start
    /// (they are added as idle and should look for work). Idle agents leave at once (the most
    /// recently idle first); busy agents leave when their contact ends.
    pub fn set_target(&mut self, target: u32, now: f64) -> u32 {
        let staying = self.on_duty() - self.to_leave;
        if target < staying {
            let excess = staying - target;
            self.to_leave += excess - self.leave_idle(excess);
            0
        } else {
            let mut extra = target - staying;
            let cancelled = extra.min(self.to_leave);
            self.to_leave -= cancelled;
            extra -= cancelled;
            if extra > 0 {
                self.push_idle(now, extra);
            }
            extra
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_drop_lets_busy_agents_finish() {
        let mut g = Group::default();
        assert_eq!(g.set_target(3, 0.0), 3);
        g.take_idle();
        g.take_idle();
        assert_eq!(g.set_target(0, 5.0), 0);
        // The idle one left; the two busy ones stay until their contacts end.
        assert_eq!((g.on_duty(), g.busy, g.to_leave), (2, 2, 2));
        // Raising again first cancels pending departures.
        assert_eq!(g.set_target(3, 6.0), 1);
        assert_eq!((g.on_duty(), g.to_leave), (3, 0));
    }

    #[test]
    fn idle_agents_are_runs_longest_idle_first() {
        let mut g = Group::default();
        assert_eq!(g.set_target(u32::MAX - 1, 0.0), u32::MAX - 1);
        assert_eq!(g.idle.len(), 1, "one run, whatever the count");
        g.take_idle();
        g.become_idle(3.0);
        g.take_idle();
        g.become_idle(3.0);
        assert_eq!(g.idle.back(), Some(&(3.0, 2)), "same time, same run");
        assert_eq!(g.longest_idle_since(), Some(0.0));
        // Dropping to 1 sends the most recently idle home first, then the older run.
        assert_eq!(g.set_target(1, 4.0), 0);
        assert_eq!((g.on_duty(), g.idle.len(), g.longest_idle_since()), (1, 1, Some(0.0)));
    }
}
