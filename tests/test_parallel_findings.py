"""The finding providers on two processes (datavault/findings/parallel.py) give exactly the report one process
gives, and a second process that fails leaves its share to the first: the same report again."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from datavault.demo.run import build_demo_vault
from datavault.reader import _can_fork

pytestmark = pytest.mark.skipif(not _can_fork(), reason="the second process is forked (Linux)")

SCRIPT = """
import json, os, sys
from datavault.findings import engine, parallel
parent = os.getpid()
used = []
real_receive = parallel.Helper._receive
def receive(self, timeout):
    got = real_receive(self, timeout)
    used.append(got is not None)
    return got
parallel.Helper._receive = receive
if sys.argv[2] == "broken":  # the child's share fails: the parent must do it
    real = engine.run_one
    def run_one(ctx, provider):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return real(ctx, provider)
    engine.run_one = run_one
from datavault.report import prepare_vault
prepare_vault(sys.argv[1], "Europe/Berlin")
print(json.dumps(used))
"""


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory) -> Path:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo"), seed=7)
    return vault


def _prepared(demo_vault: Path, folder: Path, mode: str, how: str = "plain") -> tuple[dict, list]:
    vault = folder / f"{mode}-{how}.sqlite"
    shutil.copy(demo_vault, vault)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(vault), how], capture_output=True, text=True,
                          env={**__import__("os").environ, "DATAVAULT_FINDINGS": mode}, timeout=300)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(vault)
    body = json.loads(conn.execute("SELECT body FROM dv_report_cache").fetchone()[0])
    conn.close()
    return body, json.loads(done.stdout)


def test_two_processes_give_exactly_the_report_one_gives(demo_vault, tmp_path):
    alone, unused = _prepared(demo_vault, tmp_path, "inline")
    shared, used = _prepared(demo_vault, tmp_path, "process")
    assert unused == [] and used == [True]  # the second process answered
    assert shared == alone
    assert {f["id"] for f in alone["findings"]} >= {"closest_ties", "mood_trajectory"}  # both of the child's share


def test_a_failing_second_process_leaves_its_share_to_the_first(demo_vault, tmp_path):
    alone, _ = _prepared(demo_vault, tmp_path, "inline")
    rescued, used = _prepared(demo_vault, tmp_path, "process", "broken")
    assert used == [False]  # it sent no outcomes
    assert rescued == alone
