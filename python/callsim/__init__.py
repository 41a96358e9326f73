"""callsim: a fast, trustworthy call-queue simulator, from Python.

Every call takes a scenario, a path to a scenario file or a dict of the same JSON, and returns a
result whose ``.json`` is what the command line prints with ``--json`` (``callsim run``,
``sweep``, ``compare``, ``check``), value for value, with pandas DataFrames of it::

    >>> import callsim
    >>> r = callsim.run("scenarios/erlang-a-example.json", reps=4)
    >>> r.metrics().query("metric == 'asa_s'")[["name", "mean", "lo", "hi"]]  # doctest: +SKIP
    >>> s = callsim.sweep("scenarios/erlang-a-example.json", set={"staff.agents.count": [32, 33, 34]}, reps=4)
    >>> s.frame()[["staff.agents.count", "phone.asa_s"]]  # doctest: +SKIP

Replications run in parallel without the GIL, each on its own random stream, so results do not
depend on ``threads`` (default: one per core, as on the command line). Ctrl-C interrupts a
call. Bad input raises :class:`ScenarioError`, with the key path and the command line's message.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import pandas as pd

from . import _native

__version__: str = _native.version()

__all__ = [
    "ScenarioError",
    "RunResult",
    "SweepResult",
    "CompareResult",
    "CheckResult",
    "run",
    "sweep",
    "compare",
    "check",
    "schema",
]

#: A scenario: the path of a scenario file, or the scenario's JSON as a dict.
ScenarioLike = Union[str, "os.PathLike[str]", Mapping[str, Any]]


class ScenarioError(ValueError):
    """Bad input: a scenario that does not parse or check, a bad option or value.

    ``message`` is what the command line prints after ``error:``; ``path`` is the key path of
    the scenario it is about (``"queues.phone.handle_time.mean"``), or None.

    >>> try:
    ...     callsim.run({"queues": {}})
    ... except callsim.ScenarioError as e:
    ...     print(e.path)  # doctest: +SKIP
    """

    def __init__(self, message: str, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _plain(value: Any) -> Any:
    """JSON for numpy scalars and arrays, ranges and tuples."""
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    if hasattr(value, "tolist") and callable(value.tolist):
        return value.tolist()
    if isinstance(value, (range, tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{value!r} is not a JSON value")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_plain)


def _source(scenario: ScenarioLike) -> Tuple[str, bool, str]:
    """What the native module takes: (path or JSON text, is it a path, its name in messages)."""
    if isinstance(scenario, Mapping):
        return (_dumps(dict(scenario)), False, "scenario")
    if isinstance(scenario, (str, os.PathLike)):
        path = os.fspath(scenario)
        return (path, True, path)
    raise TypeError(f"a scenario is a file's path or a dict, not {type(scenario).__name__}")


def _call(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return json.loads(function(*args, **kwargs))
    except _native.InputError as e:
        message, path = e.args
        raise ScenarioError(message, path) from None


def _estimate(e: Optional[Mapping[str, Any]]) -> Tuple[Any, Any, Any]:
    """(mean, lo, hi) of an estimate (``{"mean", "ci95": [lo, hi]}``)."""
    if not e:
        return (None, None, None)
    lo, hi = e.get("ci95") or (None, None)
    return (e.get("mean"), lo, hi)


def _metric_rows(queues: Mapping[str, Any], staff: Mapping[str, Any]) -> List[Dict[str, Any]]:
    rows = []
    for scope, by_name in (("queue", queues), ("staff", staff)):
        for name, metrics in by_name.items():
            for metric, e in metrics.items():
                mean, lo, hi = _estimate(e)
                rows.append({"scope": scope, "name": name, "metric": metric, "mean": mean, "lo": lo, "hi": hi})
    return rows


_METRIC_COLUMNS = ["scope", "name", "metric", "mean", "lo", "hi"]


class RunResult:
    """The result of :func:`run`: ``.json`` is ``callsim run --json``'s object."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.json: Dict[str, Any] = data

    def metrics(self) -> pd.DataFrame:
        """Every metric, tidy: one row per (scope, name, metric) with its mean and 95% interval.

        ``scope`` is ``"queue"`` or ``"staff"``; ``name`` the queue or the staff group.
        """
        rows = _metric_rows(self.json["queues"], self.json["staff"])
        return pd.DataFrame(rows, columns=_METRIC_COLUMNS)

    def intervals(self) -> pd.DataFrame:
        """The per-interval means: one row per report interval and queue (``start`` is the
        weekday and clock time, ``start_s`` seconds from Monday 00:00 of week 1)."""
        rows = []
        for iv in self.json["intervals"]:
            for queue, q in iv["queues"].items():
                lo, hi = q.get("asa_s_ci95") or (None, None)
                rows.append(
                    {
                        "start": iv["start"],
                        "week": iv["week"],
                        "start_s": iv["start_s"],
                        "queue": queue,
                        "offered": q["offered"],
                        "answered": q["answered"],
                        "abandoned": q["abandoned"],
                        "asa_s": q["asa_s"],
                        "asa_s_lo": lo,
                        "asa_s_hi": hi,
                        "service_level": q["service_level"],
                    }
                )
        columns = ["start", "week", "start_s", "queue", "offered", "answered", "abandoned"]
        return pd.DataFrame(rows, columns=columns + ["asa_s", "asa_s_lo", "asa_s_hi", "service_level"])

    def targets(self) -> pd.DataFrame:
        """The targets: one row each, with the metric's mean and interval and whether it is met."""
        rows = [
            {
                "metric": t["metric"],
                "min": t.get("min"),
                "max": t.get("max"),
                "mean": t.get("value"),
                "lo": (t.get("ci95") or (None, None))[0],
                "hi": (t.get("ci95") or (None, None))[1],
                "met": t["met"],
                "met_strict": t["met_strict"],
            }
            for t in self.json["targets"]
        ]
        return pd.DataFrame(rows, columns=["metric", "min", "max", "mean", "lo", "hi", "met", "met_strict"])

    def __repr__(self) -> str:
        return f"<callsim.RunResult {self.json['scenario']!r}: {self.json['replications']} replications>"


class SweepResult:
    """The result of :func:`sweep`: ``.json`` is ``callsim sweep --json``'s object."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.json: Dict[str, Any] = data

    @property
    def parameters(self) -> List[str]:
        """The swept paths."""
        return list(self.json["parameters"])

    def frame(self) -> pd.DataFrame:
        """One row per point: the swept values (a column per path), ``replications``, and for
        each metric its mean (``phone.asa_s``, ``staff.agents.utilization``) and 95% interval
        (``phone.asa_s_lo``, ``phone.asa_s_hi``)."""
        rows = []
        for p in self.json["points"]:
            row: Dict[str, Any] = dict(p["values"])
            row["replications"] = p["replications"]
            for scope, by_name in (("", p["queues"]), ("staff.", p["staff"])):
                for name, metrics in by_name.items():
                    for metric, e in metrics.items():
                        mean, lo, hi = _estimate(e)
                        key = f"{scope}{name}.{metric}"
                        row[key], row[key + "_lo"], row[key + "_hi"] = mean, lo, hi
            row["targets_met"] = all(t["met"] for t in p["targets"])
            rows.append(row)
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return f"<callsim.SweepResult {self.json['scenario']!r}: {len(self.json['points'])} points of {self.parameters}>"


class CompareResult:
    """The result of :func:`compare`: ``.json`` is ``callsim compare --json``'s object."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.json: Dict[str, Any] = data

    def frame(self) -> pd.DataFrame:
        """One row per metric both have: its base and variant means, and the paired difference
        (variant minus base) with its 95% interval and whether that excludes 0."""
        rows = []
        for d in self.json["differences"]:
            mean, lo, hi = _estimate(d["difference"])
            rows.append(
                {
                    "metric": d["metric"],
                    "base": d["base"],
                    "variant": d["variant"],
                    "difference": mean,
                    "lo": lo,
                    "hi": hi,
                    "significant": d["significant"],
                }
            )
        return pd.DataFrame(rows, columns=["metric", "base", "variant", "difference", "lo", "hi", "significant"])

    def __repr__(self) -> str:
        return f"<callsim.CompareResult {self.json['base']!r} against {self.json['variant']!r}>"


class CheckResult:
    """The result of :func:`check`: ``.json`` is the scenario's object in ``callsim check
    --json``'s list; ``.passed`` is whether ``callsim check`` would exit 0."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.json: Dict[str, Any] = data

    @property
    def passed(self) -> bool:
        """Every target met (and no replication stopped early)."""
        return bool(self.json["passed"])

    def frame(self) -> pd.DataFrame:
        """One row per target: its verdict (``met``, ``met?``, ``MISSED``, ...), whether it
        passes, and the metric's mean and 95% interval against its bounds."""
        rows = [
            {
                "metric": t["metric"],
                "verdict": t["verdict"],
                "passed": t["passed"],
                "min": t.get("min"),
                "max": t.get("max"),
                "mean": t.get("value"),
                "lo": (t.get("ci95") or (None, None))[0],
                "hi": (t.get("ci95") or (None, None))[1],
            }
            for t in self.json["targets"]
        ]
        return pd.DataFrame(rows, columns=["metric", "verdict", "passed", "min", "max", "mean", "lo", "hi"])

    def __repr__(self) -> str:
        verdict = "passed" if self.passed else "failed"
        return f"<callsim.CheckResult {self.json['scenario']!r}: {verdict}>"


def run(
    scenario: ScenarioLike,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> RunResult:
    """Simulates a scenario, as ``callsim run --json`` (``reps``, ``seed`` and ``threads`` as
    ``--reps``, ``--seed`` and ``--threads``; None keeps the scenario's).

    >>> r = callsim.run("scenarios/fpa-2020-05.json", reps=20)  # doctest: +SKIP
    >>> r.json["queues"]["phone"]["asa_s"]["mean"]  # doctest: +SKIP
    """
    return RunResult(_call(_native.run, *_source(scenario), reps, seed, threads))


def sweep(
    scenario: ScenarioLike,
    set: Optional[Mapping[str, Iterable[Any]]] = None,
    zip: bool = False,
    independent: bool = False,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> SweepResult:
    """Runs the scenario at every point of the values ``set`` at its dotted paths, crossed (or
    paired with ``zip``), on the same random streams at every point (each its own with
    ``independent``), as ``callsim sweep --json``. Without ``set``, the scenario's own
    ``sweep`` block is run.

    >>> s = callsim.sweep("scenarios/fpa-2020-05.json",
    ...                   set={"staff.office_staff.reassign.count": range(60, 121, 10)})  # doctest: +SKIP
    >>> s.frame()[["staff.office_staff.reassign.count", "phone.asa_s"]]  # doctest: +SKIP
    """
    settings = []
    for path, values in (set or {}).items():
        values = [] if isinstance(values, (str, bytes)) else list(values)
        if not values:
            raise ScenarioError(f"set {path}: give a list or range of values, e.g. [30, 33, 36]", path)
        settings.append([path, values])
    native = _native.sweep
    return SweepResult(_call(native, *_source(scenario), _dumps(settings), zip, independent, reps, seed, threads))


def compare(
    base: ScenarioLike,
    variant: Optional[ScenarioLike] = None,
    set: Optional[Mapping[str, Any]] = None,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> CompareResult:
    """Runs a base and a variant (a scenario, or the base with each path in ``set`` set to its
    value) on the same random streams, as ``callsim compare --json``.

    >>> c = callsim.compare("scenarios/fpa-2020-05.json",
    ...                     set={"staff.office_staff.reassign.count": 100})  # doctest: +SKIP
    >>> c.frame().query("metric == 'phone.asa_s'")  # doctest: +SKIP
    """
    sets = _dumps([[path, value] for path, value in (set or {}).items()])
    other = None if variant is None else _source(variant)
    return CompareResult(_call(_native.compare, _source(base), other, sets, reps, seed, threads))


def check(
    scenario: ScenarioLike,
    strict: bool = False,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> CheckResult:
    """Runs a scenario and judges its targets, as ``callsim check --json`` (``strict``: a
    target is met only when its whole 95% interval is within its bounds).

    >>> callsim.check("scenarios/erlang-a-example.json").passed  # doctest: +SKIP
    True
    """
    return CheckResult(_call(_native.check, *_source(scenario), strict, reps, seed, threads))


def schema() -> Dict[str, Any]:
    """The JSON Schema of the scenario format, as ``callsim schema`` prints it."""
    return _call(_native.schema)
