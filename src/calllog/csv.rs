//! callsim's call-log CSV (docs/reference/call-log.md): a header line, then one row per
//! contact that entered a queue.
//!
//! | column | meaning |
//! | --- | --- |
//! | `queue` | the queue or call type (required) |
//! | `arrival` | when it entered the queue, `YYYY-MM-DD HH:MM:SS[.fff]` (required) |
//! | `answered` | when an agent answered it (empty if not) |
//! | `abandoned` | when it hung up while waiting (empty if not) |
//! | `end` | when its service ended (answered contacts) |
//! | `agent` | who served it |
//! | `caller` | the caller's id (empty if unknown) |
//! | `priority` | its priority class, a whole number (empty: 0) |
//!
//! Columns may come in any order; other columns are ignored. A contact with neither
//! `answered` nor `abandoned` left the queue otherwise (a booked callback, or still waiting
//! when the log ends).

use super::{Call, Quality, Row, time};
use crate::error::InputError;

/// The columns, in the order callsim writes them.
pub const COLUMNS: [&str; 8] = [
    "queue",
    "arrival",
    "answered",
    "abandoned",
    "end",
    "agent",
    "caller",
    "priority",
];

/// Where each column is in a file's rows.
#[derive(Debug, Clone)]
pub struct Header {
    at: [Option<usize>; 8],
}

impl Header {
    /// Reads the header record; `queue` and `arrival` are required.
    pub fn parse(names: &::csv::StringRecord) -> Result<Header, String> {
        let mut at = [None; 8];
        for (i, name) in names.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            if let Some(c) = COLUMNS.iter().position(|c| *c == name) {
                at[c] = Some(i);
            }
        }
        if at[0].is_none() || at[1].is_none() {
            return Err(format!(
                "the header must name the columns queue and arrival (and may name {}), got {:?}",
                COLUMNS[2..].join(", "),
                names.iter().collect::<Vec<_>>().join(",")
            ));
        }
        Ok(Header { at })
    }

    fn get<'r>(&self, record: &'r ::csv::StringRecord, column: usize) -> Option<&'r str> {
        let v = record.get(self.at[column]?)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// One row.
    pub fn row(&self, record: &::csv::StringRecord) -> Row {
        let when = |c: usize| -> Result<Option<f64>, String> {
            match self.get(record, c) {
                None => Ok(None),
                Some(v) => time::parse_datetime(v).map(Some).ok_or_else(|| {
                    format!("unreadable {} time (not YYYY-MM-DD HH:MM:SS)", COLUMNS[c])
                }),
            }
        };
        let times: Result<Vec<Option<f64>>, String> = (1..5).map(when).collect();
        let times = match times {
            Ok(t) => t,
            Err(why) => return Row::Dropped(why),
        };
        let (Some(kind), Some(arrival)) = (self.get(record, 0), times[0]) else {
            return Row::Dropped("no queue or no arrival time".into());
        };
        let call = Call {
            kind: kind.to_string(),
            arrival,
            answered: times[1],
            abandoned: times[2],
            end: times[3],
            agent: self.get(record, 5).map(String::from),
            caller: self.get(record, 6).map(String::from),
            priority: match self.get(record, 7).map(str::parse) {
                None => 0,
                Some(Ok(p)) => p,
                Some(Err(_)) => return Row::Dropped("priority is not a whole number".into()),
            },
        };
        match problem(&call) {
            Some(why) => Row::Dropped(why.into()),
            None => Row::Kept(call, vec![]),
        }
    }
}

/// What makes a contact's times impossible.
fn problem(c: &Call) -> Option<&'static str> {
    match (c.answered, c.abandoned, c.end) {
        (Some(_), Some(_), _) => Some("both answered and abandoned"),
        (None, _, Some(_)) => Some("an end without an answer"),
        (Some(a), _, _) if a < c.arrival => Some("negative duration: answered before it arrived"),
        (_, Some(b), _) if b < c.arrival => Some("negative duration: abandoned before it arrived"),
        (Some(a), _, Some(e)) if e < a => Some("negative duration: ended before it was answered"),
        _ => None,
    }
}

/// Reads one file's rows into `quality`, handing each kept contact to `visit`.
pub fn read(
    file: std::fs::File,
    name: &str,
    keep: &dyn Fn(&Call) -> bool,
    quality: &mut Quality,
    visit: &mut dyn FnMut(&Call),
) -> Result<(), InputError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let mut record = ::csv::StringRecord::new();
    let mut header: Option<Header> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if let ::csv::ErrorKind::Io(io) = e.kind() {
                    return Err(InputError::Unreadable {
                        file: name.to_string(),
                        reason: io.to_string(),
                    });
                }
                quality.rows += 1;
                quality.drop("not a CSV row (e.g. not UTF-8)", &format!("{name}:{line}"));
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let Some(h) = &header else {
            header = Some(Header::parse(&record).map_err(|e| InputError::Usage(format!("{name}:{line}: {e}")))?);
            continue;
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        quality.rows += 1;
        quality.take(h.row(&record), &format!("{name}:{line}"), keep, visit);
    }
    Ok(())
}

/// `calls` as the CSV, header first.
pub fn write(calls: &[Call]) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::Writer::from_writer(vec![]);
    w.write_record(COLUMNS)?;
    let t = |v: Option<f64>| v.map_or(String::new(), time::format_datetime);
    for c in calls {
        w.write_record([
            c.kind.clone(),
            time::format_datetime(c.arrival),
            t(c.answered),
            t(c.abandoned),
            t(c.end),
            c.agent.clone().unwrap_or_default(),
            c.caller.clone().unwrap_or_default(),
            c.priority.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Vec<Call>, Quality) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.csv");
        std::fs::write(&path, text).unwrap();
        let mut calls = vec![];
        let q = super::super::read(&[&path], super::super::Format::Csv, Default::default(), &mut |c| calls.push(c.clone())).unwrap();
        (calls, q)
    }

    #[test]
    fn written_calls_read_back_the_same() {
        let calls = vec![
            Call {
                kind: "phone".into(),
                arrival: 1_000.5,
                answered: Some(1_010.25),
                abandoned: None,
                end: Some(1_300.0),
                agent: Some("agents".into()),
                caller: Some("7".into()),
                priority: 1,
            },
            Call {
                kind: "phone, \"east\"".into(),
                arrival: 2_000.0,
                answered: None,
                abandoned: Some(2_100.0),
                end: None,
                agent: None,
                caller: None,
                priority: 0,
            },
        ];
        let text = String::from_utf8(write(&calls).unwrap()).unwrap();
        assert!(text.starts_with("queue,arrival,answered,abandoned,end,agent,caller,priority\nphone,1970-01-01 00:16:40.500,"), "{text}");
        let (back, q) = read_text(&text);
        assert_eq!(back, calls);
        assert_eq!((q.rows, q.kept), (2, 2));
    }

    #[test]
    fn columns_in_any_order_and_bad_rows_counted_by_reason() {
        let text = "Arrival,Queue,Extra,answered,end\n\
            2024-01-01 09:00:00,phone,x,2024-01-01 09:00:10,2024-01-01 09:05:00\n\
            2024-01-01 09:00:00,phone,x,2024-01-01 08:59:00,\n\
            yesterday,phone,x,,\n\
            2024-01-01 09:01:00,phone,x,2024-01-01 09:01:10,2024-01-01 09:01:05\n";
        let (calls, q) = read_text(text);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].handle(), Some(290.0));
        assert_eq!(q.rows, 4);
        let dropped: Vec<(&str, u64, &str)> = q
            .dropped
            .iter()
            .map(|(k, t)| (k.as_str(), t.rows, t.examples[0].rsplit(':').next().unwrap()))
            .collect();
        assert_eq!(
            dropped,
            vec![
                ("negative duration: answered before it arrived", 1, "3"),
                ("unreadable arrival time (not YYYY-MM-DD HH:MM:SS)", 1, "4"),
                ("negative duration: ended before it was answered", 1, "5"),
            ]
        );
    }

    #[test]
    fn a_header_without_the_required_columns_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.csv");
        std::fs::write(&path, "when,what\n2024-01-01 09:00:00,phone\n").unwrap();
        let e = super::super::read(&[&path], super::super::Format::Csv, Default::default(), &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("calls.csv:1: the header must name the columns queue and arrival"), "{e}");
    }
}
