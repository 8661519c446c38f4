"""What an importer is: the small protocol between ``importers/`` and the pipeline.

An importer is a plain object with a ``name`` (the same word in the CLI, the ``platform`` column, the logger and
the fixture folder), a ``claim`` method and a ``parse`` generator:

- ``claim(member, ctx)`` looks at a member (its path as a hint, its first bytes as the evidence) and answers
  ``PARSE`` (I read this), ``skip("why")`` (I know this file and deliberately do not read it, e.g. a media
  attachment), or ``None`` (not mine). It must be cheap: it runs for every member of every archive.
- ``parse(member, ctx)`` yields records (``datavault.records``), ``Problem``s, ``Note``s and
  ``OwnerDecision``s. It never touches the database, never prints, and ends every ``except`` in a yielded
  problem, a re-raise or a counted skip. An exception escaping ``parse`` marks the member *failed* (with the
  reason) and rolls back nothing else.
- optionally ``conclude(notes, ctx)``: called once after every member of an archive was parsed, with the
  ``(member name, Note)`` pairs the importer yielded; yields more ``Note``s and ``OwnerDecision``s (e.g. the
  owner is the sender present in every chat).
- optionally resumable: an importer of append-only files may yield a ``Checkpoint`` last; when a later, longer
  copy of the member starts with the same bytes, the pipeline hands the checkpoint back in
  ``ctx.options[RESUME][member.name]`` and the importer may read on from there (yielding ``Resumed`` first),
  or read the member whole when its bytes differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from datavault.archive import Member


@dataclass(frozen=True, slots=True)
class Claim:
    parse: bool
    reason: str = ""


PARSE = Claim(True)


def skip(reason: str) -> Claim:
    """A member the importer recognises and deliberately does not read; ``reason`` is shown in inventory."""
    return Claim(False, reason)


RESUME = "resume"  # ctx.options: {member name: checkpoint} of the members that may be read on from one
RESUME_HEAD = 4096  # a checkpoint is found again by the digest of its member's first bytes


def head_digest(member: "Member") -> str | None:
    """The digest by which a member's checkpoint is found again: of its first RESUME_HEAD bytes (None if it
    is shorter)."""
    head = member.head(RESUME_HEAD)
    return hashlib.sha256(head).hexdigest() if len(head) == RESUME_HEAD else None


@dataclass(slots=True)
class ImportContext:
    """What an importer may know beyond the member itself."""

    archive_name: str = ""  # the input's file or folder name, e.g. takeout-20240101T101010Z-001.zip
    names: frozenset[str] = frozenset()  # every member path of this archive
    me: str | None = None  # --me: the owner's name as it appears in the data
    tz: ZoneInfo | None = None  # --tz: the zone of wall-clock times that carry none
    created: dt.datetime | None = None  # when the export was made (archive name or zip entry dates), aware UTC
    options: dict[str, Any] = field(default_factory=dict)


class Importer(Protocol):
    name: str

    def claim(self, member: Member, ctx: ImportContext) -> Claim | None: ...

    def parse(self, member: Member, ctx: ImportContext) -> Iterator[Any]: ...


def conclude_of(importer: Importer):
    """The importer's optional ``conclude`` step, or None."""
    fn = getattr(importer, "conclude", None)
    return fn if callable(fn) else None


def iter_notes(notes: Iterable[tuple[str, Any]], name: str) -> Iterator[tuple[str, Any]]:
    """The ``(member, value)`` pairs of the notes called ``name``."""
    for member, note in notes:
        if note.name == name:
            yield member, note.value
