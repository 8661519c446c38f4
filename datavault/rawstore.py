"""Each record's original text (``raw``), kept compressed: the largest column of the vault, and the one read least.

``raw`` is what the record was read from (a chat line, the JSON object of a My Activity entry), kept so that
nothing is lost in normalisation; the report never reads it and ``export --original`` does. Stored as it
came, it made the vault several times the size of the export (a My Activity JSON of 38 MB held 38 MB of raw
text beside its fields). So the writer packs the raws of each batch into one block, compressed with Zstandard
(`zstandard`, the reference codec's binding: 6x on chat lines, 13x on Takeout JSON, at about 0.3 us a row), in
the table ``raw_blocks``; the row's ``raw`` then holds a 6-byte reference (a BLOB, so that SQLite's text
affinity leaves it alone) to its block and place. A ``raw`` that is TEXT is the original itself (vaults written
before schema 6, and small batches where a block would not pay).

A block belongs to the import that wrote it (``raw_blocks.source_id``): ``forget`` of that import deletes its
blocks, after writing out, as plain text, the raws of the records another import still holds
(``keep_raws_of``).

Block layout, before compression: the number of raws (u32), the length of each in UTF-8 bytes (u32, 2**32-1
for a record without raw), then the raws one after the other (``surrogatepass``: an importer may keep a lone
surrogate).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import Any, Iterable

import zstandard

MIN_BLOCK_BYTES = 512  # below this the block's header and the reference cost more than they save
_NONE = 0xFFFFFFFF
_REF = struct.Struct(">IH")  # block id, place in the block
_MAX_PLACE = 0xFFFF
_STREAM_FROM = 1 << 20
_compressor = zstandard.ZstdCompressor(level=3)
_compress = _compressor.compress
_decompress = zstandard.ZstdDecompressor().decompress


def encode_block(raws: list[str | None]) -> bytes:
    """One compressed block of ``raws`` (``decode_block`` gives them back, None included)."""
    parts = [r.encode("utf-8", "surrogatepass") if r is not None else None for r in raws]
    lengths = [len(p) if p is not None else _NONE for p in parts]
    head = struct.pack(f"<I{len(lengths)}I", len(lengths), *lengths)
    size = sum(len(p) for p in parts if p is not None)
    if size < _STREAM_FROM:
        return _compress(head + b"".join(p for p in parts if p is not None))
    # a huge raw (a 64 MB message) is compressed as it is, not copied into one buffer first
    stream = _compressor.compressobj(size=len(head) + size)
    chunks = [stream.compress(head), *(stream.compress(p) for p in parts if p), stream.flush()]
    return b"".join(chunks)


def decode_block(block: bytes) -> list[str | None]:
    data = _decompress(block)
    (count,) = struct.unpack_from("<I", data)
    at = 4 + 4 * count
    out: list[str | None] = []
    for n in struct.unpack_from(f"<{count}I", data, 4):
        if n == _NONE:
            out.append(None)
        else:
            out.append(data[at:at + n].decode("utf-8", "surrogatepass"))
            at += n
    return out


def is_reference(value: Any) -> bool:
    return isinstance(value, bytes) and len(value) == _REF.size


class BlockWriter:
    """Packs the raws of the batches one import writes (``pack``) into blocks of that import."""

    def __init__(self, cursor: Any, source_id: int):
        self.cursor = cursor
        self.source_id = source_id

    def pack(self, raws: list[Any]) -> list[Any]:
        """What the rows keep of these ``raws``: references to a new block holding them all (None stays None);
        the raws as they are when a block would not pay (few or short raws) or would not fit a reference."""
        size = sum(len(r) for r in raws if type(r) is str)
        if size < MIN_BLOCK_BYTES or len(raws) > _MAX_PLACE + 1 or any(type(r) not in (str, type(None)) for r in raws):
            return raws
        self.cursor.execute("INSERT INTO raw_blocks(source_id, data) VALUES (?, ?)",
                            (self.source_id, encode_block(raws)))
        block, ref = self.cursor.lastrowid, _REF.pack
        return [None if raw is None else ref(block, i) for i, raw in enumerate(raws)]


class RawReader:
    """The original text of rows read from a record table: ``text(value)`` of each row's ``raw`` column. The
    last ``CACHED_BLOCKS`` blocks stay decoded: rows read in id order meet each block in one run, rows read in
    time order (``export --original`` of many interleaved threads) come back to a few hundred at a time."""

    CACHED_BLOCKS = 256

    def __init__(self, cursor: Any):
        self.cursor = cursor
        self._block = lru_cache(maxsize=self.CACHED_BLOCKS)(self._load)

    def _load(self, block_id: int) -> list[str | None]:
        row = self.cursor.execute("SELECT data FROM raw_blocks WHERE id = ?", (block_id,)).fetchone()
        return decode_block(row[0]) if row else []

    def text(self, value: Any) -> str | None:
        if not is_reference(value):
            return value
        block_id, place = _REF.unpack(value)
        block = self._block(block_id)
        return block[place] if place < len(block) else None


def keep_raws_of(cursor: Any, physical_tables: Iterable[str], source_id: int, token: str) -> int:
    """Before ``forget`` deletes the blocks of import ``source_id``: every record another import also holds
    (its ``sources`` names ``token`` and more) whose raw is in one of those blocks gets its raw back as plain
    text. Returns how many."""
    blocks = [r[0] for r in cursor.execute("SELECT id FROM raw_blocks WHERE source_id = ?", (source_id,))]
    if not blocks:
        return 0
    lo, hi = _REF.pack(min(blocks), 0), _REF.pack(max(blocks), _MAX_PLACE)
    reader = RawReader(cursor)
    moved = 0
    for table in physical_tables:
        rows = cursor.execute(
            f"SELECT id, raw FROM {table} WHERE sources LIKE ? AND sources != ? AND typeof(raw) = 'blob' "
            f"AND raw BETWEEN ? AND ? ORDER BY id", (f"%{token}%", token, lo, hi)).fetchall()
        owned = set(blocks)
        updates = [(reader.text(raw), row_id) for row_id, raw in rows if _REF.unpack(raw)[0] in owned]
        cursor.executemany(f"UPDATE {table} SET raw = ? WHERE id = ?", updates)
        moved += len(updates)
    cursor.execute("DELETE FROM raw_blocks WHERE source_id = ?", (source_id,))
    return moved
