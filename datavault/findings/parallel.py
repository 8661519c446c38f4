"""The report's preparation on both cores: a second process fills rollups and runs the heaviest finding providers.

The second process is forked *before* this one opens the vault (a connection must not cross a fork: SQLite keeps
per-process lock state that the child would inherit without the locks), and before lingua ran here (its thread
pool does not survive a fork). It waits on a pipe for jobs, each run on a connection of its own:

- ``rollups`` (``RollupShare``): while this process builds the word index, the other takes slices of the
  rollups' refresh from a queue (a pipe of slice numbers both processes read) and fills them into a scratch
  database beside the vault, reading only the records; this process takes the rest once its index is done, then
  merges the other's rollups into the vault's in the same transaction as its own. (WhatsApp, 1,000,000 messages:
  the word index, the (conversation, time) index and the rollups took 4.0 s one after the other.)
- ``warm``: after its slices, the child works out what most providers read first (``WARM``), once for both.
- ``findings``: both processes take finding providers from a queue, the heaviest first, until none is left;
  the child's outcomes come back pickled.

Whatever goes wrong there (an error, a crash, a process that does not answer), this process does that share
itself: the report is the same, only slower. Linux only (fork), two cores or more, and only for a vault large
enough to repay the fork (``MIN_RECORDS``); ``DATAVAULT_FINDINGS=process`` or ``inline`` decides for tests and
benchmarks.
"""

from __future__ import annotations

import os
import pickle
import select
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from datavault.findings import engine, language
from datavault.cores import can_fork, cores

MIN_RECORDS = 200_000
SLACK_S = 60.0  # the child may take this much longer than this process took for its own share, then it is dropped


def _heaviest_first(providers: list, counts: dict[str, int]) -> list:
    """``providers`` in the order both processes take them: the longest first, so that the two end at about the
    same time (a long one taken last would run alone at the end). How long, from the vault's counts and what each
    took per record on the benchmarks' inputs (a million chat messages, a million My Activity records, five
    million location points); the others take little and keep their order."""
    from datavault.expression import provider as expression_provider
    from datavault.findings import finance, parenthood, places, ties, topics

    micros_per_record = {
        parenthood.provide: {"messages": 0.6, "activities": 2.4},
        expression_provider.provide: {"messages": 1.1, "activities": 1.6},
        topics.provide: {"messages": 0.6, "activities": 1.9},
        ties.provide: {"messages": 0.9},
        finance.provide: {"messages": 0.3, "activities": 0.8},
        places.provide: {"locations": 0.3},
    }

    def cost(provider: Callable) -> float:
        return sum(us * counts.get(table, 0) for table, us in micros_per_record.get(provider, {}).items())

    return sorted(providers, key=lambda p: -cost(p))  # (stable: the rest as they were)


def wanted(vault_path: Path) -> bool:
    choice = os.environ.get("DATAVAULT_FINDINGS", "")
    if choice in ("process", "inline"):
        return choice == "process" and _safe_to_fork(vault_path)
    return cores() > 1 and _records(vault_path) >= MIN_RECORDS and _safe_to_fork(vault_path)


def _safe_to_fork(vault_path: Path) -> bool:
    if not can_fork() or language._detector.cache_info().currsize:  # lingua's threads already run here
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
    """The second process, forked at ``start`` and idle until it is given a job: ``share_rollups``, ``run``."""

    def __init__(self, vault_path: Path):
        self.vault_path = vault_path
        self._warming = False
        self._to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, self._from_child_w = os.pipe()
        # per job, the numbers of its pieces (rollup slices, providers), taken by both processes: a pipe filled
        # once (``fill_queue``) before anyone takes from it, so an empty one means the job is done
        self._queues: dict[str, list[int | None]] = {kind: list(os.pipe()) for kind in QUEUED}
        for read_end, _ in self._queues.values():
            os.set_blocking(read_end, False)
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._to_child_w)
            os.close(self._from_child_r)
            for _, write_end in self._queues.values():
                os.close(write_end)
            _child(vault_path, self._to_child_r, self._from_child_w, {k: q[0] for k, q in self._queues.items()})
        os.close(self._to_child_r)
        os.close(self._from_child_w)

    @classmethod
    def start(cls, vault_path: Path) -> "Helper | None":
        return cls(Path(vault_path)) if wanted(Path(vault_path)) else None

    def warm(self, ctx: engine.Ctx) -> None:
        """Have the child work out, after its rollup slices, what most providers read first (``WARM``: each
        chat's language, lingua over samples of every chat, 1.8 s of 4.3 on 2,000 Messenger threads), so that
        it is done once, not once in each process. Send only once the indexes it reads are committed."""
        # sent while the child still fills slices: small enough for the pipe's buffer, or this process would wait
        # for the child to read it (the rules, 100 KB pickled, travel with the findings; warming needs none)
        self._warming = self.send("warm", (None, ctx.clock, ctx.state))

    def run(self, ctx: engine.Ctx, providers: list, meanwhile: Callable[[], Any] | None = None) -> list[tuple]:
        """Every provider's outcomes, in their order: both processes take providers, the heaviest first, until
        none is left; what the child took comes back pickled (each provider computes what it needs: a provider's
        outcomes do not depend on where it ran). ``meanwhile``: work for this process while it waits for the
        child's last providers."""
        ctx.progress.phase(engine.FINDINGS, len(providers), unit="providers")
        if self._warming and (warmed := self.receive("warm", SLACK_S)):
            for key, value in warmed.items():
                ctx.cache.setdefault(key, value)
        order = _heaviest_first(providers, ctx.counts)
        outcomes: dict[int, tuple] = {}
        started = time.monotonic()
        # the queue is filled before the job is sent: the child finds it full, never empty before its time
        filled = self.fill_queue("findings", len(order))
        sent = filled and self.send("findings", (ctx.rules, ctx.clock, ctx.state, order))
        while filled and (i := self.take("findings")) is not None:
            outcomes[i] = engine.run_one(ctx, order[i])
            ctx.progress.advance(1)
        if sent and meanwhile is not None:
            meanwhile()
        received = self.receive("findings", time.monotonic() - started + SLACK_S) if sent else None
        if received is not None:
            done, extra = received
            ctx.cache.update(extra)
            outcomes.update(done)
            ctx.progress.advance(len(done))
        for i, provider in enumerate(order):
            if i not in outcomes:  # the child failed: its share is done here, the report is the same
                outcomes[i] = engine.run_one(ctx, provider)
                ctx.progress.advance(1)
        ctx.progress.end()
        return [outcomes[order.index(p)] for p in providers]

    def fill_queue(self, kind: str, n: int) -> bool:
        """Put the numbers 0 to ``n`` - 1 in ``kind``'s queue and end it; False if it was filled before."""
        queue = self._queues[kind]
        if queue[1] is None:
            return False
        numbers = b"".join(i.to_bytes(4, "little") for i in range(n))
        try:
            for at in range(0, len(numbers), ATOMIC_WRITE):  # each write whole (atomic): no number is torn
                _write_all(queue[1], numbers[at:at + ATOMIC_WRITE])
        finally:
            os.close(queue[1])  # the queue ends when it is empty
            queue[1] = None
        return True

    def take(self, kind: str) -> int | None:
        """The next number from ``kind``'s queue, None when it is empty."""
        return _take(self._queues[kind][0])

    def share_rollups(self, conn: sqlite3.Connection, plan: Any) -> "RollupShare | None":
        """Start the other process on ``plan``'s slices (rollup.Plan, to be carried out with ``rollup.apply``);
        None when there is nothing to share, or the other process could not read while this one writes (a vault
        not in WAL mode)."""
        slices = len(plan.slices)
        if plan.schema != "main" or not 1 < slices <= MAX_SLICES or self._queues["rollups"][1] is None:
            return None
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return None
        try:
            return RollupShare(self, plan)
        except (OSError, sqlite3.Error):  # no scratch database (a full disk, a folder that cannot be written)
            return None

    def send(self, kind: str, payload: Any) -> bool:
        """Give the child a job; False when it cannot have it (gone, or the job does not pickle)."""
        try:
            _write_all(self._to_child_w, _frame((kind, payload)))
            return True
        except Exception:  # (OSError, or a rule that does not pickle)
            return False

    def receive(self, kind: str, timeout: float) -> Any:
        """The payload of the child's answer to its ``kind`` job; None if it failed or did not answer in time.
        Answers to other jobs on the way are passed over (a share this process gave up)."""
        deadline = time.monotonic() + timeout
        while (data := _read_frame(self._from_child_r, deadline)) is not None:
            try:
                answer, status, payload = pickle.loads(data)
            except Exception:
                return None
            if answer == kind:
                return payload if status == "ok" else None
        return None

    def close(self) -> None:
        for fd in (self._to_child_w, self._from_child_r, *(fd for q in self._queues.values() for fd in q)):
            if fd is None:
                continue
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


QUEUED = ("rollups", "findings")
WARM = ("conversation_languages",)  # Ctx methods whose cached answers the child works out for both (``warm``)
MAX_SLICES = 4096  # slice numbers in the queue (4 bytes each, within a pipe's 64 KiB): 409,600,000 rows
ATOMIC_WRITE = 512  # bytes a pipe takes in one piece (POSIX's least PIPE_BUF)


class RollupShare:
    """Slices of one rollup refresh, shared with the helper (``Helper.share_rollups``): the queue holds every
    slice's number; the helper fills those it takes into the rollups of a scratch database (``_fill_share``) and
    says which when the queue is empty; ``fill`` (called by ``rollup.apply``) takes the rest here and merges the
    helper's. The scratch folder is removed when ``fill`` is done or the share is given up (``close``)."""

    def __init__(self, helper: Helper, plan: Any):
        from datavault.findings import rollup

        self.helper = helper
        self.plan = plan
        every = plan.slices
        _remove_stale_scratch(helper.vault_path)
        # beside the vault, not in /tmp: it holds counts per contact and hour; removed when the refresh ends (and,
        # after a kill, by the next one: its name carries this process's id)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{helper.vault_path.name}.rollups-{os.getpid()}-",
                                            dir=helper.vault_path.parent))
        self.scratch = self.folder / "rollups.db"
        conn = sqlite3.connect(self.scratch)
        try:
            rollup.create(conn, "main")
        finally:
            conn.close()
        self.started = time.monotonic()
        # the queue first, then the job: the child never finds it empty before its time
        if not (helper.fill_queue("rollups", len(every)) and helper.send("rollups", (str(self.scratch), every))):
            self.close()
            raise OSError("the helper cannot take the job")

    def fill(self, conn: sqlite3.Connection, fill: Callable[[int], None]) -> set[int]:
        """Take slices from the queue and ``fill`` each here (by its number in ``plan.slices``) until none is
        left, then merge the helper's into the plan's schema; the numbers of the slices that are done (here or
        there)."""
        from datavault.findings import rollup

        done = set()
        try:
            while (i := self.helper.take("rollups")) is not None:
                fill(i)
                done.add(i)
            helped = self.helper.receive("rollups", time.monotonic() - self.started + SLACK_S)
            if helped:
                scratch = sqlite3.connect(self.scratch)
                try:
                    rollup.merge(conn, self.plan.schema, scratch,
                                 sorted({n for i in helped for n in self.plan.slices[i][0]}))
                finally:
                    scratch.close()
                done |= set(helped)
        finally:
            self.close()
        return done

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _take(fd: int) -> int | None:
    """The next number from the queue read at ``fd``, None when it is empty."""
    try:
        data = os.read(fd, 4)
    except BlockingIOError:
        return None
    return int.from_bytes(data, "little") if len(data) == 4 else None


def _remove_stale_scratch(vault_path: Path) -> None:
    """Scratch folders of refreshes whose process is gone (killed before it could remove them)."""
    for folder in vault_path.parent.glob(f"{vault_path.name}.rollups-*-*"):
        try:
            pid = int(folder.name.removeprefix(f"{vault_path.name}.rollups-").split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            continue


def _fill_share(vault_path: Path, queue: int, scratch: str, every: list) -> list[int]:
    """The helper's part of a rollup refresh: fill the slices it takes into the scratch database's rollups, in
    one read of the vault (the records as they were when it began) and one transaction of the scratch."""
    from datavault.findings import rollup

    conn = sqlite3.connect(vault_path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("ATTACH DATABASE ? AS dv_scratch", (scratch,))
        conn.execute("BEGIN")
        done = []
        while (i := _take(queue)) is not None:
            names, phys, low, high = every[i]
            rollup.fill_slice(conn, "dv_scratch", names, phys, low, high)
            done.append(i)
        conn.execute("COMMIT")
        return done
    finally:
        conn.close()


def _read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """One message of ``_frame`` from ``fd`` (and not a byte of the next); None at the end of the pipe, or at
    ``deadline`` (``time.monotonic``) when one is given."""
    data = b""
    while len(data) < 8 or len(data) < 8 + int.from_bytes(data[:8], "little"):
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
        need = (8 if len(data) < 8 else 8 + int.from_bytes(data[:8], "little")) - len(data)
        chunk = os.read(fd, min(need, 1 << 20))
        if not chunk:  # no job: the report came from the cache, or the other process is gone
            return None
        data += chunk
    return data[8:]


def _child(vault_path: Path, jobs: int, results: int, queues: dict[str, int]) -> None:
    """Run the jobs as they come, each on a connection of its own, answer each, and end after the findings (or
    when the parent closes the pipe) without running any of the parent's exit handlers (``os._exit``: its
    buffered output must not be written twice)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it then ends this process
    status = 1
    kept: dict[str, Any] = {}  # what ``warm`` worked out, for the providers run here later
    try:
        while (job := _read_frame(jobs)) is not None:
            kind, payload = pickle.loads(job)
            try:
                answer = _frame((kind, "ok", _do(vault_path, queues.get(kind), kind, payload, kept)))
            except Exception:  # never a traceback from here: the parent does this share itself
                answer = _frame((kind, "failed", None))
            _write_all(results, answer)
            if kind == "findings":
                break
        status = 0
    except BaseException:
        pass
    finally:
        os._exit(status)


def _do(vault_path: Path, queue: int | None, kind: str, payload: Any, kept: dict[str, Any]) -> Any:
    if kind == "rollups":
        return _fill_share(vault_path, queue, *payload)
    from datavault.report import open_vault

    rules, clock, state, order = payload if kind == "findings" else (*payload, None)
    conn = open_vault(vault_path)
    try:
        ctx = engine.Ctx(conn, rules, clock, state)
        ctx.cache.update(kept)
        if kind == "warm":
            for name in WARM:
                getattr(ctx, name)()
            kept.update(ctx.cache)
            return kept
        done = {}
        while (i := _take(queue)) is not None:
            done[i] = engine.run_one(ctx, order[i])
        extra = {k: ctx.cache[k] for k in ("expression",) if k in ctx.cache}  # what report_additions reads
        return done, extra
    finally:
        conn.close()


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message)
    return len(data).to_bytes(8, "little") + data
