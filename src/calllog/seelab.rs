//! The SEE Lab (Technion) call-center format, as in the "Anonymous Bank" 1999 log: 17
//! tab-separated fields, `vru+line call_id customer_id priority type date vru_entry vru_exit
//! vru_time q_start q_exit q_time outcome ser_start ser_exit ser_time server`, dates `YYMMDD`,
//! clock times `H:MM:SS` without a date.
//!
//! A call passes the VRU, may join the queue (`q_start` is `0:00:00` if it never did), and
//! ends `AGENT` (served), `HANG` (hung up) or `PHANTOM` (untraceable; dropped). What becomes
//! of each row:
//! - queued and served: arrival `q_start`, answered `ser_start`, end `ser_exit`;
//! - served without queueing: arrival = answered = `ser_start` (wait 0);
//! - queued and hung up: arrival `q_start`, abandoned `q_exit`;
//! - served, with no service times (`0:00:00`, 282 rows of the bank's log): answered at
//!   `q_exit`, handle time unknown;
//! - hung up in the VRU, never queued: not a contact of a queue (dropped, counted);
//! - a clock time earlier than the one before it by more than 12 hours is the next day's (a
//!   service across midnight), repaired; one a few seconds earlier (clock skew between the
//!   VRU and the agents' sets) is taken as the time before it, repaired.

use super::{Call, Row, time};

/// The call types of the format.
pub const TYPES: [&str; 6] = ["PS", "PE", "IN", "NE", "NW", "TT"];

/// Whether `line` is the header line.
pub fn is_header(line: &str) -> bool {
    line.starts_with("vru+line")
}

/// One row.
pub fn parse(line: &str) -> Row {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 17 {
        return Row::Dropped(format!(
            "not a SEE Lab row: {} tab-separated fields, not 17",
            f.len()
        ));
    }
    let mut repairs = Vec::new();
    let kind = f[4].trim();
    if kind != f[4] {
        repairs.push("call type with stray spaces, trimmed");
    }
    if !TYPES.contains(&kind) {
        return Row::Dropped(format!(
            "call type {kind:?} is none of the format's PS, PE, IN, NE, NW, TT"
        ));
    }
    let outcome = f[12].trim();
    if outcome == "PHANTOM" {
        return Row::Dropped("PHANTOM call (a call the system could not trace)".into());
    }
    if outcome != "AGENT" && outcome != "HANG" {
        return Row::Dropped(format!("outcome {outcome:?} is none of AGENT, HANG, PHANTOM"));
    }
    let Some(date) = parse_date(f[5]) else {
        return Row::Dropped("unreadable date (not YYMMDD)".into());
    };
    let clocks: Option<Vec<f64>> = [6, 9, 10, 13, 14].iter().map(|&i| time::parse_hms(f[i])).collect();
    let Some(clocks) = clocks else {
        return Row::Dropped("unreadable clock time (not H:MM:SS)".into());
    };
    let [vru_entry, q_start, q_exit, ser_start, ser_exit] = clocks[..] else {
        unreachable!("five clocks")
    };
    if f[8].trim().parse::<i64>().is_ok_and(|v| v < 0) {
        repairs.push("negative vru_time (not used)");
    }
    let entered = time::start_of(date) + vru_entry;
    let queued = q_start > 0.0;
    let mut call = Call {
        kind: kind.to_string(),
        arrival: 0.0,
        answered: None,
        abandoned: None,
        end: None,
        agent: None,
        caller: Some(f[2].trim()).filter(|c| !c.is_empty() && *c != "0").map(String::from),
        priority: f[3].trim().parse().unwrap_or(0),
    };
    match (outcome, queued) {
        ("HANG", false) => {
            return Row::Dropped("hung up in the VRU, never reached a queue".into());
        }
        ("HANG", true) => {
            call.arrival = later(&mut repairs, entered, q_start);
            call.abandoned = Some(later(&mut repairs, call.arrival, q_exit));
        }
        (_, queued) if ser_start == 0.0 && ser_exit == 0.0 => {
            if !queued {
                return Row::Dropped("served, but neither queue nor service times recorded".into());
            }
            call.arrival = later(&mut repairs, entered, q_start);
            call.answered = Some(later(&mut repairs, call.arrival, q_exit));
            call.agent = agent(f[16]);
            repairs.push("served, but no service times (0:00:00): answered when it left the queue, handle time unknown");
        }
        (_, _) => {
            let arrival = later(&mut repairs, entered, if queued { q_start } else { ser_start });
            let answered = later(&mut repairs, arrival, ser_start);
            call.arrival = arrival;
            call.answered = Some(answered);
            call.end = Some(later(&mut repairs, answered, ser_exit));
            call.agent = agent(f[16]);
            if call.agent.is_none() {
                repairs.push("served, but no agent recorded (NO_SERVER)");
            }
        }
    }
    Row::Kept(call, repairs)
}

/// The server field: `NO_SERVER` is none.
fn agent(server: &str) -> Option<String> {
    let s = server.trim();
    (s != "NO_SERVER" && !s.is_empty()).then(|| s.to_string())
}

/// [`after`], noting its repair.
fn later(repairs: &mut Vec<&'static str>, base: f64, clock: f64) -> f64 {
    let (t, repair) = after(base, clock);
    repairs.extend(repair);
    t
}

/// The time at clock `clock` that follows `base`: on `base`'s day, or the next day's when it
/// is more than 12 hours earlier (midnight passed); a clock a little earlier than `base` is
/// clock skew, taken as `base`.
fn after(base: f64, clock: f64) -> (f64, Option<&'static str>) {
    let day = base - time::clock_of(base);
    let t = day + clock;
    if t >= base {
        (t, None)
    } else if base - t > 43_200.0 {
        (t + 86_400.0, Some("time past midnight (e.g. a service that crosses it), moved to the next day"))
    } else {
        (base, Some("time before the one it follows (clock skew of seconds), taken as equal"))
    }
}

/// `YYMMDD`; years 00 to 49 are 20YY.
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| t[r].parse::<u32>().ok();
    let yy = n(0..2)? as i32;
    let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
    chrono::NaiveDate::from_ymd_opt(year, n(2..4)?, n(4..6)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &str) -> Row {
        parse(&fields.split_whitespace().collect::<Vec<_>>().join("\t"))
    }

    fn kept(fields: &str) -> (Call, Vec<&'static str>) {
        match row(fields) {
            Row::Kept(c, r) => (c, r),
            Row::Dropped(why) => panic!("dropped: {why}"),
        }
    }

    fn at(date: &str, clock: &str) -> f64 {
        time::parse_datetime(&format!("{date} {clock}")).unwrap()
    }

    #[test]
    fn a_queued_served_call_and_one_served_at_once() {
        let (c, r) = kept("AA0101 33118 27997683 2 PS 990101 6:55:20 6:55:26 6 6:55:26 6:55:43 17 AGENT 6:55:43 6:56:37 54 MICHAL");
        assert!(r.is_empty());
        assert_eq!(c.arrival, at("1999-01-01", "06:55:26"));
        assert_eq!(c.wait(), Some(17.0));
        assert_eq!(c.handle(), Some(54.0));
        assert_eq!((c.agent.as_deref(), c.caller.as_deref(), c.priority), (Some("MICHAL"), Some("27997683"), 2));
        let (c, _) = kept("AA0101 33119 0 0 PS 990101 7:41:16 7:41:26 10 0:00:00 0:00:00 0 AGENT 7:41:25 7:44:53 208 BASCH");
        assert_eq!((c.wait(), c.handle(), c.caller), (Some(0.0), Some(208.0), None));
    }

    #[test]
    fn an_abandonment_and_the_rows_that_are_not_contacts() {
        let (c, _) = kept("AA0101 33116 9664491 2 PS 990101 0:00:31 0:00:36 5 0:00:36 0:03:09 153 HANG 0:00:00 0:00:00 0 NO_SERVER");
        assert_eq!((c.wait(), c.abandoned, c.answered), (Some(153.0), Some(at("1999-01-01", "00:03:09")), None));
        let dropped = |fields: &str| match row(fields) {
            Row::Dropped(why) => why,
            Row::Kept(c, _) => panic!("kept {c:?}"),
        };
        assert!(dropped("AA0101 33117 0 0 PS 990101 0:34:12 0:34:23 11 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0 NO_SERVER").contains("VRU"));
        assert!(dropped("AA0101 1 0 0 PS 990101 0:34:12 0:34:23 11 0:34:23 0:35:00 37 PHANTOM 0:00:00 0:00:00 0 NO_SERVER").contains("PHANTOM"));
        assert!(dropped("AA0101 1 0 0 AA 990101 0:34:12 0:34:23 11 0:34:23 0:35:00 37 HANG 0:00:00 0:00:00 0 NO_SERVER").contains("\"AA\""));
        assert!(dropped("AA0101 1 0 0 PS 991301 0:34:12 0:34:23 11 0:34:23 0:35:00 37 HANG 0:00:00 0:00:00 0 NO_SERVER").contains("date"));
        assert!(dropped("AA0101 1 0 0 PS 990101 0:34:12").contains("7 tab-separated fields"));
    }

    #[test]
    fn midnight_skew_spaces_and_missing_servers_are_repaired() {
        let (c, r) = kept("AA0101 2 5 1 NE 990105 23:50:00 23:50:06 6 23:50:06 23:52:00 114 AGENT 23:52:00 0:10:00 1080 DORIT");
        assert_eq!(c.handle(), Some(1080.0), "the service crosses midnight");
        assert_eq!(c.end, Some(at("1999-01-06", "00:10:00")));
        assert_eq!(r, vec!["time past midnight (e.g. a service that crosses it), moved to the next day"]);
        let (c, r) = kept("AA0101 2 5 1 PS 990105 10:00:00 10:00:06 6 10:00:06 10:00:30 24 AGENT 10:00:05 10:01:00 55 NO_SERVER");
        assert_eq!((c.wait(), c.agent), (Some(0.0), None));
        assert_eq!(r.len(), 2, "{r:?}");
        let line = "AA0101\t2\t5\t1\t TT\t990105\t10:00:00\t10:00:06\t-6\t10:00:06\t10:00:30\t24\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER";
        let Row::Kept(c, r) = parse(line) else { panic!() };
        assert_eq!(c.kind, "TT");
        assert_eq!(r, vec!["call type with stray spaces, trimmed", "negative vru_time (not used)"]);
    }
}
