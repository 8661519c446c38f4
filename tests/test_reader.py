"""Reading in a child process (datavault/reader.py) gives exactly what reading in-process gives, reports a
failing member the same way, and an interruption in the child still leaves the vault as it was."""

from __future__ import annotations

import pickle
import sqlite3
from decimal import Decimal

import pytest

from datavault import pipeline, reader
from datavault import records as R
from datavault.importer import PARSE
from datavault.pipeline import Progress, import_paths
from datavault.rawstore import RawReader
from tests.conftest import write_text, write_zip

CHATS = {
    "WhatsApp Chat with Ana.txt": "".join(f"0{d}/02/2020, 10:0{d} - {who}: hello {d}\n"
                                          for d in range(1, 10) for who in ("Ana", "Sam")),
    "WhatsApp Chat with Book club.txt": "03/02/2020, 11:00 - Ana: payday\nsecond line\n"
                                        "03/02/2020, 11:01 - Kim: loan\n",
}
TABLES = ("rec_messages", "rec_people", "files", "problems", "sources")


def _dump(vault) -> dict[str, list]:
    con = sqlite3.connect(vault)
    try:
        # a member's fingerprint holds its file's mtime, and some tests write the file again for each vault
        skip = {"sources": "imported_at, updated_at", "files": "fingerprint"}
        out = {}
        for table in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in skip.get(table, "")]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
            if "raw" in cols:  # the same original, whichever batch (and so block) it was written in
                at, raws = cols.index("raw"), RawReader(con.cursor())
                rows = [(*row[:at], raws.text(row[at]), *row[at + 1:]) for row in rows]
            out[table] = rows
        return out
    finally:
        con.close()


def _import(tmp_path, monkeypatch, mode: str, **options):
    monkeypatch.setenv("DATAVAULT_READER", mode)
    vault = tmp_path / f"{mode}.sqlite"
    archive = tmp_path / "chats.zip"  # written once: a zip written a second later dates its members apart
    if not archive.exists():
        write_zip(archive, CHATS)
    result = import_paths(vault, [archive], **options)
    return vault, result


@pytest.mark.parametrize("keys_by", ["reader", "writer"])
@pytest.mark.parametrize("options", [{}, {"me": "Sam"}])
def test_a_child_process_writes_exactly_what_in_process_reading_writes(tmp_path, monkeypatch, options, keys_by):
    # batches of three rows; after the first, the keys are digested by the reading process, or all by the writer
    monkeypatch.setattr(pipeline, "READER_BATCH", 3)
    monkeypatch.setattr(reader, "BACKLOG", 0 if keys_by == "reader" else 1 << 40)
    inline, inline_result = _import(tmp_path, monkeypatch, "inline", **options)
    child, child_result = _import(tmp_path, monkeypatch, "process", **options)
    assert _dump(child) == _dump(inline)
    assert child_result.as_json() == inline_result.as_json()
    assert child_result.sources[0].records == {"messages": 20, "people": 3}


class _Breaking:
    """Yields two messages and a problem, then fails (or is interrupted) in the middle of the member."""

    name = platform = "breaking"

    def __init__(self, error: BaseException):
        self.error = error

    def claim(self, member, ctx):
        return PARSE

    def parse(self, member, ctx):
        for n in (1, 2):
            yield R.Message(time=f"2020-01-0{n}T10:00:00", platform="breaking", conversation="c", sender="Ana",
                            text=f"m{n}", key=(n,))
        yield R.Problem("a bad line", "line 3")
        raise self.error


def test_a_member_failing_in_the_child_is_reported_and_keeps_what_was_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAVAULT_READER", "process")
    vault = tmp_path / "v.sqlite"
    result = import_paths(vault, [write_text(tmp_path, "x.txt", "x")], importers=[_Breaking(ValueError("bad"))])
    assert result.sources[0].statuses == {"failed": 1}
    con = sqlite3.connect(vault)
    assert con.execute("SELECT text FROM rec_messages ORDER BY id").fetchall() == [("m1",), ("m2",)]
    assert con.execute("SELECT status, records, detail FROM files").fetchone() == (
        "failed", 2, '{"reason": "ValueError: bad"}')
    assert con.execute("SELECT message FROM problems ORDER BY id").fetchall() == [
        ("a bad line",), ("reading stopped: ValueError: bad",)]


class _OddKeys:
    """Keys with a part marshal cannot write (a Decimal): their rows cross the pipe pickled instead."""

    name = platform = "odd"

    def claim(self, member, ctx):
        return PARSE

    def parse(self, member, ctx):
        for n in range(7):
            yield R.Message(time=f"2020-01-0{n + 1}T10:00:00", platform="odd", conversation="c", sender="Ana",
                            text=f"m{n}", key=(Decimal(n) / 4,), key_time=f"2020-01-0{n + 1}T10")


def test_rows_marshal_cannot_write_cross_the_pipe_pickled(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "READER_BATCH", 3)
    monkeypatch.setattr(reader, "BACKLOG", 1 << 40)  # after the first batch the keys are left to the writer
    pickled = []

    class Spy:  # the writer's side: which row batches arrived pickled
        dumps = staticmethod(pickle.dumps)

        @staticmethod
        def loads(data):
            message = pickle.loads(data)
            if message[0] == "rows":
                pickled.append(len(message[1].rows))
            return message

    monkeypatch.setattr(reader, "pickle", Spy)
    dumps = {}
    for mode in ("inline", "process"):
        monkeypatch.setenv("DATAVAULT_READER", mode)
        vault = tmp_path / f"{mode}.sqlite"
        import_paths(vault, [write_text(tmp_path, "x.txt", "x")], importers=[_OddKeys()])
        dumps[mode] = _dump(vault)
    assert dumps["process"] == dumps["inline"]
    assert [row[-3] for row in dumps["process"]["rec_messages"]] == [f"m{n}" for n in range(7)]  # text
    assert pickled == [3, 1]  # the first batch was keyed (marshalled); the next two held Decimals


def test_an_interrupted_child_leaves_the_vault_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAVAULT_READER", "process")
    vault = tmp_path / "v.sqlite"
    with pytest.raises(KeyboardInterrupt):
        import_paths(vault, [write_text(tmp_path, "x.txt", "x")], importers=[_Breaking(KeyboardInterrupt())])
    con = sqlite3.connect(vault)
    assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES] == [0, 0, 0, 0, 0]


def test_progress_counts_every_byte_read_in_the_child(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAVAULT_READER", "process")
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHATS["WhatsApp Chat with Ana.txt"] * 50)

    class Counting(Progress):
        read = 0

        def advance(self, nbytes: int) -> None:
            self.read += nbytes

    progress = Counting()
    import_paths(tmp_path / "v.sqlite", [chat], progress=progress)
    assert progress.read == chat.stat().st_size


class _CrashingOn:
    """Yields one message per member; in the reading process, the member called ``crash`` kills it (as a C
    library does that dereferences a failed allocation) after its message."""

    name = platform = "crashing"

    def __init__(self, crash: str):
        self.crash = crash

    def claim(self, member, ctx):
        return PARSE

    def parse(self, member, ctx):
        import os
        import signal

        yield R.Message(time="2020-01-01T10:00:00", platform="crashing", conversation=member.name, sender="Ana",
                        text=f"from {member.name}", key=(member.name,))
        if member.name == self.crash and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)  # (the kernel's OOM killer; SIGSEGV would print a dump)


PARENT = __import__("os").getpid()


def test_a_reading_process_killed_by_a_signal_fails_that_member_and_the_others_are_still_read(tmp_path,
                                                                                                 monkeypatch):
    """Issue 20.5: a library crashing under a memory cap killed the reader; the member said "ended unexpectedly
    (exit code -11)" and every member after it failed the same way."""
    monkeypatch.setenv("DATAVAULT_READER", "process")
    monkeypatch.setattr(pipeline, "READER_BATCH", 1)  # the message reaches the writer before the crash
    archive = write_zip(tmp_path / "x.zip", {"a.txt": "a", "b.txt": "b", "c.txt": "c"})
    vault = tmp_path / "v.sqlite"
    result = import_paths(vault, [archive], importers=[_CrashingOn("b.txt")])
    assert result.sources[0].statuses == {"parsed": 2, "failed": 1}
    con = sqlite3.connect(vault)
    assert con.execute("SELECT text FROM rec_messages ORDER BY id").fetchall() == [
        ("from a.txt",), ("from b.txt",), ("from c.txt",)]
    status, detail = con.execute("SELECT status, detail FROM files WHERE member = 'b.txt'").fetchone()
    assert status == "failed" and "the reading process was stopped by SIGKILL (most likely it ran out of memory" \
        in detail, detail


def test_a_batch_too_large_to_hand_over_keeps_the_rows_that_fit(tmp_path, monkeypatch):
    """Issue 20.5: a MemoryError while a batch crossed the pipe said "Interrupted: nothing was changed"."""
    monkeypatch.setenv("DATAVAULT_READER", "process")
    real = reader.marshal.dumps

    class Marshal:
        loads = staticmethod(reader.marshal.loads)

        @staticmethod
        def dumps(value):
            if any("m2" in row for row in value[2]):  # the batch, and then the row, holding the huge value
                raise MemoryError
            return real(value)

    monkeypatch.setattr(reader, "marshal", Marshal)
    vault = tmp_path / "v.sqlite"
    result = import_paths(vault, [write_text(tmp_path, "x.txt", "x")], importers=[_Breaking(ValueError("bad"))])
    assert result.sources[0].statuses == {"failed": 1}
    con = sqlite3.connect(vault)
    assert con.execute("SELECT text FROM rec_messages ORDER BY id").fetchall() == [("m1",)]
    assert con.execute("SELECT detail FROM files").fetchone()[0] == (
        '{"reason": "not enough memory to read it (a value too large for the memory this command may use): '
        '1 record(s) left out, the others kept"}')
