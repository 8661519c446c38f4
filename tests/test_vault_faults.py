"""Fault injection (issue 20.2, 20.4): a healthy vault is never called damaged. A lock held by another program is
waited for visibly and then named; a read-only file or folder is said to be read-only, and the commands that only
read still work on it; a full disk and a shell's file-size limit are told apart and say how much space is needed;
none of them shows SQLite's "cannot rollback" or loses a record."""

from __future__ import annotations

import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datavault import faults
from datavault.cli import app
from datavault.demo.whatsapp import write_chat
from datavault.errors import UserError, VaultFault
from datavault.store import Vault
from tests.conftest import exported, write_text

runner = CliRunner()
CHAT = "12/03/2023, 10:00 - Ana: hi\n13/03/2023, 10:01 - Sam: hello\n14/03/2023, 22:30 - Ana: night\n"
MORE = "15/03/2023, 09:00 - Ana: coffee?\n15/03/2023, 09:05 - Sam: yes\n"


def run(vault: Path, *args: str, env: dict | None = None):
    return runner.invoke(app, ["--vault", str(vault), *args], env=env)


def told(result) -> str:
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "Internal error" not in text, text
    assert "damaged" not in text and "cannot rollback" not in text, text
    return text


@pytest.fixture
def imported(tmp_path) -> Path:
    vault = tmp_path / "v" / "vault.sqlite"
    vault.parent.mkdir()
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    assert run(vault, "import", str(chat), "--me", "Sam").exit_code == 0
    return vault


# -- a lock held by another program


def _hold_lock(vault: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(vault, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_a_lock_released_while_waiting_is_waited_for_and_said_once(imported, monkeypatch):
    heard: list[str] = []
    monkeypatch.setattr(faults, "notice", heard.append)
    monkeypatch.setattr(faults, "NOTICE_AFTER_S", 0.1)
    holder = _hold_lock(imported)
    threading.Timer(0.8, holder.rollback).start()
    started = time.monotonic()
    with Vault.open(imported) as vault, vault.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES ('probe', 'x')")
    assert time.monotonic() - started >= 0.7
    assert len(heard) == 1 and heard[0].startswith(f"Waiting for the vault {imported}: "), heard
    holder.close()


def test_a_lock_held_too_long_names_the_process_that_holds_it(imported, tmp_path):
    # as an import holds it: with a rollback journal, so that even reading must wait
    script = ("import sqlite3, sys, time\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('PRAGMA journal_mode=DELETE')\n"
              "c.execute('BEGIN EXCLUSIVE')\n"
              "print('held', flush=True); time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(imported)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run(imported, "inventory", env={faults.LOCK_WAIT_ENV: "0.5"})
        text = told(result)
        assert result.exit_code == 1
        assert f"The vault {imported} is in use by" in text and "stayed so for 0.5 s" in text, text
        if Path("/proc").is_dir():
            assert f"process {holder.pid} (-c " in text, text
        imported_again = run(imported, "import", str(tmp_path / "WhatsApp Chat with Ana.txt"), "--me", "Sam",
                             env={faults.LOCK_WAIT_ENV: "0.5"})
        assert imported_again.exit_code == 1 and "is in use by" in told(imported_again)
    finally:
        holder.kill()
        holder.wait()
    assert run(imported, "inventory").exit_code == 0  # released: the vault is as it was
    assert [m["text"] for m in exported(imported, "messages")] == ["hi", "hello", "night"]


def test_two_imports_started_together_into_a_new_vault_both_land(tmp_path):
    """Opening a new vault took its lock without waiting (WAL switch, exclusive create): 1 in 6 failed."""
    chats = [write_text(tmp_path, f"WhatsApp Chat with {name}.txt", CHAT.replace("Ana", name))
             for name in ("Ana", "Bea")]
    for attempt in range(4):
        vault = tmp_path / f"race{attempt}.sqlite"
        commands = [[sys.executable, "-m", "datavault", "--vault", str(vault), "import", str(chat), "--me", "Sam"]
                    for chat in chats]
        procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
        outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        assert all(rc == 0 for _, _, rc in outcomes), outcomes
        assert len(exported(vault, "messages")) == 6


# -- read-only file or folder


@contextmanager
def read_only(path: Path):
    """``path`` unwritable, also for root (who ignores permission bits): the immutable attribute there."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("no way to make a file read-only for root here (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_vault_is_read_and_refuses_writes_saying_why(imported, tmp_path, what):
    more = write_text(tmp_path, "WhatsApp Chat with Bea.txt", MORE.replace("Ana", "Bea"))
    before = imported.read_bytes()
    with read_only(imported if what == "file" else imported.parent):
        inventory = run(imported, "inventory")
        assert inventory.exit_code == 0 and "Holds 3 messages" in told(inventory), inventory.stdout
        report = run(imported, "report", "--format", "json")
        assert report.exit_code == 0 and '"schema": "datavault-report/1"' in report.stdout, told(report)
        exported_rows = run(imported, "export", "messages")
        assert exported_rows.exit_code == 0 and exported_rows.stdout.count("\n") == 3
        for command in (["import", str(more), "--me", "Sam"], ["forget", "1"]):
            refused = run(imported, *command)
            text = told(refused)
            assert refused.exit_code == 1, text
            assert f"The vault {imported} is read-only ({'the file' if what == 'file' else 'its folder'} " \
                   "cannot be written). Nothing was changed." in text, text
    assert imported.read_bytes() == before
    assert [m["text"] for m in exported(imported, "messages")] == ["hi", "hello", "night"]


# -- a full disk, a file-size limit


def _big_chat(tmp_path: Path) -> Path:
    chat = tmp_path / "WhatsApp Chat with Group.txt"
    write_chat(chat, 40_000, random.Random(5))
    return chat


def test_a_file_size_limit_is_named_as_such_and_the_vault_keeps_what_it_had(imported, tmp_path):
    limit = 2 << 20  # the vault is ~0.6 MB; 40,000 messages need ~15 MB
    chat = _big_chat(tmp_path)

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    done = subprocess.run([sys.executable, "-m", "datavault", "--vault", str(imported), "import", str(chat),
                           "--me", "Jordan Lee"], capture_output=True, text=True, preexec_fn=limited, timeout=300)
    text = done.stdout + done.stderr
    assert done.returncode == 1, text
    assert "Traceback" not in text and "cannot rollback" not in text and "Internal error" not in text, text
    assert f"The vault {imported} reached this shell's file-size limit (ulimit -f: 2 MB); this import needs " \
           "about" in text and "Nothing was changed. Raise the limit" in text, text
    assert [m["text"] for m in exported(imported, "messages")] == ["hi", "hello", "night"]
    assert not Path(str(imported) + "-journal").exists()


def test_a_full_disk_says_how_much_is_free_and_needed(imported, tmp_path, monkeypatch):
    """SQLite's own "database or disk is full" (a page limit stands in for the disk here)."""
    monkeypatch.setattr(faults, "_file_size_limit", lambda: None)
    monkeypatch.setattr(faults, "_free", lambda path: 3_000_000)
    from datavault import store

    real = store._make_engine

    def small_disk(path, read_only=False):
        engine = real(path, read_only)

        @store.event.listens_for(engine, "connect")
        def _cap(dbapi_conn, _record):
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages + 20}")

        return engine

    monkeypatch.setattr(store, "_make_engine", small_disk)
    result = run(imported, "import", str(_big_chat(tmp_path)), "--me", "Jordan Lee")
    text = told(result)
    assert result.exit_code == 1, text
    assert f"The disk holding {imported} is full (3 MB free); this import needs about " in text, text
    assert "Nothing was changed. Free some space, or choose a vault on another disk (--vault)" in text
    monkeypatch.undo()
    assert [m["text"] for m in exported(imported, "messages")] == ["hi", "hello", "night"]


# -- what each SQLite failure is called


def test_a_file_that_is_not_a_vault_is_still_called_so(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all, just some text" * 200)
    with pytest.raises(UserError) as caught:
        Vault.open(path)
    assert f"{path} is not a datavault vault, or it is damaged (file is not a database)." in str(caught.value)


def test_a_fault_after_the_commit_says_the_import_was_saved():
    fault = VaultFault("The vault v is in use by another program.", "Run the command again.")
    assert fault.told(saved=False) == ("The vault v is in use by another program. Nothing was changed. "
                                       "Run the command again.")
    assert fault.told(saved=True) == ("The vault v is in use by another program. The import itself was saved; the "
                                      "report's index is completed by the next command. Run the command again.")


def test_a_64_mib_message_imports_and_reports_under_a_450_mb_memory_cap(tmp_path):
    """Issue 20.5: one huge value (here a chat message of 64 MiB) is held a bounded number of times by each
    process, so the import and the report both succeed under the address-space cap that made them fail."""
    words = ("word casa Kinder thing " * (3 << 20))[:64 << 20].rstrip()
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt",
                      f"12/07/2017, 22:35 - Ana: Hola\n12/07/2017, 22:36 - Sam: {words}\n12/07/2017, 22:37 - Ana: bye\n")
    vault = tmp_path / "v.sqlite"

    def capped():
        resource.setrlimit(resource.RLIMIT_AS, (450 << 20, resource.RLIM_INFINITY))

    for args in (("import", str(chat)), ("report", "--format", "json")):
        done = subprocess.run([sys.executable, "-m", "datavault", "--vault", str(vault), *args], capture_output=True,
                              text=True, preexec_fn=capped, timeout=600)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    with sqlite3.connect(vault) as con:
        assert con.execute("SELECT length(text) FROM rec_messages ORDER BY id").fetchall() == [(4,), (len(words),), (3,)]
