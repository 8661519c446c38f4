"""Google Takeout: everything a scorer could read in a Takeout, except location history.

Each member is recognised by its content (JSON key fingerprints, HTML structure, CSV header, vCard/iCalendar/
mbox markers); the path is only a hint, because folder and file names follow the account's language
(``My Activity`` / ``Meine Aktivitäten`` / ``Mon activité`` / ``Mi actividad``) and drift over the years.

What is read, and by which module:

- My Activity JSON/HTML for every product, YouTube watch/search history -> ``activity.py``
- YouTube comments, live chats, subscriptions, likes and playlists -> ``youtube.py``
- Play Store, Google Pay, Chrome -> ``commerce.py``
- Contacts, Profile, Access Log Activity -> ``people.py``
- Gmail mbox -> ``gmail.py`` (platform ``gmail``)
- Maps saved/labelled places, Fit, Keep, Calendar -> ``extras.py``
- Google Photos sidecars and album ``metadata.json`` -> ``photos.py`` (the photos and videos themselves are
  skipped by name, their bytes never read; the inventory says which have a sidecar)

Deliberately left alone: location files (``Records.json``, Semantic Location History, on-device
``Timeline.json``/``location-history.json``, ``Settings.json``, ``Timeline Edits.json``): the ``location``
importer, registered before this one, owns them, and this importer never claims them even when empty. Files
recognised but not read (the photos and videos themselves and other media, the archive index page, Chrome bookmarks and autofill, Fit raw
data points) are claimed with ``skip(reason)`` so the inventory says why; everything else stays unclaimed and the
pipeline lists it as unknown.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from datavault.importer import PARSE, Claim, skip
from datavault.records import Problem

from . import activity, commerce, extras, gmail, people, photos, youtube

_MEDIA = frozenset(".jpg .jpeg .png .gif .heic .heif .webp .bmp .tif .tiff .mp4 .mov .m4v .3gp .avi .mkv .webm "
                   ".mp3 .m4a .wav .ogg .opus .amr .aac .flac .pdf .zip .tgz .gz".split())
_LOCATION_DIRS = re.compile(r"(^|/)(location history[^/]*|standortverlauf[^/]*|historique des positions[^/]*|"
                            r"historial de ubicaciones[^/]*|semantic location history|timeline|zeitachse|"
                            r"chronologie|cronolog[ií]a)(/|$)", re.I)
_ACTIVITY_DIRS = re.compile(r"(^|/)(my activity|meine aktivitäten|mon activité|mi actividad|la mia attività)/", re.I)
_LOCATION_FILES = re.compile(r"^(records\.json|location history\.json|timeline edits\.json|tombstones\.csv|"
                             r"encrypted backups\.txt|location-history\.json|timeline\.json|settings\.json)$", re.I)
_LOCATION_KEYS = ('"locations"', '"timelineObjects"', '"semanticSegments"', '"timelineEdits"', '"deviceSettings"',
                  '"rawSignals"', '"timelinePath"', '"retentionWindowDays"')
# folder names only Google uses: a media file or an empty file below one of them is a Takeout's. Generic words
# ("photos", "groups", "messages") are left out on purpose: other exports (Facebook) have such folders too.
_GOOGLE_DIRS = re.compile(
    r"(^|/)(takeout|my activity|meine aktivitäten|mon activité|mi actividad|youtube[^/]*|chrome|google[^/]*|"
    r"play store|kontakte|contacts|profile?|gmail|maps(?: \([^/]*\))?|fit|keep|calendar|kalender|"
    r"access log activity|zugriffsprotokollaktivität|android-gerätekonfigurationsdienst|blogger|home app|"
    r"business messages)(/|$)", re.I)
_CHROME_SKIPPED = {"bookmarks.html": "Chrome bookmarks: not read", "autofill.json": "Chrome autofill: not read",
                   "searchengines.json": "Chrome search engines: not read", "omnibox.json": "Chrome omnibox: not read",
                   "dictionary.csv": "Chrome dictionary: not read", "readinglist.html": "Chrome reading list: not read",
                   "syncsettings.json": "Chrome sync settings: not read", "os settings.json": "Chrome OS settings: not read"}


# names of files this importer reads, in the languages seen: an empty one is reported, not left unknown
_READ_NAMES = re.compile(
    r"^(my ?activity|meine ?aktivitäten|mon ?activité|mi ?actividad|watch-history|search-history|"
    r"wiedergabeverlauf|suchverlauf|historique des vidéos regardées|historique de recherche|"
    r"historial de reproducciones|historial de búsquedas|browserhistory|history|verlauf|installs|library|"
    r"purchase history|order history|devices|reviews|subscriptions|abos|comments|kommentare|live chats|"
    r"likes|liked videos|profile?|transactions_.*|saved places|labelled places|daily activity metrics)"
    r"(-\d+)?\.(json|html|csv)$", re.I)


def _googleish(member, ctx) -> bool:
    return bool(_GOOGLE_DIRS.search(member.name)) or ctx.archive_name.lower().startswith("takeout")


def _is_location(member, head: str) -> bool:
    """A location-history file (the location importer's), by folder, by name, or by its keys."""
    folder = member.name.rsplit("/", 1)[0] if "/" in member.name else ""
    if _ACTIVITY_DIRS.search(folder):
        return False  # a My Activity product named like a location folder (e.g. "Timeline") is still activity
    if _LOCATION_DIRS.search(folder):
        return True
    if _LOCATION_FILES.match(member.basename):
        if member.basename.lower() == "settings.json":
            return not head.strip() or any(k in head[:4096] for k in _LOCATION_KEYS)
        return True
    return any(k in head[:2048] for k in _LOCATION_KEYS)


def detect(member, ctx) -> str | Claim | None:
    """What a member is: a reader's name, a ``skip`` claim, or None (not a Takeout file this importer knows)."""
    base = member.basename
    low = base.lower()
    suffix = member.suffix
    if base.startswith("._"):
        return skip("macOS resource-fork copy (AppleDouble), not data") if _googleish(member, ctx) else None
    if suffix not in (".json", ".html", ".htm") and ctx.names and _googleish(member, ctx):
        why = photos.media_claim_reason(member, ctx)  # by name alone: not one byte of a photo is read
        if why:
            return skip(why)
    if suffix in _MEDIA:
        return skip("media file: not read") if _googleish(member, ctx) else None
    if suffix in (".tcx", ".gpx", ".kml", ".kmz"):
        return skip("GPS track: not read (Fit sessions and daily metrics are)") if _googleish(member, ctx) else None
    if member.size == 0:
        if _LOCATION_FILES.match(base) or _LOCATION_DIRS.search(member.name):
            return None
        if _googleish(member, ctx) and (suffix in (".vcf", ".mbox", ".ics") or _READ_NAMES.search(base)):
            return "empty"
        return None
    head_bytes = member.head(16384)
    if suffix == ".mbox" or (suffix in ("", ".txt", ".mbox") and gmail.looks_like_mbox(head_bytes)):
        return "mbox" if gmail.looks_like_mbox(head_bytes.lstrip(b"\xef\xbb\xbf")) else None
    head = member.text_head(16384)
    stripped = head.lstrip()
    if suffix == ".json":
        if _is_location(member, head):
            return None
        return _detect_json(member, stripped, low, ctx)
    if suffix in (".html", ".htm"):
        if activity.looks_like_html_activity(head):
            return "activity_html"
        if low == "archive_browser.html":
            return skip("the Takeout index page")
        if "Sent at " in head and ("while watching" in head or "<li>" in head):
            return "yt_livechat_html" if "live-chat" in member.name.lower() or "live chat" in low else "yt_comments_html"
        if low in _CHROME_SKIPPED:
            return skip(_CHROME_SKIPPED[low])
        if low.endswith("subscriberinfo.html"):
            return skip("Google Account subscriber page: not read")
        return None
    if suffix == ".csv":
        if _is_location(member, ""):
            return None
        return _detect_csv(member, head, low, ctx)
    if suffix == ".vcf":
        return "vcf" if "BEGIN:VCARD" in head.upper() else None
    if suffix == ".ics":
        return "ics" if "BEGIN:VCALENDAR" in head.upper() else None
    return None


def _detect_json(member, head: str, low: str, ctx) -> str | Claim | None:
    in_photos = bool(ctx.names) and photos.index_of(ctx).in_photos(member.name)
    if in_photos and low in photos.OTHER_JSON:
        return skip(photos.OTHER_JSON[low])
    if in_photos and low == "metadata.json":
        return "photos_album"
    if in_photos and (photos.looks_like_sidecar_name(member.basename) or member.name in photos.index_of(ctx).paired):
        # even when damaged: parse_sidecar reports what is wrong with it. A long name clipped to 51 characters
        # keeps no media extension (``PXL_…_a_really_long_descripti.json``): its pairing with a photo tells
        return "photos_sidecar"
    if head.startswith("["):
        body = head[1:].lstrip()
        if body.startswith("]"):
            return skip("an empty list: nothing to read")
        first_key = re.match(r'\{\s*"([^"]+)"', body)
        if first_key and first_key.group(1) in commerce.PLAY_KEYS:
            return "play"
        if first_key and first_key.group(1) in commerce.PLAY_SKIPPED:
            return skip(commerce.PLAY_SKIPPED[first_key.group(1)])
        first = body
        if '"snippet"' in first and ('"playlistId"' in first or '"contentDetails"' in first):
            return "yt_likes"
        if '"time"' in first and ('"title"' in first or '"header"' in first):
            return "activity_json"
        if '"snippet"' in first and '"publishedAt"' in first:
            return "activity_json"
        return None
    if "purchases & reservations" in member.name.lower() or "käufe & reservierungen" in member.name.lower():
        return skip("Purchases & Reservations order: format not confirmed, not read")
    if not head.startswith("{"):
        return None
    first = head[:8000]
    if '"Browser History"' in first:
        return "chrome_history"
    if low in _CHROME_SKIPPED:
        return skip(_CHROME_SKIPPED[low])
    if re.search(r'"type"\s*:\s*"FeatureCollection"', first):
        return "geojson"
    if '"Extensions"' in first:
        return "chrome_extensions"
    if any(word in low for word in ("device", "geräte", "appareil", "dispositivo")) and "chrome" in member.name.lower():
        return "chrome_devices"
    if '"Data Source"' in first or '"Data Points"' in first:
        return skip("Fit raw data points: not read (daily metrics and sessions are)")
    if '"fitnessActivity"' in first:
        return "fit_session"
    if '"userEditedTimestampUsec"' in first or ('"textContent"' in first and '"isTrashed"' in first):
        return "keep"
    if '"photoTakenTime"' in first or ('"creationTime"' in first and '"geoData"' in first):
        return "photos_sidecar"
    if in_photos and '"externalOrderId"' in first:
        return skip("Google Photos print order: not read")
    if low == "metadata.json" and ('"albumData"' in first or ('"title"' in first and '"url"' not in first)) \
            and _googleish(member, ctx):
        return "photos_album"
    if ('"displayName"' in first or '"name"' in first) and ('"emails"' in first or '"birthday"' in first
                                                             or '"gender"' in first):
        return "profile"
    return None


def _detect_csv(member, head: str, low: str, ctx) -> str | Claim | None:
    header = head.split("\n", 1)[0].strip().lower()
    path = member.name.lower()
    if "comment id" in header or ("comment text" in header and "video id" in header):
        return "yt_comments"
    if "live chat id" in header:
        return "yt_livechat"
    if "channel id" in header and ("channel title" in header or "channel url" in header) and "," in header:
        if "video id" not in header:
            return "yt_subscriptions"
    if "video id" in header and "playlist video creation timestamp" in header:
        return "yt_playlist"
    if "playlist id" in header or low in ("channel.csv", "channel url configs.csv", "channel community moderation settings.csv"):
        return skip("YouTube playlist or channel settings: not read")
    if header.startswith("title,note,url"):
        return "maps_list"
    if "ip address" in header:
        return "access_log"
    if "device model" in header or ("device type" in header and "device" in path):
        return "access_devices"
    if header.startswith(("date,", "datum,")) and ("step count" in header or "move minutes" in header
                                                  or "calories" in header or "schritt" in header):
        return "fit_daily"
    if header.startswith(("start time,", "startzeit,")) and ("step count" in header or "move minutes" in header
                                                            or "calories" in header or "schritt" in header):
        return skip("Fit 15-minute intervals: not read (the daily metrics file has the same totals)")
    columns = header.count(",") + 1
    if ("transaction id" in header or "transaktions-id" in header or "id transazione" in header
            or "id de transacción" in header or "id de la transaction" in header
            or ("google pay" in path and columns == 7)):
        return "pay"
    return None


def _empty(member, ctx) -> Iterator[Any]:
    yield Problem("the file is empty (0 bytes): nothing to read", None, "warning")


READERS: dict[str, Callable[..., Iterator[Any]]] = {
    "empty": _empty,
    "activity_json": activity.parse_json,
    "activity_html": activity.parse_html,
    "yt_comments": lambda m, c: youtube.parse_comments_csv(m, c, live=False),
    "yt_livechat": lambda m, c: youtube.parse_comments_csv(m, c, live=True),
    "yt_comments_html": lambda m, c: youtube.parse_comments_html(m, c, live=False),
    "yt_livechat_html": lambda m, c: youtube.parse_comments_html(m, c, live=True),
    "yt_subscriptions": youtube.parse_subscriptions,
    "yt_likes": youtube.parse_likes_json,
    "yt_playlist": youtube.parse_playlist_csv,
    "chrome_history": commerce.parse_chrome_history,
    "chrome_extensions": commerce.parse_chrome_extensions,
    "chrome_devices": commerce.parse_chrome_devices,
    "play": commerce.parse_play,
    "pay": commerce.parse_pay,
    "vcf": people.parse_vcf,
    "profile": people.parse_profile,
    "access_log": people.parse_access_log,
    "access_devices": people.parse_access_devices,
    "mbox": gmail.parse_mbox,
    "geojson": extras.parse_geojson,
    "maps_list": extras.parse_saved_list,
    "fit_daily": extras.parse_fit_daily,
    "fit_session": extras.parse_fit_session,
    "keep": extras.parse_keep,
    "ics": extras.parse_ics,
    "photos_sidecar": photos.parse_sidecar,
    "photos_album": photos.parse_album,
}


class TakeoutImporter:
    name = "takeout"
    platform = "google"

    def claim(self, member, ctx) -> Claim | None:
        kind = detect(member, ctx)
        if kind is None or isinstance(kind, Claim):
            return kind
        return PARSE

    def parse(self, member, ctx) -> Iterator[Any]:
        kind = detect(member, ctx)
        if not isinstance(kind, str):
            yield Problem("this file is not a Takeout file this importer reads")
            return
        yield from READERS[kind](member, ctx)


IMPORTER = TakeoutImporter()
