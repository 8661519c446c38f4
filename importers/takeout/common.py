"""Small helpers every Takeout reader shares: redirect unwrapping, text decoding that counts bad bytes, CSV
reading by header name, money in any locale, and the product and action words of the contract."""

from __future__ import annotations

import codecs
import csv
import functools
import datetime as dt
import io
import re
from typing import BinaryIO, Iterator
from urllib.parse import unquote

from datavault.timeutil import iso_utc, normalise_iso

PLATFORM = "google"

# ---------------------------------------------------------------------------------------------------------------
# text


class BadBytes:
    """Counts the undecodable bytes met while decoding one member (invalid UTF-8 is replaced, then reported)."""

    count = 0


def _count_and_replace(exc: UnicodeDecodeError):
    BadBytes.count += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("datavault-takeout-count", _count_and_replace)


def text_chunks(stream: BinaryIO, size: int = 1 << 20) -> Iterator[str]:
    """The member as text, chunk by chunk: UTF-8, BOM dropped, bad bytes replaced and counted in BadBytes."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="datavault-takeout-count")
    first = True
    while True:
        data = stream.read(size)
        final = not data
        text = decoder.decode(data, final=final)
        if first and text:
            text = text.lstrip("\ufeff")
            first = False
        if text:
            yield text
        if final:
            return


def text_lines(stream: BinaryIO) -> io.TextIOWrapper:
    """A text view of a member for line-based formats (CSV, vCard, iCalendar)."""
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="datavault-takeout-count", newline="")


def squash(text: str | None) -> str:
    """White space of every kind (NBSP, em space, narrow NBSP) collapsed to single spaces, ends stripped."""
    if not text:
        return ""
    return " ".join(text.replace("\u2003", " ").split())


# ---------------------------------------------------------------------------------------------------------------
# URLs

_GOOGLE_HOST = re.compile(r"^(?:www\.)?google\.[a-z.]+$")


def unwrap_url(url: str | None) -> str | None:
    """The real target of a ``https://www.google.com/url?q=<target>&usg=...`` redirect; other URLs unchanged.

    Written by hand rather than with ``urlsplit``/``parse_qs``: a Search history holds hundreds of thousands
    of these, and this is several times faster with the same result."""
    if not url or "/url?" not in url:
        return url
    base, _, query = url.partition("/url?")
    host = base.split("://", 1)[-1].lower()
    if not _GOOGLE_HOST.match(host):
        return url
    query = query.split("#", 1)[0]
    for name in ("q", "url"):
        for part in query.split("&"):
            key, _, value = part.partition("=")
            if key == name and value:
                return unquote(value.replace("+", " "))
    return url


# ---------------------------------------------------------------------------------------------------------------
# time

_PLAIN_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d{3}|\d{6}))?Z$")


def instant(text: str) -> str:
    """A source's ISO instant in the contract's form; the common exact forms pass through untouched."""
    found = _PLAIN_UTC.match(text)
    if found and found.group(1) not in ("000", "000000") and not (found.group(1) or "").endswith("000"):
        return text
    return normalise_iso(text)


def iso_or_none(moment: dt.datetime | None) -> str | None:
    return iso_utc(moment) if moment is not None else None


def second_key(iso: str | None) -> str:
    """An instant cut to the whole second (``2024-01-02T03:04:05Z``): HTML shows no fractions, JSON does."""
    if not iso:
        return ""
    return iso[:19] + ("Z" if iso.endswith("Z") else "")


# ---------------------------------------------------------------------------------------------------------------
# CSV

def csv_rows(stream: BinaryIO) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (as written) and ``(line number, cells)`` for each further row of a CSV member."""
    reader = csv.reader(text_lines(stream))
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())

    def rows():
        previous_end = reader.line_num
        for cells in reader:
            first_line = previous_end + 1  # a quoted cell can span lines: cite where the row starts
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            yield first_line, cells

    return header, rows()


def header_index(header: list[str]) -> dict[str, int]:
    """Column positions by lower-cased, space-collapsed name (YouTube changed case and order between years)."""
    return {squash(name).lower().lstrip("\ufeff"): i for i, name in enumerate(header)}


def cell(cells: list[str], index: dict[str, int], *names: str) -> str | None:
    for name in names:
        i = index.get(name)
        if i is not None and i < len(cells):
            value = cells[i].strip()
            return value or None
    return None


def csv_raw(header: list[str], cells: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(cells)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# money

_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CA$": "CAD", "A$": "AUD",
            "C$": "CAD", "R$": "BRL", "CHF": "CHF", "zł": "PLN", "kr": "SEK", "₩": "KRW", "₽": "RUB", "₺": "TRY"}
_AMOUNT = re.compile(r"[-+−]?\d[\d.,'\u00a0\u202f ]*")


def parse_money(text: str | None) -> tuple[float | None, str | None]:
    """``$1,234.56``, ``1.234,56 €``, ``EUR 3.99``, ``-£3.00``, ``12,50 EUR`` -> (amount, ISO currency)."""
    if not text:
        return None, None
    text = text.strip()
    currency = None
    code = re.search(r"\b([A-Z]{3})\b", text)
    if code:
        currency = code.group(1)
    else:
        for symbol in sorted(_SYMBOLS, key=len, reverse=True):
            if symbol in text:
                currency = _SYMBOLS[symbol]
                break
    found = _AMOUNT.search(text)
    if not found:
        return None, currency
    number = found.group(0).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    negative = number.startswith(("-", "−")) or bool(re.match(r"^\s*[-−]", text))
    number = number.lstrip("+-−")
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
    elif "," in number:
        decimal = "," if len(number) - number.rfind(",") - 1 in (1, 2) else None
    elif "." in number:
        decimal = "." if len(number) - number.rfind(".") - 1 in (1, 2) or number.count(".") == 1 and \
            len(number) - number.rfind(".") - 1 != 3 else None
    else:
        decimal = None
    if decimal:
        thousands = "." if decimal == "," else ","
        number = number.replace(thousands, "").replace(decimal, ".")
    else:
        number = number.replace(",", "").replace(".", "")
    try:
        amount = float(number)
    except ValueError:
        return None, currency
    return (-amount if negative else amount), currency


# ---------------------------------------------------------------------------------------------------------------
# the contract's words

_PRODUCTS = {
    "youtube": "YouTube", "youtube.com": "YouTube", "youtube music": "YouTube Music", "youtube kids": "YouTube",
    "search": "Search", "google search": "Search", "suche": "Search", "recherche": "Search", "búsqueda": "Search",
    "image search": "Image Search", "video search": "Video Search", "maps": "Maps", "google maps": "Maps",
    "chrome": "Chrome", "google chrome": "Chrome", "android": "Android",
    "google play store": "Play Store", "play store": "Play Store", "google play": "Play Store",
    "discover": "Discover", "assistant": "Assistant", "google assistant": "Assistant", "ads": "Ads",
    "google ads": "Ads", "shopping": "Shopping", "google shopping": "Shopping", "news": "News",
    "google news": "News", "books": "Books", "google play books": "Books", "gmail": "Gmail",
    "gemini apps": "Gemini", "gemini": "Gemini", "takeout": "Takeout", "google translate": "Translate",
    "translate": "Translate", "google lens": "Lens", "developers": "Developers", "google pay": "Google Pay",
    "google play movies & tv": "Play Movies", "google play music": "Play Music", "google photos": "Photos",
    "calendar": "Calendar", "google calendar": "Calendar", "drive": "Drive", "google drive": "Drive",
}


@functools.lru_cache(maxsize=4096)
def product_name(header: str | None) -> str | None:
    """The contract's product word for a My Activity header (``Google Play Store`` -> ``Play Store``)."""
    if not header:
        return None
    clean = squash(header)
    return _PRODUCTS.get(clean.lower(), clean)


# title prefixes (lower case) in English, German, French and Spanish, longest first where they overlap
_ACTION_PREFIXES = [
    ("searched for", "searched"), ("searched", "searched"), ("visited", "visited"), ("watched", "watched"),
    ("viewed", "viewed"), ("used", "used"), ("installed", "installed"), ("uninstalled", "uninstalled"),
    ("liked", "liked"), ("disliked", "disliked"), ("commented", "commented"), ("subscribed to", "subscribed"),
    ("subscribed", "subscribed"), ("read", "read"), ("listened to", "listened"), ("played", "played"),
    ("shared", "shared"), ("saved", "saved"), ("answered", "answered"), ("said", "said"), ("asked", "asked"),
    ("directions to", "directions"), ("called", "called"), ("opened", "opened"), ("dismissed", "dismissed"),
    ("selected", "selected"), ("updated", "updated"), ("downloaded", "downloaded"), ("purchased", "purchased"),
    ("bought", "purchased"), ("prompted", "prompted"), ("explored", "viewed"), ("clicked", "clicked"),
    ("posted", "posted"), ("reviewed", "reviewed"), ("added", "added"), ("checked", "viewed"),
    ("received", "received"), ("sent", "sent"), ("created", "created"), ("edited", "edited"),
    ("looked at", "viewed"), ("followed", "followed"), ("translated", "translated"), ("set", "set"),
    ("gesucht nach", "searched"), ("besucht", "visited"), ("angesehen", "watched"),
    ("verwendet", "used"), ("genutzt", "used"), ("installiert", "installed"), ("aufgerufen", "viewed"),
    ("vous avez recherché", "searched"), ("vous avez regardé", "watched"), ("vous avez consulté", "visited"),
    ("vous avez visité", "visited"), ("vous avez utilisé", "used"), ("vous avez installé", "installed"),
    ("vous avez aimé", "liked"), ("recherche de", "searched"), ("a recherché", "searched"),
    ("has buscado", "searched"), ("has visto", "watched"), ("has visitado", "visited"), ("has usado", "used"),
    ("has utilizado", "used"), ("has instalado", "installed"), ("buscaste", "searched"), ("viste", "watched"),
    ("visitaste", "visited"), ("usaste", "used"), ("utilizaste", "used"), ("te gustó", "liked"),
    ("búsqueda de", "searched"),
]
_ACTION_PREFIXES.sort(key=lambda pair: len(pair[0]), reverse=True)
# German puts the verb last: "„Kinderwagen“ gesucht", "Video XY angesehen"
_ACTION_SUFFIXES = [("gesucht", "searched"), ("angesehen", "watched"), ("besucht", "visited"),
                    ("aufgerufen", "viewed"), ("verwendet", "used"), ("genutzt", "used"),
                    ("installiert", "installed"), ("gefällt mir", "liked"), ("mit „mag ich“ bewertet", "liked")]


_PREFIX_ACTION = dict(_ACTION_PREFIXES)
# one alternation, longest first, that must end at a word boundary: a million titles cost one match each
_PREFIX_RE = re.compile("(?:" + "|".join(re.escape(p) for p, _ in _ACTION_PREFIXES) + r")(?![^\W_])")


def action_of(title: str | None, low: str | None = None) -> str | None:
    """The contract's action word for a My Activity title (``Searched for x`` -> ``searched``), else ``other``.
    ``low`` is the title already squashed and lower-cased, when the caller has it."""
    if not title:
        return None
    if low is None:
        low = squash(title).lower()
    found = _PREFIX_RE.match(low)
    if found:
        return _PREFIX_ACTION[found.group(0)]
    for suffix, action in _ACTION_SUFFIXES:
        if low.endswith(suffix):
            return action
    return "other"
