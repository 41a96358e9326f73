//! The SEE Lab reader on a slice of the real "Anonymous Bank" 1999 log (tests/fixtures, with
//! its acknowledgement): each kind of dirty row is dropped or repaired, by reason and line.

use callsim::calllog::{self, Call, Format, time};
use std::path::Path;

fn slice() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anonymous-bank-1999-slice.txt")
}

#[test]
fn every_kind_of_row_of_the_bank_log_is_kept_dropped_or_repaired_by_reason() {
    let path = slice();
    let mut calls: Vec<Call> = vec![];
    let q = calllog::read(&[&path], Format::Seelab, Default::default(), &mut |c| {
        calls.push(c.clone())
    })
    .unwrap();
    assert_eq!(q.rows, 11, "the header is not a row");
    // Each reason with the fixture's line numbers of its rows.
    let lines = |by: &indexmap::IndexMap<String, calllog::Tally>, reason: &str| -> Vec<String> {
        let t = by.get(reason).unwrap_or_else(|| panic!("{reason}: {by:?}"));
        t.examples
            .iter()
            .map(|e| e.rsplit(':').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        lines(&q.dropped, "hung up in the VRU, never reached a queue"),
        ["3", "12"]
    );
    assert_eq!(
        lines(
            &q.dropped,
            "PHANTOM call (a call the system could not trace)"
        ),
        ["7"]
    );
    assert_eq!(
        lines(
            &q.dropped,
            "call type \"AA\" is none of the format's PS, PE, IN, NE, NW, TT"
        ),
        ["10"]
    );
    assert_eq!(
        lines(&q.repaired, "served, but no agent recorded (NO_SERVER)"),
        ["6"]
    );
    assert_eq!(lines(&q.repaired, "negative vru_time (not used)"), ["8"]);
    assert_eq!(
        lines(
            &q.repaired,
            "time past midnight (e.g. a service that crosses it), moved to the next day"
        ),
        ["11"]
    );
    assert_eq!(
        lines(
            &q.repaired,
            "served, but no service times (0:00:00): answered when it left the queue, handle time unknown"
        ),
        ["9"]
    );
    assert_eq!(q.dropped.len(), 3, "{:?}", q.dropped);
    assert_eq!(q.kept, 7);
    assert_eq!(calls.len(), 7);

    // The service across midnight lasts its 247 s, and ends on 6 January.
    let late = calls.iter().find(|c| c.handle() == Some(247.0)).unwrap();
    assert_eq!(
        time::format_datetime(late.end.unwrap()),
        "1999-01-06 00:03:40"
    );
    // The abandonment of row 2 waited 153 s in the queue; the priority customer of row 4 is
    // class 2; row 9 waited 137 s and has no handle time.
    assert_eq!(
        calls[0].abandoned.map(|t| t - calls[0].arrival),
        Some(153.0)
    );
    assert_eq!(
        (calls[1].priority, calls[1].caller.as_deref()),
        (2, Some("27997683"))
    );
    let unknown = calls
        .iter()
        .find(|c| c.agent.as_deref() == Some("IDIT"))
        .unwrap();
    assert_eq!((unknown.wait(), unknown.handle()), (Some(137.0), None));
}

#[test]
fn dates_select_arrivals_and_an_unreadable_log_exits_2() {
    let path = slice();
    let day = time::parse_date("1999-01-05").unwrap();
    let dates = calllog::Dates {
        from: Some(day),
        to: Some(day),
    };
    let mut n = 0;
    let q = calllog::read(&[&path], Format::Seelab, dates, &mut |_| n += 1).unwrap();
    assert_eq!((n, q.kept), (1, 1), "only the call arriving on 5 January");
    assert_eq!(q.outside_dates, 6);
    let missing = Path::new("no-such-log.txt");
    let e = calllog::read(&[missing], Format::Seelab, Default::default(), &mut |_| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("no-such-log.txt: cannot read the file"),
        "{e}"
    );
    // The bank's log read as CSV has no usable header: a clear error, not a panic.
    let e = calllog::read(&[&path], Format::Csv, Default::default(), &mut |_| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("the header must name the columns queue and arrival"),
        "{e}"
    );
}
