"""Facebook exports requested in HTML: told once, read only where it is safe.

The person is told, in one line, to request the JSON format instead. What can be read reliably from the pages is
imported and flagged ``{"fidelity": "low", "source_format": "html"}``: message threads (sender, time, text),
friends, searches, groups and pages, and Facebook's ad categories, interests and advertisers. A page is cut into
records by structure: Meta's record blocks (class ``_a6-g``, or ``<section>``), each with a title (``h2`` or the
``_a6-h`` block), a time (the ``_a72d`` block, or any text that parses as one of Facebook's display dates) and
body text. Display times carry no zone: they stay wall-clock unless ``--tz`` was given.

HTML is never handed to a JSON parser. Class names are build artefacts; when none match, nothing is invented and
the page is reported as unreadable.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any, Iterator

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

from datavault.records import Activity, Message, Note, Person, PlatformInference, Post, Problem
from datavault.timeutil import iso_local, iso_utc

from datavault.importers.facebook.jsonread import PLATFORM, Run, next_ordinal

LOW = {"fidelity": "low", "source_format": "html"}

_READABLE = (
    ("thread", re.compile(r"(^|/)messages/[^/]+/[^/]+/message_\d+\.html?$", re.I)),
    ("friends", re.compile(r"(^|/)(your_)?friends\.html?$", re.I)),
    ("search", re.compile(r"(^|/)your_search_history\.html?$", re.I)),
    ("ad_category", re.compile(r"(^|/)other_categories_used_to_reach_you\.html?$", re.I)),
    ("interest", re.compile(r"(^|/)ads_interests\.html?$", re.I)),
    ("advertiser_with_your_data", re.compile(r"(^|/)advertisers_using_your_activity_or_information\.html?$", re.I)),
    ("advertiser_interacted", re.compile(r"(^|/)advertisers_you('|_ha)ve_interacted_with\.html?$", re.I)),
    ("groups", re.compile(r"(^|/)your_group_membership_activity\.html?$", re.I)),
    ("pages", re.compile(r"(^|/)pages_you('|_ha)ve_liked\.html?$", re.I)),
    ("off_meta", re.compile(r"(^|/)your_activity_off_meta_technologies/[^/]+\.html?$", re.I)),
)

# off-Meta event names as an English HTML page shows them -> the action words of the JSON reader
_OFF_META_ACTIONS = {"page view": "viewed", "view content": "viewed", "search": "searched", "purchase": "purchased",
                     "add to cart": "added to cart", "activate app": "used", "app activated": "used",
                     "complete registration": "registered", "schedule": "scheduled", "lead": "gave contact details",
                     "initiate checkout": "checkout", "subscribe": "subscribed", "custom": "other"}

WARNING = ("this Facebook export is in HTML format, which can only be read partly: request a new download in JSON "
           "format (Download your information > Format: JSON) to import everything; names, times and text were "
           "read from the HTML pages where possible and are marked as low fidelity")


def readable(name: str) -> str | None:
    for kind, pattern in _READABLE:
        if pattern.search(name):
            return kind
    return None


class _Node:
    __slots__ = ("tag", "classes", "children", "parent")

    def __init__(self, tag, classes, parent):
        self.tag = tag
        self.classes = classes
        self.children: list[Any] = []
        self.parent = parent

    def text(self, sep: str = " ") -> str:
        parts: list[str] = []
        self._collect(parts)
        return re.sub(r"[ \t]+", " ", sep.join(p for p in parts if p.strip())).strip()

    def _collect(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child.strip())
            elif child.tag not in ("script", "style"):
                child._collect(parts)

    def find_all(self, pred) -> Iterator["_Node"]:
        for child in self.children:
            if isinstance(child, _Node):
                if pred(child):
                    yield child
                yield from child.find_all(pred)


_VOID = {"br", "img", "meta", "link", "hr", "input", "source", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", set(), None)
        self.current = self.root
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        classes = set((dict(attrs).get("class") or "").split())
        node = _Node(tag, classes, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.current.children.append(data)


_DATE = re.compile(r"^[A-Z][a-z]{2,8} \d{1,2}, \d{4},? \d{1,2}:\d{2}(:\d{2})? ?[ap]\.?m\.?$|"
                   r"^\d{1,2} [A-Za-z]{3,9} \d{4},? \d{1,2}:\d{2}(:\d{2})?$|"
                   r"^[A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d{2}", re.I)


_ZONE = re.compile(r"\b((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_]+"
                   r"(?:/[A-Za-z_]+)?|UTC)\b")


def account_zone(run: Run):
    """The account's time zone from the export's own ``timezone.json``/``.html`` (read once), or None."""
    layout = run.layout
    if layout.zone is None:
        layout.zone = False
        for member in layout.zone_members:
            try:
                with member.open() as fh:
                    text = fh.read(1 << 20).decode("utf-8", "replace")
            except OSError:
                continue  # an unreadable zone file only means the times stay wall-clock (and that is noted)
            for match in _ZONE.finditer(text):
                try:
                    layout.zone = ZoneInfo(match.group(1))
                    break
                except (ZoneInfoNotFoundError, ValueError):
                    continue
            if layout.zone:
                break
    return layout.zone or None


def _time(text: str, run: Run) -> str | None:
    text = text.strip()
    if not text or not _DATE.search(text):
        return None
    try:
        moment = dateparser.parse(text.replace(" at ", " "), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is not None:
        return iso_utc(moment)
    zone = run.ctx.tz or account_zone(run)
    if zone is not None:
        return iso_utc(moment.replace(tzinfo=zone))
    return iso_local(moment)


# Meta's class names per HTML generation: 2023+ (_a6-g blocks) and 2018-2022 (uiBoxWhite blocks with _2lek/_2let)
_RECORD_CLASSES = ("_a6-g", "_2lej")
_TITLE_CLASSES = ("_a6-h", "_2lek")
_TIME_CLASSES = ("_a72d", "_2lem")
_BODY_CLASSES = ("_2pin", "_a6-p", "_2let")


def _has(node: _Node, classes: tuple[str, ...]) -> bool:
    return any(c in node.classes for c in classes)


def _records(root: _Node) -> list[_Node]:
    records = list(root.find_all(lambda n: _has(n, _RECORD_CLASSES)))
    if not records:
        records = list(root.find_all(lambda n: n.tag == "section"))
    return records


def _parts(record: _Node, run: Run) -> tuple[str | None, str | None, str | None, list[str]]:
    """(title, time, body text, table cells) of one record block."""
    title_node = next(record.find_all(lambda n: n.tag == "h2" or _has(n, _TITLE_CLASSES)), None)
    title = title_node.text() if title_node else None
    time = None
    time_node = next(record.find_all(lambda n: _has(n, _TIME_CLASSES)), None)
    if time_node:
        time = _time(time_node.text(), run)
    texts: list[str] = []
    for node in record.find_all(lambda n: _has(n, _BODY_CLASSES)):
        if not any(isinstance(c, _Node) and ("_2pin" in c.classes) for c in node.children):
            value = node.text("\n")
            if value:
                texts.append(value)
    if time is None:
        for node in record.find_all(lambda n: True):
            direct = " ".join(c.strip() for c in node.children if isinstance(c, str)).strip()
            if direct and _time(direct, run):
                time = _time(direct, run)
                break
    cells = [td.text() for td in record.find_all(lambda n: n.tag == "td")]
    body = texts[0] if texts else None
    return title, time, body, cells


def parse(run: Run) -> Iterator[Any]:
    if run.member.name == run.layout.anchor:
        yield Problem(WARNING, None, "warning")
    kind = readable(run.name)
    if kind is None:
        return
    builder = _TreeBuilder()
    try:
        with run.member.open() as fh:
            while True:
                chunk = fh.read(1 << 16)
                if not chunk:
                    break
                builder.feed(chunk.decode("utf-8", "replace"))
        builder.close()
    except OSError as exc:
        yield Problem(f"the HTML page could not be read ({exc})", None, "error")
        return
    zone = run.ctx.tz or account_zone(run)
    yield Note("html_time_zone", f"{zone.key} ({'--tz' if run.ctx.tz else 'the export'})" if zone else
               "unknown: display times kept as wall-clock time, without a zone")
    records = _records(builder.root)
    if not records:
        yield Problem("no records recognised on this HTML page (its layout is unknown)", None, "warning")
        return
    seen: Counter[tuple] = Counter()
    page_title = builder.title.strip() or None
    for index, record in enumerate(records):
        title, time, body, cells = _parts(record, run)
        locator = f"record {index + 1}"
        if kind == "thread":
            if not title:
                continue
            ordinal = next_ordinal(seen, (time, title))
            thread_id = run.name.rsplit("/", 2)[-2].lower() if run.name.count("/") >= 2 else page_title
            yield Message(time=time, platform=PLATFORM, conversation=page_title, sender=title, text=body,
                          kind="text" if body else "other", from_owner=run.is_owner(title),
                          key=("fb-html-msg", thread_id or "", time or "", title, ordinal), locator=locator,
                          extra=dict(LOW))
        elif kind == "friends":
            if title:
                yield Person(name=title, platform=PLATFORM, relation="friend", since=time,
                             key=("fb-person", "friend", title), locator=locator, extra=dict(LOW))
        elif kind == "search":
            query = body or (cells[1] if len(cells) > 1 else None) or title
            ordinal = next_ordinal(seen, (time,))
            yield Post(time=time, platform=PLATFORM, kind="search", text=query, key=("fb-html-search", time or "",
                                                                                     ordinal),
                       locator=locator, extra=dict(LOW))
        elif kind == "off_meta":
            business = page_title or (run.name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            if index == 0:
                yield PlatformInference(platform=PLATFORM, category="off_facebook_activity", value=business,
                                        key=("fb-inf", "off_facebook_activity", business, ""), locator=None,
                                        extra={**LOW, "events": len(records)})
            event = (title or body or "").strip()
            ordinal = next_ordinal(seen, (time, event))
            yield Activity(time=time, platform=PLATFORM, product="Off-Facebook",
                           action=_OFF_META_ACTIONS.get(event.casefold(), event.casefold() or "other"),
                           title=business, key=("fb-html-offmeta", business, time or "", event, ordinal),
                           locator=locator, extra={**LOW, "event": event})
        elif kind in ("groups", "pages"):
            name = title or body
            if name:
                yield Activity(time=time, platform=PLATFORM, product="Groups" if kind == "groups" else "Pages",
                               action="joined" if kind == "groups" else "liked", title=name,
                               key=("fb-html-act", kind, time or "", name), locator=locator, extra=dict(LOW))
        else:
            values = [c for c in cells[1::2] if c] if cells else []
            if not values:
                values = [v for v in (body, title) if v][:1]
            for value in values:
                yield PlatformInference(platform=PLATFORM, category=kind, value=value, time=time,
                                        key=("fb-inf", kind, value, ""), locator=locator, extra=dict(LOW))
