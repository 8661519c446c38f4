"""The finding providers on both cores: a second process runs the heaviest (``APART``) while this one runs the rest.

The second process is forked *before* this one opens the vault (a connection must not cross a fork: SQLite keeps
per-process lock state that the child would inherit without the locks), and before lingua ran here (its thread
pool does not survive a fork). It waits on a pipe until the word index and the rollups are ready, then opens the
vault itself, runs its providers and sends their outcomes back, pickled. Whatever goes wrong there (an error, a
crash, a process that does not answer), this process runs those providers itself: the report is the same, only
slower. Linux only (fork), two cores or more, and only for a vault large enough to repay the fork
(``MIN_RECORDS``); ``DATAVAULT_FINDINGS=process`` or ``inline`` decides for tests and benchmarks.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

from datavault.findings import engine, language
from datavault.reader import _can_fork, _cores

MIN_RECORDS = 200_000
SLACK_S = 60.0  # the child may take this much longer than this process took for its own share, then it is dropped


def _apart() -> tuple[Callable, ...]:
    # the associations and the mood of one's own words: together about as long as all the other providers
    from datavault.expression import provider as expression_provider
    from datavault.findings import ties

    return (ties.provide, expression_provider.provide)


def wanted(vault_path: Path) -> bool:
    choice = os.environ.get("DATAVAULT_FINDINGS", "")
    if choice in ("process", "inline"):
        return choice == "process" and _safe_to_fork(vault_path)
    return _cores() > 1 and _records(vault_path) >= MIN_RECORDS and _safe_to_fork(vault_path)


def _safe_to_fork(vault_path: Path) -> bool:
    if not _can_fork() or language._detector.cache_info().currsize:  # lingua's threads already run here
        return False
    if not os.access(vault_path, os.W_OK):  # a read-only vault's index lives in this process's memory only
        return False
    return not _open_here(os.path.realpath(vault_path))


def _open_here(target: str) -> bool:
    """Whether this process has the vault (or its log) open: a connection of its own (Linux: its open files)."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return True  # cannot tell: as if it had
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith(target):
                return True
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
    return False


def _records(vault_path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{vault_path}?mode=ro", uri=True)
        try:
            return sum(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0]
                       for t in ("rec_messages", "rec_activities", "rec_locations", "rec_posts"))
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


class Helper:
    """The second process, forked at ``start`` and idle until ``run`` gives it its share."""

    def __init__(self, vault_path: Path):
        self._to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, self._from_child_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._to_child_w)
            os.close(self._from_child_r)
            _child(vault_path, self._to_child_r, self._from_child_w)
        os.close(self._to_child_r)
        os.close(self._from_child_w)

    @classmethod
    def start(cls, vault_path: Path) -> "Helper | None":
        return cls(Path(vault_path)) if wanted(Path(vault_path)) else None

    def run(self, ctx: engine.Ctx, providers: list) -> list[tuple]:
        """Every provider's outcomes, in their order: ``APART`` ones in the child, the others here."""
        apart = [p for p in providers if p in _apart()]
        here = [p for p in providers if p not in apart]
        ctx.progress.phase(engine.FINDINGS, len(providers), unit="providers")
        outcomes: dict[Any, tuple] = {}
        try:
            job = pickle.dumps((ctx.rules, ctx.clock, ctx.state, apart))
            _write_all(self._to_child_w, len(job).to_bytes(8, "little") + job)
        except Exception:  # (OSError, or a rule that does not pickle)
            apart, here = [], providers  # the child is gone, or the job cannot travel: all of it here
        started = time.monotonic()
        for provider in here:
            outcomes[provider] = engine.run_one(ctx, provider)
            ctx.progress.advance(1)
        received = self._receive(time.monotonic() - started + SLACK_S) if apart else None
        if received is not None:
            done, extra = received
            ctx.cache.update(extra)
            outcomes.update(zip(apart, done))
        for provider in apart:
            if provider not in outcomes:  # the child failed: its share is done here, the report is the same
                outcomes[provider] = engine.run_one(ctx, provider)
            ctx.progress.advance(1)
        ctx.progress.end()
        return [outcomes[p] for p in providers]

    def _receive(self, timeout: float) -> tuple | None:
        import select

        chunks = []
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self._from_child_r], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self._from_child_r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        try:
            status, payload = pickle.loads(b"".join(chunks))
        except Exception:
            return None
        return payload if status == "ok" else None

    def close(self) -> None:
        for fd in (self._to_child_w, self._from_child_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_job(fd: int) -> bytes | None:
    data = b""
    while len(data) < 8 or len(data) < 8 + int.from_bytes(data[:8], "little"):
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return None  # no job: the report came from the cache, or this process's parent is gone
        data += chunk
    return data[8:]


def _child(vault_path: Path, jobs: int, results: int) -> None:
    """Wait for the job, run it on a connection of its own, send the outcomes, and end without running any of
    the parent's exit handlers (``os._exit``: its buffered output must not be written twice)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it then ends this process
    status = 1
    try:
        job = _read_job(jobs)
        if job is not None:
            from datavault.report import open_vault

            rules, clock, state, providers = pickle.loads(job)
            conn = open_vault(vault_path)
            ctx = engine.Ctx(conn, rules, clock, state)
            done = [engine.run_one(ctx, provider) for provider in providers]
            extra = {k: ctx.cache[k] for k in ("expression",) if k in ctx.cache}  # what report_additions reads
            _write_all(results, pickle.dumps(("ok", (done, extra))))
            conn.close()
        status = 0
    except BaseException:  # never a traceback from here: the parent does this share itself
        try:
            _write_all(results, pickle.dumps(("failed", None)))
        except BaseException:
            pass
    finally:
        os._exit(status)
