"""How every benchmark measures a run: a fresh interpreter per step, so peak memory belongs to that step alone.

``run([...])`` starts the command, waits for it with ``os.wait4`` and returns its last line of output, the wall
seconds, the CPU seconds (user + system) and the peak resident memory. On Linux the kernel's figures for a
waited-for child include the processes *it* waited for, so an import that reads in a second process
(datavault/reader.py) is counted whole: CPU is the sum of both processes, memory the larger peak of the two.
CPU seconds do not grow when other programs share the machine, so they are the figure to compare across runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    out: str  # the last line the command printed
    wall: float
    cpu: float
    peak_mb: float

    def rates(self, n: int, unit: str) -> str:
        return (f"{self.wall:.1f} s wall ({n / self.wall:,.0f} {unit}/s), {self.cpu:.1f} s CPU "
                f"({n / self.cpu:,.0f} {unit}/CPU-s), peak RSS {self.peak_mb:.0f} MB")


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
                                env={**os.environ, **(env or {})})
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, not by Popen: the kernel's figures come with it
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"failed: {' '.join(args[:4])}...\n{err.read()[-2000:]}")
    return Run((out.strip().splitlines() or [""])[-1], wall, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024)


def python(snippet: str, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run a Python snippet (``sys.argv[1:]`` are ``args``) in a fresh interpreter."""
    return run([sys.executable, "-c", snippet, *args], env)
