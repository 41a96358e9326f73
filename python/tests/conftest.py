"""Fixtures: the repository, its shipped scenarios and the callsim command line to compare with."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary() -> pathlib.Path:
    """The command line: $CALLSIM_BIN, else the newest build in target/ (ci, then release)."""
    given = os.environ.get("CALLSIM_BIN")
    if given:
        return pathlib.Path(given)
    for profile in ("ci", "release", "debug"):
        path = ROOT / "target" / profile / "callsim"
        if path.exists():
            return path
    raise RuntimeError("no callsim binary: build it (cargo build --release) or set CALLSIM_BIN")


@pytest.fixture(scope="session")
def cli():
    """Runs `callsim ARGS --json` in the repository and returns the JSON it prints."""
    binary = _binary()

    def run(*args: str):
        out = subprocess.run([str(binary), *args, "--json"], cwd=ROOT, capture_output=True, text=True)
        assert out.returncode in (0, 1), out.stderr
        return json.loads(out.stdout)

    return run


@pytest.fixture(scope="session")
def binary() -> pathlib.Path:
    return _binary()


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT
