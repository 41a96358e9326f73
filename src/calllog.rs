//! Call logs: a center's call-by-call records, read streaming (one row at a time, memory flat
//! in the log's length) from the SEE Lab format ([`seelab`]) or callsim's own CSV ([`csv`]),
//! and written in the CSV by `callsim run --calls`.
//!
//! Real logs are dirty. A row that cannot be used is dropped and a row that can be mended is
//! repaired; both are counted by reason, with the first line numbers of each, in a
//! [`Quality`], and never stop the reading: only a file that cannot be read does.

pub mod csv;
pub mod mapping;
pub mod seelab;
pub mod simulated;
pub mod time;

use crate::error::InputError;
use indexmap::IndexMap;
use serde::Serialize;
use std::io::BufRead;
use std::path::Path;

/// One contact that entered a queue: what happened to it and when. Times are seconds since
/// 1970-01-01 00:00 in the log's own (local) time.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The queue or call type, trimmed.
    pub kind: String,
    /// When it entered the queue (for a contact served at once, when its service began).
    pub arrival: f64,
    /// When an agent answered it.
    pub answered: Option<f64>,
    /// When it hung up while waiting.
    pub abandoned: Option<f64>,
    /// When its service ended (answered contacts).
    pub end: Option<f64>,
    /// Who served it, if recorded.
    pub agent: Option<String>,
    /// The caller, if identified (redials are the same caller calling again).
    pub caller: Option<String>,
    /// The log's priority class (0 when not given).
    pub priority: u32,
}

impl Call {
    /// Seconds waited before being answered or hanging up; `None` for a contact that left
    /// otherwise (a booked callback, or still waiting when the log ends).
    #[cfg(any(test, feature = "internals"))]
    pub fn wait(&self) -> Option<f64> {
        self.answered.or(self.abandoned).map(|t| t - self.arrival)
    }

    /// Seconds of service.
    pub fn handle(&self) -> Option<f64> {
        Some(self.end? - self.answered?)
    }
}

/// The formats `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The SEE Lab (Technion) format: tab-separated, a header line, `YYMMDD` dates and
    /// `H:MM:SS` clock times.
    Seelab,
    /// callsim's call-log CSV (docs/reference/call-log.md).
    Csv,
}

/// Most example line numbers kept for each reason.
pub const EXAMPLES: usize = 3;

/// Rows dropped or repaired, by reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Rows read (the header excluded).
    pub rows: u64,
    /// Contacts kept.
    pub kept: u64,
    /// Contacts outside `--from`/`--to`, skipped.
    pub outside_dates: u64,
    /// Reason → rows dropped.
    pub dropped: IndexMap<String, Tally>,
    /// Reason → rows repaired (and kept).
    pub repaired: IndexMap<String, Tally>,
}

/// How many rows, and where the first few are.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub rows: u64,
    /// `file:line` of the first rows.
    pub examples: Vec<String>,
}

impl Tally {
    fn add(&mut self, at: &str) {
        self.rows += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(at.to_string());
        }
    }
}

impl Quality {
    fn drop(&mut self, reason: &str, at: &str) {
        self.dropped.entry(reason.to_string()).or_default().add(at);
    }

    fn repair(&mut self, reason: &str, at: &str) {
        self.repaired.entry(reason.to_string()).or_default().add(at);
    }

    /// Counts `row` (at `at`, `file:line`) and hands it to `visit` if kept and `keep` takes it.
    fn take(
        &mut self,
        row: Row,
        at: &str,
        keep: &dyn Fn(&Call) -> bool,
        visit: &mut dyn FnMut(&Call),
    ) {
        match row {
            Row::Dropped(reason) => self.drop(&reason, at),
            Row::Kept(call, _) if !keep(&call) => self.outside_dates += 1,
            Row::Kept(call, repairs) => {
                repairs.iter().for_each(|r| self.repair(r, at));
                self.kept += 1;
                visit(&call);
            }
        }
    }

    /// One line per reason, for a planner: `dropped 240 rows: PHANTOM call (a.txt:17, ...)`.
    pub fn lines(&self) -> String {
        let mut out = format!("read {} rows, kept {} contacts", self.rows, self.kept);
        if self.outside_dates > 0 {
            out += &format!(" ({} outside --from/--to)", self.outside_dates);
        }
        out += "\n";
        for (verb, by) in [("dropped", &self.dropped), ("repaired", &self.repaired)] {
            for (reason, t) in by {
                out += &format!(
                    "  {verb} {} {}: {reason} (e.g. {})\n",
                    t.rows,
                    if t.rows == 1 { "row" } else { "rows" },
                    t.examples.join(", ")
                );
            }
        }
        out
    }
}

/// What a row became.
pub enum Row {
    /// A contact, with what was mended in it.
    Kept(Call, Vec<&'static str>),
    /// Not a contact of any queue (e.g. a caller who hung up before reaching one): counted as
    /// dropped with its reason.
    Dropped(String),
}

/// A date range of arrivals to keep, both ends included (`--from`, `--to`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Dates {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl Dates {
    fn keeps(&self, arrival: f64) -> bool {
        let day = time::date_of(arrival);
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// Reads the logs `paths` in `format`, one row at a time, and hands each contact arriving
/// within `dates` to `visit`, in file order. A file that cannot be opened is an error (exit
/// 2); so is a log with no usable contact. A row that cannot be parsed is dropped and counted.
pub fn read(
    paths: &[&Path],
    format: Format,
    dates: Dates,
    visit: &mut dyn FnMut(&Call),
) -> Result<Quality, InputError> {
    let mut quality = Quality::default();
    for path in paths {
        read_file(path, format, dates, &mut quality, visit)?;
    }
    if quality.kept == 0 {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(InputError::Usage(format!(
            "{}: no usable contact in {} rows{}; check --format (seelab or csv){}\n{}",
            shown.join(", "),
            quality.rows,
            if dates.from.is_some() || dates.to.is_some() {
                " within --from/--to"
            } else {
                ""
            },
            if format == Format::Csv {
                " and the header (docs/reference/call-log.md)"
            } else {
                ""
            },
            quality.lines().trim_end()
        )));
    }
    Ok(quality)
}

fn read_file(
    path: &Path,
    format: Format,
    dates: Dates,
    quality: &mut Quality,
    visit: &mut dyn FnMut(&Call),
) -> Result<(), InputError> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| InputError::Unreadable {
        file: name.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if path.is_dir() {
        return Err(unreadable(std::io::Error::other("it is a directory")));
    }
    let keep = |c: &Call| dates.keeps(c.arrival);
    if format == Format::Csv {
        return csv::read(file, &name, &keep, quality, visit);
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut bytes = Vec::with_capacity(256);
    let mut number = 0u64;
    loop {
        bytes.clear();
        if reader.read_until(b'\n', &mut bytes).map_err(unreadable)? == 0 {
            break;
        }
        number += 1;
        let text = String::from_utf8_lossy(&bytes);
        let line = text.trim_end_matches(['\n', '\r']).trim_start_matches('\u{feff}');
        if (number == 1 && seelab::is_header(line)) || line.trim().is_empty() {
            continue;
        }
        quality.rows += 1;
        quality.take(seelab::parse(line), &format!("{name}:{number}"), &keep, visit);
    }
    Ok(())
}
