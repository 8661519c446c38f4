"""Opening what the user hands us: a zip, a multi-part zip set, a folder, or a single file.

Members are streamed straight out of the zip, never extracted: nothing of the person's data is written to a
temporary file, and a member's name is only ever a label, never a path on disk (``../../x`` is just a name).
A zip inside a folder is opened in place, its members named ``that.zip/inner/path``.

A zip whose central directory is missing (a download cut short) is *salvaged*: its local file headers are read
in order and every member that is complete is still imported, streamed from the file like any other; the rest
is reported.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from datavault.errors import UserError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# photos, videos and sound by their names: such a member's bytes are never read, not even its first ones (a 50 GB
# Photos takeout unpacked into a folder must cost only its sidecars); importers recognise them by name too
MEDIA_SUFFIXES = frozenset(
    ".jpg .jpeg .jpe .jfif .png .gif .heic .heif .webp .bmp .tif .tiff .dng .raw .cr2 .cr3 .nef .arw .orf .rw2 "
    ".raf .srw .pef .avif .ico .svg .mp .mp4 .mov .m4v .3gp .3g2 .avi .mkv .webm .mpg .mpeg .mts .m2ts .wmv .flv "
    ".mpo .insp .lrv .gifv .m4a .mp3 .wav .pdf".split())
_MEDIA_TAIL = re.compile(r"(~\d+|\(\d+\))$")  # PXL_1.MP~2, IMG.jpg(1): still media
_PART = re.compile(r"^(?P<stem>.+?)-(?P<part>\d{1,4})\.zip$", re.IGNORECASE)
_TAKEOUT_TIME = re.compile(r"(\d{8}T\d{6}Z)")


class Member:
    """One file of an archive: a name, a size, and a way to stream its bytes."""

    __slots__ = ("name", "size", "mtime", "crc", "packed", "unreadable", "_opener", "_head")

    def __init__(self, name: str, size: int | None, opener: Callable[[], BinaryIO],
                 mtime: dt.datetime | None = None, crc: int | None = None, packed: int | None = None,
                 unreadable: str | None = None):
        self.name = name
        self.size = size
        self.mtime = mtime
        self.crc = crc  # a zip entry's CRC-32, from the zip's directory: identifies content without reading it
        self.packed = packed  # a zip entry's compressed size (what it inflates from); None for a file on disk
        self.unreadable = unreadable  # why this member cannot be read at all (a broken zip in a folder), or None
        self._opener = opener
        self._head: bytes | None = None

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        base = self.basename
        return base[base.rfind("."):].lower() if "." in base else ""

    def open(self) -> BinaryIO:
        return self._opener()

    def head(self, n: int = 8192) -> bytes:
        """The first bytes (at most ``n``; cached up to 64 KiB), to recognise a format by its content."""
        if self._head is None or (len(self._head) < n and len(self._head) == _HEAD_CACHE):
            with self.open() as fh:
                self._head = fh.read(max(n, _HEAD_CACHE) if n <= _HEAD_CACHE else n)
        return self._head[:n]

    def forget_head(self) -> None:
        """Drop the cached first bytes (a Takeout has 100,000 members: their heads must not pile up)."""
        self._head = None

    def content_print(self) -> str | None:
        """Cheap evidence of this member's content, to tell an unchanged member from a changed one without
        reading it: a zip entry's size and CRC-32 from the zip's directory; a file on disk's size, modification
        time and a digest of its first and last ``PRINT_BLOCK`` bytes. None when there is none (a salvaged zip
        entry has no directory, an unreadable member nothing to read): such a member is always read.

        A file changed in its middle without a change of size or modification time (a forged mtime) is taken
        as unchanged; any other change is seen."""
        if self.unreadable:
            return None
        if self.crc is not None:
            return f"zip:{self.size}:{self.crc:08x}"
        if self.packed is not None or self.size is None:
            return None
        try:
            with self.open() as fh:
                digest = hashlib.blake2b(fh.read(PRINT_BLOCK), digest_size=16)
                if self.size > PRINT_BLOCK:
                    fh.seek(max(self.size - PRINT_BLOCK, PRINT_BLOCK))
                    digest.update(fh.read(PRINT_BLOCK))
        except (OSError, ValueError):
            return None
        when = self.mtime.isoformat() if self.mtime is not None else "-"
        return f"file:{self.size}:{when}:{digest.hexdigest()}"

    def text_head(self, n: int = 8192) -> str:
        """The first characters as text: UTF-8 with a BOM removed; undecodable bytes replaced."""
        data = self.head(n)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16", "replace")
        return data.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return f"Member({self.name!r}, {self.size})"


_HEAD_CACHE = 65536
PRINT_BLOCK = 65536  # bytes at each end of a file on disk that Member.content_print digests


@dataclass
class Archive:
    """One input as the user named it (a multi-part set counts as one)."""

    label: str
    paths: list[Path]
    kind: str  # zip, zipset, folder, file
    _members: list[Member] | None = field(default=None, repr=False)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (member or "", message)
    _closers: list = field(default_factory=list, repr=False)

    def members(self) -> list[Member]:
        if self._members is None:
            self._members = list(self._list())
        return self._members

    @functools.cached_property
    def names(self) -> frozenset[str]:
        return frozenset(m.name for m in self.members())

    def _list(self) -> Iterator[Member]:
        if self.kind == "file":
            path = self.paths[0]
            if _is_zip(path):
                yield from self._zip_members(path, "")
            else:
                yield _file_member(path, path.name)
        elif self.kind in ("zip", "zipset"):
            for path in self.paths:
                yield from self._zip_members(path, "")
        elif self.kind == "folder":
            root = self.paths[0]

            def unreadable_folder(exc: OSError) -> None:  # os.walk would skip it without a word
                where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else str(root)
                self.problems.append((where, f"folder {where} cannot be read ({exc.strerror or exc}): "
                                             "its files were not imported"))

            for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_folder):
                dirnames.sort()
                for fname in sorted(filenames):
                    path = Path(dirpath, fname)
                    rel = path.relative_to(root).as_posix()
                    if path.is_symlink() or not path.is_file():
                        continue
                    if fname.lower().endswith(".zip"):
                        yield from self._inner_zip(path, rel)
                    else:
                        yield _file_member(path, rel)

    def _inner_zip(self, path: Path, rel: str) -> Iterator[Member]:
        """The members of a zip found in a folder; a zip that cannot be opened is one member marked unreadable
        (reported as failed), never offered to the importers as a plain file (an attachment, say)."""
        try:
            members = list(self._zip_members(path, rel + "/"))
        except UserError as exc:
            yield _file_member(path, rel, unreadable=str(exc).rstrip("."))
            return
        yield from members

    def _zip_members(self, path: Path, prefix: str) -> Iterator[Member]:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
            salvaged = list(_salvage(path, prefix))
            if not salvaged:
                raise UserError(f"{path.name} is not a readable zip archive (it may be truncated or corrupt).")
            self.problems.append(("", f"{path.name}: the zip's directory is missing (an interrupted download?); "
                                      f"{len(salvaged)} complete member(s) were recovered, anything after them is lost"))
            yield from salvaged
            return
        except OSError as exc:
            raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        self._closers.append(zf)
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = prefix + clean_name(info.filename)
            try:
                mtime = dt.datetime(*info.date_time)
            except ValueError:
                mtime = None
            yield Member(name, info.file_size, _zip_opener(zf, info), mtime, info.CRC, info.compress_size)

    def created(self) -> dt.datetime | None:
        """When the export was made: the Takeout-style time in the file name, else the newest zip entry date
        (zip dates carry no zone; taken as UTC, good to a few hours). Never a file's mtime on this disk."""
        for path in self.paths:
            found = _TAKEOUT_TIME.search(path.name)
            if found:
                return dt.datetime.strptime(found.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        if not any(_is_zip(path) for path in self.paths):
            return None  # a file or folder on disk: its dates are this computer's, not the export's
        dates = [m.mtime for m in self.members() if m.mtime is not None]
        return max(dates).replace(tzinfo=dt.timezone.utc) if dates else None

    def fingerprint(self) -> str:
        """Identifies this export: the same archive imported again is recognised as the same source."""
        digest = hashlib.sha256()
        for member in sorted(self.members(), key=lambda m: m.name):
            digest.update(member.name.encode("utf-8", "surrogateescape"))
            digest.update(str(member.size).encode())
            digest.update(_content_sample(member))
        return digest.hexdigest()[:32]

    def close(self) -> None:
        for closer in self._closers:
            closer.close()
        self._closers.clear()


def clean_name(name: str) -> str:
    """A member name as a '/'-separated label. Never used as a path on disk, so '..' may stay."""
    name = name.replace("\\", "/")
    while name.startswith("/"):
        name = name[1:]
    while name.startswith("./"):
        name = name[2:]
    return name


def is_media_name(name: str) -> bool:
    """A photo, video or sound file by its name (``IMG_1.JPG``, ``PXL_2.MP~2``, ``VID(1).mp4``)."""
    base = _MEDIA_TAIL.sub("", name.rsplit("/", 1)[-1])
    return "." in base and base[base.rfind("."):].lower() in MEDIA_SUFFIXES


def _content_sample(member: Member) -> bytes:
    # a zip entry's CRC costs nothing; for files on disk, the first 4 KiB (with name and size) will do, except
    # for media, which are never read: their name and size are the sample
    if member.crc is not None:
        return member.crc.to_bytes(4, "big")
    if is_media_name(member.name):
        return b"media"
    try:
        return hashlib.sha256(member.head(4096)).digest()
    except (zlib.error, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return b"unreadable"  # the pipeline reports this member as failed


def _file_member(path: Path, name: str, unreadable: str | None = None) -> Member:
    stat = path.stat()
    return Member(name, stat.st_size, lambda p=path: open(p, "rb"),
                  dt.datetime.fromtimestamp(stat.st_mtime), unreadable=unreadable)


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    return lambda: zf.open(info)


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in ZIP_MAGIC
    except OSError:
        return False


def _salvage(path: Path, prefix: str) -> Iterator[Member]:
    """Members of a zip whose central directory is gone, found by walking the local headers in order.

    Listing decompresses each member once, in chunks, only to find where it ends; opening one decompresses
    it again from the file as it is read. Memory stays bounded however large the archive or its members."""
    try:
        fh = open(path, "rb")
    except OSError:
        return
    with fh:
        pos = 0
        while True:
            fh.seek(pos)
            header = fh.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                return
            (_, _, flags, method, _, _, _, csize, _usize, nlen, xlen) = struct.unpack("<IHHHHHIIIHH", header)
            raw_name = fh.read(nlen)
            body = pos + 30 + nlen + xlen
            name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            if method == 8:
                fh.seek(body)
                size, used = _inflate_span(fh)
                if size is None:
                    return  # cut inside this member: it and everything after it is lost
            elif method == 0 and not flags & 0x08:
                if body + csize > path.stat().st_size:
                    return
                size, used = csize, csize
            else:
                return  # a stored member of unknown length, or a method we cannot stream
            pos = body + used
            if flags & 0x08:  # a data descriptor follows the data: skip it (with or without its signature)
                fh.seek(pos)
                pos += 16 if fh.read(4) == b"PK\x07\x08" else 12
            if not name.endswith("/"):
                yield Member(prefix + clean_name(name), size, _salvaged_opener(path, body, method, size),
                             packed=used)


def _inflate_span(fh) -> tuple[int | None, int]:
    """(uncompressed size, compressed bytes used) of the deflate stream at the file's position; None if cut."""
    decomp = zlib.decompressobj(-15)
    size = used = 0
    while not decomp.eof:
        chunk = fh.read(1 << 20)
        if not chunk:
            return None, used
        data = chunk
        try:
            while data and not decomp.eof:  # bounded output per call: a zip bomb cannot fill the memory
                size += len(decomp.decompress(data, 1 << 22))
                data = decomp.unconsumed_tail
        except zlib.error:
            return None, used
        used += len(chunk) - len(decomp.unused_data)
    return size, used


def _salvaged_opener(path: Path, body: int, method: int, size: int) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        raw = open(path, "rb")
        raw.seek(body)
        if method == 0:
            return io.BufferedReader(_Limited(raw, size))
        return io.BufferedReader(_Inflating(raw))
    return opener


class _Limited(io.RawIOBase):
    def __init__(self, raw, left: int):
        self.raw, self.left = raw, left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(min(len(buffer), self.left))
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Inflating(io.RawIOBase):
    def __init__(self, raw):
        self.raw = raw
        self.decomp = zlib.decompressobj(-15)
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending and not self.decomp.eof:
            chunk = self.decomp.unconsumed_tail or self.raw.read(1 << 16)
            if not chunk:
                break
            self.pending = self.decomp.decompress(chunk, 1 << 20)
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_inputs(paths: list[str | os.PathLike]) -> list[Archive]:
    """The archives the user named. Parts of a multi-part zip set passed together become one archive."""
    if not paths:
        raise UserError("Name at least one export to import (a .zip, a folder, or a chat .txt file).")
    archives: list[Archive] = []
    sets: dict[str, list[Path]] = {}
    for raw in paths:
        if isinstance(raw, str) and not raw:
            raise UserError("An empty path was given (an unset shell variable?): name an export to import.")
        path = Path(raw).expanduser()
        try:
            if not path.exists():
                raise UserError(f"No such file or folder: {raw}")
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as exc:  # a name too long for the system, a loop of links
            raise UserError(f"Cannot read {raw}: {exc.strerror or exc}.") from None
        if is_dir:
            archives.append(Archive(path.name or str(path), [path], "folder"))
            continue
        if not is_file:  # opening a FIFO would wait for a writer forever; a device never ends
            raise UserError(f"{raw} is not a regular file or folder (a pipe, device or socket): name an export "
                            "file, or a folder holding one.")
        if not os.access(path, os.R_OK):
            raise UserError(f"Cannot read {raw}: permission denied.")
        match = _PART.match(path.name)
        if match and _is_zip(path):
            key = str(path.parent / match.group("stem"))
            if key not in sets:
                sets[key] = []
                archives.append(Archive(match.group("stem"), sets[key], "zipset"))
            sets[key].append(path)
        elif _is_zip(path):
            archives.append(Archive(path.name, [path], "zip"))
        elif path.suffix.lower() == ".zip":
            if path.stat().st_size == 0:
                raise UserError(f"{path.name} is empty (0 bytes): the download may have failed.")
            salvage = Archive(path.name, [path], "zip")
            archives.append(salvage)  # not a zip by its first bytes: _zip_members salvages or raises clearly
        else:
            archives.append(Archive(path.name, [path], "file"))
    for archive in archives:
        if archive.kind == "zipset":
            archive.paths.sort()
            if len(archive.paths) == 1:
                archive.kind = "zip"
                archive.label = archive.paths[0].name
    return archives
