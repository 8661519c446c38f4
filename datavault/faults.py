"""Why the vault could not be opened or written, in words a person can act on.

SQLite reports a lock held by another program, a read-only file or folder, a full disk (or a file-size limit)
and a damaged file all as one exception type. This module tells them apart by SQLite's error code and what the
file system says, waits for a lock with a visible message (and names the process holding it where the system
tells: ``/proc`` on Linux), and turns each case into a ``UserError`` that says what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar
from urllib.parse import quote

from datavault.errors import UserError, VaultFault

T = TypeVar("T")

LOCK_WAIT_ENV = "DATAVAULT_LOCK_WAIT"  # seconds to wait for another program's lock (default LOCK_WAIT_S)
LOCK_WAIT_S = 60.0
ENTRY_BUSY_MS = 200  # the busy timeout of the statements that take a lock: the waiting is done here, visibly
RETRY_S = 0.1
NOTICE_AFTER_S = 1.0  # a lock released within a second (a small import finishing) is waited for silently

_LOCKED = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_READ_ONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH}
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _notice_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


notice: Callable[[str], None] = _notice_stderr  # where "waiting for the vault" is said (the CLI's console)


def lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT_S)))
    except ValueError:
        return LOCK_WAIT_S


def sqlite_error(exc: BaseException | None) -> sqlite3.Error | None:
    """The SQLite error behind ``exc``: itself, SQLAlchemy's ``orig``, or one in its cause chain."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, sqlite3.Error):
            return exc
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.Error):
            return orig
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code; extended ones add bits above it


def is_locked(exc: BaseException) -> bool:
    error = sqlite_error(exc)
    if error is None:
        return False
    return _code(error) in _LOCKED or "database is locked" in str(error) or "database table is locked" in str(error)


def writable(path: Path) -> bool:
    """Whether the vault can be written: the file (if it exists) and its folder, where SQLite keeps its journal."""
    folder = path.parent if str(path.parent) else Path(".")
    return (not path.exists() or os.access(path, os.W_OK)) and os.access(folder, os.W_OK | os.X_OK)


def read_only_uri(path: Path) -> str:
    """SQLite's URI for reading a vault that cannot be written: ``mode=ro``, and ``immutable`` when even the folder
    is read-only and no write-ahead log is beside the file (nothing can be writing it, and SQLite could not make
    its shared-memory file there)."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    wal = Path(str(path) + "-wal")
    if not wal.exists() and not writable(wal):
        uri += "&immutable=1"
    return uri


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection to an existing vault for a command that reads (the report): read-only when
    the vault cannot be written, waiting visibly for a lock, every failure a UserError that says which."""
    try:
        conn = (sqlite3.connect(read_only_uri(path), uri=True) if not writable(path) else sqlite3.connect(path))
        conn.execute(f"PRAGMA busy_timeout = {ENTRY_BUSY_MS}")
        while_locked(path, lambda: conn.execute("SELECT count(*) FROM sqlite_master").fetchone())
    except sqlite3.Error as exc:
        raise (explain(exc, path) or UserError(f"{path} is not a datavault vault (not an SQLite database)")) from None
    return conn


def holders(path: Path) -> list[str]:
    """The other processes that have the vault (or its journal) open, as "process 1234 (datavault import x)"."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    try:
        target = os.path.realpath(path)
    except OSError:
        return []
    names = {target, target + "-journal", target + "-wal"}
    found: dict[str, str] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if not any(os.readlink(fd) in names for fd in (entry / "fd").iterdir()):
                continue
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to look at
            continue
        found.setdefault(_command(words), entry.name)  # a command's reading process is the same command
    return [f"process {pid} ({command})" for command, pid in found.items()]


def _command(words: list[bytes]) -> str:
    """A process's command line, short: a Python program by its script's name (``datavault import chat.txt``)."""
    args = [w.decode(errors="replace") for w in words if w]
    if len(args) > 1 and Path(args[0]).name.startswith("python"):
        args = args[1:]
    if args:
        args[0] = Path(args[0]).name
    line = " ".join(args)
    return line if len(line) <= 80 else line[:77] + "..."


def _who(path: Path) -> str:
    found = holders(path)
    return ", ".join(found[:3]) if found else "another program"


def while_locked(path: Path, attempt: Callable[[], T]) -> T:
    """``attempt()``, tried again while another program holds the vault's lock: after a moment a notice says
    who holds it, and after ``lock_wait()`` seconds a UserError names it and says what to do."""
    start = deadline = None
    told = False
    while True:
        try:
            return attempt()
        except Exception as exc:
            if not is_locked(exc):
                raise
            now = time.monotonic()
            if start is None:
                start, deadline = now, now + lock_wait()
            if now >= deadline:
                raise locked_error(path) from None
            if not told and now - start >= NOTICE_AFTER_S:
                notice(f"Waiting for the vault {path}: {_who(path)} is using it (up to {lock_wait():g} s; "
                       "Ctrl-C to stop)...")
                told = True
            time.sleep(RETRY_S)


def locked_error(path: Path) -> UserError:
    return VaultFault(f"The vault {path} is in use by {_who(path)}, and stayed so for {lock_wait():g} s.",
                      "Run the command again when that has finished.")


def read_only_error(path: Path) -> UserError:
    what = "its folder" if path.exists() and os.access(path, os.W_OK) else "the file"
    return VaultFault(f"The vault {path} is read-only ({what} cannot be written).",
                      "Commands that only read it (inventory, report, score, export) still work; to import or "
                      "forget, copy it to a folder you can write, or change its permissions.")


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} KB"


def full_error(path: Path, needed: int | None = None) -> VaultFault:
    """A full disk, or a file-size limit of the shell (``ulimit -f``): which, and how much space is needed."""
    need = f"; this import needs about {_mb(needed)}" if needed else ""
    limit, free = _file_size_limit(), _free(path)
    if limit is not None and (free is None or free > max(limit, needed or 0)):
        return VaultFault(f"The vault {path} reached this shell's file-size limit (ulimit -f: {_mb(limit)}){need}.",
                          "Raise the limit (ulimit -f unlimited) and run the command again.")
    left = f" ({_mb(free)} free)" if free is not None else ""
    return VaultFault(f"The disk holding {path} is full{left}{need}.",
                      "Free some space, or choose a vault on another disk (--vault), and run the command again.")


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent if str(path.parent) else Path(".")).free
    except OSError:
        return None


def _file_size_limit() -> int | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def explain(exc: BaseException, path: Path, needed: int | None = None) -> VaultFault | UserError | None:
    """A UserError saying what went wrong with the vault file, or None when ``exc`` is not about the file."""
    os_error = next((e for e in _chain(exc) if isinstance(e, OSError)), None)
    if os_error is not None and os_error.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)):
        return full_error(path, needed)
    error = sqlite_error(exc)
    if error is None:
        return None
    code = _code(error)
    if code in _LOCKED or is_locked(error):
        return locked_error(path)
    if code in _READ_ONLY or (code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR) and not writable(path)):
        return read_only_error(path)
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _cannot_grow(path)):
        return full_error(path, needed)
    if code in _DAMAGED:
        return VaultFault(f"{path} is not a datavault vault, or it is damaged ({error}).",
                          "If it was one, a copy from a backup is the safe way back.")
    if code == sqlite3.SQLITE_IOERR:
        return VaultFault(f"Writing the vault {path} failed ({error}): the disk may be failing, or was removed.",
                          "Check the disk, then run the command again.")
    if code == sqlite3.SQLITE_CANTOPEN:
        return VaultFault(f"The vault {path} cannot be opened ({error}).", "Check the path and its permissions.")
    return None


def _cannot_grow(path: Path) -> bool:
    """Whether a failed write is likely a full disk or a file-size limit (SQLite says only "disk I/O error")."""
    free = _free(path)
    return _file_size_limit() is not None or (free is not None and free < 64 << 20)


def _chain(exc: BaseException | None):
    seen = 0
    while exc is not None and seen < 8:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
