//! Staff groups: agents on duty, idle or busy, following a weekly schedule without preemption.

use std::collections::VecDeque;

/// The agents of one group.
///
/// Agents are interchangeable within a group, so only counts and the idle-since times (for
/// longest-idle routing) are kept.
#[derive(Debug, Default)]
pub struct Group {
    /// Idle agents' idle-since times, longest idle first.
    idle: VecDeque<f64>,
    /// Agents busy with a contact.
    pub busy: u32,
    /// Busy agents who leave when their contact ends (the schedule dropped).
    pub to_leave: u32,
}

impl Group {
    /// Agents on duty: idle plus busy (including those who will leave after their contact).
    #[inline]
    pub fn on_duty(&self) -> u32 {
        self.idle.len() as u32 + self.busy
    }

    /// Since when the longest-idle agent has been idle.
    #[inline]
    pub fn longest_idle_since(&self) -> Option<f64> {
        self.idle.front().copied()
    }

    /// The longest-idle agent takes a contact.
    #[inline]
    pub fn take_idle(&mut self) {
        self.idle.pop_front();
        self.busy += 1;
    }

    /// A new agent comes on duty, idle (it then looks for work).
    pub fn add_idle(&mut self, now: f64) {
        self.idle.push_back(now);
    }

    /// A busy agent became idle at `now`.
    #[inline]
    pub fn become_idle(&mut self, now: f64) {
        self.busy -= 1;
        self.idle.push_back(now);
    }

    /// Adjusts the group towards `target` agents on duty. Returns how many new agents start
    /// (they are added as idle and should look for work). Idle agents leave at once (the most
    /// recently idle first); busy agents leave when their contact ends.
    pub fn set_target(&mut self, target: u32, now: f64) -> u32 {
        let staying = self.on_duty() - self.to_leave;
        if target < staying {
            let mut excess = staying - target;
            while excess > 0 && self.idle.pop_back().is_some() {
                excess -= 1;
            }
            self.to_leave += excess;
            0
        } else {
            let mut extra = target - staying;
            let cancelled = extra.min(self.to_leave);
            self.to_leave -= cancelled;
            extra -= cancelled;
            (0..extra).for_each(|_| self.add_idle(now));
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
}
