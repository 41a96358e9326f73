//! The model's events and their same-time order.
//!
//! Events and their same-time order (lower rank first, then first scheduled first):
//!
//! | rank | event | why this order |
//! | --- | --- | --- |
//! | 0 | staff change, end of day, horizon | agents starting at 08:00 are there for a contact arriving at 08:00 |
//! | 1 | service end | an agent freed at `t` can answer a contact whose patience ends at `t` |
//! | 2 | abandonment (a timer, cancelled when the contact is answered) | |
//! | 3 | redial, booked callback due | |
//! | 4 | fresh arrival | |
//!

/// The same-time rank of abandonment timers (see the table above).
pub(super) const ABANDON_RANK: u8 = 2;

#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    StaffChange {
        group: u32,
    },
    ServiceEnd {
        group: u32,
    },
    Redial {
        slot: u32,
    },
    DayEnd {
        day: u32,
    },
    Horizon,
    /// A booking slot starts: its booked calls become contacts. Packs the queue (top 8 bits)
    /// and the slot index (low 24 bits) to keep events at 8 bytes.
    SlotDue {
        key: u32,
    },
}

impl Event {
    pub(super) fn rank(&self) -> u8 {
        match self {
            Event::StaffChange { .. } | Event::DayEnd { .. } | Event::Horizon => 0,
            Event::ServiceEnd { .. } => 1,
            Event::Redial { .. } | Event::SlotDue { .. } => 3,
        }
    }
}
