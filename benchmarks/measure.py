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


def print_peaks() -> None:
    """Print the peak memory of this process and of the largest process it waited for (the reading process of
    an import), in MB, as the last line: ``run`` reads it back (``Run.peaks``)."""
    import resource

    print("peaks", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)


PEAKS = "\nfrom benchmarks.measure import print_peaks\nprint_peaks()"  # appended to every snippet


@dataclass
class Run:
    out: str  # the last line the command printed (PEAKS' line aside)
    wall: float
    cpu: float
    peak_mb: float  # the kernel's figure: the largest of the process and those it waited for
    peaks: tuple[int, int] | None = None  # MB: the process itself, the largest process it waited for

    def rates(self, n: int, unit: str) -> str:
        return (f"{self.wall:.1f} s wall ({n / self.wall:,.0f} {unit}/s), {self.cpu:.1f} s CPU "
                f"({n / self.cpu:,.0f} {unit}/CPU-s), peak RSS {self.memory()}")

    def memory(self) -> str:
        """Peak memory as a snippet ending in PEAKS reported it (writer and reading process apart), else the
        kernel's figure for the whole run."""
        if self.peaks is None:
            return f"{self.peak_mb:.0f} MB"
        own, reader = self.peaks
        return f"{own} MB" + (f" + {reader} MB in the reading process" if reader else "")


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    # a user's Python keeps the compiled modules (pip compiles an installed package): a shell that turned that
    # off (PYTHONDONTWRITEBYTECODE) would add compiling every module to every run's start-up
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
                                env={**base, **(env or {})})
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, not by Popen: the kernel's figures come with it
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"failed: {' '.join(args[:4])}...\n{err.read()[-2000:]}")
    lines = out.strip().splitlines()
    peaks = [line for line in lines if line.startswith("peaks ")]
    rest = [line for line in lines if not line.startswith("peaks ")]
    return Run((rest or [""])[-1], wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               tuple(int(w) for w in peaks[-1].split()[1:]) if peaks else None)


def python(snippet: str, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run a Python snippet (``sys.argv[1:]`` are ``args``) in a fresh interpreter; its peak memory is reported
    as PEAKS prints it."""
    return run([sys.executable, "-c", snippet + PEAKS, *args], env)
