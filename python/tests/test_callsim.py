"""The Python package against the command line: the same JSON for every shipped scenario, tidy
frames of it, errors with their key paths, dict scenarios, thread-count independence, Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import callsim

SCENARIOS = [
    "erlang-a-example.json",
    "fpa-2018.json",
    "fpa-2019-05.json",
    "fpa-2020-02.json",
    "fpa-2020-05.json",
    "fpa-2020-06.json",
    "fpa-reopened.json",
    "fpa-reopening-sweep.json",
]


def test_every_shipped_scenario_is_listed(root):
    assert sorted(p.name for p in (root / "scenarios").glob("*.json")) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_run_equals_the_command_line(root, cli, name):
    path = root / "scenarios" / name
    got = callsim.run(path, reps=2).json
    assert got == cli("run", f"scenarios/{name}", "--reps", "2")


def test_sweep_compare_check_and_schema_equal_the_command_line(root, cli, binary):
    file = str(root / "scenarios" / "fpa-2020-05.json")
    s = callsim.sweep(file, set={"staff.office_staff.reassign.count": range(80, 101, 10)}, reps=2)
    assert s.json == cli("sweep", "scenarios/fpa-2020-05.json", "--set", "staff.office_staff.reassign.count=80..100:10", "--reps", "2")
    # The scenario's own sweep block (192 points), at one replication.
    block = callsim.sweep(root / "scenarios" / "fpa-reopening-sweep.json", reps=1)
    assert block.json == cli("sweep", "scenarios/fpa-reopening-sweep.json", "--reps", "1")
    c = callsim.compare(file, set={"staff.office_staff.reassign.count": 100}, reps=3)
    assert c.json == cli("compare", "scenarios/fpa-2020-05.json", "--set", "staff.office_staff.reassign.count=100", "--reps", "3")
    variant = callsim.compare(file, root / "scenarios" / "fpa-2020-06.json", reps=2)
    assert variant.json == cli("compare", "scenarios/fpa-2020-05.json", "scenarios/fpa-2020-06.json", "--reps", "2")
    for strict in (False, True):
        flags = ["--strict"] if strict else []
        k = callsim.check(file, strict=strict, reps=4)
        assert [k.json] == cli("check", "scenarios/fpa-2020-05.json", "--reps", "4", *flags)
    schema = subprocess.run([str(binary), "schema"], capture_output=True, text=True, check=True)
    assert callsim.schema() == json.loads(schema.stdout)


def test_frames_are_tidy_and_complete(root):
    r = callsim.run(root / "scenarios" / "fpa-2020-05.json", reps=2)
    m = r.metrics()
    assert list(m.columns) == ["scope", "name", "metric", "mean", "lo", "hi"]
    count = sum(len(v) for v in r.json["queues"].values()) + sum(len(v) for v in r.json["staff"].values())
    assert len(m) == count and count >= 50
    asa = m[(m.scope == "queue") & (m.name == "phone") & (m.metric == "asa_s")].iloc[0]
    e = r.json["queues"]["phone"]["asa_s"]
    assert (asa["mean"], asa["lo"], asa["hi"]) == (e["mean"], *e["ci95"])
    assert set(m.scope) == {"queue", "staff"}
    iv = r.intervals()
    queues = len(r.json["queues"])
    assert len(iv) == len(r.json["intervals"]) * queues
    assert list(iv.columns[:4]) == ["start", "week", "start_s", "queue"]
    assert iv["start"].iloc[0] == r.json["intervals"][0]["start"]
    t = r.targets()
    assert len(t) == len(r.json["targets"]) and t["met"].dtype == bool
    s = callsim.sweep(root / "scenarios" / "erlang-a-example.json", set={"staff.agents.count": [32, 33, 34], "queues.phone.patience.mean": ["3m", "5m"]}, reps=2)
    f = s.frame()
    assert len(f) == 6 and s.parameters == ["staff.agents.count", "queues.phone.patience.mean"]
    assert list(f["staff.agents.count"]) == [32, 32, 33, 33, 34, 34]
    assert {"phone.asa_s", "phone.asa_s_lo", "phone.asa_s_hi", "staff.agents.utilization", "replications", "targets_met"} <= set(f.columns)
    # More agents, shorter waits; more patience, longer ones (common random numbers).
    asa = f.set_index(["staff.agents.count", "queues.phone.patience.mean"])["phone.asa_s"]
    assert asa[(32, "3m")] > asa[(33, "3m")] > asa[(34, "3m")]
    assert asa[(33, "5m")] > asa[(33, "3m")]
    c = callsim.compare(root / "scenarios" / "erlang-a-example.json", set={"staff.agents.count": 34}, reps=2).frame()
    row = c[c.metric == "phone.asa_s"].iloc[0]
    assert row["difference"] < 0 and row["significant"] and row["lo"] <= row["difference"] <= row["hi"]
    k = callsim.check(root / "scenarios" / "erlang-a-example.json", reps=2)
    assert k.passed and list(k.frame()["verdict"].unique()) != [] and len(k.frame()) == len(k.json["targets"])


def test_a_dict_scenario_runs_as_its_file(root):
    path = root / "scenarios" / "erlang-a-example.json"
    as_dict = callsim.run(json.loads(path.read_text()), reps=2).json
    as_file = callsim.run(path, reps=2).json
    # Only the hash differs: a dict's is of its JSON text, a file's of its bytes.
    assert as_dict["provenance"].pop("scenario_sha256") != as_file["provenance"].pop("scenario_sha256")
    assert as_dict == as_file


def test_results_do_not_depend_on_the_thread_count(root):
    path = root / "scenarios" / "fpa-2020-05.json"
    one = callsim.run(path, reps=4, threads=1).json
    assert callsim.run(path, reps=4, threads=2).json == one
    assert callsim.run(path, reps=4).json == one
    sweep = {"staff.office_staff.reassign.count": [80, 100]}
    assert callsim.sweep(path, set=sweep, reps=2, threads=1).json == callsim.sweep(path, set=sweep, reps=2, threads=3).json


def test_bad_input_raises_scenario_error_with_its_key_path(root):
    base = json.loads((root / "scenarios" / "erlang-a-example.json").read_text())
    bad_mean = json.loads(json.dumps(base))
    bad_mean["queues"]["phone"]["handle_time"]["mean"] = -5
    misspelt = json.loads(json.dumps(base))
    misspelt["queues"]["phone"]["patience"]["meen"] = "4m"
    extends = dict(base, extends="erlang-a-example.json")
    cases = [
        (bad_mean, "queues.phone.handle_time.mean"),
        (misspelt, "queues.phone.patience"),
        (extends, "extends"),
    ]
    for scenario, path in cases:
        with pytest.raises(callsim.ScenarioError) as e:
            callsim.run(scenario, reps=1)
        assert e.value.path is not None and e.value.path.startswith(path), (e.value.path, e.value.message)
        assert path in e.value.message and str(e.value) == e.value.message
    # The message is the command line's, after "error: ".
    bad = root / "scenarios" / "erlang-a-example.json"
    with pytest.raises(callsim.ScenarioError) as e:
        callsim.run(bad, reps=0)
    assert "must be at least 1" in e.value.message and e.value.path is None
    with pytest.raises(callsim.ScenarioError) as e:
        callsim.run("no-such-file.json")
    assert "cannot read the file" in e.value.message
    with pytest.raises(callsim.ScenarioError) as e:
        callsim.sweep(bad, set={"staff.nobody.count": [1, 2]}, reps=1)
    assert 'no "staff.nobody"' in e.value.message
    with pytest.raises(callsim.ScenarioError):
        callsim.sweep(bad, set={"staff.agents.count": "30..34"}, reps=1)
    with pytest.raises(callsim.ScenarioError):
        callsim.compare(bad, reps=1)
    with pytest.raises(TypeError):
        callsim.run(42)
    # The interpreter is still well after all of them.
    assert callsim.run(bad, reps=1).json["replications"] == 1


def test_ctrl_c_interrupts_a_long_run_and_stops_it(root):
    # A run of about half a minute in a child interpreter, sent SIGINT once it has started:
    # it must end with KeyboardInterrupt long before the run could have finished, and the
    # cancelled run must stop: the idle interpreter then uses no CPU (a run left going would
    # use about 1.5 s of CPU in the 1.5 s it sleeps, on its one thread).
    code = (
        "import callsim, sys, time\n"
        "print('started', flush=True)\n"
        "t = time.monotonic()\n"
        "try:\n"
        f"    callsim.run({str(root / 'scenarios' / 'erlang-a-example.json')!r}, reps=80, threads=1)\n"
        "    print('finished', flush=True)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted after', time.monotonic() - t, flush=True)\n"
        "    cpu = time.process_time()\n"
        "    time.sleep(1.5)\n"
        "    print('cpu while idle', time.process_time() - cpu, flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.0)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    waited = time.monotonic() - sent
    assert out.startswith("interrupted after"), out
    # 80 replications of 2,000 hours take about 30 s on one thread; the interrupt, 50 ms.
    assert waited < 5, waited
    idle = float(out.split("cpu while idle")[1])
    assert idle < 0.5, out
