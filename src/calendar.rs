//! The week that simulated time runs on: time 0 is Monday 00:00 and every weekly pattern
//! repeats each week. A leaf: scenario reading, the model and the reports all use it.

/// Seconds in a day.
pub const DAY_S: f64 = 86_400.0;
/// Seconds in a week; simulated time 0 is Monday 00:00.
pub const WEEK_S: f64 = 7.0 * DAY_S;
/// Day names in week order, as the scenario format spells them.
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Formats a time as `"mon 08:00"` (day of week and clock time).
pub fn week_label(t: f64) -> String {
    let w = t.rem_euclid(WEEK_S);
    let day = (w / DAY_S).floor() as usize;
    let minutes = ((w - day as f64 * DAY_S) / 60.0).round() as u32;
    format!(
        "{} {:02}:{:02}",
        DAY_NAMES[day.min(6)],
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(week_label(8.0 * 3600.0), "mon 08:00");
        assert_eq!(week_label(86_400.0 * 8.0 + 90.0 * 60.0), "tue 01:30");
    }
}
