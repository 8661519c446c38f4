"""Reading in a second process: the importers parse while the pipeline writes.

An import does two kinds of work of about the same size: Python parsing the export and building row tuples,
and SQLite storing them. On a machine with two or more cores, a large input is read by a child process (forked,
so it inherits the open archive, the claims and the import context as they are) that runs the importers and
turns their records into the writer's row tuples; the parent only stores them. The child never touches the
vault: the parent holds the one transaction, so an interrupted import still leaves the vault as it was.

What crosses the pipe, in the order the importers yielded it, per member:

- a ``RowBatch``: records of one table as row tuples, built by the same ``RowBuilder`` the parent uses
  (marshalled, see ``_PICKLED``);
- ``("item", obj)``: a ``Problem``, ``Note`` or ``OwnerDecision`` (rows yielded before an owner decision are
  sent before it, so the decision sees them in the vault);
- ``("read", nbytes)``: progress;
- ``("done", None)`` or ``("failed", reason)``: the member's end, as ``parse_member`` would have seen it.

A child that is interrupted or dies is reported as such and the parent's transaction rolls back. Small inputs,
machines with one core and systems other than Linux read in-process: the same code path minus the pipe.
"""

from __future__ import annotations

import array
import marshal
import multiprocessing
import os
import pickle
import signal
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from datavault import records as R
from datavault.cores import can_fork, cores
from datavault.store import RowBuilder

MIN_BYTES = 16 << 20  # below this, starting a process costs more than it saves
PROGRESS_STEP = 1 << 20


@dataclass(slots=True)
class RowBatch:
    """Rows of one table, already built: what the child sends instead of records. ``keyed`` False: the rows
    hold their key's material, for the writer to digest (``RowBuilder.add_keys``)."""

    table: str
    rows: list[tuple]
    keyed: bool = True


class MemberStopped(Exception):
    """The importer raised while reading a member in the child; ``reason`` is what parse_member would say."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def use_process(total_bytes: int) -> bool:
    """Read in a child process? ``DATAVAULT_READER=process`` or ``inline`` decides; otherwise size and cores."""
    choice = os.environ.get("DATAVAULT_READER", "")
    if choice in ("process", "inline"):
        return choice == "process" and can_fork()
    return total_bytes >= MIN_BYTES and cores() > 1 and can_fork()


class ReaderProcess:
    """The child reading ``jobs`` (``(member, importer)`` pairs, in order) and the parent's view of its output."""

    def __init__(self, jobs: list[tuple[Any, Any]], ctx, builders: dict[type, RowBuilder],
                 track: Callable[[Any, Callable], Any],
                 reason: Callable[[BaseException], str], batch: int):
        self._receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        _widen(send)
        self._process = multiprocessing.get_context("fork").Process(
            target=_child, args=(self._receive, send, jobs, ctx, builders, track, reason, batch), daemon=True,
            name="datavault-reader")
        self._process.start()
        send.close()  # the parent only receives: EOF arrives when the child ends
        self.dead = False

    def items(self, advance: Callable[[int], None]) -> Iterator[Any]:
        """What the importer yielded for the next member: ``RowBatch``es and items; raises ``MemberStopped``
        when the importer failed, ``KeyboardInterrupt`` when the child was interrupted."""
        while True:
            try:
                data = self._receive.recv_bytes()
            except EOFError:
                self._process.join(5)
                self.dead = True  # the members after this one are read by the parent itself
                raise MemberStopped(_death(self._process.exitcode))
            if data[0] != _PICKLED:
                table, keyed, rows = marshal.loads(data)
                del data  # not held while the batch is written: a huge message would be there twice
                yield RowBatch(table, rows, keyed)
                continue
            kind, value = pickle.loads(data)
            if kind == "rows" or kind == "item":
                yield value
            elif kind == "read":
                advance(value)
            elif kind == "done":
                return
            elif kind == "failed":
                raise MemberStopped(value)
            elif kind == "interrupted":
                raise KeyboardInterrupt
            else:  # pragma: no cover - a programming error between the two ends
                raise RuntimeError(f"unexpected message from the reading process: {kind}")

    def close(self) -> None:
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _death(exitcode: int | None) -> str:
    """Why the reading process ended in the middle of a member, for its inventory row."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        likely = (" (most likely it ran out of memory on this file: a memory limit such as ulimit -v, or a "
                  "library that crashes when memory runs out)" if name in ("SIGSEGV", "SIGKILL", "SIGABRT", "SIGBUS")
                  else "")
        return f"the reading process was stopped by {name}{likely}; what it read before is kept"
    return f"the reading process ended unexpectedly (exit code {exitcode}); what it read before is kept"


# Row batches cross the pipe marshalled: rows are tuples of strings, numbers and None, which marshal writes four
# times faster than pickle (0.17 us a row instead of 0.7: pickle keeps a memo of every string). Everything else is
# pickled, as Connection.send does; a pickle starts with its protocol byte (0x80), a marshalled tuple never does
# (its type code, "(" or ")", possibly with marshal's 0x80 reference flag added), so no marker byte is needed, nor
# a copy of every batch to put one in front.
_PICKLED = 0x80

BACKLOG = 512 << 10  # bytes waiting in the pipe: below this, the writer may soon run out of rows to write


def _pipe_backlog(connection) -> Callable[[], int]:
    """How many bytes the pipe holds that the parent has not read yet (Linux: FIONREAD works on either end of a
    pipe); where that cannot be asked, as many as the pipe holds, so this process keeps the keys."""
    try:
        import fcntl
        import termios

        fd, count = connection.fileno(), array.array("i", [0])
        fcntl.ioctl(fd, termios.FIONREAD, count, True)
    except (ImportError, AttributeError, OSError):
        return lambda: BACKLOG

    def backlog() -> int:
        fcntl.ioctl(fd, termios.FIONREAD, count, True)
        return count[0]

    return backlog


def _widen(connection) -> None:
    """A pipe of 1 MB (Linux; the most an unprivileged process may ask) instead of 64 KB: the child can hand
    over most of a batch and go on reading while the parent is still writing the previous one."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or not allowed: the default size works, a little slower


def _child(receive, send, jobs, ctx, builders: dict[type, RowBuilder], track, reason, batch: int) -> None:
    """The child's whole life: read every job, send rows and items, never raise (a traceback here would reach
    the user's terminal) and never touch the parent's database connection."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it then ends this process
    # the parent's end of the pipe came along with the fork: closed here, so that a parent that dies (even by
    # kill -9) leaves a broken pipe, and this process ends at its next send instead of waiting forever
    receive.close()
    read = [0]

    def advance(n: int) -> None:
        read[0] += n
        if read[0] >= PROGRESS_STEP:
            send.send(("read", read[0]))
            read[0] = 0

    waiting = _pipe_backlog(send)

    def send_rows(builder: RowBuilder) -> None:
        try:
            data = marshal.dumps((builder.name, builder.keyed, builder.pending))
        except ValueError:  # a value marshal does not know (a key part of an unusual type): pickled, as items are
            send.send(("rows", RowBatch(builder.name, builder.pending, builder.keyed)))
        else:
            send.send_bytes(data)
        builder.pending = []
        # Who digests the next batch's keys (a sixth of the work a row costs): this process, while the writer
        # has a backlog to write; the writer, when it has caught up and would otherwise wait. The two then share
        # the work in whatever ratio keeps both busy, whichever of them is the slower for this export.
        builder.keyed = waiting() >= BACKLOG

    def flush() -> None:
        for builder in builders.values():
            if builder.pending:
                send_rows(builder)

    def salvage() -> int:
        """Hand the pending rows over one by one, leaving out those too large to: how many were left out."""
        left_out = 0
        for builder in builders.values():
            rows, builder.pending, keyed = builder.pending, [], builder.keyed
            for row in rows:
                builder.pending, builder.keyed = [row], keyed  # as the rows were built: with keys or without
                try:
                    send_rows(builder)
                except MemoryError:
                    builder.pending = []
                    left_out += 1
        return left_out

    try:
        for member, importer in jobs:
            try:
                for item in importer.parse(track(member, advance), ctx):
                    builder = builders.get(item.__class__)
                    if builder is not None:
                        builder.pending.append(builder.row(item, member.name))
                        if len(builder.pending) >= batch:
                            send_rows(builder)
                        continue
                    if isinstance(item, R.OwnerDecision):
                        flush()
                    send.send(("item", item))
                end = ("done", None)
            except Exception as exc:  # the importer could not go on: what it read is kept, as in-process
                end = ("failed", reason(exc))
            try:
                flush()
            except MemoryError as exc:  # a batch too large to hand over (a value of tens of MB under a memory cap)
                end = ("failed", f"{reason(exc)}: {salvage()} record(s) left out, the others kept")
            if read[0]:
                send.send(("read", read[0]))
                read[0] = 0
            send.send(end)
    except BaseException:  # interrupted, or the parent is gone (a broken pipe): end quietly
        try:
            send.send(("interrupted", None))
        except BaseException:
            pass
    finally:
        send.close()
