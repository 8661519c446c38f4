"""``datavault datasette-metadata``: Datasette sees the eight views described and searchable, and nothing else.

Datasette itself is not a dependency; these tests check what it reads (the metadata keys it documents:
``hidden``, ``description``, ``columns``, ``fts_table``, ``fts_pk``, ``sort_desc``) and run the very SQL its search
box runs on a view: ``{fts_pk} in (select rowid from {fts_table} where {fts_table} match :search)``.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.records import Activity, Message, Post
from tests.vaultkit import make_vault

MESSAGES = ["Meet me at the Café Lumière", "the protest starts at noon", "cafeteria closed today", "ok"]


@pytest.fixture()
def vault(tmp_path):
    records = [Message(time=f"2024-05-0{i + 1}T10:00:00", platform="whatsapp", conversation="Ana", sender="Ana",
                       text=text, source_file="chat.txt", locator=f"line {i + 1}", key=(i,))
               for i, text in enumerate(MESSAGES)]
    records += [Activity(time="2024-05-02T09:00:00Z", platform="google", product="Search", action="searched",
                         title="Searched for cafe near me", source_file="MyActivity.json", locator="[0]", key=(0,)),
                Post(time="2024-05-03T09:00:00Z", platform="facebook", kind="post", text="No protest here",
                     source_file="posts.json", locator="[0]", key=(0,))]
    return make_vault(tmp_path / "my vault.sqlite", records)


def _metadata(vault, tmp_path):
    out = tmp_path / "meta.json"
    result = CliRunner().invoke(app, ["--vault", str(vault), "datasette-metadata", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"datasette '{vault}' -m" in result.stderr.replace("\n", "")
    return json.loads(out.read_text(encoding="utf-8"))


def _search(vault, meta, view, words):
    """What Datasette's search box on ``view`` returns for ``words`` (its escape_fts: each word quoted)."""
    config = meta["databases"][vault.stem]["tables"][view]
    match = " ".join('"' + w.replace('"', '""') + '"' for w in words.split())
    with sqlite3.connect(vault) as conn:
        return [row[0] for row in conn.execute(
            f"SELECT {'text' if view != 'activities' else 'title'} FROM {view} WHERE {config['fts_pk']} IN "
            f"(SELECT rowid FROM {config['fts_table']} WHERE {config['fts_table']} MATCH ?) ORDER BY ts", (match,))]


def test_only_the_views_are_shown_and_every_column_is_described(vault, tmp_path):
    meta = _metadata(vault, tmp_path)
    tables = meta["databases"]["my vault"]["tables"]  # Datasette names the database by the file's stem
    with sqlite3.connect(vault) as conn:
        objects = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        views = {name: [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
                 for kind, name in objects if kind == "view"}
    assert sorted(views) == sorted(["messages", "activities", "locations", "people", "purchases",
                                    "platform_inferences", "profile", "posts"])
    # every table of the file is hidden (the bookkeeping, rec_*, the derived dv_* ones), no view is
    assert {name for kind, name in objects if kind == "table"} - {"sqlite_sequence"} <= \
        {name for name, t in tables.items() if t.get("hidden")}
    assert {"rec_messages", "sources", "files", "raw_blocks", "dv_report_cache"} <= set(tables)
    for name, columns in views.items():
        assert not tables[name].get("hidden") and tables[name]["description"]
        assert list(tables[name]["columns"]) == columns, name  # each column described, in the view's order
        assert tables[name]["sort_desc"] == "ts"  # newest first
    assert {n for n, t in tables.items() if "fts_table" in t} == {"messages", "activities", "posts", "purchases"}


def test_the_search_box_finds_words_in_its_own_view_only(vault, tmp_path):
    meta = _metadata(vault, tmp_path)
    # accents folded, whole words: "cafe" is the Café and not the cafeteria
    assert _search(vault, meta, "messages", "cafe") == ["Meet me at the Café Lumière"]
    assert _search(vault, meta, "messages", "protest noon") == ["the protest starts at noon"]
    # one index for four tables: a word of a post is not a hit in messages, nor one of a message in posts
    assert _search(vault, meta, "posts", "protest") == ["No protest here"]
    assert _search(vault, meta, "activities", "cafe") == ["Searched for cafe near me"]
    assert _search(vault, meta, "posts", "lumière") == []


def test_search_sees_a_later_import(vault, tmp_path):
    meta = _metadata(vault, tmp_path)
    from datavault.pipeline import ingest_records

    ingest_records(vault, [Message(time="2024-06-01T10:00:00", platform="whatsapp", conversation="Ana",
                                   sender="Ana", text="another protest", source_file="chat2.txt",
                                   locator="line 1", key=("later",))], "later", platform="whatsapp")
    meta = _metadata(vault, tmp_path)
    assert _search(vault, meta, "messages", "protest") == ["the protest starts at noon", "another protest"]


def test_no_vault_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["--vault", str(tmp_path / "none.sqlite"), "datasette-metadata"])
    assert result.exit_code == 1
    assert "no vault" in result.stderr.lower() and "Traceback" not in result.output
