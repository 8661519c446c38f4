"""The vault's promises: one transaction per import (a killed import leaves it as it was), migration of a vault
written by an earlier schema, views that show exactly what export shows, and no network, ever."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datavault import records as R
from datavault.errors import UserError
from datavault.pipeline import import_paths, ingest_records
from datavault.store import EXPORT_TABLES, SCHEMA_VERSION, Vault, natural_key
from tests.conftest import exported, write_text

CHAT = "12/07/2017, 22:35 - Ana: Hola\n12/07/2017, 22:36 - Sam: hi\n"


def _counts(vault: Path) -> dict[str, int]:
    con = sqlite3.connect(vault)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("messages", "sources", "files", "problems")}
    finally:
        con.close()


@pytest.mark.parametrize("reader", ["process", "inline"])
def test_killed_import_leaves_the_vault_as_it_was(tmp_path, vault, reader):
    import_paths(vault, [write_text(tmp_path, "small.txt", CHAT)])
    before = _counts(vault)
    size = vault.stat().st_size
    big = tmp_path / "WhatsApp Chat with Big.txt"
    with open(big, "w", encoding="utf-8") as fh:
        for i in range(600_000):
            fh.write(f"01/02/2020, {i // 60 % 24:02d}:{i % 60:02d} - Ana: message number {i}\n")
    proc = subprocess.Popen([sys.executable, "-m", "datavault", "--vault", str(vault), "import", str(big)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "DATAVAULT_READER": reader})
    # wait until the import has written rows into the vault inside its transaction (a rollback journal beside
    # it holds what must be undone), then kill it hard
    journal = Path(str(vault) + "-journal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (journal.exists() and vault.stat().st_size > size + 4_000_000):
        if proc.poll() is not None:
            pytest.fail("the import finished before it could be killed; make the file bigger")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _counts(vault) == before
    assert [r["text"] for r in exported(vault, "messages")] == ["Hola", "hi"]
    # and nothing of the import is left running: the reading process ends with its parent
    deadline = time.monotonic() + 20
    while _processes_naming(big) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_naming(big) == []


def _processes_naming(path: Path) -> list[int]:
    """The ids of the running processes whose command line names ``path`` (Linux's /proc; [] elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if str(path).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_ctrl_c_rolls_back(tmp_path, vault, monkeypatch):
    from datavault.importers import whatsapp

    original = whatsapp.WhatsAppImporter.parse

    def interrupted(self, member, ctx):
        for i, item in enumerate(original(self, member, ctx)):
            if i == 1:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(whatsapp.WhatsAppImporter, "parse", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_paths(vault, [write_text(tmp_path, "chat.txt", CHAT)])
    assert _counts(vault) == {"messages": 0, "sources": 0, "files": 0, "problems": 0}


V1_SCHEMA = """
CREATE TABLE meta (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
CREATE TABLE sources (id INTEGER NOT NULL PRIMARY KEY, platform VARCHAR NOT NULL, label VARCHAR NOT NULL,
  kind VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL UNIQUE, imported_at VARCHAR NOT NULL,
  updated_at VARCHAR NOT NULL, notes VARCHAR NOT NULL);
CREATE TABLE files (id INTEGER NOT NULL PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id)
  ON DELETE CASCADE, member VARCHAR NOT NULL, size INTEGER, importer VARCHAR, status VARCHAR NOT NULL,
  records INTEGER NOT NULL, new_records INTEGER NOT NULL, problems INTEGER NOT NULL, first_time VARCHAR,
  last_time VARCHAR, detail VARCHAR NOT NULL);
CREATE TABLE problems (id INTEGER NOT NULL PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id)
  ON DELETE CASCADE, member VARCHAR NOT NULL, locator VARCHAR, message VARCHAR NOT NULL);
CREATE TABLE rec_messages (id INTEGER NOT NULL PRIMARY KEY, key BIGINT NOT NULL UNIQUE, sources VARCHAR NOT NULL,
  source_file VARCHAR, locator VARCHAR, raw VARCHAR, extra VARCHAR, ts FLOAT, time VARCHAR, platform VARCHAR NOT NULL,
  conversation VARCHAR, sender VARCHAR, from_owner BOOLEAN, text VARCHAR, kind VARCHAR NOT NULL,
  edited BOOLEAN NOT NULL);
INSERT INTO sources VALUES (1, 'whatsapp', 'old.txt', 'file', 'abc', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '{}');
INSERT INTO files VALUES (1, 1, 'old.txt', 10, 'whatsapp', 'parsed', 1, 1, 1, '2019-01-01T10:00:00',
  '2019-01-01T10:00:00', '{}');
INSERT INTO problems VALUES (1, 1, 'old.txt', 'line 3', 'an old problem');
INSERT INTO rec_messages VALUES (1, 42, ' 1 ', 'old.txt', 'line 1', '01/01/2016, 10:00 - Ana: old', NULL,
  1451642400.0, '2016-01-01T10:00:00', 'whatsapp', 'old', 'Ana', NULL, 'old', 'text', 0);
"""


def test_vault_of_an_earlier_schema_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.close()
    import_paths(path, [write_text(tmp_path, "chat.txt", CHAT)])
    with Vault.open(path) as vault, vault.reading() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar() == str(SCHEMA_VERSION)
        assert conn.exec_driver_sql("SELECT severity FROM problems WHERE id = 1").scalar() == "error"
        assert conn.exec_driver_sql("SELECT tables FROM files WHERE id = 1").scalar() == "{}"
    assert [r["text"] for r in exported(path, "messages")] == ["old", "Hola", "hi"]
    assert exported(path, "activities") == []  # tables the old schema lacked now exist


def _back_to_schema_6(path: Path) -> None:
    """Schema 6 kept each record's source_file as text in its row, and had no file_names."""
    con = sqlite3.connect(path)
    for table in EXPORT_TABLES.values():  # back to schema 6: the name in every row, no file_names
        con.execute(f"DROP VIEW {table.name}")
        con.execute(f"ALTER TABLE {table.physical} ADD COLUMN source_file VARCHAR")
        con.execute(f"UPDATE {table.physical} SET source_file = (SELECT name FROM file_names WHERE id = file_id)")
        con.execute(f"ALTER TABLE {table.physical} DROP COLUMN file_id")
    con.execute("DROP TABLE file_names")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.commit()
    con.close()


def test_a_schema_6_vault_gets_its_file_names_stored_once(tmp_path):
    # schema 7 keeps each source_file once, in file_names
    path = tmp_path / "six.sqlite"
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    import_paths(path, [chat])
    before = exported(path, "messages")
    _back_to_schema_6(path)
    assert sqlite3.connect(path).execute("SELECT DISTINCT source_file FROM rec_messages").fetchall() == [(chat.name,)]
    assert exported(path, "messages") == before and before[0]["source_file"] == chat.name
    con = sqlite3.connect(path)
    assert "source_file" not in {r[1] for r in con.execute("PRAGMA table_info(rec_messages)")}
    assert con.execute("SELECT id, name FROM file_names").fetchall() == [(1, chat.name)]
    assert con.execute("SELECT DISTINCT file_id FROM rec_messages").fetchall() == [(1,)]
    con.close()
    import_paths(path, [chat])  # the same chat again: the same records, no new file name
    assert exported(path, "messages") == before
    assert sqlite3.connect(path).execute("SELECT count(*) FROM file_names").fetchone() == (1,)


def test_the_report_of_a_schema_6_vault_brings_it_up_to_date_first(tmp_path):
    from datavault.report import build_report

    path = tmp_path / "six.sqlite"
    import_paths(path, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    _back_to_schema_6(path)
    build_report(path)  # the findings read file_names: the vault was migrated first, not an internal error
    assert sqlite3.connect(path).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),)


def _opened_by_the_store(monkeypatch) -> list[Path]:
    """The vaults the store's own check (``Vault.open``) is asked to open while the test runs."""
    opened: list[Path] = []
    real = Vault.open.__func__

    def counting(cls, path, *args, **kwargs):
        opened.append(Path(path))
        return real(cls, path, *args, **kwargs)

    monkeypatch.setattr(Vault, "open", classmethod(counting))
    return opened


def test_a_read_command_skips_the_stores_check_only_while_code_and_schema_are_as_the_last_write_left_them(
        tmp_path, monkeypatch):
    from datavault import layout
    from datavault.report import build_report

    path = tmp_path / "v.sqlite"
    import_paths(path, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    opened = _opened_by_the_store(monkeypatch)
    first = build_report(path)
    assert opened == []  # the import left the marker: the report trusted it
    assert layout.known_current(sqlite3.connect(path))  # the report's own dv_ tables do not unsettle it

    con = sqlite3.connect(path)  # another program changes a view: the store's check runs and puts it back
    con.execute("DROP VIEW messages")
    con.execute("CREATE VIEW messages AS SELECT text FROM rec_messages")
    con.commit()
    again = build_report(path)
    assert opened == [path]
    assert "from_owner" in {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(messages)")}
    assert [f["key"] for f in again["findings"]] == [f["key"] for f in first["findings"]]

    import_paths(path, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT + "12/07/2017, 22:37 - Ana: ok\n")])
    opened.clear()
    monkeypatch.setattr(layout, "_code_digest", lambda: b"another datavault")  # the schema's code changed
    build_report(path)
    assert opened == [path]
    build_report(path)  # the first report after the upgrade left the new marker: the next one trusts it
    assert opened == [path]

    monkeypatch.undo()
    con = sqlite3.connect(path)  # a newer datavault's schema is refused, never trusted
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    with pytest.raises(UserError, match="newer datavault"):
        build_report(path)


def test_a_read_command_leaves_no_marker_while_another_program_holds_the_write_lock(tmp_path, monkeypatch):
    from datavault import layout
    from datavault.report import build_report

    path = tmp_path / "v.sqlite"
    import_paths(path, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    first = build_report(path)  # the findings cached: the next report writes nothing of its own

    def marker():
        return sqlite3.connect(path).execute("SELECT value FROM meta WHERE key = ?", (layout.MARKER_KEY,)).fetchone()

    before = marker()
    monkeypatch.setattr(layout, "_code_digest", lambda: b"another datavault")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an import running
    try:
        again = build_report(path)  # the store's check, then no wait for the lock: the marker is left as it was
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [f["key"] for f in again["findings"]] == [f["key"] for f in first["findings"]]
    assert marker() == before


def test_without_its_sources_datavault_leaves_no_marker_and_every_read_checks_the_schema(tmp_path, monkeypatch):
    from datavault import layout
    from datavault.report import build_report

    monkeypatch.setattr(layout, "_code_digest", lambda: None)  # installed as compiled files only
    path = tmp_path / "v.sqlite"
    import_paths(path, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    meta = sqlite3.connect(path).execute("SELECT key FROM meta").fetchall()
    assert meta and (layout.MARKER_KEY,) not in meta
    opened = _opened_by_the_store(monkeypatch)
    build_report(path)
    assert opened == [path]


def _message(wall: str, text: str = "x", time: str | None = None, key_time: bool = True) -> R.Message:
    return R.Message(time=time or wall, platform="whatsapp", conversation="c", sender="Ana", text=text,
                     key=("c", wall, "Ana", text, 0), key_time=wall if key_time else None)


def test_time_ordered_keys_grow_with_the_keys_own_time():
    table = EXPORT_TABLES["messages"]
    key = lambda record, ordered=True: natural_key(table, record, ordered)  # noqa: E731
    ten, eleven, later = key(_message("2020-01-01T10:59:59")), key(_message("2020-01-01T11:00:00")), \
        key(_message("2021-06-01T00:00:00", "a"))
    assert ten < eleven < later
    # equal key parts give equal keys, whatever else differs (here a time converted with another zone)
    assert key(_message("2020-01-01T10:59:59", time="2020-01-01T09:59:59Z")) == ten
    # below the hour, the bits are the plain digest's; a record without key_time keeps the plain digest, which is
    # also what every record gets in a vault whose keys were made before
    plain = key(_message("2020-01-01T10:59:59"), ordered=False)
    assert ten & ((1 << 44) - 1) == plain & ((1 << 44) - 1)
    assert key(_message("2020-01-01T10:59:59", key_time=False)) == plain
    # hours before 2000, unreadable times and the far future stay within 64 signed bits, at the ends
    for wall in ("1999-12-31T23:59:59", "no time at all", "31/12/2019 23:59"):
        assert -(1 << 63) <= key(_message(wall)) < -(1 << 63) + (1 << 44)
    assert (1 << 63) - (1 << 44) <= key(_message("9999-12-31T23:59:59")) < (1 << 63)


def test_a_key_is_the_blake2b_of_its_parts_repr_by_either_way_it_is_made():
    """Keys must stay what earlier versions made, or a vault would store its records again: the 64-bit BLAKE2b
    of ``repr((table, platform, parts))`` in UTF-8 (surrogates passed), whether the reading process makes it
    (``natural_key``) or the writer does (``RowBuilder.add_keys`` of unkeyed rows)."""
    import hashlib

    from datavault.store import RowBuilder, key_material

    def formula(table: str, platform, parts: tuple) -> int:
        material = repr((table, platform, parts)).encode("utf-8", "surrogatepass")
        return int.from_bytes(hashlib.blake2b(material, digest_size=8).digest(), "big", signed=True)

    message = R.Message(time="2024-01-08T08:31:00", platform="whatsapp", conversation="Jordan Lee",
                        sender="Jordan Lee", text="On my way", key=("Jordan Lee", "2024-01-08T08:31:00",
                                                                     "Jordan Lee", "On my way", 0))
    assert natural_key(EXPORT_TABLES["messages"], message) == 708686140570832327  # as every version made it
    odd = [("it's \"quoted\"\\", None, -(10 ** 20), ("nested", 1)), ("lone \ud800 surrogate", "\u2028 é 😀"), (),
           ("a", 1.5)]
    builder = RowBuilder(EXPORT_TABLES["people"], " 1 ")
    for platform in ("whatsapp", "it's", None):
        for parts in odd:
            person = R.Person(name="x", platform=platform, relation="contact", key=parts)
            material = key_material(EXPORT_TABLES["people"], person, False)  # () falls back to the fields
            expected = formula("people", platform, material[1])
            assert natural_key(EXPORT_TABLES["people"], person) == expected
            assert builder.add_keys([(material, " 1 ")]) == [(expected, " 1 ")]


def _meta(path: Path, sql: str = "SELECT value FROM meta WHERE key = 'key_scheme'", *args):
    con = sqlite3.connect(path)
    try:
        value = con.execute(sql, args).fetchone()
        con.commit()
        return value and value[0]
    finally:
        con.close()


def test_a_vault_keeps_the_key_scheme_its_records_were_made_with(tmp_path):
    chat = write_text(tmp_path, "chat.txt", CHAT)
    new = tmp_path / "new.sqlite"
    import_paths(new, [chat])
    assert _meta(new) == "time-ordered"
    assert _meta(new, "PRAGMA page_size") == 16384  # new vaults only: an existing file keeps its page size
    assert Vault.open(new).time_ordered_keys
    # a vault of schema 2 that holds records: its keys are plain digests, and they stay so
    old = tmp_path / "old.sqlite"
    Vault.open(old).close()
    _meta(old, "UPDATE meta SET value = 'digest' WHERE key = 'key_scheme'")
    import_paths(old, [chat])
    stored = lambda path: [r[0] for r in sqlite3.connect(path).execute(  # noqa: E731
        "SELECT key FROM rec_messages ORDER BY id")]
    old_keys = stored(old)
    _meta(old, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    _meta(old, "DELETE FROM meta WHERE key = 'key_scheme'")
    import_paths(old, [chat])  # migrated to schema 3, and the same messages are found again
    assert _meta(old) == "digest"
    assert _meta(old, "SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
    assert stored(old) == old_keys and len(stored(new)) == 2
    # the same digests below the hour; above it, the new vault's keys hold the hours since 2000 (2017-07-12T22)
    low = (1 << 44) - 1
    assert [k & low for k in old_keys] == [k & low for k in stored(new)]
    hour = (6402 * 24 + 22)
    assert [(k + (1 << 63)) >> 44 for k in stored(new)] == [hour, hour]
    assert [(k + (1 << 63)) >> 44 for k in old_keys] != [hour, hour]
    # an empty vault of schema 2 has no keys to keep: it takes the time-ordered scheme
    empty = tmp_path / "empty.sqlite"
    Vault.open(empty).close()
    _meta(empty, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    _meta(empty, "DELETE FROM meta WHERE key = 'key_scheme'")
    assert Vault.open(empty).time_ordered_keys and _meta(empty) == "time-ordered"


def test_newer_vault_is_refused_clearly(tmp_path):
    path = tmp_path / "future.sqlite"
    Vault.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '99'")
    con.commit()
    con.close()
    from datavault.errors import UserError
    with pytest.raises(UserError, match="newer datavault"):
        Vault.open(path)


def test_other_sqlite_files_are_not_touched(tmp_path):
    path = tmp_path / "someone-elses.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    from datavault.errors import UserError
    with pytest.raises(UserError, match="not a datavault vault"):
        Vault.open(path)


def test_views_show_exactly_the_contract_fields(tmp_path, vault):
    ingest_records(vault, [
        R.Person(name="Ana", platform="facebook", relation="friend", phones=["+1 555"], emails=[], key=("ana",)),
        R.Activity(time="2024-05-01T10:11:12.345Z", platform="google", product="Search", action="searched",
                   title="Searched for nappies", url=None, key=("s1",)),
    ])
    con = sqlite3.connect(vault)
    for name, table in EXPORT_TABLES.items():
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({name})")]
        assert columns[: len(table.fields)] == list(table.fields), name
    assert con.execute("SELECT name, phones FROM people").fetchall() == [("Ana", '["+1 555"]')]
    con.close()
    people = exported(vault, "people")
    assert [p.pop("person") for p in people][0].startswith("p")  # the export's one extra field: the linked person
    assert people == [{"name": "Ana", "platform": "facebook", "relation": "friend", "since": None,
                       "phones": ["+1 555"], "emails": [], "source_file": "(records)"}]


def test_no_network(tmp_path, monkeypatch):
    """Import, inventory, export and demo with socket creation blocked: any attempt fails the test."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from typer.testing import CliRunner

    from datavault.cli import app
    runner = CliRunner()
    vault = tmp_path / "v.sqlite"
    chat = write_text(tmp_path, "chat.txt", CHAT)
    for args in (["import", str(chat)], ["inventory"], ["export", "messages"],
                 ["demo", "--out", str(tmp_path / "demo")]):
        result = runner.invoke(app, ["--vault", str(vault), *args])
        assert result.exit_code == 0, (args, result.output)
    assert attempts == []


def test_a_person_seen_twice_keeps_every_phone_and_email(tmp_path, vault):
    ingest_records(vault, [
        R.Person(name="Ana Costa", platform="google", relation="contact", phones=["+351 912 345 678"],
                 emails=["ana@example.pt"], key=("ana costa",)),
        R.Person(name="Ana Costa", platform="google", relation="contact", phones=["+44 7700 900202"],
                 emails=["ana@example.pt"], key=("ana costa",)),
    ])
    ingest_records(vault, [R.Person(name="Ana Costa", platform="google", relation="contact", phones=[],
                                    emails=["ana.costa@work.example"], key=("ana costa",))], label="later")
    people = exported(vault, "people")
    assert [(p["name"], p["phones"], p["emails"]) for p in people] == [
        ("Ana Costa", ["+351 912 345 678", "+44 7700 900202"], ["ana.costa@work.example", "ana@example.pt"])]
    con = sqlite3.connect(vault)
    assert con.execute("SELECT sources FROM rec_people").fetchone()[0] == " 1 2 "
    con.close()


def test_me_on_a_later_import_decides_old_messages_and_the_report_follows(tmp_path, vault):
    from datavault.report import build_report, prepare_vault

    group = write_text(tmp_path, "WhatsApp Chat with Book club.txt",
                       "".join(f"0{d}/02/2020, 10:00 - {who}: payday loan again, overdraft\n"
                               for d in range(1, 10) for who in ("Sam", "Ana")))
    import_paths(vault, [group])
    prepare_vault(vault)
    assert {r["from_owner"] for r in exported(vault, "messages")} == {None}
    first = build_report(vault)
    import_paths(vault, [group], me="Sam")
    assert {(r["sender"], r["from_owner"]) for r in exported(vault, "messages")} == {("Sam", True), ("Ana", False)}
    second = build_report(vault)
    con = sqlite3.connect(vault)
    own = con.execute("SELECT sum(n) FROM dv_roll_msg_hours WHERE from_owner = 1").fetchone()[0]
    con.close()
    assert own == 9  # the rollups were rebuilt with the owner now known
    assert first != second


def test_rollups_keep_each_key_once_and_an_earlier_vaults_hourly_rollup_is_made_again(tmp_path, vault):
    from datavault.findings import rollup
    from datavault.report import prepare_vault

    group = write_text(tmp_path, "WhatsApp Chat with Book club.txt",
                       "".join(f"0{d}/02/2020, {h}:00 - {who}: see you at the library\n"
                               for d in range(1, 8) for h in (9, 18) for who in ("Sam", "Ana")))
    import_paths(vault, [group], me="Sam")
    prepare_vault(vault)
    con = sqlite3.connect(vault)
    # WITHOUT ROWID: a rollup is the b-tree of its key, not a table beside an index holding the key again
    assert con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                       f"({', '.join(repr(name) for name in rollup.ROLLUPS)})").fetchall() == []
    assert [c[1] for c in con.execute("PRAGMA table_info(dv_roll_msg_hours)")] == [
        "conv", "platform", "from_owner", "instant", "blk", "hod", "n"]
    hours = "SELECT conv, from_owner, hod, sum(n) FROM dv_roll_msg_hours GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    counts = con.execute(hours).fetchall()
    assert counts == [("Book club", 0, 9, 7), ("Book club", 0, 18, 7), ("Book club", 1, 9, 7), ("Book club", 1, 18, 7)]
    # a vault of the version before: its hourly rollup under the old name, with first and last times, and none
    # under the new one
    con.execute("DROP TABLE dv_roll_msg_hours")
    con.execute("DELETE FROM dv_roll_state WHERE tbl = 'dv_roll_msg_hours'")
    con.execute("CREATE TABLE dv_roll_msg_conv (conv TEXT, platform TEXT, from_owner INTEGER, instant INTEGER, "
                "blk INTEGER, hod INTEGER, n INTEGER, first TEXT, last TEXT, last_rowid INTEGER, "
                "PRIMARY KEY (conv, platform, from_owner, instant, blk, hod))")
    con.execute("INSERT INTO dv_roll_state VALUES ('dv_roll_msg_conv', 28, 28)")
    con.execute("DELETE FROM dv_report_cache")  # its findings were of the old version (the cache key names it)
    con.commit()
    prepare_vault(vault)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'dv_roll%'")}
    assert "dv_roll_msg_conv" not in tables and set(rollup.ROLLUPS) <= tables
    assert con.execute(hours).fetchall() == counts
    con.close()


class _MarkingImporter:
    """Marks every message with a tentative owner while reading, then settles or corrects it."""

    name = platform = "marker"

    def __init__(self, tentative: str, final: R.OwnerDecision):
        self.tentative, self.final = tentative, final

    def claim(self, member, ctx):
        from datavault.importer import PARSE

        return PARSE if member.name.endswith(".chat") else None

    def parse(self, member, ctx):
        for n, line in enumerate(member.open().read().decode().splitlines(), 1):
            sender, text = line.split(": ", 1)
            yield R.Message(time=f"2020-01-0{n}T10:00:00", platform="marker", conversation="c", sender=sender,
                            text=text, from_owner=sender == self.tentative, key=(member.name, n))
        yield self.final


@pytest.mark.parametrize("final, expected", [
    (R.OwnerDecision("marker", "c", "Ana", "tentative proved right", settled=True), {"Ana": True, "Sam": False}),
    (R.OwnerDecision("marker", "c", "Sam", "a later line said so", overwrite=True), {"Ana": False, "Sam": True}),
    (R.OwnerDecision("marker", "c", None, "undecided after all", overwrite=True), {"Ana": None, "Sam": None}),
])
def test_owner_marked_while_reading_is_settled_or_overwritten(tmp_path, vault, final, expected):
    older = write_text(tmp_path, "older.chat", "Ana: kept\n")
    import_paths(vault, [older], importers=[_MarkingImporter("Nobody", R.OwnerDecision(
        "marker", "c", "Nobody", "older", settled=True))])
    chat = write_text(tmp_path, "new.chat", "Ana: one\nSam: two\nAna: three\n")
    result = import_paths(vault, [chat], importers=[_MarkingImporter("Ana", final)])
    rows = {r["text"]: (r["sender"], r["from_owner"]) for r in exported(vault, "messages")}
    assert rows == {"kept": ("Ana", False), "one": ("Ana", expected["Ana"]), "two": ("Sam", expected["Sam"]),
                    "three": ("Ana", expected["Ana"])}  # an older import's row is never overwritten
    assert result.sources[0].notes["owner"][0]["basis"] == final.basis


def test_an_import_writes_with_a_rollback_journal_and_leaves_the_vault_in_wal(tmp_path, vault):
    import_paths(vault, [write_text(tmp_path, "a.txt", CHAT)])
    con = sqlite3.connect(vault)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    # another program reading the vault: the import keeps the log (it cannot switch) and still succeeds
    assert con.execute("SELECT count(*) FROM messages").fetchone() == (2,)
    import_paths(vault, [write_text(tmp_path, "b.txt", CHAT.replace("Hola", "Adeus"))])
    assert con.execute("SELECT count(*) FROM messages").fetchone() == (4,)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()


def test_extra_fields_are_stored_as_json_whatever_they_hold():
    import datetime as dt
    import json as json_

    from datavault.store import _dump_extra

    moment = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    extra = {"n": 2 ** 70, "when": moment, 7: "seven", "text": "Zoë \U0001F600", "odd": "\udcff"}
    assert json_.loads(_dump_extra(extra)) == {"n": 2 ** 70, "when": str(moment), "7": "seven",
                                               "text": "Zoë \U0001F600", "odd": "\udcff"}
    assert _dump_extra({"a": [1, 2.5, None, True]}) == '{"a":[1,2.5,null,true]}'


@pytest.mark.parametrize("scheme", ["digest", "time-ordered"])
def test_the_page_cache_grows_with_the_rows_an_import_writes_when_keys_are_random(tmp_path, vault, monkeypatch,
                                                                                   scheme):
    from datavault import pipeline, store

    Vault.open(vault).close()
    _meta(vault, "UPDATE meta SET value = ? WHERE key = 'key_scheme'", scheme)

    monkeypatch.setattr(pipeline, "CACHE_FIT_EVERY", 10)
    monkeypatch.setattr(store, "CACHE_BYTES_PER_ROW", 10_000_000)  # 10 rows: beyond the largest cache
    sizes = []
    real = store.fit_cache

    def spy(conn, rows):
        real(conn, rows)
        sizes.append(conn.exec_driver_sql("PRAGMA cache_size").scalar())

    monkeypatch.setattr(pipeline, "fit_cache", spy)
    chat = "".join(f"01/02/2020, 10:{m:02d} - Ana: note {m}\n" for m in range(30))
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", chat)])
    # random keys: the cache grows (here at once to its largest); time-ordered ones need no more than at first
    assert sizes == [-store.CACHE_MAX_KB if scheme == "digest" else -store.CACHE_KB]


def test_ctrl_c_in_the_middle_of_a_write_rolls_back_and_stays_an_interruption(tmp_path, vault, monkeypatch):
    from datavault import store

    import_paths(vault, [write_text(tmp_path, "small.txt", CHAT)])
    before = _counts(vault)

    class RowsThenCtrlC(list):
        def __iter__(self):  # the driver's executemany walks the rows: Ctrl-C arrives in the middle of it
            yield from list.__iter__(self[:1])
            raise KeyboardInterrupt

    def interrupted_write(self, cursor, rows):
        cursor.executemany(self.sql, RowsThenCtrlC(rows))

    monkeypatch.setattr(store.WriteStatement, "execute", interrupted_write)
    with pytest.raises(KeyboardInterrupt):
        import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT.replace("Hola", "Oi"))])
    assert _counts(vault) == before


# -- importing an unchanged export again (issue 14)


def _inventory(vault: Path) -> list:
    con = sqlite3.connect(vault)
    try:
        return con.execute("SELECT member, size, importer, status, records, new_records, problems, first_time, "
                           "last_time, tables, detail FROM files ORDER BY id").fetchall()
    finally:
        con.close()


def _reads(monkeypatch) -> list[str]:
    """The members the WhatsApp importer is asked to parse from now on."""
    from datavault.importers import whatsapp

    read: list[str] = []
    real = whatsapp.WhatsAppImporter.parse

    def counting(self, member, ctx):
        read.append(member.name)
        return real(self, member, ctx)

    monkeypatch.setattr(whatsapp.WhatsAppImporter, "parse", counting)
    return read


def test_an_unchanged_export_imported_again_is_not_read_again(tmp_path, vault, monkeypatch):
    from tests.conftest import write_zip

    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT * 3000)  # larger than both ends' blocks
    archive = write_zip(tmp_path / "chats.zip", {"WhatsApp Chat with Ana.txt": CHAT,
                                                 "WhatsApp Chat with Bo.txt": CHAT.replace("Ana", "Bo")})
    first = import_paths(vault, [chat, archive])
    inventory, messages = _inventory(vault), exported(vault, "messages")
    version = _meta(vault, "SELECT value FROM meta WHERE key = 'data_version'")
    read = _reads(monkeypatch)
    again = import_paths(vault, [chat, archive])
    assert read == [] and not again.changed
    assert [(s.already_imported, s.read_files, s.unchanged_files) for s in again.sources] == [(True, 0, 1),
                                                                                              (True, 0, 2)]
    assert [s.records for s in again.sources] == [s.records for s in first.sources]
    assert [s.notes for s in again.sources] == [s.notes for s in first.sources]
    assert _inventory(vault) == inventory and exported(vault, "messages") == messages
    assert _meta(vault, "SELECT value FROM meta WHERE key = 'data_version'") == version  # the report's cache holds

    # an option that changes the reading (--me, --tz) reads it again
    assert import_paths(vault, [chat], tz="Europe/Berlin").changed and read == [chat.name]


def test_a_changed_file_is_read_again_unless_its_mtime_was_forged(tmp_path, vault, monkeypatch):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT * 3000)
    import_paths(vault, [chat])
    read = _reads(monkeypatch)
    stat = chat.stat()
    data = bytearray(chat.read_bytes())
    middle = data.index(b"Hola", len(data) // 2)
    data[middle:middle + 4] = b"Holo"  # same size, one byte different in the middle
    chat.write_bytes(bytes(data))
    os.utime(chat, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert import_paths(vault, [chat]).sources[0].read_files == 1 and read == [chat.name]
    # the same size and a forged modification time: the change between the first and last 64 KiB is missed
    stat = chat.stat()
    data[middle:middle + 4] = b"Hole"
    chat.write_bytes(bytes(data))
    os.utime(chat, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert import_paths(vault, [chat]).sources[0].unchanged_files == 1 and read == [chat.name]
    # a change in the last block is seen even then
    data[-5:-1] = b"hoi!"
    chat.write_bytes(bytes(data))
    os.utime(chat, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert import_paths(vault, [chat]).sources[0].read_files == 1 and read == [chat.name] * 2


def test_a_member_whose_earlier_import_failed_is_read_again(tmp_path, vault, monkeypatch):
    from datavault.importers import whatsapp

    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    real = whatsapp.WhatsAppImporter.parse

    def failing(self, member, ctx):
        yield from real(self, member, ctx)
        raise OSError("the disk went away")

    monkeypatch.setattr(whatsapp.WhatsAppImporter, "parse", failing)
    assert import_paths(vault, [chat]).sources[0].statuses == {"failed": 1}
    monkeypatch.setattr(whatsapp.WhatsAppImporter, "parse", real)
    read = _reads(monkeypatch)
    again = import_paths(vault, [chat])
    assert read == [chat.name] and again.sources[0].statuses == {"parsed": 1}
    assert import_paths(vault, [chat]).sources[0].unchanged_files == 1 and read == [chat.name]


def test_a_schema_3_vault_gains_member_fingerprints_and_reads_its_members_once_more(tmp_path, monkeypatch):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    old = tmp_path / "old.sqlite"
    import_paths(old, [chat])
    con = sqlite3.connect(old)
    con.execute("ALTER TABLE files DROP COLUMN fingerprint")
    con.execute("ALTER TABLE files DROP COLUMN member_notes")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    read = _reads(monkeypatch)
    assert import_paths(old, [chat]).sources[0].read_files == 1  # no fingerprint recorded yet: read
    assert _meta(old, "SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
    assert import_paths(old, [chat]).sources[0].unchanged_files == 1 and read == [chat.name]


def test_owner_decided_in_slices_of_ids_even_beside_the_conversation_index(vault):
    # the report's (conversation, ts) index tempted SQLite to walk the whole conversation for every slice
    from datavault.findings.rollup import INDEXES
    from datavault.pipeline import apply_owner
    from datavault.store import driver_cursor

    ingest_records(vault, [R.Message(time=f"2020-01-01T10:0{n}:00", platform="whatsapp", conversation="c",
                                     sender=sender, text=str(n), key=("c", n))
                           for n, sender in enumerate(["Ana", "Sam", "Ana"])], platform="whatsapp")
    with sqlite3.connect(vault) as con:
        for name, table, columns in INDEXES:
            con.execute(f"CREATE INDEX {name} ON {table}({columns})")
    statements: list[str] = []
    with Vault.open(vault) as v, v.transaction() as conn:
        raw = driver_cursor(conn).connection
        raw.set_trace_callback(statements.append)
        apply_owner(conn, R.OwnerDecision("whatsapp", "c", "Ana", "test"), [])
        raw.set_trace_callback(None)
        updates = [s for s in statements if s.startswith("UPDATE rec_messages")]
        plans = [row[-1] for s in updates for row in raw.execute("EXPLAIN QUERY PLAN " + s)]
    assert updates and all("INTEGER PRIMARY KEY" in plan for plan in plans), plans
    assert {r["text"]: r["from_owner"] for r in exported(vault, "messages")} == {"0": True, "1": False, "2": True}


def test_the_upsert_binds_each_value_once_and_leaves_quoted_question_marks_alone():
    from datavault.store import _numbered, upsert_statement

    assert _numbered("SELECT ?, '?', 'it''s ?', ?, ?", ("a", "b", "a")) == (
        "SELECT ?1, '?', 'it''s ?', ?2, ?1", ("a", "b"))
    for table in EXPORT_TABLES.values():
        statement = upsert_statement(table)
        assert len(set(statement.positions)) == len(statement.positions), table.name
        if "time" in table.fields:  # the column and the two uses deriving ts: one parameter
            time = statement.positions.index("time") + 1
            assert len(re.findall(rf"\?{time}(?!\d)", statement.sql)) == 3, table.name
            assert f"julianday(?{time})" in statement.sql


def test_each_row_of_a_batch_keeps_its_own_file_and_sqlite_looks_up_no_name(vault):
    from datavault.store import upsert_statement

    for table in EXPORT_TABLES.values():  # the writer gives each row its file's id (the update may read names)
        assert "file_names" not in upsert_statement(table).sql.split(" ON CONFLICT")[0], table.name
    files = ["a/message_1.json", "b/message_1.json", None, "a/message_1.json"]
    ingest_records(vault, [R.Message(time=f"2024-03-0{i + 1}T10:00:00Z", platform="facebook", conversation="c",
                                     sender="Ana", text=f"m{i}", source_file=name, locator=f"messages[{i}]",
                                     key=(i,)) for i, name in enumerate(files)])
    ingest_records(vault, [R.Message(time="2024-03-09T10:00:00Z", platform="facebook", conversation="c",
                                     sender="Ana", text="later", source_file="b/message_1.json", key=(9,))],
                   label="later")
    assert [(m["text"], m["source_file"]) for m in exported(vault, "messages")] == [
        ("m0", "a/message_1.json"), ("m1", "b/message_1.json"), ("m2", "(records)"), ("m3", "a/message_1.json"),
        ("later", "b/message_1.json")]
    con = sqlite3.connect(vault)
    assert con.execute("SELECT count(*) FROM file_names").fetchone()[0] == 3
    con.close()


def test_every_rollup_and_every_earlier_ones_name_is_dropped_with_the_derived_data():
    """derived.DERIVED_TABLES names the rollups again (derived.py cannot import rollup.py, which imports it): a
    rollup added or renamed without it would outlive a rebuild of the derived data."""
    from datavault.findings import rollup
    from datavault.findings.derived import DERIVED_TABLES

    assert {*rollup.ROLLUPS, *rollup.OBSOLETE, rollup.STATE} <= set(DERIVED_TABLES)
