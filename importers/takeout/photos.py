"""Google Photos in a Takeout: the metadata of every photo and video, read from its JSON sidecar alone.

The image and video bytes are never read: a 50 GB Photos export costs only its sidecars. Every sidecar is a
complete item by itself (shared/formats/GOOGLE_PHOTOS.md §11), so each one is imported without needing its
media file; pairing media names with sidecar names (``pair``) serves only to say, in the inventory, which media
have no sidecar and which sidecars have no media in the archive.

What one sidecar gives (``parse_sidecar``):

- an ``activities`` record, product ``Photos``: action ``photographed`` (``received`` for an item from partner
  sharing: the partner's photo, not the user's), time ``photoTakenTime`` (UTC); without one, ``creationTime``
  (the upload) with ``extra.time_is = "upload"``. ``extra`` keeps the upload time, description, people, origin
  (device type, phone folder, partner sharing, app), flags, views and both geo blocks;
- a ``locations`` record (kind ``point``, ``extra.source = "Photos"``) from the item's position: ``geoData`` (where
  Google Photos places it, perhaps edited by the user), else ``geoDataExif`` (what the camera wrote). A block
  at (0, 0) is unknown; a block is taken whole, never one coordinate from each. When both blocks hold different
  positions, ``geoData`` is kept and the record says ``edited_location`` with the EXIF position beside it.
  Items from partner sharing or from a messaging app's phone folder (``WhatsApp Images``…) say where someone
  else was: no location record, the position stays in the activity's ``extra``;
- a ``people`` record (relation ``tagged``, as for Facebook tags) for each named face group in ``people``;
- in an album folder, one more activity ``added_to_album`` linking the item to the album.

The natural key of an item is its ``url`` (Google's photo id), else ``title`` + ``photoTakenTime.timestamp``: the
copies of one item in a year folder and in album folders are one item in the vault.

An album's ``metadata.json`` (three generations: ``albumData`` wrapper, flat, title only) gives an activity
``created`` (title, date, description, access, pinned places and text, comment count) and a ``people`` record
(relation ``shared_album``) per commenter of a shared album.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any, Iterator

from datavault.archive import MEDIA_SUFFIXES  # one list of what is never read
from datavault.records import Activity, Location, Person, Problem
from datavault.timeutil import from_epoch_s

from .common import PLATFORM, squash
from .jsonstream import JsonTrouble, load_small

PRODUCT = "Photos"
SIDECAR_LIMIT = 4 << 20  # a sidecar is a few hundred bytes; a "sidecar" of megabytes is something else

# folders whose items describe someone else's moment: received or saved, not taken (GOOGLE_PHOTOS.md §9)
_MESSAGING_FOLDERS = re.compile(r"whatsapp|telegram|signal|messenger|viber|line|wechat|discord|instagram|"
                                r"snapchat|download", re.I)
_PHOTOS_ROOT = re.compile(r"(^|/)(google photos|google foto|google fotos|google fotó|google φωτογραφίες)(/|$)", re.I)
_SUPPLEMENTAL = "supplemental-metadata"
_COUNTER_END = re.compile(r"^(.*?)\((\d+)\)$")
_COUNTER_BEFORE_EXT = re.compile(r"^(.*?)\((\d+)\)(\.[^.()]{1,6})$")
# edited and derived copies carry no sidecar of their own (§10); compared in NFC, case-folded
_EDITED = ("-edited", "-bearbeitet", "-modifié", "-modificato", "-ha editado", "-ha edit", "-editado", "-editat",
           "-bewerkt", "-edytowane", "-編集済み", "-编辑", "-effects", "-smile", "-mix", "-motion", "-animation",
           "-collage")
_CLIP = 46
# JSON files of a Photos folder that are neither sidecars nor albums (§6), and why they are not read
OTHER_JSON = {"print-subscriptions.json": "Google Photos print subscriptions: not read",
              "shared_album_comments.json": "Google Photos shared album comments file: not read",
              "user-generated-memory-titles.json": "Google Photos memory titles: not read"}  # the sidecar stem limit (§4.2): a shorter sidecar base that is a prefix of the media name fits it


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def folder_of(name: str) -> str:
    return name.rsplit("/", 1)[0] if "/" in name else ""


def _split_counter(name: str) -> tuple[str, int | None]:
    """``IMG(1).jpg`` -> (``IMG.jpg``, 1); ``IMG.jpg(1)`` -> (``IMG.jpg``, 1); ``IMG.jpg`` -> (``IMG.jpg``, None)."""
    found = _COUNTER_END.match(name)
    if found:
        return found.group(1), int(found.group(2))
    found = _COUNTER_BEFORE_EXT.match(name)
    if found:
        return found.group(1) + found.group(3), int(found.group(2))
    return name, None


def sidecar_base(basename: str) -> tuple[str, int | None, bool] | None:
    """A JSON file name as (media name it describes, possibly clipped; counter; had a ``supplemental`` part), or
    None when the name is no sidecar name (``metadata.json`` is checked by the caller).

    ``IMG_1234.jpg.supplemental-metad.json``, ``IMG_1234.jpg.suppl.json``, ``IMG_1234.jpg..json`` -> IMG_1234.jpg;
    ``IMG.jpg(1).json``, ``IMG.jpg.supplemental-metadata(1).json``, ``img(18).jpg.supple(18).json`` -> counter."""
    if not basename.lower().endswith(".json"):
        return None
    stem = nfc(basename[:-5])
    counter = None
    found = _COUNTER_END.match(stem)
    if found:
        stem, counter = found.group(1), int(found.group(2))
    supplemental = False
    if "." in stem:
        head, _, last = stem.rpartition(".")
        if _SUPPLEMENTAL.startswith(last.lower()) and head:
            stem, supplemental = head, True
    inner_base, inner = _split_counter(stem)
    if inner is not None and (counter is None or counter == inner):
        stem, counter = inner_base, inner
    if not stem:
        return None
    return stem, counter, supplemental


def looks_like_sidecar_name(basename: str) -> bool:
    """A name only Photos sidecars have: a media extension or a ``.supplemental-…`` part before ``.json``."""
    parsed = sidecar_base(basename)
    if parsed is None:
        return False
    stem, _, supplemental = parsed
    return supplemental or _suffix(stem) in MEDIA_SUFFIXES


def _suffix(name: str) -> str:
    return name[name.rfind("."):].lower() if "." in name else ""


def media_key(basename: str) -> tuple[str, int | None, str | None]:
    """A media file name as (name without counter or edited suffix, counter, the edited suffix or None)."""
    name = nfc(basename)
    name, counter = _split_counter(name)
    dot = name.rfind(".")
    stem, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    low = stem.casefold()
    for suffix in _EDITED:
        if low.endswith(suffix):
            stem = stem[:-len(suffix)]
            found = _COUNTER_END.match(stem)  # IMG(1)-edited.jpg
            if found and counter is None:
                stem, counter = found.group(1), int(found.group(2))
            return stem + ext, counter, suffix
    return name, counter, None


class PhotosIndex:
    """The Photos folders of one archive and which media name pairs with which sidecar, built once from the
    member names alone (no member is opened)."""

    def __init__(self, names: frozenset[str]):
        self.folders: set[str] = set()
        for name in names:
            base = name.rsplit("/", 1)[-1]
            if _PHOTOS_ROOT.search(name) or (base.lower() != "metadata.json" and looks_like_sidecar_name(base)):
                self.folders.add(folder_of(name))
        sidecars: dict[str, dict] = {}  # folder -> {(base casefolded, counter): [sidecar members]}
        media: list[str] = []
        for name in names:
            folder = folder_of(name)
            if folder not in self.folders:
                continue
            base = name.rsplit("/", 1)[-1]
            low = base.lower()
            if low.endswith(".json"):
                if low not in OTHER_JSON and low != "metadata.json":
                    parsed = sidecar_base(base)
                    if parsed:
                        sidecars.setdefault(folder, {}).setdefault((parsed[0].casefold(), parsed[1]), []).append(name)
            elif not low.endswith((".html", ".htm")):
                media.append(name)
        self.media_sidecar: dict[str, str | None] = {}  # media member -> its sidecar member (None: none found)
        self.derived: dict[str, str] = {}  # media member -> its edited suffix
        self.ambiguous: dict[str, list[str]] = {}
        self.paired: set[str] = set()
        for name in sorted(media):
            found = self._pair(name, sidecars.get(folder_of(name), {}))
            self.media_sidecar[name] = found
            if found:
                self.paired.add(found)

    def _pair(self, name: str, candidates: dict) -> str | None:
        full, counter, edited = media_key(name.rsplit("/", 1)[-1])
        if edited:
            self.derived[name] = edited
        key = full.casefold()
        without_ext = key[:key.rfind(".")] if "." in key else key
        exact = candidates.get((key, counter), []) + candidates.get((without_ext, counter), [])
        if exact:
            return sorted(exact)[0]
        # a clipped sidecar base (§4.2, §4.5): a prefix of the media name, long enough to have been clipped or
        # ending where an extension starts; looked up length by length, never by scanning the folder. Google
        # counts the clip in UTF-16 code units: a character beyond the BMP (an emoji) is two
        units = [0]
        for ch in key:
            units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
        fits = [n for end in range(len(key) - 1, 0, -1)
                if units[end] >= _CLIP - len(_SUPPLEMENTAL) or key[end] == "."
                for n in candidates.get((key[:end], counter), ())]
        if len(fits) == 1:
            return fits[0]
        if len(fits) > 1:
            self.ambiguous[name] = sorted(fits)
        return None

    def in_photos(self, name: str) -> bool:
        return folder_of(name) in self.folders


_INDEX: list = [None, None]  # (names, index) of the archive seen last: built once per archive


def index_of(ctx) -> PhotosIndex:
    names = ctx.names
    if _INDEX[0] is not names:
        _INDEX[0], _INDEX[1] = names, PhotosIndex(names)
    return _INDEX[1]


def media_claim_reason(member, ctx) -> str | None:
    """Why a media member of a Photos folder is skipped (its bytes are never read), or None if it is not one."""
    index = index_of(ctx)
    if member.name not in index.media_sidecar:
        return None
    if member.name in index.ambiguous:
        return "Google Photos media: image bytes not read; several sidecars fit its name, none was chosen"
    if index.media_sidecar[member.name]:
        if member.name in index.derived:
            return "Google Photos edited copy: image bytes not read (its original's sidecar describes it)"
        return "Google Photos media: image bytes not read (its sidecar is)"
    return "Google Photos media without a sidecar: image bytes not read, nothing else is known about it"


# ---------------------------------------------------------------------------------------------------------------
# reading a sidecar


def _timestamp(block: Any) -> tuple[str | None, str | None]:
    """(ISO UTC, raw timestamp text) of a ``{timestamp, formatted}`` block; ``""``/``"0"``/missing are None."""
    if block is None:
        return None, None
    if not isinstance(block, dict):
        return None, json.dumps(block, ensure_ascii=False)
    raw = block.get("timestamp")
    if raw is None or isinstance(raw, bool) or str(raw).strip() in ("", "0"):
        return None, None
    try:
        seconds = float(str(raw).strip())
        if not math.isfinite(seconds) or seconds <= 0:
            return None, str(raw)
        return from_epoch_s(seconds), str(raw)
    except (ValueError, OverflowError):
        return None, str(raw)


def _position(block: Any) -> tuple[tuple[float, float] | None, str | None]:
    """((lat, lon), None) of a geo block; (None, None) when absent or (0, 0); (None, why) when it is damaged."""
    if not isinstance(block, dict):
        return None, None if block is None else "is not an object"
    lat, lon = block.get("latitude"), block.get("longitude")
    if lat is None and lon is None:
        return None, None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None, f"has coordinates that are not numbers ({lat!r}, {lon!r})"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, "has coordinates that are not numbers"
    if lat == 0 and lon == 0:
        return None, None  # Google's "no location"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, f"has coordinates off the globe ({lat}, {lon})"
    return (lat, lon), None


_SAME_PLACE = 1e-4  # degrees (about 10 m): float noise between the blocks is normal (30.657819000000003)


def _origin(data: dict) -> dict[str, Any]:
    origin = data.get("googlePhotosOrigin")
    out: dict[str, Any] = {}
    if isinstance(origin, dict):
        kinds = sorted(origin)
        if kinds:
            out["origin"] = kinds[0] if len(kinds) == 1 else kinds
        upload = origin.get("mobileUpload")
        if isinstance(upload, dict):
            if upload.get("deviceType"):
                out["device_type"] = upload["deviceType"]
            folder = upload.get("deviceFolder")
            if isinstance(folder, dict) and folder.get("localFolderName"):
                out["device_folder"] = folder["localFolderName"]
        if "fromPartnerSharing" in origin:  # an empty object: presence is the fact
            out["partner_shared"] = True
    app = data.get("appSource")
    if isinstance(app, dict) and app.get("androidPackageName"):
        out["app"] = app["androidPackageName"]
    return out


def is_sidecar(data: Any) -> bool:
    """A JSON object is an item's sidecar by its keys (§12): a taken time, or a title with a url or geo block."""
    return isinstance(data, dict) and ("photoTakenTime" in data or
                                       ("title" in data and ("url" in data or "geoData" in data
                                                             or "creationTime" in data)))


def is_album(data: Any) -> bool:
    return isinstance(data, dict) and "photoTakenTime" not in data and (
        isinstance(data.get("albumData"), dict) or ("title" in data and "url" not in data))


def parse_sidecar(member, ctx) -> Iterator[Any]:
    try:
        data = load_small(member.open(), SIDECAR_LIMIT)
    except JsonTrouble as trouble:
        yield Problem(f"a Google Photos sidecar that cannot be read: {trouble}")
        return
    if not is_sidecar(data):
        yield Problem("named like a Google Photos sidecar, but holds no photo's metadata (no photoTakenTime or "
                      "title): not imported")
        return
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True)
    title = data.get("title") if isinstance(data.get("title"), str) else None
    url = data.get("url") if isinstance(data.get("url"), str) and data.get("url") else None
    taken, taken_raw = _timestamp(data.get("photoTakenTime"))
    uploaded, uploaded_raw = _timestamp(data.get("creationTime"))
    if taken is None and taken_raw:
        yield Problem(f"photoTakenTime {taken_raw!r} is not a timestamp", "photoTakenTime", "warning")
    if uploaded is None and uploaded_raw:
        yield Problem(f"creationTime {uploaded_raw!r} is not a timestamp", "creationTime", "warning")
    item = ("photos-item", url) if url else ("photos-item", title, taken_raw or "")
    if not url and not title:
        yield Problem("a sidecar without url or title: keyed by its file name", None, "warning")
        item = ("photos-item-file", member.name, taken_raw or "")

    extra: dict[str, Any] = {}
    if uploaded:
        extra["uploaded"] = uploaded
    if taken is None and uploaded:
        extra["time_is"] = "upload"
    for key, label in (("description", "description"), ("imageViews", "views"), ("favorited", "favorited"),
                       ("archived", "archived"), ("trashed", "trashed")):
        value = data.get(key)
        if value not in (None, "", False):
            extra[label] = value
    extra.update(_origin(data))
    people: list[str] = []
    for entry in data.get("people") or [] if isinstance(data.get("people"), list) else []:
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and squash(name) and squash(name) not in people:
            people.append(squash(name))
    if people:
        extra["people"] = people

    positions: dict[str, tuple[float, float]] = {}
    for block_name in ("geoData", "geoDataExif"):
        position, why = _position(data.get(block_name))
        if why:
            yield Problem(f"{block_name} {why}: that block is ignored", block_name, "warning")
        if position:
            positions[block_name] = position
            block = data[block_name]
            extra[block_name] = {k: block[k] for k in ("latitude", "longitude", "altitude", "latitudeSpan",
                                                       "longitudeSpan") if k in block}
    chosen = "geoData" if "geoData" in positions else ("geoDataExif" if positions else None)
    edited = (len(positions) == 2 and
              max(abs(a - b) for a, b in zip(positions["geoData"], positions["geoDataExif"])) > _SAME_PLACE)
    if edited:
        extra["edited_location"] = True
    someone_else = None
    if extra.get("partner_shared"):
        someone_else = "partner sharing"
    elif isinstance(extra.get("device_folder"), str) and _MESSAGING_FOLDERS.search(extra["device_folder"]):
        someone_else = f"phone folder {extra['device_folder']}"
    if someone_else:
        extra["not_the_users"] = someone_else

    folder = folder_of(member.name)
    index = index_of(ctx)
    if member.name not in index.paired:
        extra["media_in_archive"] = False

    action = "received" if extra.get("partner_shared") else "photographed"
    yield Activity(key=item, locator="$", raw=raw, extra=extra or None, time=taken or uploaded,
                   platform=PLATFORM, product=PRODUCT, action=action, title=title, url=None)
    if chosen and not someone_else:
        lat, lon = positions[chosen]
        block = data[chosen]
        loc_extra: dict[str, Any] = {"source": PRODUCT, "title": title, "block": chosen}
        if isinstance(block.get("altitude"), (int, float)) and block.get("altitude"):
            loc_extra["altitude"] = block["altitude"]
        if edited:
            loc_extra["edited_location"] = True
            loc_extra["exif"] = list(positions["geoDataExif"])
        yield Location(key=("photos-point", *item[1:]), locator=chosen, raw=None, extra=loc_extra, time=taken,
                       lat=lat, lon=lon, kind="point", platform=PLATFORM)
    for i, name in enumerate(people):
        yield Person(key=("photos-person", "tagged", name.casefold()), locator=f"people[{i}]", name=name,
                     platform=PLATFORM, relation="tagged", extra={"source": PRODUCT})
    album = album_name(folder, ctx)
    if album:
        yield Activity(key=("photos-album-item", folder, *item[1:]), locator="$", time=None, platform=PLATFORM,
                       product=PRODUCT, action="added_to_album", title=album,
                       extra={"album": album, "item": title})
    if member.name not in index.paired:
        yield Problem("no photo or video of this sidecar's name in the archive (it may be in another part of a "
                      "multi-part Takeout): its metadata was imported", None, "warning")


def album_name(folder: str, ctx) -> str | None:
    """The album a folder is: a folder with a ``metadata.json``; its title is the folder name (the album file's
    own title is read with the album)."""
    if f"{folder}/metadata.json" in ctx.names:
        return folder.rsplit("/", 1)[-1]
    return None


def parse_album(member, ctx) -> Iterator[Any]:
    try:
        data = load_small(member.open(), SIDECAR_LIMIT * 4)
    except JsonTrouble as trouble:
        yield Problem(f"a Google Photos album file that cannot be read: {trouble}")
        return
    if not isinstance(data, dict):
        yield Problem("a Google Photos album file that is not a JSON object")
        return
    album = data["albumData"] if isinstance(data.get("albumData"), dict) else data
    folder = folder_of(member.name)
    title = album.get("title") if isinstance(album.get("title"), str) and album.get("title") else None
    title = title or folder.rsplit("/", 1)[-1] or None
    when, when_raw = _timestamp(album.get("date"))
    extra: dict[str, Any] = {"folder": folder.rsplit("/", 1)[-1]}
    for key in ("description", "access", "location"):
        if album.get(key):
            extra[key] = album[key]
    position, _ = _position(album.get("geoData"))
    if position:
        extra["album_position"] = list(position)
    pins, texts = [], []
    for enrichment in album.get("enrichments") or [] if isinstance(album.get("enrichments"), list) else []:
        if not isinstance(enrichment, dict):
            continue
        narrative = enrichment.get("narrativeEnrichment")
        if isinstance(narrative, dict) and narrative.get("text"):
            texts.append(narrative["text"])
        located = enrichment.get("locationEnrichment")
        for place in (located.get("location") or []) if isinstance(located, dict) else []:
            if isinstance(place, dict):
                pin = {"name": place.get("name")}
                try:
                    pin["lat"] = int(place["latitudeE7"]) / 1e7
                    pin["lon"] = int(place["longitudeE7"]) / 1e7
                except (KeyError, TypeError, ValueError):
                    pass
                pins.append(pin)
    if texts:
        extra["texts"] = texts
    if pins:
        extra["pinned_places"] = pins  # album facts: where the user says the album is, not where a photo was
    comments = album.get("sharedAlbumComments") if isinstance(album.get("sharedAlbumComments"), list) else []
    if comments:
        extra["comments"] = len(comments)
    yield Activity(key=("photos-album", folder, when_raw or ""), locator="$",
                   raw=json.dumps(data, ensure_ascii=False, sort_keys=True), extra=extra, time=when,
                   platform=PLATFORM, product=PRODUCT, action="created", title=title)
    seen: set[str] = set()
    for i, comment in enumerate(comments):
        name = comment.get("contentOwnerName") if isinstance(comment, dict) else None
        if isinstance(name, str) and squash(name) and squash(name).casefold() not in seen:
            seen.add(squash(name).casefold())
            yield Person(key=("photos-person", "shared_album", squash(name).casefold()),
                         locator=f"sharedAlbumComments[{i}]", name=squash(name), platform=PLATFORM,
                         relation="shared_album", extra={"source": PRODUCT, "album": title})
