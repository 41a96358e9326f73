"""Type stubs of the callsim package (see __init__.py for the docstrings and examples)."""

import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

import pandas as pd

__version__: str

ScenarioLike = Union[str, os.PathLike[str], Mapping[str, Any]]

class ScenarioError(ValueError):
    message: str
    path: Optional[str]
    def __init__(self, message: str, path: Optional[str] = None) -> None: ...

class RunResult:
    json: Dict[str, Any]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    def metrics(self) -> pd.DataFrame: ...
    def intervals(self) -> pd.DataFrame: ...
    def targets(self) -> pd.DataFrame: ...

class SweepResult:
    json: Dict[str, Any]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def parameters(self) -> List[str]: ...
    def frame(self) -> pd.DataFrame: ...

class CompareResult:
    json: Dict[str, Any]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    def frame(self) -> pd.DataFrame: ...

class CheckResult:
    json: Dict[str, Any]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def passed(self) -> bool: ...
    def frame(self) -> pd.DataFrame: ...

def run(scenario: ScenarioLike, reps: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None) -> RunResult: ...
def sweep(
    scenario: ScenarioLike,
    set: Optional[Mapping[str, Iterable[Any]]] = None,
    zip: bool = False,
    independent: bool = False,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> SweepResult: ...
def compare(
    base: ScenarioLike,
    variant: Optional[ScenarioLike] = None,
    set: Optional[Mapping[str, Any]] = None,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> CompareResult: ...
def check(scenario: ScenarioLike, strict: bool = False, reps: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None) -> CheckResult: ...
def schema() -> Dict[str, Any]: ...
