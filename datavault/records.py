"""The typed records importers yield, one class per export table of the contract (../CONTRACT.md).

Importers build these and nothing else; the pipeline turns them into rows. Every record carries:

- the contract fields of its table;
- ``key``: the parts of its *natural key*, what identifies it in the source (a message id, or time +
  conversation + sender + ordinal for a chat line). Re-importing the same record yields the same key, so the
  vault stores it once. The key must not contain anything a later, better parser might read differently
  (use the raw timestamp string, not a converted one);
- ``key_time``: optional, the time among the key's own parts (ISO 8601, to the hour at least, as the key holds
  it). Records that give it are stored near their neighbours in time in the vault's key index, which keeps a
  large import fast; it must follow from ``key`` alone, like the key itself;
- ``locator``: where in the member it came from (``line 812``, ``messages[17]``);
- ``raw``: the original text the record was read from, so nothing is lost in normalisation;
- ``extra``: any further fields the source has (a dict, stored as JSON).

``source_file`` defaults to the member being parsed; the pipeline fills it in.

Times are ISO 8601 strings built with ``datavault.timeutil``: instants in UTC with ``Z``; wall-clock times
without a zone as written (``YYYY-MM-DDTHH:MM:SS``), never guessed.

Besides records, an importer may yield a ``Problem`` (a bad line, item or file: shown in ``inventory``, the
import goes on), a ``Note`` (a fact about the member, e.g. which day/month order was decided and why) and an
``OwnerDecision`` (which sender is the vault's owner in a conversation, once the whole file has been read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(slots=True)
class _Record:
    TABLE: ClassVar[str] = ""
    key: tuple = ()
    key_time: str | None = field(default=None, compare=False)  # follows from key: equal keys, equal key_time
    locator: str | None = None
    raw: str | None = None
    extra: dict[str, Any] | None = None
    source_file: str | None = None


@dataclass(slots=True, kw_only=True)
class Message(_Record):
    TABLE: ClassVar[str] = "messages"
    time: str | None
    platform: str
    conversation: str | None
    sender: str | None
    text: str | None
    kind: str = "text"  # text, media, system, deleted, call, location, poll, contact, other
    from_owner: bool | None = None
    edited: bool = False


# Schemes that run code or carry a whole document when clicked: never a link an activity may point to.
UNSAFE_URL_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_URL_STRIP = "".join(map(chr, range(0x21)))  # C0 controls and space, which a browser drops around a URL
_URL_DROP = str.maketrans("", "", "\t\n\r")   # and tabs and newlines, which it drops anywhere in it


def safe_url(url: str | None) -> str | None:
    """``url``, unless its scheme is one of ``UNSAFE_URL_SCHEMES`` as a browser would read it (whatever the case,
    with spaces or control characters around it, tabs or newlines inside the scheme): then None."""
    if not url or url.__class__ is not str or url.startswith(("https://", "http://")):  # nearly every URL
        return url  # (not a string: a damaged JSON value, stored as the pipeline stores any such field)
    colon = url.find(":")
    if colon < 0:
        return url
    scheme = url[:colon].strip(_URL_STRIP).translate(_URL_DROP).lower()
    return None if scheme in UNSAFE_URL_SCHEMES else url


@dataclass(slots=True, kw_only=True)
class Activity(_Record):
    """An action on a platform. ``url`` is only ever a link that is safe to click: a ``javascript:``, ``data:``
    or ``vbscript:`` target (an unwrapped redirect, a doctored export) goes to ``extra["unsafe_url"]`` instead,
    here, for every importer, so the vault's ``url`` column never holds one."""

    TABLE: ClassVar[str] = "activities"
    time: str | None
    platform: str
    product: str | None
    action: str | None
    title: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        url = self.url
        if url and safe_url(url) is None:
            self.url = None
            self.extra = {**(self.extra or {}), "unsafe_url": url}


@dataclass(slots=True, kw_only=True)
class Location(_Record):
    TABLE: ClassVar[str] = "locations"
    time: str | None
    lat: float | None
    lon: float | None
    kind: str = "point"  # point, visit, trip
    end_time: str | None = None
    accuracy_m: float | None = None
    place_name: str | None = None
    semantic_type: str | None = None
    mode: str | None = None
    platform: str = "google"


@dataclass(slots=True, kw_only=True)
class Person(_Record):
    TABLE: ClassVar[str] = "people"
    name: str | None
    platform: str
    relation: str  # friend, contact, chat_participant, family, follower, ...
    since: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Purchase(_Record):
    TABLE: ClassVar[str] = "purchases"
    time: str | None
    platform: str
    item: str | None
    merchant: str | None = None
    amount: float | None = None
    currency: str | None = None
    payment_method: str | None = None


@dataclass(slots=True, kw_only=True)
class PlatformInference(_Record):
    TABLE: ClassVar[str] = "platform_inferences"
    platform: str
    category: str  # interest, topic, ad_category, advertiser_with_your_data, advertiser_interacted, semantic_place
    value: str
    time: str | None = None


@dataclass(slots=True, kw_only=True)
class ProfileFact(_Record):
    TABLE: ClassVar[str] = "profile"
    platform: str
    field: str  # name, birthday, gender, email, phone, city, hometown, relationship, ip_address, device, ...
    value: str
    time: str | None = None


@dataclass(slots=True, kw_only=True)
class Post(_Record):
    TABLE: ClassVar[str] = "posts"
    time: str | None
    platform: str
    kind: str  # post, comment, reaction, search, ...
    text: str | None
    target: str | None = None


RECORD_TYPES: tuple[type[_Record], ...] = (
    Message, Activity, Location, Person, Purchase, PlatformInference, ProfileFact, Post,
)
Record = Message | Activity | Location | Person | Purchase | PlatformInference | ProfileFact | Post


@dataclass(slots=True)
class Problem:
    """Something in a member that could not be read. The import goes on; the problem is kept and shown."""

    message: str
    locator: str | None = None
    severity: str = "error"  # error: data was not imported; warning: imported, but look at this


@dataclass(slots=True)
class Note:
    """A fact about the member as a whole (a decision and its basis), kept with its inventory row."""

    name: str
    value: Any


@dataclass(slots=True)
class Checkpoint:
    """Where a later, longer copy of this member may be read on from: an append-only file (a chat export made
    again later starts with the same bytes). Yielded last, by an importer that read the member in full.

    The member's first ``size`` bytes (SHA-256 ``digest``; ``head``: of its first ``RESUME_HEAD`` bytes, by
    which the pipeline finds the checkpoint again) gave the records yielded; ``state`` (JSON) is everything the
    importer needs to read on as if it had read those bytes again. ``covers`` ({column: value} of the
    ``messages`` table) selects the records those bytes gave, ``carried`` counts them ({table: records}).
    The pipeline keeps the checkpoint with the member's inventory row (``files.resume``)."""

    size: int
    digest: str
    head: str
    state: dict
    covers: dict
    carried: dict


@dataclass(slots=True)
class Resumed:
    """Yielded first by an importer that went on from a checkpoint (``ctx.options[RESUME][member name]``)
    after checking that the member starts with the checkpoint's bytes: the records those bytes gave are in the
    vault already, and the pipeline lets them learn this import, as reading them again would have."""

    after: str  # where reading went on, for the inventory ("line 1,000,000")


@dataclass(slots=True)
class OwnerDecision:
    """In ``conversation`` (or every conversation of this member when None), ``sender`` is the vault's owner.

    Importers that can only tell who the owner is after reading a whole chat yield this at the end; the
    pipeline then sets ``from_owner`` on that conversation's messages whose ``from_owner`` is still unknown.

    An importer that marked its messages while reading (a tentative owner that proved right) says so with
    ``settled``: the decision is recorded and no row is rewritten. One whose tentative marks proved wrong says
    ``overwrite``: the messages this member wrote are decided anew, whatever they carry (``sender`` None: the
    owner is unknown, and ``from_owner`` goes back to NULL).
    """

    platform: str
    conversation: str | None
    sender: str | None
    basis: str
    settled: bool = False
    overwrite: bool = False
