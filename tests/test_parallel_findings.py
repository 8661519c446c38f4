"""The report's preparation on two processes (datavault/findings/parallel.py) gives exactly the vault and the report
one process gives, and a second process that fails leaves its share to the first: the same again."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from datavault.demo.run import build_demo_vault
from datavault.findings import PROVIDERS, rollup
from datavault.cores import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="the second process is forked (Linux)")

SCRIPT = """
import json, os, sys, time
from datavault.findings import engine, parallel, rollup
parent = os.getpid()
rollup.SLICE_ROWS = int(sys.argv[3])  # the demo's tables in many slices, so that both processes take some
answers, child = [], []
real_receive = parallel.Helper.receive
def receive(self, kind, timeout):
    got = real_receive(self, kind, timeout)
    answers.append([kind, got is not None])
    if kind == "findings" and got is not None:
        child.append(len(got[0]))
    return got
parallel.Helper.receive = receive
taken = []
real_fill = rollup.fill_slice
def fill_slice(conn, schema, *rest):
    if os.getpid() != parent and "rollups" in sys.argv[2]:
        raise RuntimeError("the child breaks")
    if os.getpid() != parent:  # a slow child, so that this process surely takes slices too
        time.sleep(0.05)
    if os.getpid() == parent:
        taken.append(rest[-1])
    return real_fill(conn, schema, *rest)
rollup.fill_slice = fill_slice
if "warm" in sys.argv[2]:  # the child cannot work out the chats' languages: each process does it itself
    real_do = parallel._do
    def _do(vault_path, queue, kind, *rest):
        if kind == "warm":
            raise RuntimeError("the child breaks")
        return real_do(vault_path, queue, kind, *rest)
    parallel._do = _do
if "findings" in sys.argv[2]:  # the child's share of the providers fails: the parent must run them
    real = engine.run_one
    def run_one(ctx, provider):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return real(ctx, provider)
    engine.run_one = run_one
from datavault.report import prepare_vault
prepare_vault(sys.argv[1], "Europe/Berlin")
print(json.dumps({"answers": answers, "slices_here": len(taken), "child_providers": child}))
"""
SMALL_SLICES = 40


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory) -> Path:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo"), seed=7)
    return vault


def _prepared(demo_vault: Path, folder: Path, mode: str, how: str = "plain",
              slice_rows: int = rollup.SLICE_ROWS) -> tuple[dict, dict, dict]:
    """The report the preparation cached, what the script saw, and the vault's rollups (table -> sorted rows)."""
    vault = folder / f"{mode}-{how}-{slice_rows}.sqlite"
    shutil.copy(demo_vault, vault)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(vault), how, str(slice_rows)], capture_output=True,
                          text=True, env={**os.environ, "DATAVAULT_FINDINGS": mode}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir() if ".rollups-" in p.name) == []  # no scratch folder is left
    conn = sqlite3.connect(vault)
    body = json.loads(conn.execute("SELECT body FROM dv_report_cache").fetchone()[0])
    tables = {name: sorted(conn.execute(f"SELECT * FROM {name}"), key=repr) for name in (*rollup.ROLLUPS, rollup.STATE)}
    conn.close()
    return body, json.loads(done.stdout), tables


def _same_rollups(a: dict, b: dict) -> None:
    """Equal, but for the last bits of the sums of coordinates (added up in another order)."""
    assert a.keys() == b.keys()
    for name in a:
        assert len(a[name]) == len(b[name]), name
        for x, y in zip(a[name], b[name]):
            assert [v if not isinstance(v, float) else pytest.approx(v, rel=1e-12) for v in x] == list(y), name


def test_two_processes_give_exactly_the_report_one_gives(demo_vault, tmp_path):
    alone, unused, _ = _prepared(demo_vault, tmp_path, "inline")
    shared, used, _ = _prepared(demo_vault, tmp_path, "process")
    assert unused["answers"] == [] and used["answers"][-1] == ["findings", True]  # the second process answered
    assert all(ok for _, ok in used["answers"])
    assert 0 < used["child_providers"][0] < len(PROVIDERS)  # each process ran some of the providers
    assert shared == alone
    assert {f["id"] for f in alone["findings"]} >= {"closest_ties", "mood_trajectory"}  # both of the child's share


def test_a_failing_second_process_leaves_its_share_to_the_first(demo_vault, tmp_path):
    alone, _, _ = _prepared(demo_vault, tmp_path, "inline")
    rescued, used, _ = _prepared(demo_vault, tmp_path, "process", "findings-broken")
    assert used["answers"][-1] == ["findings", False]  # it sent no outcomes
    assert rescued == alone


def test_both_processes_fill_the_rollups_into_the_same_vault(demo_vault, tmp_path):
    alone, one, rolled_alone = _prepared(demo_vault, tmp_path, "inline", slice_rows=SMALL_SLICES)
    shared, two, rolled_shared = _prepared(demo_vault, tmp_path, "process", slice_rows=SMALL_SLICES)
    slices = one["slices_here"]
    assert slices > 20  # the demo's messages, activities and points, in slices of 40 rows
    assert two["answers"] == [["rollups", True], ["warm", True], ["findings", True]]
    assert 0 < two["slices_here"] < slices  # each process filled some
    _same_rollups(rolled_shared, rolled_alone)
    assert shared == alone
    # and with the usual slices (the demo in one or two of them) it is the same vault too
    _, _, rolled = _prepared(demo_vault, tmp_path, "inline")
    _same_rollups(rolled, rolled_alone)


def test_a_second_process_failing_its_slices_leaves_them_to_the_first(demo_vault, tmp_path):
    alone, one, rolled_alone = _prepared(demo_vault, tmp_path, "inline", slice_rows=SMALL_SLICES)
    rescued, two, rolled = _prepared(demo_vault, tmp_path, "process", "rollups-broken", slice_rows=SMALL_SLICES)
    assert two["answers"] == [["rollups", False], ["warm", True], ["findings", True]]
    assert two["slices_here"] == one["slices_here"]  # every slice filled here: the one the child took as well
    _same_rollups(rolled, rolled_alone)
    assert rescued == alone


def test_a_second_process_failing_to_warm_up_leaves_it_to_each(demo_vault, tmp_path):
    alone, _, rolled_alone = _prepared(demo_vault, tmp_path, "inline", slice_rows=SMALL_SLICES)
    rescued, two, rolled = _prepared(demo_vault, tmp_path, "process", "warm-broken", slice_rows=SMALL_SLICES)
    assert two["answers"] == [["rollups", True], ["warm", False], ["findings", True]]
    _same_rollups(rolled, rolled_alone)
    assert rescued == alone


def test_the_scratch_folder_of_a_killed_refresh_is_removed_by_the_next(demo_vault, tmp_path):
    vault = tmp_path / "vault.sqlite"
    shutil.copy(demo_vault, vault)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"vault.sqlite.rollups-{gone.stdout.strip()}-x1"  # a process that no longer runs
    alive = tmp_path / f"vault.sqlite.rollups-{os.getpid()}-x2"  # this one: perhaps still at work
    for folder in (stale, alive):
        folder.mkdir()
        (folder / "rollups.db").write_bytes(b"")
    subprocess.run([sys.executable, "-c", SCRIPT, str(vault), "plain", str(SMALL_SLICES)], check=True,
                   capture_output=True, env={**os.environ, "DATAVAULT_FINDINGS": "process"}, timeout=300)
    assert not stale.exists() and alive.exists()
