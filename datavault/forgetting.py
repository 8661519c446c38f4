"""``datavault forget``: remove one import, or the whole vault, for good.

A record that another import also holds stays (it only forgets this source's id). Deleted content is
overwritten (``secure_delete``) and the write-ahead log is zeroed before it is truncated, so the removed data does
not linger in free pages of the file. ``plan`` says beforehand what would go, and which files datavault wrote
elsewhere (saved reports, the demo's exports: the ``written_files`` ledger) still hold the data.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from datavault.errors import UserError
from datavault.pipeline import bump_data_version
from datavault.findings.derived import DROP_SQL
from datavault.rawstore import keep_raws_of
from datavault.store import EXPORT_TABLES, Vault, driver_cursor


@dataclass
class Plan:
    """What a forget would remove: ``label`` (the import, or the vault's path), the records that would go and
    those kept because another import holds them too, and the files written elsewhere that hold the data."""

    label: str
    removed: int
    kept: int
    outputs: list[tuple[Path, str]] = field(default_factory=list)  # (path, kind), each still there


def plan(path: Path, source_id: int | None) -> Plan:
    """What ``forget_source(path, source_id)`` (or, for None, ``forget_all``) would do; changes nothing."""
    with Vault.open(path, create=False, writable=False) as vault, vault.reading() as conn:
        if source_id is None:
            total = sum(conn.execute(text(f"SELECT count(*) FROM {t.physical}")).scalar()
                        for t in EXPORT_TABLES.values())
            return Plan(str(path), total, 0, _outputs(conn, None))
        row = conn.execute(text("SELECT label, imported_at FROM sources WHERE id = :i"), {"i": source_id}).first()
        if row is None:
            known = [r[0] for r in conn.exec_driver_sql("SELECT id FROM sources ORDER BY id")]
            raise UserError(f"No import with id {source_id}. "
                            + (f"Known ids: {', '.join(map(str, known))}." if known else "The vault is empty."))
        token = f" {source_id} "
        removed = kept = 0
        for table in EXPORT_TABLES.values():
            alone, shared = conn.execute(text(
                f"SELECT count(*) FILTER (WHERE sources = :t), count(*) FILTER (WHERE sources != :t) "
                f"FROM {table.physical} WHERE sources LIKE :like"), {"t": token, "like": f"%{token}%"}).first()
            removed, kept = removed + alone, kept + shared
        return Plan(row[0], removed, kept, _outputs(conn, row[1]))


def _outputs(conn, since: str | None) -> list[tuple[Path, str]]:
    """The written files that still exist; ``since``: only those written after it (a report saved before an
    import was made does not hold it)."""
    try:
        rows = conn.execute(text("SELECT path, kind FROM written_files WHERE :since IS NULL OR written_at >= :since "
                                 "ORDER BY path"), {"since": since}).all()
    except OperationalError:  # a vault of a datavault before the ledger, opened read-only
        return []
    return [(Path(p), kind) for p, kind in rows if Path(p).exists()]


def remember_written(vault_path: Path, written: Path, kind: str) -> None:
    """Note in the vault's ledger that ``written`` holds its data. Best effort: a vault that cannot be written
    now (read-only, in use) keeps no note, and the file is written all the same."""
    try:
        with Vault.open(vault_path, create=False) as vault, vault.transaction() as conn:
            conn.execute(text("INSERT INTO written_files(path, kind, written_at) VALUES (:p, :k, :w) "
                              "ON CONFLICT(path) DO UPDATE SET kind = :k, written_at = :w"),
                         {"p": str(Path(written).resolve()), "k": kind, "w": _now()})
    except UserError:
        pass


def remove_outputs(outputs: list[tuple[Path, str]]) -> list[Path]:
    """Overwrite and delete each written file (a folder: every file in it, then the folder); returns the paths
    that could not be removed."""
    failed = []
    for path, _ in outputs:
        try:
            if path.is_dir():
                for inner in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):  # deepest first
                    if inner.is_dir() and not inner.is_symlink():
                        inner.rmdir()
                        continue
                    if inner.is_file() and not inner.is_symlink():
                        _overwrite(inner)
                    inner.unlink()
                path.rmdir()
            else:
                _overwrite(path)
                path.unlink()
            _sync_directory(path.parent)
        except OSError:
            failed.append(path)
    return failed


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def forget_source(path: Path, source_id: int) -> dict:
    with Vault.open(path, create=False) as vault:
        with vault.transaction() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
            row = conn.execute(text("SELECT label FROM sources WHERE id = :i"), {"i": source_id}).first()
            if row is None:
                known = [r[0] for r in conn.exec_driver_sql("SELECT id FROM sources ORDER BY id")]
                raise UserError(f"No import with id {source_id}. "
                                + (f"Known ids: {', '.join(map(str, known))}." if known else "The vault is empty."))
            cursor = driver_cursor(conn)
            keep_raws_of(cursor, [t.physical for t in EXPORT_TABLES.values()], source_id, f" {source_id} ")
            removed, kept = remove_source(cursor, source_id)
            bump_data_version(conn)
            for statement in DROP_SQL:  # the report's derived tables still hold traces: drop them
                conn.exec_driver_sql(statement)
        _scrub_log(vault)
    return {"label": row[0], "removed": removed, "kept": kept}


def remove_source(cursor, source_id: int) -> tuple[int, int]:
    """Take import ``source_id`` out of the vault through a DB-API ``cursor`` (``forget``, and the in-memory copy
    of ``report --as-of``): records only it held are deleted, the others forget its id, then its inventory rows
    and the import itself go. Returns (records removed, records kept)."""
    token = f" {source_id} "
    removed = kept = 0
    for table in EXPORT_TABLES.values():
        removed += cursor.execute(f"DELETE FROM {table.physical} WHERE sources = ?", (token,)).rowcount
        kept += cursor.execute(f"UPDATE {table.physical} SET sources = replace(sources, ?, ' ') WHERE sources LIKE ?",
                               (token, f"%{token}%")).rowcount
    if removed:  # a file name no record names any more goes too (it may be a person's name: "Chat with Ana")
        used = " UNION ".join(f"SELECT file_id FROM {t.physical} WHERE file_id IS NOT NULL"
                              for t in EXPORT_TABLES.values())
        cursor.execute(f"DELETE FROM file_names WHERE id NOT IN ({used})")
    for bookkeeping in ("problems", "files"):
        cursor.execute(f"DELETE FROM {bookkeeping} WHERE source_id = ?", (source_id,))
    cursor.execute("DELETE FROM sources WHERE id = ?", (source_id,))
    return removed, kept


def _scrub_log(vault: Vault) -> None:
    """Copy the write-ahead log into the vault, then zero it on the disk before it is truncated: its frames hold
    the pages as they were before the removal (and the deletion itself), which a plain truncation would leave in
    the file system's free blocks.

    Only while no other connection has the vault open (``locking_mode=EXCLUSIVE`` keeps others out meanwhile): a
    reader could otherwise still look up a frame in the log. A log zeroed by a process killed before the
    truncation is harmless: its header no longer checks out, so SQLite ignores it, and every frame of it was
    copied into the vault before."""
    wal = Path(str(vault.path) + "-wal")
    with vault.reading() as conn:
        try:
            conn.exec_driver_sql("PRAGMA locking_mode=EXCLUSIVE")
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # takes the lock, and holds it until this connection closes
            conn.exec_driver_sql("COMMIT")
            busy, frames, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)").first()
        except OperationalError:  # another program has the vault open: truncating is all that is safe
            busy, frames, copied = 1, 0, 0
        if not busy and frames == copied and wal.exists():
            _overwrite(wal)
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.engine.dispose()  # the exclusive lock goes with the connection


def forget_all(path: Path) -> Path:
    if not path.exists():
        raise UserError(f"There is no vault at {path}.")
    Vault.open(path, create=False).close()  # refuse to delete a file that is not a vault
    for suffix in ("", "-wal", "-shm", "-journal"):
        victim = Path(str(path) + suffix)
        if victim.exists():
            _overwrite(victim)
            victim.unlink()
    _sync_directory(path.parent)
    return path


def _overwrite(path: Path) -> None:
    """Zero the file's bytes and force them to the disk before unlinking.

    Without the fsync the file system may drop the pending zeros when the file is unlinked, leaving the old
    blocks readable on the device. On an SSD or a copy-on-write file system this is still best effort.
    """
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        chunk = b"\0" * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk))
            fh.write(chunk[:n])
            left -= n
        fh.flush()
        os.fsync(fh.fileno())


def _sync_directory(folder: Path) -> None:
    """Make the unlinks durable too, where a folder can be opened for fsync (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
