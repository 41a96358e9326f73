//! Callers who abandon and call again.

use super::callers::Contact;
use super::{Event, Origin, Sim};
use crate::scenario::WhenClosed;

/// Redials under way: callers between an abandonment and their next attempt.
#[derive(Default)]
pub(super) struct Redials {
    pub(super) pending: usize,
}

impl Sim<'_> {
    /// `c` abandoned. If it drew a redial, the caller calls again after its delay, holding
    /// `caller_slot` or a new slot; otherwise the caller is lost.
    pub(super) fn after_abandon(&mut self, c: &Contact, caller_slot: Option<u32>) {
        let Some(delay) = c.redial_after else {
            caller_slot
                .into_iter()
                .for_each(|s| self.contacts.release(s));
            self.rec.caller_lost(c);
            return;
        };
        let pending = Contact {
            waiting: false,
            ..*c
        };
        let slot = match caller_slot {
            Some(s) => {
                self.contacts.put(s, pending);
                s
            }
            None => self.contacts.insert(pending),
        };
        self.redials.pending += 1;
        self.schedule(self.engine.now() + delay, Event::Redial { slot });
    }

    /// A redial lands: it joins the queue if open; otherwise it waits for the opening or is
    /// lost, as the queue's `when_closed` says.
    pub(super) fn on_redial(&mut self, slot: u32) {
        self.redials.pending -= 1;
        let c = *self.contacts.get(slot);
        let q = c.queue as usize;
        let queue = &self.sc.queues[q];
        let now = self.engine.now();
        if queue.open.value_at(now) > 0.0 {
            return self.admit(q, c.first_arrival, Some(slot), Origin::Returning(c.stream));
        }
        let when_closed = queue
            .redial
            .as_ref()
            .map_or(WhenClosed::Lost, |r| r.when_closed);
        match (when_closed, queue.open.next_positive(now)) {
            (WhenClosed::NextOpen, Some(opening)) => {
                self.redials.pending += 1;
                self.schedule(opening, Event::Redial { slot });
            }
            _ => {
                self.contacts.release(slot);
                self.rec.caller_lost(&c);
            }
        }
    }
}
