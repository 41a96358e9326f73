//! Work in progress: every simulation a request starts is a job with a [`Watch`] (its
//! progress, and a flag that stops it). At most `running` jobs simulate at once (the machine's
//! cores are shared among them); more wait their turn, and past `admitted` the server says
//! it is busy rather than queue without bound. The page polls a job by its id and can cancel
//! it; a direct API call is a job too, stopped when its client goes away.

use super::error::ApiError;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::Semaphore;

/// A job's progress and its stop flag: what the simulation reports to and asks.
#[derive(Debug, Default)]
pub struct Watch {
    /// Ticks done (each [`crate::model::TICKS`]th of a replication).
    done: AtomicU64,
    /// Ticks the current step will take.
    total: AtomicU64,
    /// Set when the job is cancelled or its client left.
    stop: AtomicBool,
    /// What it is doing, for the page.
    step: Mutex<String>,
}

impl Watch {
    /// A new step of `replications` replications: progress starts again from 0.
    pub fn start(&self, replications: u64, step: String) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(
            replications * u64::from(crate::model::TICKS),
            Ordering::Relaxed,
        );
        *self.step.lock().unwrap_or_else(PoisonError::into_inner) = step;
    }

    /// Stops the job: each of its replications ends at its next tick.
    pub fn cancel(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether the job was stopped.
    pub fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn progress(&self) -> Value {
        let step = self.step.lock().unwrap_or_else(PoisonError::into_inner);
        json!({
            "done": self.done.load(Ordering::Relaxed),
            "total": self.total.load(Ordering::Relaxed),
            "step": *step,
        })
    }
}

impl crate::model::Progress for Watch {
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    fn stopped(&self) -> bool {
        self.cancelled()
    }
}

/// What a job ended with.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Its result.
    Done(Value),
    /// Why it failed.
    Failed(ApiError),
}

struct Job {
    watch: Arc<Watch>,
    outcome: Mutex<Option<Outcome>>,
}

/// The jobs of a server.
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
    running: Semaphore,
    admitted: usize,
}

/// Finished jobs kept for the page to fetch; the oldest go first.
const KEPT: usize = 64;

impl Jobs {
    /// Jobs of which `running` simulate at once and at most `admitted` are held.
    pub fn new(running: usize, admitted: usize) -> Jobs {
        Jobs {
            next: AtomicU64::new(1),
            jobs: Mutex::new(HashMap::new()),
            running: Semaphore::new(running.max(1)),
            admitted,
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` as a job and waits for it. If the caller stops waiting (its client went
    /// away), the job is stopped.
    pub async fn run<F>(&self, work: F) -> Result<Value, ApiError>
    where
        F: FnOnce(&Watch) -> Result<Value, ApiError> + Send + 'static,
    {
        let (id, job) = self.admit()?;
        let guard = StopOnDrop(job.watch.clone());
        self.execute(&job, work).await;
        drop(guard);
        let outcome = job.outcome.lock().unwrap_or_else(PoisonError::into_inner).take();
        self.table().remove(&id);
        match outcome {
            Some(Outcome::Done(v)) => Ok(v),
            Some(Outcome::Failed(e)) => Err(e),
            None => Err(cancelled()),
        }
    }

    /// Starts `work` as a job in the background and returns its id at once.
    pub fn start<F>(self: &Arc<Self>, work: F) -> Result<u64, ApiError>
    where
        F: FnOnce(&Watch) -> Result<Value, ApiError> + Send + 'static,
    {
        let (id, job) = self.admit()?;
        let jobs = self.clone();
        tokio::spawn(async move { jobs.execute(&job, work).await });
        Ok(id)
    }

    /// Where job `id` is: `{"state": "waiting" | "running" | "done" | "failed" | "cancelled",
    /// "progress": {...}, "result" | "error": ...}`.
    pub fn status(&self, id: u64) -> Result<Value, ApiError> {
        let job = self.table().get(&id).cloned().ok_or_else(|| unknown(id))?;
        let progress = job.watch.progress();
        let outcome = job.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(match (&*outcome, job.watch.cancelled()) {
            (_, true) => json!({"state": "cancelled", "progress": progress}),
            (Some(Outcome::Done(v)), _) => json!({"state": "done", "progress": progress, "result": v}),
            (Some(Outcome::Failed(e)), _) => json!({"state": "failed", "progress": progress, "error": e.body()}),
            (None, _) if progress["total"] == 0 => json!({"state": "waiting", "progress": progress}),
            (None, _) => json!({"state": "running", "progress": progress}),
        })
    }

    /// Cancels job `id`.
    pub fn cancel(&self, id: u64) -> Result<(), ApiError> {
        let job = self.table().get(&id).cloned().ok_or_else(|| unknown(id))?;
        job.watch.cancel();
        Ok(())
    }

    /// Holds a new job, or says the server is busy.
    fn admit(&self) -> Result<(u64, Arc<Job>), ApiError> {
        let mut table = self.table();
        let unfinished = |j: &Arc<Job>| {
            j.outcome.lock().unwrap_or_else(PoisonError::into_inner).is_none() && !j.watch.cancelled()
        };
        if table.values().filter(|j| unfinished(j)).count() >= self.admitted {
            return Err(ApiError::with_status(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the server is busy with {} simulations; try again when one has finished",
                    self.admitted
                ),
            ));
        }
        forget_oldest_finished(&mut table, unfinished);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let job = Arc::new(Job {
            watch: Arc::new(Watch::default()),
            outcome: Mutex::new(None),
        });
        table.insert(id, job.clone());
        Ok((id, job))
    }

    /// Waits for a turn, then runs `work` on a blocking thread and keeps its outcome.
    async fn execute<F>(&self, job: &Job, work: F)
    where
        F: FnOnce(&Watch) -> Result<Value, ApiError> + Send + 'static,
    {
        let Ok(_turn) = self.running.acquire().await else {
            return;
        };
        if job.watch.cancelled() {
            return;
        }
        let watch = job.watch.clone();
        let done = tokio::task::spawn_blocking(move || work(&watch)).await;
        let outcome = match done {
            Ok(Ok(v)) => Outcome::Done(v),
            Ok(Err(e)) => Outcome::Failed(e),
            Err(e) => Outcome::Failed(ApiError::with_status(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the simulation failed: {e}"),
            )),
        };
        *job.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
    }
}

/// Keeps at most [`KEPT`] finished jobs, dropping the lowest ids (the oldest).
fn forget_oldest_finished(table: &mut HashMap<u64, Arc<Job>>, unfinished: impl Fn(&Arc<Job>) -> bool) {
    let mut finished: Vec<u64> = table
        .iter()
        .filter(|(_, j)| !unfinished(j))
        .map(|(id, _)| *id)
        .collect();
    if finished.len() >= KEPT {
        finished.sort_unstable();
        for id in &finished[..=finished.len() - KEPT] {
            table.remove(id);
        }
    }
}

/// Sets a job's stop flag when the request that waits for it is dropped.
struct StopOnDrop(Arc<Watch>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// What a cancelled simulation answers.
pub(super) fn cancelled() -> ApiError {
    ApiError::with_status(StatusCode::CONFLICT, "the simulation was cancelled")
}

fn unknown(id: u64) -> ApiError {
    ApiError::with_status(
        StatusCode::NOT_FOUND,
        format!("no job {id}: it finished long ago, or never was"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_admitted_jobs_the_server_is_busy_and_a_cancelled_job_says_so() {
        let jobs = Arc::new(Jobs::new(1, 2));
        let spin = |w: &Watch| {
            w.start(1, "spinning".into());
            while !w.cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Ok(Value::Null)
        };
        let a = jobs.start(spin).unwrap();
        let b = jobs.start(spin).unwrap();
        let busy = jobs.start(spin).unwrap_err();
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(jobs.status(a).unwrap()["state"], "running");
        assert_eq!(jobs.status(b).unwrap()["state"], "waiting", "one runs at a time");
        jobs.cancel(a).unwrap();
        jobs.cancel(b).unwrap();
        assert_eq!(jobs.status(a).unwrap()["state"], "cancelled");
        let c = jobs.start(|_| Ok(json!(7))).unwrap();
        for _ in 0..200 {
            if jobs.status(c).unwrap()["state"] == "done" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(jobs.status(c).unwrap()["result"], 7);
        assert_eq!(jobs.status(999).unwrap_err().status, StatusCode::NOT_FOUND);
    }
}
