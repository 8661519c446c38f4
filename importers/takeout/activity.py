"""My Activity (every product) and YouTube watch/search history, from JSON and from HTML.

JSON (``MyActivity.json``, older ``My Activity.json``, ``watch-history.json``): a top-level list of records with
``header``, ``title``, ``titleUrl``, ``time`` and optional ``description``, ``subtitles``, ``details``,
``locationInfos``, ``products``, ``activityControls``, ``safeHtmlItem``. Streamed item by item.

HTML (``MyActivity.html``, ``watch-history.html``): one ``div.outer-cell`` per record: the product in the
header cell, the title, subtitles and display timestamp in the first body cell (classic: the timestamp is the
last line; 2026: ``<br/>TIMESTAMP<br/>`` followed by ``<p>`` blocks, kept in ``extra.details_text``), and
Products / Locations / Details in the caption cell. The file is cut into cells as it streams, so a 300 MB file
needs memory for one cell, not for the document.

Both forms give the same record the same natural key: product, the instant to the whole second, the title
(case and white space folded) and its occurrence number within that second. So the same event read from
HTML and from JSON, or from two takeouts, is stored once.

Discover records also give ``platform_inferences`` of category ``topic``: their subtitles are the topics Google
chose for the person's feed. The title is kept as written; ``action`` is the verb of the title in English, German,
French or Spanish; ``url`` is the real target of a ``google.com/url?q=`` redirect (the original stays in
``extra.titleUrl`` and ``raw``).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any, Iterator

from datavault.records import Activity, Note, PlatformInference, Problem
from datavault.timeutil import iso_utc

from .common import (PLATFORM, BadBytes, action_of, instant, product_name, second_key, squash, text_chunks,
                     unwrap_url)
from .htmltime import parse_wall, resolve
from .jsonstream import JsonTrouble, iter_array

KNOWN_KEYS = frozenset({"header", "title", "titleUrl", "description", "time", "subtitles", "details",
                        "locationInfos", "products", "activityControls", "safeHtmlItem", "imageFile", "audioFiles",
                        "attachedFiles"})


class _Ordinals:
    """Occurrence numbers of identical (product, second, title) records. Records come sorted by time, so only
    the current second is remembered: memory stays constant however long the file."""

    def __init__(self):
        self.second = None
        self.seen: dict[tuple, int] = {}

    def next(self, product_key: str, second: str, title_key: str) -> int:
        if second != self.second:
            self.second = second
            self.seen = {}
        k = (product_key, title_key)
        n = self.seen.get(k, 0)
        self.seen[k] = n + 1
        return n


def product_of(header: str | None, products, member_name: str) -> tuple[str | None, str | None]:
    """(the contract's product, the Android app) of a record. An entry of My Activity's Android section names
    the app in its header ("Gmail") and lists ``Android`` among its products: its product is ``Android`` (as
    the contract says) and the app goes to ``extra.app``; ``title`` keeps "Used Gmail" as written."""
    name = product_name(header)
    listed = isinstance(products, list) and bool(products)  # the record's own word first, then the folder's
    if name and name != "Android" and (
            ("Android" in products) if listed else _folder_product(member_name) == "Android"):
        return "Android", name
    return name, None


def _folder_product(member_name: str) -> str | None:
    """``.../My Activity/<Product>/MyActivity.json`` -> Product (a hint when a record lacks its header)."""
    parts = member_name.split("/")
    return parts[-2] if len(parts) >= 2 else None


def _header_of(item: dict, member_name: str) -> str | None:
    header = item.get("header")
    if header:
        return header
    title = item.get("title") or ""
    if title.startswith("Visited view-source:"):
        return "Chrome"
    products = item.get("products")
    if isinstance(products, list) and products and isinstance(products[0], str):
        return products[0]
    return _folder_product(member_name)


def parse_json(member, ctx) -> Iterator[Any]:
    BadBytes.count = 0
    ordinals = _Ordinals()
    products: dict[tuple[str | None, bool], tuple[str | None, str, str | None]] = {}
    unknown: set[str] = set()
    topics: set[str] = set()
    count = 0
    try:
        for index, item, raw in iter_array(member.open()):
            if not isinstance(item, dict):
                yield Problem(f"item [{index}] is not an activity record", f"[{index}]", "warning")
                continue
            if "snippet" in item and "time" not in item:  # pre-2017 YouTube history
                item = _from_snippet(item)
            if not KNOWN_KEYS.issuperset(item):
                unknown.update(k for k in item if k not in KNOWN_KEYS)
            time_raw = item.get("time")
            try:
                time_iso = instant(time_raw) if isinstance(time_raw, str) else None
            except ValueError:
                yield Problem(f"item [{index}] has an unreadable time {time_raw!r}", f"[{index}]", "warning")
                time_iso = None
            header = item.get("header") or _header_of(item, member.name)
            listed = item.get("products")
            android = isinstance(listed, list) and "Android" in listed
            known = products.get((header, android))  # a file has a handful of headers: their words are kept
            if known is None:
                name, app = product_of(header, listed, member.name)
                known = products[(header, android)] = (name, (name or "").lower(), app)
            product, product_key, app = known
            title = item.get("title")
            title_key = squash(title).lower()
            title_url = item.get("titleUrl")
            url = unwrap_url(title_url)
            extra = {k: v for k, v in item.items() if k != "title" and k != "time"}
            if app is not None:
                extra["app"] = app
            if url == title_url:
                extra.pop("titleUrl", None)
            if "details" in item and _is_ad(item["details"]):
                extra["ad"] = True
            second = (time_iso[:19] + "Z" if time_iso[-1] == "Z" else time_iso[:19]) if time_iso else ""
            ordinal = ordinals.next(product_key, second, title_key)
            yield Activity(
                key=("activity", product_key, second, title_key, ordinal), key_time=second, locator=f"[{index}]",
                raw=raw,
                extra=extra or None, time=time_iso, platform=PLATFORM, product=product,
                action=action_of(title, title_key), title=title, url=url)
            if product == "Discover" and "subtitles" in item:
                yield from _discover_topics(item["subtitles"], time_iso, index, topics)
            count += 1
    except JsonTrouble as trouble:
        yield Problem(str(trouble), f"[{trouble.index}]")
    if BadBytes.count:
        yield Problem(f"{BadBytes.count} byte(s) were not valid UTF-8 and were replaced", None, "warning")
    if unknown:
        yield Note("unknown_keys", sorted(unknown))
        yield Problem("keys not understood (kept in raw): " + ", ".join(sorted(unknown)), None, "warning")


def _discover_topics(subtitles, time_iso: str | None, index: int, seen: set[str]) -> Iterator[PlatformInference]:
    """Discover cards name the topics Google picked for the person: an interest profile, one record per topic."""
    if not isinstance(subtitles, list):
        return
    for sub in subtitles:
        name = sub.get("name") if isinstance(sub, dict) else None
        if not name or name in seen:
            continue
        seen.add(name)
        yield PlatformInference(key=("discover-topic", name), locator=f"[{index}].subtitles", platform=PLATFORM,
                                category="topic", value=name, time=time_iso, extra={"from": "Discover"})


def _from_snippet(item: dict) -> dict:
    snippet = item.get("snippet") or {}
    out = {"header": "YouTube", "title": snippet.get("title"), "time": snippet.get("publishedAt"),
           "snippet": snippet}
    video = (snippet.get("resourceId") or {}).get("videoId")
    if video:
        out["titleUrl"] = f"https://www.youtube.com/watch?v={video}"
    return out


def _is_ad(details) -> bool:
    if not isinstance(details, list):
        return False
    return any(isinstance(d, dict) and "Google Ads" in str(d.get("name", "")) for d in details)


# ---------------------------------------------------------------------------------------------------------------
# HTML

_CELL_START = re.compile(r"<div\s+class=[\"']outer-cell", re.I)


def iter_cells(stream) -> Iterator[tuple[int, str]]:
    """``(ordinal, cell html)`` for each ``div.outer-cell`` of the document, streamed chunk by chunk."""
    buf = ""
    index = 0
    started = False
    for chunk in text_chunks(stream):
        buf += chunk
        if not started:
            found = _CELL_START.search(buf)
            if not found:
                buf = buf[-100:]  # enough to find a marker cut in two by the chunk boundary
                continue
            buf = buf[found.start():]
            started = True
        pos = 0
        while True:
            found = _CELL_START.search(buf, pos + 1)
            if not found:
                break
            yield index, buf[pos:found.start()]
            index += 1
            pos = found.start()
        buf = buf[pos:]
    if started:
        yield index, _trim_tail(buf)


def _trim_tail(cell: str) -> str:
    end = cell.find("</body>")
    return cell[:end] if end >= 0 else cell


class _CellParser(HTMLParser):
    """Reads one outer cell into header, body lines (each: text and links) and caption sections."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.reset_cell()

    def reset_cell(self):
        self.reset()
        self.stack: list[str] = []  # role of each open div: header, body, aside, caption, other
        self.header: list[str] = []
        self.lines: list[dict] = [{"text": [], "links": []}]
        self.caption: list[dict] = [{"text": [], "links": [], "bold": False}]
        self.body_seen = False
        self.in_bold = False
        self.link: str | None = None

    def _role(self) -> str | None:
        for role in reversed(self.stack):
            if role != "other":
                return role
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        role = self._role()
        if tag == "div":
            cls = attrs.get("class") or ""
            if "header-cell" in cls:
                new = "header"
            elif "mdl-typography--caption" in cls:
                new = "caption"
            elif "content-cell" in cls and "text-right" in cls:
                new = "aside"
            elif "content-cell" in cls and not self.body_seen:
                new, self.body_seen = "body", True
            elif "content-cell" in cls:
                new = "aside"
            else:
                new = "other"
            self.stack.append(new)
            return
        if tag in ("br", "p") and role == "body":
            self._new_line()
        elif tag == "br" and role == "caption":
            self.caption.append({"text": [], "links": [], "bold": False})
        elif tag == "b" and role == "caption":
            self.caption.append({"text": [], "links": [], "bold": True})
            self.in_bold = True
        elif tag == "a":
            self.link = attrs.get("href")
            target = self.lines[-1] if role == "body" else self.caption[-1] if role == "caption" else None
            if target is not None and self.link:
                target["links"].append(self.link)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)  # <br/>: a line break; no end tag to balance

    def handle_endtag(self, tag):
        role = self._role()
        if tag == "div" and self.stack:
            self.stack.pop()
        elif tag == "p" and role == "body":
            self._new_line()
        elif tag == "b" and role == "caption":
            self.in_bold = False
            self.caption.append({"text": [], "links": [], "bold": False})
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        role = self._role()
        if role == "header":
            self.header.append(data)
        elif role == "body":
            self.lines[-1]["text"].append(data)
        elif role == "caption":
            self.caption[-1]["text"].append(data)

    def _new_line(self):
        if self.lines[-1]["text"] or self.lines[-1]["links"]:
            self.lines.append({"text": [], "links": []})


def parse_html(member, ctx) -> Iterator[Any]:
    ordinals = _Ordinals()
    parser = _CellParser()
    BadBytes.count = 0
    zones_seen: dict[str, str] = {}
    ambiguous = 0
    cells = 0
    for index, cell in iter_cells(member.open()):
        cells += 1
        locator = f"cell {index + 1}"
        read_cell = _fast_cell(cell)
        if read_cell is None:  # markup not in Google's usual shape: the full HTML parser takes it
            parser.reset_cell()
            try:
                parser.feed(cell)
                parser.close()
            except Exception as exc:  # HTMLParser raises only on pathological markup; report and go on
                yield Problem(f"{locator}: unreadable HTML ({exc})", locator)
                continue
            read_cell = parser
        record = _html_record(read_cell, ctx, member.name)
        if record is None:
            yield Problem(f"{locator}: no timestamp found in the activity cell", locator, "warning")
            continue
        header, title, title_url, subtitles, moment, read, caption, after, after_links = record
        time_iso = iso_utc(moment) if moment.tzinfo is not None else None
        url = unwrap_url(title_url)
        extra: dict[str, Any] = {"header": header}
        if title_url and url != title_url:
            extra["titleUrl"] = title_url
        if subtitles:
            extra["subtitles"] = subtitles
        if after:
            extra["details_text"] = after
        if after_links:
            extra["details_links"] = after_links
        extra.update(caption)
        if caption.get("details") and any("Google Ads" in d for d in caption["details"]):
            extra["ad"] = True
        extra["time_text"] = read[0]
        extra["time_basis"] = read[1].basis
        if read[1].ambiguous:
            extra["time_ambiguous"] = True
            ambiguous += 1
        if read[1].zone:
            zones_seen.setdefault(read[1].zone, read[1].basis)
        second = second_key(time_iso)
        product, app = product_of(header, caption.get("products"), member.name)
        if app is not None:
            extra["app"] = app
        ordinal = ordinals.next((product or "").lower(), second, squash(title).lower())
        yield Activity(
            key=("activity", (product or "").lower(), second, squash(title).lower(), ordinal), key_time=second,
            locator=locator, raw=cell, extra=extra, time=time_iso, platform=PLATFORM, product=product,
            action=action_of(title), title=title, url=url)
    if cells == 0:
        yield Problem("no activity cells found in this HTML file", None)
    if BadBytes.count:
        yield Problem(f"{BadBytes.count} byte(s) were not valid UTF-8 and were replaced", None, "warning")
    for zone, basis in zones_seen.items():
        yield Note("html_time_zone", {"zone": zone, "basis": basis,
                                      "export_time": iso_utc(ctx.created) if ctx.created else None})
    if ambiguous:
        yield Problem(f"{ambiguous} timestamp(s) carry a zone abbreviation that names several zones; "
                      "the most common reading was taken (see time_ambiguous on those records)", None, "warning")


class _ReadCell:
    """The parts of one cell, as ``_CellParser`` collects them (header text, body lines, caption parts)."""

    __slots__ = ("header", "lines", "caption")

    def __init__(self, header, lines, caption):
        self.header, self.lines, self.caption = header, lines, caption


_DIV = re.compile(r'<div class="([^"]*)"[^>]*>')
_LINE_BREAK = re.compile(r"<br\s*/?>|</?p\b[^>]*>", re.I)
_CAPTION_PARTS = re.compile(r"(<b>.*?</b>)|<br\s*/?>", re.I | re.S)
_HREF = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"", re.I)
_ANY_TAG = re.compile(r"<[^>]+>")


def _fast_cell(cell: str) -> _ReadCell | None:
    """A cell read with a few regular expressions: Google writes the same flat markup for every record, and
    this is several times faster than a full HTML parser. None when the markup is not that shape."""
    header = body = caption = None
    for found in _DIV.finditer(cell):
        cls = found.group(1)
        if "header-cell" in cls or "mdl-typography--caption" in cls or "content-cell" in cls:
            end = cell.find("</div>", found.end())
            if end < 0:
                return None
            content = cell[found.end():end]
            if "<div" in content:
                return None
            if "header-cell" in cls:
                header = header if header is not None else content
            elif "mdl-typography--caption" in cls:
                caption = caption if caption is not None else content
            elif "text-right" not in cls and body is None:
                body = content
    if body is None:
        return None
    lines = []
    for piece in _LINE_BREAK.split(body):
        links = [html.unescape(h) for h in _HREF.findall(piece)]
        text = html.unescape(_ANY_TAG.sub("", piece))
        if text.strip() or links:
            lines.append({"text": [text], "links": links})
    parts = []
    for piece in _CAPTION_PARTS.split(caption or ""):
        if not piece:
            continue
        if piece[:3].lower() == "<b>":
            parts.append({"text": [html.unescape(_ANY_TAG.sub("", piece))], "links": [], "bold": True})
        else:
            parts.append({"text": [html.unescape(_ANY_TAG.sub("", piece))],
                          "links": [html.unescape(h) for h in _HREF.findall(piece)], "bold": False})
    return _ReadCell([html.unescape(_ANY_TAG.sub("", header or ""))], lines, parts)


def _html_record(parser, ctx, member_name: str):
    header = squash("".join(parser.header)) or _folder_product(member_name)
    lines = [(squash("".join(line["text"])), line["links"]) for line in parser.lines]
    lines = [line for line in lines if line[0] or line[1]]
    stamp_at = None
    wall = None
    for i, (text, links) in enumerate(lines):
        if not links:
            wall = parse_wall(text)
            if wall is not None:
                stamp_at = i
                break
    if stamp_at is None:
        return None
    read = resolve(wall[0], wall[1], ctx.created, ctx.tz)
    before = lines[:stamp_at]
    after = [text for text, _ in lines[stamp_at + 1:] if text]
    after_links = [link for _, links in lines[stamp_at + 1:] for link in links]
    title = before[0][0] if before else None
    title_url = before[0][1][0] if before and before[0][1] else None
    subtitles = [{"name": text, **({"url": links[0]} if links else {})} for text, links in before[1:]]
    return (header, title, title_url, subtitles, read.moment, (lines[stamp_at][0], read), _caption(parser),
            after, after_links)


def _caption(parser) -> dict:
    """``Products:`` / ``Locations:`` / ``Details:`` sections of the caption cell, lines kept whole."""
    sections: dict[str, list] = {}
    current = None
    for part in parser.caption:
        text = squash("".join(part["text"]))
        if part["bold"]:
            if text:
                current = text.rstrip(":").strip().lower()
                sections.setdefault(current, [])
            continue
        if current is None or not (text or part["links"]):
            continue
        if part["links"] and current.startswith(("location", "standort", "lieu", "ubicaci")):
            sections[current].append({"name": text, "url": part["links"][0]})
        elif text:
            sections[current].append(text)
    out: dict[str, Any] = {}
    for name, values in sections.items():
        if not values:
            continue
        key = {"products": "products", "produkte": "products", "produits": "products", "productos": "products",
               "locations": "locationInfos", "standorte": "locationInfos", "lieux": "locationInfos",
               "ubicaciones": "locationInfos", "details": "details", "details:": "details",
               "détails": "details", "detalles": "details"}.get(name, name)
        out[key] = values
    return out


def looks_like_html_activity(text: str) -> bool:
    return "outer-cell" in text and "mdl-typography" in text
