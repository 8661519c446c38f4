"""A large import into empty tables builds their indexes at the end (store.BulkLoad): the vault it leaves is the
one the row-by-row upsert would have left, duplicates within the command included."""

from __future__ import annotations

import sqlite3

import pytest

from datavault import pipeline
from datavault.pipeline import import_paths
from datavault.store import BulkLoad
from tests.conftest import write_text, write_zip

CHAT = "".join(f"0{d}/02/2020, 10:0{d} - {who}: hello {d}\n" for d in range(1, 10) for who in ("Ana", "Sam"))


def _state(vault) -> dict:
    con = sqlite3.connect(vault)
    try:
        return {
            "messages": con.execute("SELECT key, sources, source_file, text, from_owner FROM rec_messages "
                                    "ORDER BY id").fetchall(),
            "files": con.execute("SELECT source_id, member, records, new_records FROM files ORDER BY id").fetchall(),
            "indexes": con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                   "ORDER BY name").fetchall(),
        }
    finally:
        con.close()


def _import_both_ways(tmp_path, monkeypatch, inputs, **options):
    states, results = [], []
    for threshold in (1 << 60, 0):  # never bulk, always bulk
        monkeypatch.setattr(pipeline, "BULK_MIN_BYTES", threshold)
        vault = tmp_path / f"v{threshold}.sqlite"
        results.append(import_paths(vault, inputs, **options).as_json())
        states.append(_state(vault))
    return states, results


@pytest.mark.parametrize("max_rows", [BulkLoad.MAX_ROWS, 10])  # 10: the index is built after the first file
def test_the_same_chat_twice_in_one_command_is_merged_as_the_upsert_merges_it(tmp_path, monkeypatch, max_rows):
    monkeypatch.setattr(BulkLoad, "MAX_ROWS", max_rows)
    txt = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    zipped = write_zip(tmp_path / "WhatsApp Chat with Ana.zip", {"_chat.txt": CHAT})
    (upsert, bulk), (upsert_result, bulk_result) = _import_both_ways(tmp_path, monkeypatch, [txt, zipped], me="Sam")
    assert bulk == upsert
    assert bulk_result == upsert_result
    assert {sources for _, sources, *_ in bulk["messages"]} == {" 1 2 "}
    assert [s["new_records"] for s in bulk_result["sources"]] == [{"messages": 18, "people": 1}, {}]
    assert [f[3] for f in bulk["files"]] == [19, 0]


def test_bulk_load_leaves_every_index_a_normal_import_leaves(tmp_path, monkeypatch):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    (upsert, bulk), _ = _import_both_ways(tmp_path, monkeypatch, [chat])
    assert bulk["indexes"] == upsert["indexes"]
    assert ("ix_rec_messages_key", "CREATE UNIQUE INDEX ix_rec_messages_key ON rec_messages (\"key\")") in \
        bulk["indexes"]


def test_an_older_vault_with_an_inline_unique_key_is_bulk_loaded_too(tmp_path, monkeypatch):
    vault = tmp_path / "old.sqlite"
    import_paths(vault, [write_text(tmp_path, "first.txt", "01/02/2020, 10:00 - Ana: hi\n")])
    con = sqlite3.connect(vault)  # make rec_messages look as vaults before 0.2 made it: UNIQUE inside the table
    con.executescript("DELETE FROM rec_messages; DROP INDEX ix_rec_messages_key;"
                      "CREATE TABLE old AS SELECT * FROM rec_messages; DROP TABLE rec_messages;")
    columns = ", ".join(r[1] for r in con.execute("PRAGMA table_info(old)"))
    con.executescript(f"CREATE TABLE rec_messages (id INTEGER PRIMARY KEY, key BIGINT NOT NULL UNIQUE, "
                      f"{columns.replace('id, key, ', '')}); DROP TABLE old;")
    con.close()
    monkeypatch.setattr(pipeline, "BULK_MIN_BYTES", 0)
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    con = sqlite3.connect(vault)
    assert con.execute("SELECT count(*) FROM rec_messages").fetchone()[0] == 18
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_rec_messages_key'").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):  # the key is unique again
        con.execute("INSERT INTO rec_messages(key, sources, platform, kind, edited) "
                    "SELECT key, sources, platform, kind, edited FROM rec_messages LIMIT 1")
    con.close()
