"""WhatsApp chat exports ("Export chat"): a ``.txt``, or a ``.zip`` holding ``_chat.txt`` (or ``WhatsApp Chat
with X.txt``) and media.

Reads every header variant (Android ``date, time - sender: text``, iOS ``[date, time] sender: text``, legacy
``date, time: sender: text``), any date order and separator, 12 h clocks in any spelling (``PM``, ``p. m.``,
``nachm.``; ASCII space, U+00A0 or U+202F before it), LF/CRLF/CR, a BOM, multi-line messages (a line that starts
no new message belongs to the one above, blank lines included), day periods before or after the time in any
script and native digits, system lines, media placeholders and attachments, deleted and edited messages,
calls, locations and polls in the languages of ``whatsapp_locales.toml``. A line starts a message only in the
header form the file established (see _ChatParser._accept); a chat-like file with no readable header is
refused (explain_unreadable).

Decisions it records with the import: the day/month order of each file and its basis (a field above 12, or the
reading that keeps the timestamps in file order), and who the owner is (``--me``; a 1:1 chat named after the
other person; a sender who wrote "You deleted this message"; the one sender present in every chat).

The owner is marked while reading, so the vault need not rewrite a million rows afterwards: with ``--me`` every
message knows ``from_owner`` at once; without it, a tentative owner is taken as soon as one is knowable (the other
sender once the person a chat is named after has written; a sender who deleted their own message) and the first
5,000 items wait for it. The decision at the end says ``settled`` when every message already carries it,
``overwrite`` when tentative marks proved wrong (a third sender in a chat named after a person: no owner, the
marks are withdrawn), or neither when some messages were let go unmarked. A chat no file decides is left to
``conclude`` (the one sender present in every chat).

Speed (a million-message chat is read in a few seconds): UTF-8 is read in 1 MB blocks split on LF, CRLF and CR
only; the most common header (``08/01/2024, 08:30 - ``) has a fast path that matches exactly where HEADER would;
dates, clocks and the kinds of short one-line bodies are remembered by their text.

A later export of the same chat starts with the bytes of the earlier one (WhatsApp writes the whole chat again,
oldest first): a chat read in full yields a ``Checkpoint`` (its size, its SHA-256, the parser's state at the end),
and a later copy that starts with the same bytes is read on from there (``_ChatParser._resume``), after the
importer checked those bytes, with the state it would have had after reading them again. A copy whose bytes
differ (an edited or deleted message, another --me or --tz) is read whole.

Text is kept exactly as written: no Unicode normalisation, emoji, joiners and bidi marks intact; only the
header zone is normalised. It deliberately ignores: media file contents (the attachments of a zip are listed
in the inventory as skipped), and the zone of the wall-clock times (there is none in the file; ``--tz`` sets it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from typing import Iterator

from datavault.archive import Member
from datavault.importer import PARSE, RESUME, RESUME_HEAD, Claim, ImportContext, head_digest, iter_notes, skip
from datavault.records import Checkpoint, Message, Note, OwnerDecision, Person, Problem, Resumed
from datavault.timeutil import iso_utc
from datavault.importers import whatsapp_lexicon as L

NAME = "whatsapp"
TRUNCATION_CAP = 40_000  # WhatsApp's documented-by-users limit for exports without media
BUFFER_LIMIT = 100_000  # messages held while the day/month order is undecided
_OWNER_HOLD = 5_000  # items held at the start until a tentative owner may be known (see _ChatParser.run)
_OWNER_HOLD_CHARS = 4_000_000  # ... unless their text is longer than this (a few huge messages)

_SPACE = r"[\s\u00a0\u202f\u2009\u2007]"
_RTL = r"[\u200f\u200e]?"  # Arabic exports put a right-to-left mark after each number of the date
# 12-hour day-period markers from the locale table, longest first (so "p. m." is tried before "p"), before or
# after the time ("오후 2:05", "下午2:05", "2:05 م", "1:05 PM"); the German words and [ap]. m. forms as before
_MARKERS = "|".join(re.escape(w) for w in sorted({*L.AM_WORDS, *L.PM_WORDS}, key=len, reverse=True))
HEADER = re.compile(
    r"(?P<lead>[" + L.BIDI + r"]*)(?P<br>\[)?"
    r"(?P<d1>\d{1,4})" + _RTL + r"(?P<sep>[./-])" + _SPACE + r"?(?P<d2>\d{1,2})" + _RTL + r"(?P=sep)" + _SPACE
    + r"?(?P<d3>\d{1,4})" + _RTL + r"\.?"
    r"(?:[,،]" + _RTL + _SPACE + r"*|" + _SPACE + r"*~" + _SPACE + r"*|" + _SPACE + r"+)"
    r"(?:(?P<ap0>" + _MARKERS + r")" + _SPACE + r"?|(?P<joiner>[^\W\d_]{1,4}\.?)" + _SPACE + r"+)?"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:" + _SPACE + r"?(?P<ap>[AaPp]\.?" + _SPACE + r"?[Mm]\.?|vorm\.|nachm\.|morgens|vormittags|mittags|"
    r"nachmittags|abends|nachts|" + _MARKERS + r"))?\.?"
    r"(?(br)\])"
    r"(?P<sepx>" + _SPACE + r"[-–]" + _SPACE + r"|:" + _SPACE + r"|;" + _SPACE + r"|" + _SPACE + r")")
# the decimal digits of the scripts WhatsApp writes dates in besides ASCII (Arabic-Indic, Persian, Devanagari,
# Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao, Myanmar, Khmer, full width)
_NATIVE_DIGITS = "".join(chr(start + i) for start in (
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50, 0x0ED0,
    0x1040, 0x17E0, 0xFF10) for i in range(10))
_HEAD_START = frozenset("0123456789[" + L.BIDI + _NATIVE_DIGITS)
_PM = frozenset(("nachm.", "nachmittags", "abends", *L.PM_WORDS))
_NOON = frozenset(("mittags", "中午"))  # noon words: 12 stays 12, 1 to 10 are afternoon hours
_SPACE_CHARS = " \u00a0\u202f\u2009\u2007"
# The most common header, "08/01/2024, 08:30 - " (Android, any day/month order): where it matches, HEADER matches
# with the same end and the same fields (no lead, bracket, joiner, seconds or day period; sepx " - "): every
# element of HEADER takes its first choice there, so no other reading comes first. ASCII digits only: a line
# starting with another digit is no header at all (_HEAD_START). Group 1 is the date, group 2 the time.
_DASH_HEADER = re.compile(r"([0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}), ([0-9]{1,2}:[0-9]{2}) - ")
_DASH = (False, "-")  # the variant (bracketed, separator) of those headers
_SURROGATE = re.compile("[\udc80-\udcff]")
_READ_BYTES = 1 << 20  # bytes read (and decoded) at a time


class WhatsAppImporter:
    name = NAME
    platform = NAME

    def claim(self, member: Member, ctx: ImportContext) -> Claim | None:
        base = member.basename
        lower = base.lower()
        if lower.endswith(".txt"):
            head = _text_head(member)
            if _first_header(head) is not None:
                return PARSE
            why = _unreadable_chat(member, head, ctx)
            if why:  # it looks like a chat, but no header form can be established: refused, never guessed
                ctx.options.setdefault(_REFUSED, []).append(why)
            return None
        if _chat_beside(member.name, ctx.names) and not lower.endswith((".json", ".html", ".csv", ".vcf.json")):
            return skip("attachment of a WhatsApp chat (media are not read)")
        return None

    def explain_unreadable(self, ctx: ImportContext) -> str | None:
        """Why a chat-like text file was not read (the first unreadable line), when nothing else was."""
        refused = ctx.options.get(_REFUSED)
        if not refused:
            return None
        return refused[0] + (f" (and {len(refused) - 1} more such file(s))" if len(refused) > 1 else "")

    def parse(self, member: Member, ctx: ImportContext) -> Iterator:
        return _ChatParser(member, ctx, conversation_name(member.name, ctx.archive_name)).run()

    def conclude(self, notes, ctx: ImportContext) -> Iterator:
        """Owner of the chats no file could decide: one owner found elsewhere, or the one sender in every chat."""
        if ctx.me:
            return
        senders = {member: set(value) for member, value in iter_notes(notes, "senders")}
        decided = {member: value["sender"] for member, value in iter_notes(notes, "owner")
                   if value["sender"] is not None}  # None: tentative marks withdrawn, the owner is unknown
        conversations = dict(iter_notes(notes, "conversation"))
        undecided = [m for m in senders if m not in decided]
        if not undecided:
            return
        owners = set(decided.values())
        if len(owners) == 1:
            owner = owners.pop()
            basis = f"{owner} is the owner in another chat of this export"
        else:
            common = set.intersection(*senders.values()) if len(senders) >= 2 else set()
            if len(common) != 1:
                if len(senders) >= 2 or undecided:
                    yield Note("owner_unknown", "no single sender is present in every chat; use --me NAME")
                return
            owner = common.pop()
            basis = f"the only sender present in all {len(senders)} chats"
        for member in undecided:
            if owner in senders[member]:
                yield OwnerDecision(NAME, conversations.get(member), owner, basis)


IMPORTER = WhatsAppImporter()


# ---------------------------------------------------------------------------------------------------------------
# names


def conversation_name(member_name: str, archive_name: str) -> str:
    """The chat's name: the other person of a 1:1 chat or the group's name, from the file or folder name."""
    parts = member_name.split("/")
    base = parts[-1]
    stem = base[:-4] if base.lower().endswith(".txt") else base
    for candidate in (stem, *(p for p in reversed(parts[:-1])), _strip_zip(archive_name)):
        name = _after_prefix(candidate)
        if name:
            return name
    if stem.lower() in ("_chat", "chat") :
        folder = parts[-2] if len(parts) > 1 else _strip_zip(archive_name)
        return _strip_zip(folder) or stem
    return stem


def _after_prefix(candidate: str) -> str | None:
    """The chat's name in an export's file or folder name in any language ("WhatsApp Chat with Ana",
    "Чат WhatsApp с Иван", "WhatsApp Sohbeti - Ayşe", "与王芳的 WhatsApp 聊天"); None when it is no such name.
    Spaces written as "_" (some file systems and mail programs) are read as spaces."""
    candidate = _strip_zip(candidate).strip()
    spaced = candidate.replace("_", " ")
    for prefix in L.CHAT_FILE_PREFIXES:
        if candidate.startswith(prefix) or spaced.startswith(prefix):
            return candidate[len(prefix):].strip() or None
    for pattern in L.CHAT_FILE_NAMES:
        found = pattern.fullmatch(candidate) or pattern.fullmatch(spaced)
        if found:
            return found.group("n").strip() or None
    return None


def _strip_zip(name: str) -> str:
    return name[:-4] if name.lower().endswith((".zip", ".txt")) else name


def _chat_beside(member_name: str, names: frozenset[str]) -> bool:
    return member_name.rpartition("/")[0] in _chat_folders(names)


@functools.lru_cache(maxsize=8)
def _chat_folders(names: frozenset[str]) -> frozenset[str]:
    """Folders of the archive that hold a chat file (computed once per archive: a Takeout has 100,000 names)."""
    folders = set()
    for name in names:
        folder, _, base = name.rpartition("/")
        if base == "_chat.txt" or (base.lower().endswith(".txt") and _after_prefix(base[:-4])):
            folders.add(folder)
    return frozenset(folders)


def _utf16_of(head: bytes) -> str | None:
    """The UTF-16 codec of a file's first bytes: by its BOM, or (no BOM, as some Windows tools save) by the
    zero byte beside each ASCII character; None for anything else."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) >= 4 and head[0] and not head[1] and head[2] and not head[3]:
        return "utf-16-le"
    if len(head) >= 4 and not head[0] and head[1] and not head[2] and head[3]:
        return "utf-16-be"
    return None


def _text_head(member: Member) -> str:
    encoding = _utf16_of(member.head(4))
    if encoding and encoding != "utf-16":
        return member.head(16384).decode(encoding, "replace")
    return member.text_head(16384)


_REFUSED = "whatsapp_refused"  # ctx.options: why chat-like files were refused (see explain_unreadable)
# a line that starts like a timestamp: three numbers, then a time within a few characters (any script)
_LOOSE_HEADER = re.compile(r"[" + L.BIDI + r"\s]*\[?\d{1,4}\D{1,3}\d{1,4}\D{1,3}\d{1,4}\D{0,12}?\d{1,2}[:.]\d{2}")


def _who(member: Member, ctx: ImportContext) -> str:
    """The member's name before a refusal, unless it is the input itself (the pipeline names that)."""
    return "" if member.name == ctx.archive_name else f"{member.name}: "


def _unreadable_chat(member: Member, head: str, ctx: ImportContext) -> str | None:
    """One line saying why a text file that looks like a WhatsApp chat (its name, or its first line starting
    with a date and a time) cannot be read: its first line no header form accepts. None when it is no chat."""
    lines = head.splitlines()[:5]
    named = member.basename == "_chat.txt" or _after_prefix(member.basename) is not None
    for number, line in enumerate(lines, 1):
        if not line.strip(" \t" + L.BIDI):
            continue
        if named or _LOOSE_HEADER.match(line):
            shown = line if len(line) <= 70 else line[:67] + "..."
            return (f"{_who(member, ctx)}looks like a WhatsApp chat, but its header format could not be established "
                    f"with confidence, so it was not imported; first unreadable line {number}: {shown!r}")
        return None
    if named and head.strip("\x00 \t\r\n\ufffd"):
        return f"{_who(member, ctx)}named like a WhatsApp chat, but no line of it starts like a message"
    return None


def _plausible(match: re.Match) -> bool:
    """The date has its year at one end: four digits first, or two or four digits last."""
    first = len(match.group("d1"))
    return first == 4 if first >= 3 else len(match.group("d3")) in (2, 4)


def _first_header(text: str) -> re.Match | None:
    """The first line's header, if the text starts like a chat export (blank lines and marks allowed)."""
    for line in text.splitlines()[:5]:
        if not line.strip(" \t" + L.BIDI):
            continue
        match = HEADER.match(line)
        if match and match.group("sepx").strip() in ("-", "–", "", ":", ";") and _plausible(match):
            rest = line[match.end():]
            return match if rest.strip() else None
        return None
    return None


# ---------------------------------------------------------------------------------------------------------------
# reading lines


class _Lines:
    """The member's lines without their endings (LF, CRLF or CR), decoded as UTF-8 with a BOM removed.

    Bytes that are not UTF-8 are read as Windows-1252 for that line (nothing is dropped) and counted.
    UTF-16 files (rare; some Windows tools re-save chats so) are recognised by their BOM.
    """

    def __init__(self, member: Member, after: "_After | None" = None):
        self.member = member
        self.after = after  # a reading that goes on after the bytes a checkpoint covers
        self.not_utf8: list[int] = after.not_utf8 if after is not None else []
        self.digest: str | None = None  # SHA-256 of every byte, once all were read (UTF-8 files)
        self.size = 0  # bytes read, with those before ``after``
        self.ending = ""  # the last byte read when it is a line end, else ""

    def __iter__(self) -> Iterator[str]:
        if self.after is None and (encoding := _utf16_of(self.member.head(4))):
            return self._utf16(encoding)
        return itertools.chain.from_iterable(self._blocks())  # lists of lines, read a line at a time in C

    def _blocks(self) -> Iterator[list[str]]:
        # UTF-8 is read in big blocks cut after a line end (LF and CR bytes occur in no multi-byte sequence),
        # decoded at once and split with str.split: a line at a time through TextIOWrapper costs more than all
        # the rest of reading. Only LF, CRLF and CR end a line (str.splitlines would also split on U+2028,
        # U+0085, form feeds and more, which WhatsApp keeps inside a message).
        after = self.after
        with self.member.open() if after is None else after.stream as raw:
            hasher = hashlib.sha256() if after is None else after.hasher
            size = 0 if after is None else after.size
            number = 0 if after is None else after.lines  # lines given so far
            held: list[bytes] = []  # bytes read after the last cut (a long line may span many blocks)
            start = True
            last = b""
            while True:
                block = raw.read(_READ_BYTES)
                if block:
                    hasher.update(block)
                    size += len(block)
                    last = block[-1:]
                    # cut after the last LF, or after the last CR that is not the last byte (it may start a CRLF)
                    cut = max(block.rfind(b"\n"), block.rfind(b"\r", 0, len(block) - 1)) + 1
                    if not cut:
                        held.append(block)
                        continue
                    data = b"".join((*held, block[:cut])) if held else block[:cut]
                    held = [block[cut:]] if cut < len(block) else []
                elif held:
                    data = b"".join(held)
                else:
                    break
                if start:
                    start = False
                    if after is None:
                        if data.startswith(b"\xef\xbb\xbf"):
                            data = data[3:]
                    else:
                        data = after.past_line_end(data)
                try:
                    text = data.decode("utf-8")
                    clean = True
                except UnicodeDecodeError:
                    text = data.decode("utf-8", "surrogateescape")
                    clean = False
                del data  # a chat of one huge message must not hold it three times over (bytes, text, lines)
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                lines = text.split("\n")
                del text
                if not lines[-1]:  # the piece's last line end (the file's last line may have none)
                    lines.pop()
                if not clean:
                    self._mend(lines, number)
                number += len(lines)
                yield lines
                if not block:
                    break
            self.digest, self.size = hasher.hexdigest(), size
            self.ending = last.decode("latin-1") if last in (b"\n", b"\r") else ""

    def _utf16(self, encoding: str) -> Iterator[str]:
        """UTF-16 files (rare; some Windows tools re-save chats so), a line at a time."""
        with self.member.open() as raw:
            stream = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
            for number, line in enumerate(stream, 1):
                if line.endswith("\n"):
                    line = line[:-1]
                if line.endswith("\r"):
                    line = line[:-1]
                if not line.isascii() and _SURROGATE.search(line):
                    self.not_utf8.append(number)
                    line = line.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
                yield line

    def _mend(self, lines: list[str], before: int) -> None:
        """Lines holding bytes that are not UTF-8 (escaped as surrogates) read again as Windows-1252."""
        for i, line in enumerate(lines):
            if not line.isascii() and _SURROGATE.search(line):
                self.not_utf8.append(before + i + 1)
                lines[i] = line.encode("utf-8", "surrogateescape").decode("cp1252", "replace")


class _Restart(Exception):
    """A reading resumed from a checkpoint cannot go on as the whole file's reading would (the bytes after the
    checkpoint continue its last line or its last message): the file is read whole instead."""


@dataclass(slots=True)
class _After:
    """Where a resumed reading starts: ``stream`` is past the ``size`` bytes a checkpoint covers (``hasher`` has
    taken them), which held ``lines`` lines and ended with ``ending`` (a line end, or "" when the earlier file's
    last line had none)."""

    stream: object
    hasher: object
    size: int
    lines: int
    ending: str
    not_utf8: list[int]

    def past_line_end(self, data: bytes) -> bytes:
        """The first bytes after the checkpoint without the end of the earlier file's last line: its LF after a
        CR, or the line end it lacked (anything else continues that line: _Restart)."""
        if self.ending == "\r":
            return data[1:] if data.startswith(b"\n") else data
        if self.ending == "\n" or not data:
            return data
        for end in (b"\r\n", b"\n", b"\r"):
            if data.startswith(end):
                return data[len(end):]
        raise _Restart()


def _open_after(member: Member, size: int, digest: str) -> tuple[object, object] | None:
    """(the member open after its first ``size`` bytes, their SHA-256 hasher) if those bytes have ``digest``;
    else None."""
    raw = member.open()
    hasher = hashlib.sha256()
    left = size
    while left > 0 and (block := raw.read(min(left, _READ_BYTES))):
        hasher.update(block)
        left -= len(block)
    if left or hasher.hexdigest() != digest:
        raw.close()
        return None
    return raw, hasher


# ---------------------------------------------------------------------------------------------------------------
# the parser


@dataclass(slots=True)
class _Pending:
    line: int
    match: re.Match
    header_line: str
    more: list[str] | None = None


@dataclass
class _DateOrder:
    """How the year-last dates of one file are read: day-first or month-first, and why."""

    order: str | None = None  # "dmy" or "mdy"
    basis: str = ""

    def observe(self, d1: int, d2: int, line: int, shown: str) -> None:
        if self.order is None:
            if d1 > 12 >= d2:
                self.order, self.basis = "dmy", f"a first field above 12 ({shown}, line {line})"
            elif d2 > 12 >= d1:
                self.order, self.basis = "mdy", f"a second field above 12 ({shown}, line {line})"


class _ChatParser:
    def __init__(self, member: Member, ctx: ImportContext, conversation: str):
        self.member = member
        self.ctx = ctx
        self.conversation = conversation
        self.order = _DateOrder()
        self.variant: tuple[bool, str] | None = None  # (bracketed, separator) of the first header
        self.variants: dict[tuple[bool, str], int] = {}
        self.dates: dict[tuple, str | None] = {}
        self.clocks: dict[tuple, str | None] = {}
        self.days: dict[str, str] = {}  # "08/01/2024" -> "2024-01-08" for the fast path (see _day)
        self.kinds: dict = {}  # one-line body (with its sender when bracketed) -> (kind, edited); see _kind
        self.me = ctx.me
        self.tz = ctx.tz
        # each author as written -> (the name kept: bidi marks and "~ " taken off, whether it was "~ name")
        self.authors: dict[str, tuple[str, bool]] = {}
        self.senders: dict[str, int] = {}
        self.first_seen: dict[str, str] = {}
        self.ordinals: dict[tuple, int] | None = None
        self.first_identity: tuple | None = None
        self.ordinal_time: str | None = None
        self.owner_hint: tuple[str, str] | None = None
        self.mark = ctx.me  # the owner messages are marked by: --me, or a tentative one (see _remark)
        self.marks_used: set[str] = set()  # every tentative owner some message was marked by
        self.unmarked = 0  # messages (not system lines) emitted with from_owner None
        self.last_instant: dt.datetime | None = None
        self.counts = {"messages": 0, "system": 0, "continuation_lines": 0, "media_files": 0}
        self.attachments_missing: list[str] = []
        self.out_of_order = 0
        self.last_time: str | None = None
        self.order_conflicts: list[int] = []
        self.header_like_text: list[int] = []  # lines that look like a header of another form, kept as text
        self.switched: int | None = None  # the first line in the other family's header form (see _accept)
        self.dst = {"fold": 0, "gap": 0}  # --tz: wall-clock times in a repeated or a skipped hour
        folder = member.name.rpartition("/")[0]
        self.siblings = {n.rpartition("/")[2] for n in ctx.names if n.rpartition("/")[0] == folder}
        self.preamble: list[int] = []
        # what decides whether the reading can be continued from its end (see _checkpoint)
        self.read_problems = 0  # messages not imported (an invalid date or time)
        self.hold_done = self.me is not None  # the first messages held for the owner were let go before the end
        self.decided_at_end = False  # the day/month order was settled only at the end of the file

    # -- driving

    def run(self) -> Iterator:
        """The chat's messages (and problems), then what the file as a whole says (_report), then where a later
        copy of it may be read on from (_checkpoint).

        Messages carry ``from_owner`` as soon as an owner is knowable (--me, or a tentative one: see
        _remark); the first _OWNER_HOLD items (fewer if long) are held back so that a chat's first messages,
        read before both people of a 1:1 chat have written, are marked too, and a small chat is marked by its
        final owner."""
        point = self.ctx.options.get(RESUME, {}).get(self.member.name)
        if point is not None:
            resumed = self._resume(point)
            # a reading that could not go on from the checkpoint left its state behind: a new parser reads whole
            return resumed if resumed is not None else _ChatParser(self.member, self.ctx, self.conversation)._whole()
        return self._whole()

    def _whole(self) -> Iterator:
        lines = _Lines(self.member)
        items = self._read(lines)
        # chained, not ``yield from``: each generator an item passes through costs (a million items)
        return itertools.chain(self._held(items) if self.me is None else (), items, self._report(),
                               self._checkpoint(lines))

    def _resume(self, point: dict) -> Iterator | None:
        """The reading from a checkpoint on (``point``: one an earlier import of a copy of this chat left), or
        None when this reading cannot start there: other options or siblings, other first bytes, or bytes after
        the checkpoint that continue its last message (see _After.past_line_end and _read)."""
        state = point.get("state")
        if not isinstance(state, dict) or state.get("v") != _STATE_VERSION or state.get("reading") != self._reading() \
                or type(point.get("size")) is not int or not isinstance(point.get("digest"), str):
            return None
        opened = _open_after(self.member, point["size"], point["digest"])
        if opened is None:
            return None
        stream, hasher = opened
        try:
            self._restore(state)
            lines = _Lines(self.member, _After(stream, hasher, point["size"], int(state["lines"]),
                                               state["ending"], list(state["not_utf8"])))
            items = self._read(lines, resumed=True)
            first = next(items, None)  # reads the first lines after the checkpoint: a _Restart comes now or never
        except (_Restart, KeyError, TypeError, ValueError, AttributeError):  # or a state damaged in the vault
            stream.close()
            return None
        return itertools.chain((Resumed(f"line {state['lines'] + 1:,}"),), () if first is None else (first,),
                               items, self._report(), self._checkpoint(lines))

    def _held(self, items: Iterator) -> Iterator:
        held: list = []
        size = 0
        if _OWNER_HOLD:
            for item in items:
                held.append(item)
                if type(item) is Message:
                    size += len(item.raw)
                if len(held) >= _OWNER_HOLD or size >= _OWNER_HOLD_CHARS:
                    self.hold_done = True
                    break
        self._mark_held(held)
        yield from held

    def _read(self, lines: _Lines, resumed: bool = False) -> Iterator:
        match_header, head_start, dash_header = HEADER.match, _HEAD_START, _DASH_HEADER.match
        message, days, hours = self._message, self.days, {}
        buffer: list[_Pending] = []
        preamble = self.preamble
        number = first = lines.after.lines if lines.after is not None else 0
        continuation, dashed = self.counts["continuation_lines"], 0
        # the message being read: its first line's number, the line, where its body starts, its wall-clock
        # time, its continuation lines; ``slow`` holds it instead when it came through HEADER
        reading, slow = False, None
        start = end = 0
        header = wall = ""
        more: list[str] | None = None
        # the file's headers are "d/m/y, h:mm - " and its date order is known: the fast path
        steady = self.variant == _DASH and self.order.order is not None
        for number, line in enumerate(self._at_a_message(iter(lines)) if resumed else lines, first + 1):
            if steady and (m := dash_header(line)) is not None:
                # Fast path (most lines of most Android chats): _DASH_HEADER matches exactly where HEADER would
                # match with the same fields, and the file's own form is always accepted (see _accept).
                if reading:
                    if slow is None:
                        yield message(start, header, more, end, False, wall)
                    else:
                        slow.more = more
                        yield from self._flush(slow, buffer)
                reading = True
                more = None
                start, header, end = number, line, m.end()
                dashed += 1
                date, clock = m.group(1, 2)
                day = days.get(date)
                if day is None and (day := self._day(*date.split("/"), number)) is not None:
                    days[date] = day
                hour = hours.get(clock)
                if hour is None and (hour := _clock_text(*clock.split(":"), None, None)) is not None:
                    hours[clock] = hour
                if day is None or hour is None:  # not a valid date or time: reported by _emit
                    slow = _Pending(number, match_header(line), line)
                    continue
                wall = f"{day}T{hour}"
                slow = None
                continue
            if line and line[0] in head_start:
                match = match_header(line)
                if match is not None and self._accept(match, line, number):
                    if reading:
                        if slow is None:
                            yield message(start, header, more, end, False, wall)
                        else:
                            slow.more = more
                            yield from self._flush(slow, buffer)
                    reading, more, slow = True, None, _Pending(number, match, line)
                    steady = self.variant == _DASH and self.order.order is not None
                    continue
                if match is None and _LOOSE_HEADER.match(line):
                    self.header_like_text.append(number)  # a date and time in no form this file uses
            if not reading:
                if line.strip():
                    preamble.append(number)
            elif more is None:
                more = [line]
                continuation += 1
            else:
                more.append(line)
                continuation += 1
        if reading:
            if slow is None:
                yield message(start, header, more, end, False, wall)
            else:
                slow.more = more
                yield from self._settle(slow, buffer)
        if buffer:
            self.decided_at_end = True
            self._decide_by_file_order(buffer)
            for pending in buffer:
                yield self._emit(pending)
        if dashed:
            self.variants[_DASH] += dashed
        self.counts["continuation_lines"] = continuation
        self.lines_read, self.not_utf8 = number, lines.not_utf8

    def _at_a_message(self, lines: Iterator[str]) -> Iterator[str]:
        """``lines`` after a checkpoint, which must start with a header this file's reading accepts (the whole
        file's reading would end the checkpoint's last message there); else _Restart."""
        line = next(lines, None)
        if line is None:
            return iter(())
        match = HEADER.match(line) if line[:1] in _HEAD_START else None
        if match is None or (match.group("br") is not None, match.group("sepx").strip() or " ") != self.variant \
                or not _plausible(match):
            raise _Restart()
        return itertools.chain((line,), lines)

    def _flush(self, pending: _Pending, buffer: list[_Pending]) -> Iterator:
        """The message read through HEADER, once the next one starts."""
        if buffer or self.order.order is None:
            yield from self._settle(pending, buffer)
        else:
            yield self._emit(pending)

    def _accept(self, match: re.Match, line: str, number: int) -> bool:
        """A header line starts a message only in the form the file's first header established. A line in
        another form is text of the message above (a pasted or quoted chat line), with one exception: the other
        family's complete native form, which is what a chat continued on another phone looks like: iOS
        brackets *with* seconds in an Android file, an Android `` - `` header *without* seconds in an iOS file.
        Lines kept as text although they look like a header are counted and reported (``header_like_text``)."""
        kind = (match.group("br") is not None, match.group("sepx").strip() or " ")
        variant = self.variant
        if kind == variant:
            if _plausible(match):
                self.variants[kind] += 1
                return True
        elif variant is None:
            if not _plausible(match) or (kind[1] == " " and not kind[0] and ": " not in line[match.end():]):
                return False  # the first message must look like one
            self.variant = kind
            self.variants[kind] = 1
            return True
        elif _plausible(match) and (
                (kind[0] and not variant[0] and match.group("s") is not None)
                or (kind[1] in ("-", "–") and not kind[0] and variant[0] and match.group("s") is None)):
            self.variants[kind] = self.variants.get(kind, 0) + 1
            if self.switched is None:
                self.switched = number
            return True
        self.header_like_text.append(number)
        return False

    def _settle(self, pending: _Pending, buffer: list[_Pending]) -> Iterator:
        """Emit a message once the file's day/month order is known; hold it (in file order) until then."""
        match = pending.match
        year_last = len(match.group("d1")) < 3
        if year_last and self.order.order is None:
            self.order.observe(int(match.group("d1")), int(match.group("d2")), pending.line,
                               match.group(0).strip(" -–:;[]" + _SPACE_CHARS + L.BIDI))
        if self.order.order is None and (buffer or year_last):
            buffer.append(pending)
            if len(buffer) < BUFFER_LIMIT:
                return
            self._decide_by_file_order(buffer)
            pending = None
        for held in buffer:
            yield self._emit(held)
        buffer.clear()
        if pending is not None:
            yield self._emit(pending)

    def _decide_by_file_order(self, buffer: list[_Pending]) -> None:
        """No field above 12: take the reading that keeps the timestamps in file order (fewest steps back)."""
        if self.order.order is not None:
            return
        steps = {}
        for order in ("dmy", "mdy"):
            previous, back, invalid = None, 0, 0
            for pending in buffer:
                m = pending.match
                if len(m.group("d1")) >= 3:
                    continue
                moment = _date(m, order)
                if moment is None:
                    invalid += 1
                    continue
                if previous is not None and moment < previous:
                    back += 1
                previous = moment
            steps[order] = (invalid, back)
        if steps["dmy"] < steps["mdy"]:
            self.order.order, why = "dmy", "day-first keeps the messages in file order"
        elif steps["mdy"] < steps["dmy"]:
            self.order.order, why = "mdy", "month-first keeps the messages in file order"
        else:
            twelve_hour = any(p.match.group("ap") or p.match.group("ap0") for p in buffer[:50])
            self.order.order = "mdy" if twelve_hour and buffer[0].match.group("sep") == "/" else "dmy"
            why = ("undecided by the file (no field above 12, both readings in order); "
                   + ("month/day/year with a 12-hour clock suggests a US phone" if self.order.order == "mdy"
                      else "day-first, the most common order worldwide") + "; check a few dates")
        self.order.basis = why

    # -- one message

    def _wall_clock(self, fields: tuple, line: int) -> str | None:
        """The header's time as ``YYYY-MM-DDTHH:MM:SS`` from its fields (d1, d2, d3, hour, minute, second,
        day-period marker); dates and times are cached (a chat has few of each)."""
        d1, d2, d3, hour, minute, second, marker = fields
        date = self._day(d1, d2, d3, line)
        if date is None:
            return None
        clock = self.clocks.get((hour, minute, second, marker), _MISSING)
        if clock is _MISSING:
            if len(self.clocks) > _CACHE_LIMIT:
                self.clocks.clear()
            clock = self.clocks[(hour, minute, second, marker)] = _clock_text(hour, minute, second, marker)
        return None if clock is None else f"{date}T{clock}"

    def _day(self, d1: str, d2: str, d3: str, line: int) -> str | None:
        """``YYYY-MM-DD`` in the file's order (a date valid only the other way round is read so and counted)."""
        order = "ymd" if len(d1) >= 3 else (self.order.order or "dmy")
        date = self.dates.get((d1, d2, d3, order), _MISSING)
        if date is _MISSING:
            date = _date_text(d1, d2, d3, order)
            if date is None and order != "ymd":
                date = _date_text(d1, d2, d3, "mdy" if order == "dmy" else "dmy")
                if date is not None:
                    self.order_conflicts.append(line)
            if len(self.dates) > _CACHE_LIMIT:
                self.dates.clear()
                self.days.clear()  # a day the fast path remembers is a date remembered here: no conflict recounted
            self.dates[(d1, d2, d3, order)] = date
        return date

    def _emit(self, pending: _Pending) -> Message | Problem:
        m = pending.match
        d1, d2, d3, h, mi, sec, ap, ap0 = m.group("d1", "d2", "d3", "h", "mi", "s", "ap", "ap0")
        wall = self._wall_clock((d1, d2, d3, h, mi, sec, ap or ap0), pending.line)
        if wall is None:
            self.read_problems += 1
            return Problem(f"not a valid date or time: {m.group(0).strip()!r}; the message is not imported",
                           f"line {pending.line}")
        return self._message(pending.line, pending.header_line, pending.more, m.end(), m.group("br") is not None,
                             wall)

    def _message(self, number: int, header: str, more: list[str] | None, end: int, bracketed: bool,
                 wall: str) -> Message:
        """The message whose header line (its body from ``end`` on) is line ``number``.

        Called once per message: attributes used more than once are read into locals, the common "sender: text"
        skips _split, and a one-line body's kind is remembered by its text (see _kind)."""
        tz = self.tz
        time = wall if tz is None else self._instant_or_wall(wall)
        last = self.last_time
        if last is not None and wall < last:
            self.out_of_order += 1
        self.last_time = wall

        rest = header[end:]
        colon = rest.find(": ")
        if colon > 0 and (name := self.authors.get(sender := rest[:colon])) is not None:
            first, kind, subtype = rest[colon + 2:], None, None
        else:
            sender, first, kind, subtype = self._split(rest)
            name = None if sender is None else self.authors[sender]
        extra: dict | None = None  # made when something goes in (most messages have nothing)
        edited = False
        if more is None:
            if kind is None:
                known = self.kinds.get((first, sender) if bracketed else first)
                if known is None:
                    extra = {}
                    known = self._kind(sender, first, extra, bracketed)
                kind, edited = known
            elif subtype:
                extra = {"event": subtype}
            text = first
        else:
            lines = [first, *more]
            extra = {"line_end": number + len(more)}
            if kind is None:
                kind, edited = self._classify(sender, lines, extra, bracketed)
            elif subtype:
                extra["event"] = subtype
            text = "\n".join(lines)
        if edited:
            text = L.EDITED_SUFFIX.sub("", text, count=1)
        system = kind == "system"
        if name is not None:
            sender, stranger = name
            if stranger:
                extra = extra or {}
                extra["not_a_contact"] = True
            if not system:  # every message that is not a system line has a sender
                senders = self.senders
                seen = senders.get(sender)
                if seen is None:
                    self.first_seen[sender] = wall
                    senders[sender] = 1
                    if self.me is None:
                        self._remark()
                else:
                    senders[sender] = seen + 1
                if kind == "deleted" and first.strip(L.BIDI + " ").rstrip(".") in L.DELETED_BY_OWNER:
                    self.owner_hint = (sender, f"{sender} wrote “{first.strip(L.BIDI)}”")
                    if self.me is None:
                        self._remark()
        if system:
            self.counts["system"] += 1  # the other messages are counted in ``senders`` (see _report)
            from_owner = None
        elif (mark := self.mark) is not None:
            from_owner = sender == mark
        else:
            from_owner = None
            self.unmarked += 1

        if wall != self.ordinal_time:  # the ordinal counts the same sender and text at the same time
            self.ordinal_time = wall
            self.ordinals = None  # made when a second message has this time (most times have one)
            self.first_identity = (sender, text)
            ordinal = 0
        else:
            identity = (sender, text)
            ordinals = self.ordinals
            if ordinals is None:
                ordinals = self.ordinals = {self.first_identity: 1}
            ordinal = ordinals.get(identity, 0)
            ordinals[identity] = ordinal + 1

        if tz is not None:
            extra = extra or {}
            extra["local_time"] = wall
        conversation = self.conversation
        return Message(
            time=time, platform=NAME, conversation=conversation, sender=sender, text=text, kind=kind,
            from_owner=from_owner, edited=edited, locator=f"line {number}",
            raw=header if more is None else "\n".join((header, *more)),
            key=(conversation, wall, sender, text, ordinal), key_time=wall, extra=extra or None,
        )

    def _kind(self, sender: str | None, first: str, extra: dict, bracketed: bool) -> tuple[str, bool]:
        """_classify for a one-line body, remembered by its text (in ``kinds``; _message looks there first):
        short messages repeat ("ok", "<Media omitted>"). Only a result that added nothing to ``extra`` is
        remembered: _classify changes nothing else then, so it is a function of the text (and of the sender,
        for a bracketed header)."""
        key = (first, sender) if bracketed else first
        kinds = self.kinds
        known = self._classify(sender, [first], extra, bracketed)
        if not extra and len(first) <= _REMEMBERED_TEXT:
            if len(kinds) >= _CACHE_LIMIT:
                kinds.clear()
            kinds[key] = known
        return known

    def _split(self, rest: str) -> tuple[str | None, str, str | None, str | None]:
        """(sender, first line of the body, kind if already known, system subtype)."""
        colon = rest.find(": ")
        if colon > 0 and rest[:colon] in self.authors:
            return rest[:colon], rest[colon + 2:], None, None
        core = rest.strip(L.BIDI)
        subtype = L.system_subtype(core) if core else None
        if subtype is not None:
            return None, rest, "system", subtype
        if colon > 0:
            self.authors[rest[:colon]] = _name(rest[:colon])
            return rest[:colon], rest[colon + 2:], None, None
        if rest.endswith(":") and len(rest) > 1:
            self.authors[rest[:-1]] = _name(rest[:-1])
            return rest[:-1], "", None, None
        return None, rest, "system", "other"

    def _classify(self, sender: str | None, lines: list[str], extra: dict, bracketed: bool) -> tuple[str, bool]:
        first = lines[0]
        last = lines[-1]
        edited = last.endswith(">") and L.EDITED_SUFFIX.search(last) is not None
        if edited and len(lines) == 1:
            first = L.EDITED_SUFFIX.sub("", first, count=1)
        lrm = first[:1] in L.BIDI if first else False
        core = first.strip(L.BIDI + " ") if lrm or (first and first[-1:] in " " + L.BIDI) else first
        if core in L.MEDIA_OMITTED:
            return "media", edited
        if core in L.CONTACT_OMITTED:
            return "contact", edited
        if core in L.VIEW_ONCE:
            extra["view_once"] = True
            return "media", edited
        short = len(core) < 80  # placeholders, calls and deletions are short: long texts skip those checks
        if short and len(lines) == 1 and core.endswith(L.OMITTED_SUFFIXES):
            lowered = core.lower()
            if any(word in lowered for word in L.CONTACT_WORDS):
                return "contact", edited
            return "media", edited
        if short and core.rstrip(".") in L.DELETED:
            return "deleted", edited
        if short and core in L.CALL_PLACEHOLDERS and len(lines) == 1:
            return "call", edited
        if core.endswith((">", ")")):
            found = L.ATTACHMENT.fullmatch(core)
            if found:
                name = (found.group("a") or found.group("b") or found.group("c") or "").strip(L.BIDI + " ")
                extra["attachment"] = name
                if self.siblings:
                    present = name in self.siblings
                    extra["attachment_present"] = present
                    if not present:
                        self.attachments_missing.append(name)
                    else:
                        self.counts["media_files"] += 1
                if len(lines) > 1:
                    extra["caption"] = "\n".join(lines[1:])
                return ("contact" if name.lower().endswith(".vcf") else "media"), edited
        if core.startswith(L.LOCATION_PREFIXES) or core in L.LIVE_LOCATION or (
                lrm and "foursquare.com/v/" in core) or (
                len(lines) == 1 and core.startswith("https://maps.google.com/?q=")):
            coords = L.MAPS_COORDS.search(core)
            if coords:
                extra["lat"], extra["lon"] = float(coords.group(1)), float(coords.group(2))
            if core in L.LIVE_LOCATION:
                extra["live"] = True
            return "location", edited
        if core in L.POLL_WORDS and len(lines) > 1:
            options = [L.POLL_OPTION.match(line) for line in lines[1:]]
            extra["poll"] = {"question": lines[1].strip(L.BIDI) if not options[0] else None,
                             "options": [{"option": o.group("label"), "votes": int(o.group("votes"))}
                                         for o in options if o]}
            return "poll", edited
        if short and L.CALL.fullmatch(core):
            return "call", edited
        if (len(core) >= _SHORTEST_NOTICE and core.startswith(L.ENCRYPTION_PREFIXES)) or (bracketed and (lrm or (sender and core.startswith(sender)))):
            subtype = L.system_subtype(core)
            if subtype is not None:
                extra["event"] = subtype
                return "system", edited
        if bracketed and not lrm and (cut := first.find(": \u200e")) > 0:
            # iOS writes a group's system lines under the group's name, which may hold ": " itself
            # ("Climbing: Sat: <LRM>Priya joined ..."): the author is longer than the first ": " said
            tail = first[cut + 3:].strip(L.BIDI + " ")
            subtype = L.system_subtype(tail) if tail else None
            if subtype is not None:
                extra["event"] = subtype
                return "system", edited
        return "text", edited

    def _instant_or_wall(self, wall: str) -> str:
        """``_instant``; a time the zone pushes past what a datetime holds (31/12/9999 23:59 in New York) stays
        the wall-clock time as written (flagged as implausible by the pipeline) instead of failing the chat."""
        try:
            return self._instant(wall)
        except OverflowError:
            return wall

    def _instant(self, wall: str) -> str:
        """The wall-clock time in the --tz zone as a UTC instant. A repeated hour (DST fold) is resolved by file
        order: the second reading when the first would put the message before the one above it (so time never
        runs backwards through a fold). A skipped hour (DST gap) is read with the offset before the change.
        Both are counted for the inventory (``dst``)."""
        local = dt.datetime.fromisoformat(wall)
        zone = self.ctx.tz
        first = local.replace(tzinfo=zone, fold=0)
        offset = first.utcoffset()
        moment = first.astimezone(dt.timezone.utc)
        other = local.replace(tzinfo=zone, fold=1).utcoffset()
        if offset != other:
            # two offsets for one wall time: a fold (both readings exist) or a gap (neither does)
            back = moment.astimezone(zone).replace(tzinfo=None)
            if back == local:
                self.dst["fold"] += 1
                second = (local - other).replace(tzinfo=dt.timezone.utc)
                last = self.last_instant
                if last is not None and moment < last <= second:
                    moment = second
            else:
                self.dst["gap"] += 1
        self.last_instant = moment
        return iso_utc(moment)

    # -- what the file as a whole says

    def _report(self) -> Iterator:
        lines_read, preamble, not_utf8 = self.lines_read, self.preamble, self.not_utf8
        self.counts["messages"] = sum(self.senders.values())
        total = self.counts["messages"] + self.counts["system"]
        if preamble:
            yield Problem(f"{len(preamble)} line(s) before the first message are not part of any message "
                          f"(first: line {preamble[0]})", f"line {preamble[0]}", "warning")
        if not_utf8:
            shown = ", ".join(map(str, not_utf8[:10])) + (" ..." if len(not_utf8) > 10 else "")
            yield Problem(f"{len(not_utf8)} line(s) are not valid UTF-8 and were read as Windows-1252 "
                          f"(lines {shown})", f"line {not_utf8[0]}", "warning")
        if self.order_conflicts:
            yield Problem(f"{len(self.order_conflicts)} date(s) contradict the file's "
                          f"{_ORDER_WORDS[self.order.order or 'dmy']} order and were read the other way round",
                          f"line {self.order_conflicts[0]}", "warning")
        if self.attachments_missing:
            yield Problem(f"{len(self.attachments_missing)} attachment(s) named in the chat are not in the "
                          f"archive (first: {self.attachments_missing[0]})", None, "warning")
        if TRUNCATION_CAP - 1_000 <= total <= TRUNCATION_CAP + 100 and not self.counts["media_files"]:
            yield Problem(f"{total} messages: WhatsApp cuts exports without media at about {TRUNCATION_CAP:,}, so "
                          f"older messages of this chat are probably missing", None, "warning")
            yield Note("possibly_truncated", True)
        yield Note("conversation", self.conversation)
        yield Note("lines", lines_read)
        yield Note("messages", self.counts["messages"])
        yield Note("system_lines", self.counts["system"])
        yield Note("header_variants", {_variant_words(v): n for v, n in self.variants.items()})
        if self.order.order is not None:
            yield Note("date_order", {"order": _ORDER_WORDS[self.order.order], "basis": self.order.basis})
        elif self.variants:
            yield Note("date_order", {"order": "year-month-day", "basis": "four-digit year first"})
        if self.out_of_order:
            yield Note("out_of_order", self.out_of_order)
        yield Note("time_zone", self.ctx.tz.key if self.ctx.tz else "none: wall-clock times as written")
        if self.ctx.tz is not None:
            yield Note("dst", dict(self.dst))  # times in a repeated (fold) or skipped (gap) hour
        if self.header_like_text:
            first = self.header_like_text[0]
            yield Note("header_like_text", {"lines": len(self.header_like_text), "first": first})
            most = len(self.header_like_text) > self.counts["messages"] + self.counts["system"]
            yield Problem(f"{len(self.header_like_text)} line(s) look like a message header of another form than "
                          f"the file's own and were kept as text of the message above (first: line {first})"
                          + ("; they outnumber the messages read, so the file's header format is in doubt: "
                             "check this chat" if most else ""), f"line {first}", "error" if most else "warning")
        if self.switched is not None:
            yield Problem(f"the file changes header format (Android and iOS) at line {self.switched}; both forms "
                          f"were read as messages: {', '.join(_variant_words(v) for v in self.variants)}",
                          f"line {self.switched}", "warning")
        senders = sorted(self.senders)
        yield Note("senders", senders)
        owner = self.ctx.me if self.ctx.me is not None else (self._owner(senders) or _NOBODY).sender
        for sender in senders:
            if sender != owner:
                yield _participant(sender, self.first_seen.get(sender), self.conversation)
        if self.ctx.me is not None:
            if self.ctx.me in self.senders:  # said as a decision's note is, so the import and `owner` name it
                yield Note("owner", {"sender": self.ctx.me, "basis": "--me", "conversation": self.conversation})
            elif senders:
                yield Problem(f"--me {self.ctx.me!r} wrote no message in this chat (senders: "
                              f"{', '.join(senders[:8])})", None, "warning")
            return
        decision = self._owner(senders)
        owner = decision.sender if decision is not None else None
        if self.marks_used - {owner}:  # a tentative owner proved wrong: this file's messages are decided anew
            yield OwnerDecision(NAME, self.conversation, owner, decision.basis if decision is not None else (
                f"undecided: {len(senders)} senders in a chat named after {self.conversation}"), overwrite=True)
        elif decision is not None:
            decision.settled = not self.unmarked  # every message already marked so: nothing to rewrite
            yield decision

    # -- reading on from a checkpoint

    def _reading(self) -> list:
        """What shapes this reading besides the file's bytes: a checkpoint is read on from only by a reading of
        the same chat name, --me, --tz and files beside the chat (which attachments are present)."""
        siblings = hashlib.sha256("\n".join(sorted(self.siblings)).encode("utf-8", "surrogateescape")).hexdigest()
        return [self.conversation, self.me, self.tz.key if self.tz is not None else None, siblings]

    def _checkpoint(self, lines: _Lines) -> Iterator:
        """Where a later copy of this chat may be read on from: yielded when the reading ended as a reading of a
        longer copy would have gone on (a UTF-8 file of at least RESUME_HEAD bytes, no message left out, the
        day/month order and the owner's first messages settled before the end, no date read against the
        order: such dates are counted once per date, which a resumed reading could not know)."""
        messages = sum(self.senders.values()) + self.counts["system"]
        if lines.digest is None or lines.size < RESUME_HEAD or self.read_problems or not self.hold_done \
                or self.decided_at_end or self.order_conflicts or messages < 2:
            return
        head = head_digest(self.member)
        if head is None:
            return
        yield Checkpoint(size=lines.size, digest=lines.digest, head=head, state=self._state(lines.ending),
                         covers={"platform": NAME, "conversation": self.conversation}, carried={"messages": messages})

    def _state(self, ending: str) -> dict:
        """Everything the reading of the rest of a longer copy needs (as JSON): see _restore."""
        return {
            "v": _STATE_VERSION, "reading": self._reading(), "lines": self.lines_read, "ending": ending,
            "variant": self.variant, "variants": [[*kind, n] for kind, n in self.variants.items()],
            "order": self.order.order, "basis": self.order.basis, "authors": self.authors,
            "senders": self.senders, "first_seen": self.first_seen, "owner_hint": self.owner_hint,
            "mark": self.mark, "marks_used": sorted(self.marks_used), "unmarked": self.unmarked,
            "last_time": self.last_time, "out_of_order": self.out_of_order, "dst": self.dst,
            "last_instant": self.last_instant.isoformat() if self.last_instant is not None else None,
            "ordinal_time": self.ordinal_time, "first_identity": self.first_identity,
            "ordinals": None if self.ordinals is None else [[*identity, n] for identity, n in self.ordinals.items()],
            "counts": {k: self.counts[k] for k in ("system", "continuation_lines", "media_files")},
            "attachments_missing": self.attachments_missing, "header_like_text": self.header_like_text,
            "switched": self.switched, "preamble": self.preamble, "not_utf8": self.not_utf8,
        }

    def _restore(self, state: dict) -> None:
        """The parser as it was at the end of the reading that left ``state`` (_state)."""
        self.variant = tuple(state["variant"]) if state["variant"] is not None else None
        self.variants = {(bracketed, separator): n for bracketed, separator, n in state["variants"]}
        self.order.order, self.order.basis = state["order"], state["basis"]
        self.authors = {written: tuple(kept) for written, kept in state["authors"].items()}
        self.senders, self.first_seen = dict(state["senders"]), dict(state["first_seen"])
        self.owner_hint = tuple(state["owner_hint"]) if state["owner_hint"] is not None else None
        self.mark, self.marks_used, self.unmarked = state["mark"], set(state["marks_used"]), state["unmarked"]
        self.hold_done = True
        self.last_time, self.out_of_order, self.dst = state["last_time"], state["out_of_order"], dict(state["dst"])
        if state["last_instant"] is not None:
            self.last_instant = dt.datetime.fromisoformat(state["last_instant"])
        self.ordinal_time = state["ordinal_time"]
        self.first_identity = tuple(state["first_identity"]) if state["first_identity"] is not None else None
        if state["ordinals"] is not None:
            self.ordinals = {(sender, text): n for sender, text, n in state["ordinals"]}
        self.counts.update(state["counts"])
        self.attachments_missing = list(state["attachments_missing"])
        self.header_like_text, self.switched = list(state["header_like_text"]), state["switched"]
        self.preamble = list(state["preamble"])

    # -- the owner while reading

    def _remark(self) -> None:
        """The tentative owner after a new sender or a deletion by the owner: the final decision (_owner) if
        the file ended here. From now on messages are marked by it; _report corrects what proves wrong."""
        senders = self.senders
        if self.owner_hint is not None:
            mark = self.owner_hint[0]
        elif len(senders) == 2 and self.conversation in senders:
            mark = next(s for s in senders if s != self.conversation)
        else:
            mark = None
        self.mark = mark
        if mark is not None:
            self.marks_used.add(mark)  # the message that made it known is marked by it

    def _mark_held(self, held: list) -> None:
        """Mark the messages held back at the start by the tentative owner known now."""
        mark = self.mark
        marked = unmarked = 0
        for item in held:
            if type(item) is Message and item.kind != "system":
                if mark is None:
                    item.from_owner = None
                    unmarked += 1
                else:
                    item.from_owner = item.sender == mark
                    marked += 1
        self.unmarked = unmarked  # every message so far is held
        self.marks_used = {mark} if marked else set()

    def _owner(self, senders: list[str]) -> OwnerDecision | None:
        if self.owner_hint is not None:
            return OwnerDecision(NAME, self.conversation, *self.owner_hint)
        others = [s for s in senders if s != self.conversation]
        if self.conversation in senders and len(others) == 1:
            return OwnerDecision(NAME, self.conversation, others[0],
                                 f"1:1 chat named after {self.conversation}; the other sender is the owner")
        return None


_NOBODY = OwnerDecision(NAME, None, "", "")
_STATE_VERSION = 1  # of a checkpoint's state (_ChatParser._state): another version is read whole
_PHONE_NAME = re.compile(r"\+?[\d\s\u2011\u00a0().-]{7,}")


def _participant(sender: str, first: str | None, conversation: str) -> Person:
    """A person the owner chats with; a sender saved under no name is a phone number, kept as one."""
    phones = []
    if _PHONE_NAME.fullmatch(sender):
        digits = "".join(ch for ch in sender if ch.isdigit())
        phones = [("+" if sender.lstrip().startswith("+") else "") + digits]
    return Person(name=sender, platform=NAME, relation="chat_participant", since=first, phones=phones,
                  key=(sender,), extra={"first_seen_in": conversation})


def _variant_words(variant: tuple[bool, str]) -> str:
    bracketed, sep = variant
    return ("[..] " if bracketed else "") + ("space" if sep == " " else sep)


_ORDER_WORDS = {"dmy": "day-month-year", "mdy": "month-day-year", "ymd": "year-month-day"}


_MISSING = object()
_SHORTEST_NOTICE = min(map(len, L.ENCRYPTION_PREFIXES))
_CACHE_LIMIT = 20_000  # dates and clocks remembered: a chat has a few thousand distinct days
_ODD_NAME_START = frozenset("~" + L.BIDI)
_BIDI = L.BIDI
_REMEMBERED_TEXT = 100  # one-line bodies up to this length have their kind remembered (see _kind)


def _name(author: str) -> tuple[str, bool]:
    """(the sender's name, whether WhatsApp wrote it as "~ name": a number not in the owner's contacts)."""
    if author[:1] in _ODD_NAME_START or author[-1:] in _BIDI:
        author = author.strip(_BIDI)
        if author.startswith("~") and author[1:2].isspace():
            return author[2:].lstrip(), True
    return author, False


def _date_text(d1: str, d2: str, d3: str, order: str) -> str | None:
    """``YYYY-MM-DD`` for the three date fields read in ``order``; None when no such day exists."""
    a, b, c = int(d1), int(d2), int(d3)
    if order == "ymd":
        year, month, day = a, b, c
    elif order == "dmy":
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    if year < 100:
        year += 2000
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(year, month)[1]) or year < 1970:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date(m: re.Match, order: str) -> str | None:
    return _date_text(m.group("d1"), m.group("d2"), m.group("d3"), order)


def _clock_text(hour_s: str, minute_s: str, second_s: str | None, marker: str | None) -> str | None:
    """``HH:MM:SS`` from the header's time and its day-period marker (AM/PM in any spelling, German words)."""
    hour, minute = int(hour_s), int(minute_s)
    second = int(second_s) if second_s else 0
    if marker:
        if marker[0] in "pP" or marker in _PM or (marker in _NOON and hour < 11) or (
                marker == "nachts" and 9 <= hour < 12):
            if hour < 12:
                hour += 12
        elif hour == 12 and marker not in _NOON:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return f"{hour:02d}:{minute:02d}:{second:02d}"
