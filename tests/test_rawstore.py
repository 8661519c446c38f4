"""Records' original texts compressed in blocks (datavault/rawstore.py): what goes in comes out exactly, through
``export --original``; ``forget`` of the import that wrote a block deletes it and keeps, as plain text, the
originals of records another import still holds; the raws of an older vault stay readable."""

from __future__ import annotations

import io
import json
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from datavault import rawstore
from datavault.exporting import export_table
from datavault.forgetting import forget_source
from datavault.pipeline import import_paths
from tests.conftest import write_text
from tests.test_vault import V1_SCHEMA


def originals(vault, table: str = "messages") -> list[tuple[str, str | None]]:
    buffer = io.StringIO()
    export_table(vault, table, "jsonl", buffer, original=True)
    rows = [json.loads(line) for line in buffer.getvalue().split("\n") if line]
    return [(r.get("text"), r["original"]) for r in rows]


def chat(n: int, start: int = 0) -> str:
    """``n`` one-line messages (and one of two lines), each line long enough that a batch makes a block."""
    lines = [f"12/07/2017, 10:{i % 60:02d} - {'Ana' if i % 2 else 'Sam'}: message number {i} about the weather"
             for i in range(start, start + n)]
    lines.insert(1, "12/07/2017, 09:59 - Ana: first line\nsecond line of it")
    return "\n".join(lines) + "\n"


def storage(vault) -> tuple[dict[str, int], list[tuple[int]]]:
    with sqlite3.connect(vault) as con:
        kinds = dict(con.execute("SELECT typeof(raw), count(*) FROM rec_messages GROUP BY 1").fetchall())
        blocks = con.execute("SELECT source_id FROM raw_blocks ORDER BY id").fetchall()
    return kinds, blocks


@settings(max_examples=60, deadline=None)
@given(st.lists(st.none() | st.text(alphabet=st.characters(blacklist_categories=()), max_size=40), max_size=30))
def test_a_block_gives_back_what_it_was_given(raws):
    assert rawstore.decode_block(rawstore.encode_block(raws)) == raws


def test_a_lone_surrogate_and_an_empty_text_survive_a_block():
    raws = ["\ud800 lone", "", None, "née 👋"]
    assert rawstore.decode_block(rawstore.encode_block(raws)) == raws


def test_an_import_stores_originals_in_blocks_and_export_gives_them_back(tmp_path):
    vault = tmp_path / "v.sqlite"
    text = chat(40)
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", text)])
    kinds, blocks = storage(vault)
    assert kinds == {"blob": 41} and blocks == [(1,)]  # one batch, one block of import 1
    got = originals(vault)
    lines = text.split("\n")
    assert got[0] == ("first line\nsecond line of it", "\n".join(lines[1:3]))
    assert sorted(o for _, o in got) == sorted([lines[0]] + ["\n".join(lines[1:3])] + lines[3:-1])
    plain = io.StringIO()
    export_table(vault, "messages", "jsonl", plain)
    assert "original" not in plain.getvalue()  # only asked for


def test_a_small_batch_keeps_its_originals_as_text(tmp_path):
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [write_text(tmp_path, "chat.txt", "12/07/2017, 22:35 - Ana: Hola\n")])
    assert storage(vault) == ({"text": 1}, [])
    assert originals(vault) == [("Hola", "12/07/2017, 22:35 - Ana: Hola")]


def test_forget_deletes_the_blocks_of_its_import_and_keeps_the_originals_of_shared_records(tmp_path):
    vault = tmp_path / "v.sqlite"
    first = chat(30)
    later = first + "".join(f"13/07/2017, 11:{i:02d} - Ana: and a later message, number {i}\n" for i in range(19))
    import_paths(vault, [write_text(tmp_path / "a", "WhatsApp Chat with Ana.txt", first)])
    import_paths(vault, [write_text(tmp_path / "b", "WhatsApp Chat with Ana.txt", later)])
    before = originals(vault)
    assert len(before) == 31 + 19
    assert {s for (s,) in storage(vault)[1]} == {1, 2}

    result = forget_source(vault, 1)

    assert result["removed"] == 0  # every record of import 1 is also in import 2
    kinds, blocks = storage(vault)
    assert {s for (s,) in blocks} == {2}
    assert kinds == {"text": 31, "blob": 19}  # import 1's originals written out, import 2's new ones in its block
    assert originals(vault) == before

    forget_source(vault, 2)
    assert storage(vault) == ({}, [])


def test_the_plain_raws_of_an_older_vault_stay_readable(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.close()
    import_paths(path, [write_text(tmp_path, "chat.txt", "12/07/2017, 22:35 - Ana: Hola\n")])
    assert originals(path) == [("old", "01/01/2016, 10:00 - Ana: old"), ("Hola", "12/07/2017, 22:35 - Ana: Hola")]


def test_a_huge_original_is_compressed_as_a_stream_and_comes_back_whole():
    huge = "Kinder " * 300_000  # 2.1 MB: over the size from which a block is compressed piece by piece
    raws = ["before", huge, None, "after"]
    block = rawstore.encode_block(raws)
    assert len(block) < 100_000
    assert rawstore.decode_block(block) == raws
