//! Times of a call log: seconds since 1970-01-01 00:00 in the log's own local time (no time
//! zone: a center's log is in its clock, and a day is a calendar day there).

use chrono::{Datelike, NaiveDate};

const DAY_S: f64 = 86_400.0;

/// The first second of `date`.
pub fn start_of(date: NaiveDate) -> f64 {
    (date - epoch()).num_days() as f64 * DAY_S
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// The calendar day of time `t`.
pub fn date_of(t: f64) -> NaiveDate {
    let days = (t / DAY_S).floor() as i64;
    epoch()
        .checked_add_signed(chrono::TimeDelta::days(days))
        .unwrap_or_default()
}

/// Seconds since the start of the day of `t`.
pub fn clock_of(t: f64) -> f64 {
    t.rem_euclid(DAY_S)
}

/// 0 for Monday to 6 for Sunday.
pub fn weekday_of(t: f64) -> usize {
    date_of(t).weekday().num_days_from_monday() as usize
}

/// `"mon"` … `"sun"`.
pub fn weekday_name(date: NaiveDate) -> &'static str {
    crate::calendar::DAY_NAMES[date.weekday().num_days_from_monday() as usize]
}

/// `"H:MM:SS"` or `"HH:MM:SS"` (seconds may have a fraction) → seconds after midnight.
pub fn parse_hms(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next()?.parse().ok()?;
    let valid = parts.next().is_none() && h < 24 && m < 60 && (0.0..60.0).contains(&s);
    valid.then(|| f64::from(h * 3600 + m * 60) + s)
}

/// `"YYYY-MM-DD"`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// `"YYYY-MM-DD HH:MM:SS"` (or with a `T`; seconds may have a fraction) → seconds since 1970.
pub fn parse_datetime(text: &str) -> Option<f64> {
    let (date, clock) = text.trim().split_once([' ', 'T'])?;
    Some(start_of(parse_date(date)?) + parse_hms(clock)?)
}

/// `t` as `"YYYY-MM-DD HH:MM:SS"`, with milliseconds when it has a fraction of a second.
pub fn format_datetime(t: f64) -> String {
    let ms = (t * 1000.0).round();
    let (day, in_day) = ((ms / 86_400_000.0).floor(), ms.rem_euclid(86_400_000.0) as u64);
    let date = date_of(day * DAY_S);
    let (h, m, s, frac) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    if frac == 0 {
        format!("{date} {h:02}:{m:02}:{s:02}")
    } else {
        format!("{date} {h:02}:{m:02}:{s:02}.{frac:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip_and_know_their_weekday() {
        let t = parse_datetime("1999-01-03 07:41:16").unwrap();
        assert_eq!(format_datetime(t), "1999-01-03 07:41:16");
        assert_eq!(weekday_of(t), 6, "3 January 1999 was a Sunday");
        assert_eq!(format_datetime(t + 0.25), "1999-01-03 07:41:16.250");
        let late = parse_datetime("2024-01-01T23:59:59.9996").unwrap();
        assert_eq!(format_datetime(late), "2024-01-02 00:00:00");
        assert_eq!(clock_of(t), 7.0 * 3600.0 + 41.0 * 60.0 + 16.0);
        assert_eq!(date_of(t), NaiveDate::from_ymd_opt(1999, 1, 3).unwrap());
        assert_eq!(parse_hms("0:00:31"), Some(31.0));
        for bad in ["24:00:00", "7:61:00", "7:00", "x", "7:00:00:00"] {
            assert_eq!(parse_hms(bad), None, "{bad}");
        }
        assert_eq!(parse_datetime("1999-13-01 00:00:00"), None);
        assert_eq!(parse_datetime("1999-01-01"), None);
    }
}
