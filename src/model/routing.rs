//! Routing: which agent takes which contact, and when guards hold agents off a queue.
//!
//! A contact arriving goes to the longest-idle agent among the groups serving its queue (ties:
//! the group listed first); an agent who becomes free takes the longest-waiting contact of the
//! first non-empty queue in its group's `serves`. A queue with a guard is served only while
//! the queue it watches has at most its threshold waiting; agents kept off wake when the
//! watched line comes down to the threshold.

use super::Sim;
use crate::scenario::validate::ValidScenario;

/// Who serves what, fixed for a scenario.
pub(super) struct Routing {
    /// Queue → indices of the groups serving it, in group order.
    pub(super) servers: Vec<Vec<u32>>,
    /// Queue → the queues it guards, with their thresholds.
    guarding: Vec<Vec<(usize, usize)>>,
}

impl Routing {
    pub(super) fn new(sc: &ValidScenario) -> Self {
        // Built in one pass over each list, in group and queue order: linear in the size of
        // the scenario however many queues it has.
        let nq = sc.queues.len();
        let mut servers: Vec<Vec<u32>> = vec![Vec::new(); nq];
        for (g, group) in sc.groups.iter().enumerate() {
            for &q in &group.serves {
                servers[q].push(g as u32);
            }
        }
        let mut guarding: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nq];
        for (q, queue) in sc.queues.iter().enumerate() {
            if let Some((watched, max)) = queue.guard {
                guarding[watched].push((q, max));
            }
        }
        Routing { servers, guarding }
    }
}

impl Sim<'_> {
    /// The group of the agent who answers an attempt arriving at queue `q` now, if one is free
    /// and no guard holds the queue.
    #[inline]
    pub(super) fn free_server(&self, q: usize) -> Option<usize> {
        if self.guarded(q) {
            None
        } else {
            self.longest_idle_server(q)
        }
    }

    /// Whether a guard keeps agents off queue `q` now.
    #[inline]
    pub(super) fn guarded(&self, q: usize) -> bool {
        self.sc.queues[q]
            .guard
            .is_some_and(|(watched, max)| self.lines[watched].waiting() > max)
    }

    /// Idle agents take work from queue `q` (after its guard lifted) while they can.
    pub(super) fn wake(&mut self, q: usize) {
        while !self.guarded(q) && self.lines[q].waiting() > 0 {
            let Some(g) = self.longest_idle_server(q) else {
                return;
            };
            let Some(slot) = self.lines[q].pop(&mut self.contacts) else {
                return;
            };
            self.groups[g].take_idle();
            self.take_from_line(g, q, slot);
        }
    }

    /// The group of the longest-idle agent serving queue `q`.
    #[inline]
    pub(super) fn longest_idle_server(&self, q: usize) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for &g in &self.routing.servers[q] {
            if let Some(since) = self.groups[g as usize].longest_idle_since()
                && best.is_none_or(|(b, _)| since < b)
            {
                best = Some((since, g as usize));
            }
        }
        best.map(|(_, g)| g)
    }

    /// A free agent of group `g` takes the longest-waiting contact of the first non-empty queue
    /// it serves. Returns false when there is none.
    pub(super) fn serve_next(&mut self, g: usize) -> bool {
        for &q in &self.sc.groups[g].serves {
            if self.guarded(q) {
                continue;
            }
            if let Some(slot) = self.lines[q].pop(&mut self.contacts) {
                self.take_from_line(g, q, slot);
                return true;
            }
        }
        false
    }

    /// An agent of group `g` answers the contact in `slot`, just taken from queue `q`'s line.
    pub(super) fn take_from_line(&mut self, g: usize, q: usize, slot: u32) {
        let c = *self.contacts.get(slot);
        self.contacts.release(slot);
        self.engine.cancel_timer(slot);
        self.total_waiting -= 1;
        self.count_waiting(q, c.arrival, self.engine.now());
        self.line_changed(q);
        self.answer(g, &c);
    }

    /// Whether a queue that group `g` serves has a contact waiting that no guard keeps off.
    pub(super) fn has_work(&self, g: usize) -> bool {
        self.sc.groups[g]
            .serves
            .iter()
            .any(|&q| self.lines[q].waiting() > 0 && !self.guarded(q))
    }

    /// Queue `q`'s line grew or shrank by one: agents kept off a queue it guards may take
    /// work again if it is down to the threshold.
    /// The test is inlined; the rare wake-up is not, so the common path stays a few
    /// instructions.
    #[inline(always)]
    pub(super) fn line_changed(&mut self, q: usize) {
        let waiting = self.lines[q].waiting();
        if self.routing.guarding[q]
            .iter()
            .any(|&(_, max)| max == waiting)
        {
            self.wake_guarded(q, waiting);
        }
    }

    #[inline(never)]
    pub(super) fn wake_guarded(&mut self, q: usize, waiting: usize) {
        for i in 0..self.routing.guarding[q].len() {
            let (guarded, max) = self.routing.guarding[q][i];
            if waiting == max {
                self.wake(guarded);
            }
        }
    }
}
