"""Type stubs of callsim's native module (callsim._native); use the callsim package's calls."""

from typing import Optional, Tuple

class InputError(Exception):
    """Bad input: args are (message, key path or None)."""

def run(source: str, is_path: bool, name: str, reps: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None) -> str: ...
def sweep(
    source: str,
    is_path: bool,
    name: str,
    settings: str,
    zip: bool = False,
    independent: bool = False,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> str: ...
def compare(
    base: Tuple[str, bool, str],
    variant: Optional[Tuple[str, bool, str]],
    sets: str,
    reps: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> str: ...
def check(source: str, is_path: bool, name: str, strict: bool = False, reps: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None) -> str: ...
def schema() -> str: ...
def version() -> str: ...
