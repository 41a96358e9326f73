//! Staffing by simulation (`callsim staff`): the search for the staff the targets need,
//! on the runner's replications. `judge` says whether targets hold at one value; `lever`
//! searches one whole-number scenario path; `schedule` the count of a group in every interval
//! of the week; `shifts` covers such a requirement with whole shifts.

pub mod judge;
pub mod lever;
pub mod schedule;
pub mod shifts;
