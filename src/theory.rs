//! Exact steady-state results for the models the simulator must reproduce: Erlang C (M/M/c)
//! and Erlang A (M/M/c+M, exponential patience). The tests compare simulated results with
//! these values; rates are per second and times in seconds.
//!
//! References: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory* (4th ed.,
//! §2.3, M/M/c); Garnett, Mandelbaum & Reiman, "Designing a call center with impatient
//! customers", *M&SOM* 4(3), 2002 (Erlang A); Mandelbaum & Zeltyn, "The M/M/n+G queue: summary
//! of performance measures" (2009), for the waiting time of served customers.

/// Steady-state performance of a multi-server queue, in the simulator's terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Performance {
    /// Probability an arriving contact has to wait (finds all agents busy).
    pub p_wait: f64,
    /// Mean wait of answered contacts (seconds): ASA.
    pub asa_s: f64,
    /// Mean wait of all contacts that left the queue, answered or abandoned (seconds).
    pub mean_wait_s: f64,
    /// abandoned / (answered + abandoned); 0 for Erlang C.
    pub abandon_rate: f64,
    /// P(answered with a wait of at most the threshold): answered within it / offered.
    pub service_level: f64,
    /// Busy agent-time / agent-time: (arrival rate · P(served) / service rate) / agents.
    pub utilization: f64,
    /// Time-average number of contacts waiting (not in service).
    pub mean_queue_len: f64,
}

/// The Erlang C probability of waiting, C(c, a), for `agents` = c and offered load
/// a = λ/μ < c.
///
/// Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), B(0) = 1, then
/// C = B / (1 − ρ(1 − B)) with ρ = a/c, which stays accurate for hundreds of agents.
pub fn erlang_c_p_wait(agents: u32, offered_load: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        b = offered_load * b / (f64::from(k) + offered_load * b);
    }
    let rho = offered_load / f64::from(agents);
    b / (1.0 - rho * (1.0 - b))
}

/// Erlang C (M/M/c): arrival rate `lambda`, service rate `mu` per agent, `agents` servers,
/// service-level threshold `sl_within_s`. `None` when unstable (λ ≥ cμ) or without agents.
///
/// ASA = C / (cμ − λ); service level = 1 − C·e^(−(cμ − λ)T); utilization = λ / (cμ).
pub fn erlang_c(lambda: f64, mu: f64, agents: u32, sl_within_s: f64) -> Option<Performance> {
    let capacity = f64::from(agents) * mu;
    if agents == 0 || lambda >= capacity {
        return None;
    }
    let c = erlang_c_p_wait(agents, lambda / mu);
    let asa = c / (capacity - lambda);
    Some(Performance {
        p_wait: c,
        asa_s: asa,
        mean_wait_s: asa,
        abandon_rate: 0.0,
        service_level: 1.0 - c * (-(capacity - lambda) * sl_within_s).exp(),
        utilization: lambda / capacity,
        mean_queue_len: lambda * asa,
    })
}

/// Erlang A (M/M/c+M): as [`erlang_c`] plus exponential patience with rate `theta` > 0
/// (1 / mean patience). Always stable.
///
/// Method: the stationary distribution π of the number in system n, a birth–death chain with
/// birth rate λ and death rate min(n, c)μ + max(n − c, 0)θ, computed in log space and
/// truncated where the terms fall below 1e−18 of the largest (past the mode). By PASTA an
/// arrival sees π. Finding n ≥ c it joins at position k = n − c + 1; at position j it moves up
/// at rate cμ + (j − 1)θ (a service or an abandonment ahead) and abandons at rate θ, so it
/// leaves position j at rate r_j = cμ + jθ whichever happens. Hence
/// P(served | k) = Π_{j≤k} (r_j − θ)/r_j, E[W | served, k] = Σ_{j≤k} 1/r_j, and
/// P(served, W ≤ T | k) = P(served | k) · P(Σ_{j≤k} Exp(r_j) ≤ T), the last a hypoexponential
/// distribution evaluated by uniformization (numerically stable, unlike its closed form).
pub fn erlang_a(lambda: f64, mu: f64, theta: f64, agents: u32, sl_within_s: f64) -> Performance {
    let c = agents as usize;
    let pi = stationary(lambda, mu, theta, c);
    let positions = pi.len().saturating_sub(c);
    let rate = |j: usize| c as f64 * mu + j as f64 * theta;
    let within = hypoexponential_cdfs(positions, &rate, sl_within_s);
    // Arrivals finding a free agent are served at once.
    let at_once: f64 = pi[..c.min(pi.len())].iter().sum();
    let (mut served, mut served_within) = (at_once, at_once);
    let (mut served_wait, mut p_wait, mut queue) = (0.0, 0.0, 0.0);
    let (mut p_served_k, mut wait_k) = (1.0, 0.0);
    for k in 1..=positions {
        let p = pi[c + k - 1];
        p_served_k *= (rate(k) - theta) / rate(k);
        wait_k += 1.0 / rate(k);
        served += p * p_served_k;
        served_wait += p * p_served_k * wait_k;
        served_within += p * p_served_k * within[k];
        p_wait += p;
        queue += (k - 1) as f64 * p;
    }
    Performance {
        p_wait,
        asa_s: served_wait / served,
        mean_wait_s: queue / lambda,
        abandon_rate: 1.0 - served,
        service_level: served_within,
        utilization: lambda * served / (c as f64 * mu),
        mean_queue_len: queue,
    }
}

/// π_0..π_N of the Erlang A chain, normalised; N is where the tail becomes negligible.
fn stationary(lambda: f64, mu: f64, theta: f64, c: usize) -> Vec<f64> {
    let death = |n: usize| n.min(c) as f64 * mu + n.saturating_sub(c) as f64 * theta;
    let mut log_pi = vec![0.0];
    let mut max: f64 = 0.0;
    let mut n = 0;
    loop {
        n += 1;
        let next = log_pi[n - 1] + (lambda / death(n)).ln();
        log_pi.push(next);
        max = max.max(next);
        // Past the mode (terms decreasing) and negligible: the rest of the tail is smaller
        // still, its ratios falling towards 0 as θ(n − c) grows.
        if n > c && next < log_pi[n - 1] && next < max - 41.5 {
            break;
        }
    }
    let weights: Vec<f64> = log_pi.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// P(Σ_{j≤k} Exp(rate(j)) ≤ t) for k = 0..=positions, by uniformization: with Λ ≥ every
/// rate, the sum is the absorption time of a chain that, at each event of a Poisson(Λ)
/// process, moves one stage down with probability rate(j)/Λ. After m events the absorption
/// probability f_m(k) obeys f_m(k) = (rate(k)/Λ) f_{m−1}(k − 1) + (1 − rate(k)/Λ) f_{m−1}(k),
/// and the CDF is Σ_m Poisson(m; Λt) f_m(k), summed until the Poisson tail is below 1e−15.
fn hypoexponential_cdfs(positions: usize, rate: &dyn Fn(usize) -> f64, t: f64) -> Vec<f64> {
    let mut cdf = vec![0.0; positions + 1];
    cdf[0] = 1.0;
    if positions == 0 || t <= 0.0 {
        return cdf;
    }
    let big = rate(positions);
    let mean = big * t;
    let mut f = vec![0.0; positions + 1];
    f[0] = 1.0;
    let mut cdf_sum = vec![0.0; positions + 1];
    let (mut m, mut covered) = (0u64, 0.0);
    loop {
        let weight = poisson_pmf(m, mean);
        cdf_sum
            .iter_mut()
            .zip(&f)
            .for_each(|(s, fk)| *s += weight * fk);
        covered += weight;
        if (covered > 1.0 - 1e-15 && m as f64 > mean) || m > 10 * (mean as u64 + 100) {
            break;
        }
        for k in (1..=positions).rev() {
            let p = rate(k) / big;
            f[k] = p * f[k - 1] + (1.0 - p) * f[k];
        }
        m += 1;
    }
    cdf[1..].copy_from_slice(&cdf_sum[1..]);
    cdf
}

/// Poisson probability of `m` with mean `mean`, in log space so large means do not underflow.
fn poisson_pmf(m: u64, mean: f64) -> f64 {
    let m = m as f64;
    (m * mean.ln() - mean - ln_factorial(m)).exp()
}

/// ln(m!) by Stirling's series (exact enough past 20) or a direct sum below.
fn ln_factorial(m: f64) -> f64 {
    if m < 20.0 {
        return (2..=m as u64).map(|i| (i as f64).ln()).sum();
    }
    let x = m + 1.0;
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
        + 1.0 / (1260.0 * x.powi(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-12)
    }

    #[test]
    fn erlang_c_textbook_values() {
        // M/M/2 with a = 1: C = 1/3, ASA = C / (2 - 1) = 1/3.
        let p = erlang_c(1.0, 1.0, 2, 0.0).unwrap();
        assert!(close(p.p_wait, 1.0 / 3.0, 1e-12));
        assert!(close(p.asa_s, 1.0 / 3.0, 1e-12));
        assert!(close(p.service_level, 2.0 / 3.0, 1e-12));
        // M/M/1: P(wait) = ρ, W = ρ / (μ − λ).
        let p = erlang_c(0.8, 1.0, 1, 0.0).unwrap();
        assert!(close(p.p_wait, 0.8, 1e-12) && close(p.asa_s, 4.0, 1e-12));
        assert!(erlang_c(2.0, 1.0, 2, 0.0).is_none());
    }

    #[test]
    fn erlang_c_stays_finite_for_hundreds_of_agents() {
        let p = erlang_c(495.0, 1.0, 500, 20.0).unwrap();
        assert!(p.p_wait > 0.0 && p.p_wait < 1.0 && p.asa_s.is_finite());
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_as_patience_grows() {
        let (lambda, mu, c) = (0.1, 1.0 / 300.0, 33);
        let a = erlang_a(lambda, mu, 1e-9, c, 20.0);
        let e = erlang_c(lambda, mu, c, 20.0).unwrap();
        assert!(
            close(a.p_wait, e.p_wait, 1e-4),
            "{} vs {}",
            a.p_wait,
            e.p_wait
        );
        assert!(close(a.asa_s, e.asa_s, 1e-4), "{} vs {}", a.asa_s, e.asa_s);
        assert!(close(a.service_level, e.service_level, 1e-4));
    }

    #[test]
    fn erlang_a_conservation_identities() {
        for (lambda, mu, theta, c) in [
            (0.1, 1.0 / 300.0, 1.0 / 240.0, 33),
            (1.0 / 72.0, 1.0 / 60.0, 1.0 / 180.0, 1),
            (0.1667, 1.0 / 300.0, 1.0 / 120.0, 40),
        ] {
            let p = erlang_a(lambda, mu, theta, c, 20.0);
            // Abandonments leave at rate θ·E[Q]; Little's law for all who wait.
            assert!(close(
                lambda * p.abandon_rate,
                theta * p.mean_queue_len,
                1e-9
            ));
            assert!(close(p.mean_wait_s * lambda, p.mean_queue_len, 1e-12));
            assert!(p.service_level > 0.0 && p.service_level < 1.0 - p.abandon_rate + 1e-12);
        }
    }

    #[test]
    fn erlang_a_service_level_grows_towards_the_served_share() {
        let at = |t: f64| erlang_a(0.1, 1.0 / 300.0, 1.0 / 240.0, 30, t);
        let (a, b, c) = (at(10.0), at(60.0), at(100_000.0));
        assert!(a.service_level < b.service_level);
        assert!(close(c.service_level, 1.0 - c.abandon_rate, 1e-9));
        // At T = 0 only those answered at once count.
        assert!(close(at(0.0).service_level, 1.0 - at(0.0).p_wait, 1e-12));
    }

    #[test]
    fn hypoexponential_matches_exponential_and_erlang() {
        // One stage: 1 − e^(−rt). Two equal stages (Erlang-2): 1 − e^(−rt)(1 + rt).
        let cdf = hypoexponential_cdfs(2, &|_| 0.5, 3.0);
        assert!(close(cdf[1], 1.0 - (-1.5f64).exp(), 1e-12));
        assert!(close(cdf[2], 1.0 - (-1.5f64).exp() * 2.5, 1e-12));
    }

    #[test]
    fn large_and_overloaded_cases_are_finite() {
        let big = erlang_a(6120.0 / 3600.0, 1.0 / 300.0, 1.0 / 180.0, 500, 20.0);
        let over = erlang_a(600.0 / 3600.0, 1.0 / 300.0, 1.0 / 120.0, 40, 20.0);
        for p in [big, over] {
            assert!(p.asa_s.is_finite() && p.abandon_rate > 0.0 && p.utilization < 1.0);
        }
        assert!(
            over.utilization > 0.95,
            "overload keeps the agents busy: {}",
            over.utilization
        );
    }
}
