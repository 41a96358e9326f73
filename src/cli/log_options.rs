//! The options of the commands that read call logs (`fit`, `backtest`).

use crate::calllog::mapping::Mapping;
use crate::calllog::{Dates, Format, time};
use crate::error::InputError;
use clap::Args;
use std::path::PathBuf;

/// How to read a log: its format, the dates to keep, how staffing is inferred and the map.
#[derive(Debug, Args)]
pub(super) struct LogOptions {
    /// The logs' format: seelab (the SEE Lab format of the 1999 bank log) or csv (callsim's
    /// call-log CSV, docs/reference/call-log.md).
    #[arg(long, value_enum)]
    pub format: Format,
    /// Only contacts arriving on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<chrono::NaiveDate>,
    /// Only contacts arriving on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<chrono::NaiveDate>,
    /// An agent's gap without a service longer than this is off duty (a break, or the end of
    /// a shift); shorter gaps count as on duty (default 30m).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_interval)]
    off_after: Option<f64>,
    /// A map file of what the log cannot show: call types that form one queue, agents that
    /// form a staff group (and what it serves), head starts per priority value
    /// (docs/reference/call-log.md).
    #[arg(long, value_name = "MAP.json")]
    map: Option<PathBuf>,
}

/// The options, checked.
pub(super) struct Checked {
    pub format: Format,
    pub dates: Dates,
    pub off_after_min: usize,
    pub mapping: Mapping,
}

impl LogOptions {
    /// Checks the options and reads the map: bad ones are bad input (exit 2).
    pub fn check(&self) -> Result<Checked, InputError> {
        if let (Some(a), Some(b)) = (self.from, self.to)
            && a > b
        {
            return Err(InputError::Usage(format!("--from {a} is after --to {b}: give --from on or before --to")));
        }
        Ok(Checked {
            format: self.format,
            dates: Dates {
                from: self.from,
                to: self.to,
            },
            off_after_min: off_after_minutes(self.off_after)?,
            mapping: self.map.as_deref().map(Mapping::load).transpose()?.unwrap_or_default(),
        })
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    time::parse_date(text).ok_or_else(|| format!("expected a date YYYY-MM-DD, got {text:?}"))
}

/// `--off-after` in whole minutes, from 1 minute to a day.
fn off_after_minutes(seconds: Option<f64>) -> Result<usize, InputError> {
    let Some(s) = seconds else {
        return Ok(crate::fit::staffing::BREAK_MIN);
    };
    let minutes = s / 60.0;
    if minutes.fract() != 0.0 || !(1.0..1440.0).contains(&minutes) {
        return Err(InputError::Usage(format!(
            "--off-after: give whole minutes from 1m to 23h59m (e.g. 10m), got {s} s"
        )));
    }
    Ok(minutes as usize)
}
