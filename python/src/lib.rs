//! `callsim._native`: callsim's library API for CPython. Each call takes a scenario (a file's
//! path, or a JSON text from a dict), simulates without the GIL on a thread of its own, and
//! returns the JSON text the command line prints with `--json`; the Python package reads it.
//! Bad input raises `InputError(message, key path)`, which the package turns into
//! `callsim.ScenarioError`.

use callsim::api::{self, Cancel, Options, Scenario};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError};
use pyo3::prelude::*;
use serde_json::Value;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

create_exception!(
    _native,
    InputError,
    PyException,
    "Bad input: (message, key path or None)."
);

/// How often a waiting call looks for Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

fn input_error(e: callsim::Error) -> PyErr {
    InputError::new_err((e.to_string(), e.key_path().map(str::to_string)))
}

/// A scenario from a file's path (`is_path`) or from a JSON text named `name` in messages.
fn scenario(source: &str, is_path: bool, name: &str) -> Result<Scenario, callsim::Error> {
    if is_path {
        return Scenario::from_path(source);
    }
    let value: Value = serde_json::from_str(source)
        .map_err(|e| callsim::Error::Usage(format!("{name}: not JSON: {e}")))?;
    Scenario::from_json(value, name)
}

fn options(
    (reps, seed, threads): (Option<u32>, Option<u64>, Option<usize>),
    cancel: Cancel,
) -> Options {
    Options {
        replications: reps,
        seed,
        threads,
        cancel: Some(cancel),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, callsim::Error> {
    serde_json::to_string(value)
        .map_err(|e| callsim::Error::Usage(format!("the result as JSON: {e}")))
}

/// Runs `work` on a thread of its own while this one, without the GIL, waits for it and looks
/// for Ctrl-C: KeyboardInterrupt is raised at once, and the run is cancelled (its replications
/// end at their next hundredth).
fn interruptible(
    py: Python<'_>,
    work: impl FnOnce(Cancel) -> Result<String, callsim::Error> + Send + 'static,
) -> PyResult<String> {
    let (tx, rx) = channel();
    let cancel = Cancel::new();
    let handle = cancel.clone();
    std::thread::Builder::new()
        .name("callsim".into())
        .spawn(move || {
            let _ = tx.send(work(handle));
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the simulation: {e}")))?;
    let mut rx = rx;
    loop {
        // The receiver goes into the GIL-free closure and back (it is Send, not Sync).
        let (got, back) = py.detach(move || (rx.recv_timeout(SIGNAL_CHECK), rx));
        rx = back;
        match got {
            Ok(result) => return result.map_err(input_error),
            Err(RecvTimeoutError::Timeout) => {
                py.check_signals().inspect_err(|_| cancel.cancel())?
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "the simulation stopped without a result",
                ));
            }
        }
    }
}

/// `callsim run --json` of one scenario.
#[pyfunction]
#[pyo3(signature = (source, is_path, name, reps=None, seed=None, threads=None))]
fn run(
    py: Python<'_>,
    source: String,
    is_path: bool,
    name: String,
    reps: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<String> {
    interruptible(py, move |cancel| {
        let sc = scenario(&source, is_path, &name)?;
        to_json(&api::simulate(
            &sc,
            &options((reps, seed, threads), cancel),
        )?)
    })
}

/// `callsim sweep --json`: `settings` is a JSON list of `[path, [values...]]`.
#[pyfunction]
#[pyo3(signature = (source, is_path, name, settings, zip=false, independent=false, reps=None, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    source: String,
    is_path: bool,
    name: String,
    settings: String,
    zip: bool,
    independent: bool,
    reps: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<String> {
    interruptible(py, move |cancel| {
        let sc = scenario(&source, is_path, &name)?;
        let settings: Vec<(String, Vec<Value>)> = serde_json::from_str(&settings)
            .map_err(|e| callsim::Error::Usage(format!("set: give {{path: [values]}} ({e})")))?;
        to_json(&api::sweep_values(
            &sc,
            &settings,
            (zip, independent),
            &options((reps, seed, threads), cancel),
        )?)
    })
}

/// `callsim compare --json`: the variant is a scenario (`variant`) or the base with `sets`,
/// a JSON list of `[path, value]`.
#[pyfunction]
#[pyo3(signature = (base, variant, sets, reps=None, seed=None, threads=None))]
fn compare(
    py: Python<'_>,
    base: (String, bool, String),
    variant: Option<(String, bool, String)>,
    sets: String,
    reps: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<String> {
    interruptible(py, move |cancel| {
        let base = scenario(&base.0, base.1, &base.2)?;
        let variant = match variant {
            Some((source, is_path, name)) => scenario(&source, is_path, &name)?,
            None => {
                let sets: Vec<(String, Value)> = serde_json::from_str(&sets).map_err(|e| {
                    callsim::Error::Usage(format!("set: give {{path: value}} ({e})"))
                })?;
                if sets.is_empty() {
                    return Err(callsim::Error::Usage(
                        "compare: give a variant or set={path: value}".into(),
                    ));
                }
                api::variant(&base, &sets)?
            }
        };
        to_json(&api::compare(
            &base,
            &variant,
            &options((reps, seed, threads), cancel),
        )?)
    })
}

/// `callsim check --json` of one scenario (the one element of its list).
#[pyfunction]
#[pyo3(signature = (source, is_path, name, strict=false, reps=None, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn check(
    py: Python<'_>,
    source: String,
    is_path: bool,
    name: String,
    strict: bool,
    reps: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<String> {
    interruptible(py, move |cancel| {
        let sc = scenario(&source, is_path, &name)?;
        to_json(&api::check(
            &sc,
            strict,
            &options((reps, seed, threads), cancel),
        )?)
    })
}

/// `callsim schema`.
#[pyfunction]
fn schema() -> PyResult<String> {
    to_json(&api::schema()).map_err(input_error)
}

/// The version of callsim the package was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
