//! What `callsim fit` prints: a line per queue and per staff group.

use super::FitReport;

impl FitReport {
    /// The estimates, a line each.
    pub fn lines(&self) -> String {
        let r = self;
    let mut out = format!(
        "fitted {} days, {} to {}, {}-minute intervals:\n",
        r.days,
        r.first_date,
        r.last_date,
        r.interval_s / 60.0
    );
    for (name, q) in &r.queues {
        let share = |n: u64| 100.0 * n as f64 / q.contacts.max(1) as f64;
        let handle = match &q.handle.lognormal {
            Some(l) if q.handle.chosen == "lognormal" => {
                format!("handle lognormal mean {:.0} s cv {:.2} (KS {:.3})", l.mean_s, l.cv, l.ks)
            }
            Some(l) => format!("handle empirical (lognormal KS {:.3})", l.ks),
            None => "handle unknown".into(),
        };
        let patience = q.patience.as_ref().map_or("no abandonment".into(), |p| {
            match (p.chosen.as_str(), p.lognormal) {
                ("lognormal", Some(l)) => format!(
                    "patience lognormal mean {:.0} s cv {:.2} (Kaplan-Meier gap {:.2}; exponential {:.2})",
                    l.mean_s, l.cv, l.max_gap_to_kaplan_meier, p.exponential.max_gap_to_kaplan_meier
                ),
                _ => format!("patience exponential mean {:.0} s", p.exponential.mean_s),
            }
        });
        let redial = q
            .redial
            .as_ref()
            .map_or(String::new(), |d| format!(", redials {:.1}%", 100.0 * d.probability));
        let priority: String = q
            .priority
            .iter()
            .map(|p| match q.priority.len() {
                1 => format!(", {:.0}% priority ({} s ahead)", 100.0 * p.share, p.head_start_s),
                _ => format!(", {:.0}% priority {} ({} s ahead)", 100.0 * p.share, p.priority_value, p.head_start_s),
            })
            .collect();
        out += &format!(
            "  {name}: {} contacts, {:.1}% abandoned; daily_cv {:.2}; {handle}; {patience}{redial}{priority}\n",
            q.contacts,
            share(q.abandoned),
            q.daily_cv
        );
    }
    for (name, g) in &r.staff {
        let peak = g
            .on_duty
            .iter()
            .flat_map(|s| s.iter())
            .fold(0.0f64, |a, b| a.max(*b));
        out += &format!(
            "  staff {name}: {} agents serving {}; at most {peak:.1} on duty in an interval on average\n",
            g.agents.len(),
            g.serves.join(", ")
        );
    }
    out
}
}
