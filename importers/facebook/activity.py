"""The person's own activity: posts (a multi-photo post that Facebook repeats as several records with the same
timestamp is one post), comments, reactions, searches (posts of kind ``search``), saved items, poll votes,
payments, apps and websites, recently viewed and visited things, and every place signal: check-ins, tagged
places, post places, photo EXIF coordinates and upload IPs.

Titles are localised sentences ("Sam updated her status."), so nothing is classified by their words; they are
kept in ``extra`` or used as the ``target`` when the file has nothing better. Deliberately ignored: media bytes
(only their paths are kept) and EXIF camera settings.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterator

from datavault.records import Activity, Location, Person, Post, ProfileFact, Problem, Purchase

from datavault.importers.facebook.jsonread import (PLATFORM, Items, Run, dumps, first_string, is_label_values, labels,
                                         next_ordinal, pair_get, read_label_values, when)


def _singletons(entries: Any) -> Iterator[tuple[str, Any]]:
    """The (key, value) of each singleton object in a ``data`` list."""
    for entry in entries or []:
        if isinstance(entry, dict):
            yield from entry.items()


def _attachment_items(item: dict) -> Iterator[tuple[str, Any]]:
    for attachment in item.get("attachments") or []:
        if isinstance(attachment, dict):
            yield from _singletons(attachment.get("data"))


# ---------------------------------------------------------------------------------------------------------- posts

def posts(run: Run, items: Items, kind: str = "post") -> Iterator[Any]:
    pending: list[tuple[str, dict]] = []
    seen: Counter[str] = Counter()
    for locator, item in items:
        if not isinstance(item, dict):
            yield Problem("a post that is not an object was skipped", locator, "warning")
            continue
        if pending and _same_post(pending[0][1], item):
            pending.append((locator, item))
            continue
        if pending:
            yield from _emit_post(run, pending, kind, seen)
        pending = [(locator, item)]
    if pending:
        yield from _emit_post(run, pending, kind, seen)


def _post_text(item: dict) -> Any:
    for key, value in _singletons(item.get("data")):
        if key == "post" and isinstance(value, str):
            return value
    return None


def _same_post(first: dict, item: dict) -> bool:
    """Facebook repeats a multi-photo post as one record per photo, all with the post's timestamp; the text is
    repeated or left out, never different."""
    if first.get("timestamp") is None or first.get("timestamp") != item.get("timestamp"):
        return False
    text, other = _post_text(first), _post_text(item)
    return text == other or other is None


def _emit_post(run: Run, group: list[tuple[str, dict]], kind: str, seen: Counter) -> Iterator[Any]:
    locator, first = group[0]
    timestamp = first.get("timestamp")
    time = when(timestamp)
    text = run.fix(_post_text(first))
    extra: dict[str, Any] = {}
    if first.get("title"):
        extra["title"] = run.fix(first["title"])
    media, urls, places, target = [], [], [], None
    for loc, item in group:
        for key, value in _attachment_items(item):
            if key == "media" and isinstance(value, dict):
                media.append(value)
            elif key == "place" and isinstance(value, dict):
                places.append(value)
            elif key == "external_context" and isinstance(value, dict):
                urls.append(value.get("url") or value.get("name"))
            elif key == "name" and isinstance(value, str):
                target = target or run.fix(value)  # a group the post went to
            elif key == "text" and isinstance(value, str) and text is None:
                text = run.fix(value)
            elif key == "life_event":
                extra["life_event"] = run.fix_tree(value)
            elif key == "poll":
                extra["poll"] = run.fix_tree(value)
        for tag in item.get("tags") or []:
            name = tag.get("name") if isinstance(tag, dict) else tag
            if isinstance(name, str):
                extra.setdefault("tags", [])
                if run.fix(name) not in extra["tags"]:
                    extra["tags"].append(run.fix(name))
                    yield Person(name=run.fix(name), platform=PLATFORM, relation="tagged",
                                 key=("fb-person", "tagged", run.fix(name)), locator=f"{loc}.tags", raw=dumps(tag))
    if media:
        extra["media"] = [m.get("uri") for m in media]
    if urls:
        extra["urls"] = [u for u in urls if u]
        target = target or extra["urls"][0] if extra["urls"] else target
    if len(group) > 1:
        extra["records"] = len(group)
    ordinal = next_ordinal(seen, str(timestamp))
    raw = dumps(first) if len(group) == 1 else dumps([item for _, item in group])
    yield Post(time=time, platform=PLATFORM, kind=kind, text=text, target=target,
               key=("fb-post", kind, str(timestamp), ordinal), locator=locator, raw=raw, extra=extra or None)
    for place in places:
        yield from _place(run, place, time, f"{locator}.place", ("fb-post-place", str(timestamp), ordinal))
    for index, item in enumerate(media):
        yield from media_signals(run, item, f"{locator}.media[{index}]")


def _place(run: Run, place: dict, time, locator: str, key: tuple) -> Iterator[Any]:
    coordinate = place.get("coordinate") or {}
    lat, lon = coordinate.get("latitude"), coordinate.get("longitude")
    if lat is None or lon is None:
        return
    yield Location(time=time, lat=float(lat), lon=float(lon), kind="point", place_name=run.fix(place.get("name")),
                   platform=PLATFORM, key=key, locator=locator, raw=dumps(place),
                   extra={k: run.fix(place[k]) for k in ("address", "url") if place.get(k)} or None)


def media_signals(run: Run, media: dict, locator: str) -> Iterator[Any]:
    """EXIF upload IPs (a login-like IP signal) and EXIF coordinates of the person's own photos and videos."""
    metadata = media.get("media_metadata") or {}
    for kind in ("photo_metadata", "video_metadata"):
        for exif in (metadata.get(kind) or {}).get("exif_data") or []:
            if not isinstance(exif, dict):
                continue
            taken = when(exif.get("taken_timestamp")) or when(exif.get("upload_timestamp")) or \
                when(media.get("creation_timestamp"))
            if exif.get("upload_ip"):
                yield ProfileFact(platform=run.platform, field="ip_address", value=str(exif["upload_ip"]),
                                  time=when(media.get("creation_timestamp")) or taken,
                                  key=("fb-upload-ip", str(exif["upload_ip"]), str(media.get("uri"))),
                                  locator=locator, extra={"source": "photo upload", "uri": media.get("uri")})
            if exif.get("latitude") is not None and exif.get("longitude") is not None \
                    and (exif["latitude"], exif["longitude"]) != (0, 0):  # 0, 0: no GPS in the file
                yield Location(time=taken, lat=float(exif["latitude"]), lon=float(exif["longitude"]), kind="point",
                               platform=run.platform, key=("fb-exif", str(media.get("uri"))), locator=locator,
                               extra={"source": "photo EXIF", "uri": media.get("uri")})


def media_list(run: Run, items: Items) -> Iterator[Any]:
    """``other_photos_v2`` / ``videos_v2`` / an album's ``photos``: only their IP and place signals are records."""
    for locator, item in items:
        if isinstance(item, dict) and isinstance(item.get("photos"), list):  # an album file
            for index, media in enumerate(item["photos"]):
                if isinstance(media, dict):
                    yield from media_signals(run, media, f"{locator}.photos[{index}]")
        elif isinstance(item, dict):
            yield from media_signals(run, item, locator)


# --------------------------------------------------------------------------------------- comments and reactions

def comments(run: Run, items: Items) -> Iterator[Any]:
    seen: Counter[str] = Counter()
    for locator, item in items:
        if not isinstance(item, dict):
            yield Problem("a comment that is not an object was skipped", locator, "warning")
            continue
        comment: dict = {}
        for key, value in _singletons(item.get("data")):
            if key == "comment" and isinstance(value, dict):
                comment = value
        timestamp = comment.get("timestamp", item.get("timestamp"))
        text = run.fix(comment.get("comment"))
        target = run.fix(comment.get("group")) or run.fix(item.get("title"))
        urls = [v.get("url") for k, v in _attachment_items(item) if k == "external_context" and isinstance(v, dict)]
        ordinal = next_ordinal(seen, str(timestamp))
        extra = {"title": run.fix(item.get("title"))} if item.get("title") else {}
        if comment.get("author"):
            extra["author"] = run.fix(comment["author"])
        if urls:
            extra["urls"] = urls
        yield Post(time=when(timestamp), platform=PLATFORM, kind="comment", text=text, target=target,
                   key=("fb-comment", str(timestamp), ordinal), locator=locator, raw=dumps(item),
                   extra=extra or None)


_REACTION = labels("Reaction", "Reactie", "Reaktion", "Réaction", "Reacción", "Reação")
_URL = labels("URL", "Link", "Lien", "Enlace")


def reactions(run: Run, items: Items) -> Iterator[Any]:
    seen: Counter[str] = Counter()
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            reaction = lv.get(_REACTION)
            target = lv.get(labels("Name", "Naam", "Navn", "Nom")) or lv.title
            strings = lv.strings()
            if reaction is None and strings:
                reaction = strings[0]  # positional fallback for unknown languages
                target = target or (strings[1] if len(strings) > 1 else None)
            url = lv.get(_URL) or lv.first_href()
            timestamp = lv.timestamp
            extra = {"url": url} if url else None
        elif isinstance(item, dict):
            reaction, actor = None, None
            for key, value in _singletons(item.get("data")):
                if key == "reaction" and isinstance(value, dict):
                    reaction, actor = value.get("reaction"), value.get("actor")
            reaction = run.fix(reaction)
            target = run.fix(item.get("title"))
            timestamp = item.get("timestamp")
            extra = {"actor": run.fix(actor)} if actor else None
        else:
            yield Problem("a reaction that is not an object was skipped", locator, "warning")
            continue
        ordinal = next_ordinal(seen, str(timestamp))
        yield Post(time=when(timestamp), platform=PLATFORM, kind="reaction", text=reaction, target=target,
                   key=("fb-reaction", str(timestamp), ordinal), locator=locator, raw=dumps(item), extra=extra)


# ------------------------------------------------------------------------------------------------------ searches

_SEARCH = labels("Search", "Zoekopdracht", "Zoeken", "Søgning", "Suche", "Recherche", "Búsqueda", "Pesquisa",
                 "Text", "Tekst")


def searches(run: Run, items: Items, kind: str = "search") -> Iterator[Any]:
    seen: Counter[str] = Counter()
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            text = lv.get(_SEARCH) or first_string(lv.pairs)
            timestamp = lv.timestamp
            extra = {"title": lv.title} if lv.title else None
        elif isinstance(item, dict):
            text = None
            for key, value in list(_singletons(item.get("data"))) + list(_attachment_items(item)):
                if key == "text" and isinstance(value, str):
                    text = run.fix(value)
                    break
            timestamp = item.get("timestamp")
            extra = {"title": run.fix(item.get("title"))} if item.get("title") else None
            if text is None and item.get("title"):
                text = run.fix(item["title"])  # older exports: the query only inside the sentence
        else:
            yield Problem("a search that is not an object was skipped", locator, "warning")
            continue
        ordinal = next_ordinal(seen, str(timestamp))
        yield Post(time=when(timestamp), platform=PLATFORM, kind=kind, text=text, target=None,
                   key=("fb-search", kind, str(timestamp), ordinal), locator=locator, raw=dumps(item), extra=extra)


# ------------------------------------------------------------------------------------------------------ places

_PLACE = labels("Place", "Plaats", "Locatie", "Sted", "Ort", "Lieu", "Lugar", "Local", "Location", "Name", "Naam")
_COORDS = labels("Coordinates", "Coördinaten", "Koordinater", "Koordinaten", "Coordonnées", "Coordenadas")
_ADDRESS = labels("Address", "Adres", "Adresse", "Dirección", "Endereço")
_COORD_TEXT = re.compile(r"\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?")


def _coords(value: Any) -> tuple[float, float] | None:
    if isinstance(value, str):
        match = _COORD_TEXT.search(value)
        if match:
            return float(match.group(1)), float(match.group(2))
        return None
    if isinstance(value, list):  # a dict of Latitude/Longitude pairs, or a nested coordinate string
        lat = pair_get(value, labels("Latitude", "Breedtegraad", "Breitengrad", "Breddegrad"))
        lon = pair_get(value, labels("Longitude", "Lengtegraad", "Längengrad", "Længdegrad"))
        if lat is not None and lon is not None:
            try:
                return float(lat), float(lon)
            except (TypeError, ValueError):
                return None
        for entry in value:
            inner = entry[1] if isinstance(entry, tuple) else entry
            found = _coords(inner)
            if found:
                return found
    return None


def checkins(run: Run, items: Items, tagged: bool = False) -> Iterator[Any]:
    for locator, item in items:
        lv = yield from read_label_values(run, locator, item)
        if lv is None:
            continue
        place = lv.get(_PLACE)
        if not isinstance(place, str):
            place = first_string(place) if place else None
        coords = _coords(lv.get(_COORDS)) or _coords(lv.pairs)
        timestamp = lv.timestamp_or_first_time()
        for label, _ in lv.pairs:
            if label and label.casefold() not in _PLACE | _COORDS | _ADDRESS:
                run.unknown_labels[label] += 1
        address = lv.get(_ADDRESS)
        extra = {"source": "tagged place" if tagged else "check-in"}
        if isinstance(address, str):
            extra["address"] = address
        if lv.title:
            extra["title"] = lv.title
        key = ("fb-checkin", "tagged" if tagged else "checkin", str(timestamp), str(lv.fbid or ""), place or "")
        if coords is None:  # a place without coordinates is not a location, but still something the person did
            yield Post(time=when(timestamp), platform=PLATFORM, kind="tagged_place" if tagged else "checkin",
                       text=place or lv.title, target=extra.get("address"), key=key, locator=locator,
                       raw=dumps(item), extra=extra)
            continue
        yield Location(time=when(timestamp), lat=coords[0], lon=coords[1], kind="point",
                       place_name=place or lv.title, platform=PLATFORM, key=key, locator=locator, raw=dumps(item),
                       extra=extra)


def places_list(run: Run, items: Items) -> Iterator[Any]:
    """``your_places_v2`` and G1 ``location_history``: places with coordinates."""
    for locator, item in items:
        if not isinstance(item, dict):
            continue
        if "coordinate" in item:
            yield from _place(run, item, when(item.get("creation_timestamp") or item.get("timestamp")), locator,
                              ("fb-place", str(item.get("creation_timestamp")), item.get("name") or ""))
        for index, (key, value) in enumerate(_attachment_items(item)):
            if key == "place" and isinstance(value, dict):
                yield from _place(run, value, when(item.get("timestamp")), f"{locator}.place",
                                  ("fb-location-history", str(item.get("timestamp")), index))


# ------------------------------------------------------------------------------------ saved, polls, payments, apps

def saved(run: Run, items: Items) -> Iterator[Any]:
    for locator, item in items:
        if not isinstance(item, dict):
            continue
        name, url = None, None
        for key, value in _attachment_items(item):
            if key == "external_context" and isinstance(value, dict):
                name, url = run.fix(value.get("name")), value.get("url")
        yield Post(time=when(item.get("timestamp")), platform=PLATFORM, kind="saved",
                   text=name or run.fix(item.get("title")), target=url,
                   key=("fb-saved", str(item.get("timestamp")), url or name or ""), locator=locator, raw=dumps(item),
                   extra={"title": run.fix(item.get("title"))} if item.get("title") else None)


def polls(run: Run, items: Items) -> Iterator[Any]:
    for locator, item in items:
        if not isinstance(item, dict):
            continue
        question, chosen = None, []
        for key, value in _attachment_items(item):
            if key == "poll" and isinstance(value, dict):
                question = run.fix(value.get("question"))
                chosen = [run.fix(o.get("option")) for o in value.get("options") or []
                          if isinstance(o, dict) and o.get("voted")]
        yield Post(time=when(item.get("timestamp")), platform=PLATFORM, kind="poll_vote",
                   text="; ".join(c for c in chosen if c) or run.fix(item.get("title")), target=question,
                   key=("fb-poll", str(item.get("timestamp")), question or ""), locator=locator, raw=dumps(item))


def payments(run: Run, items: Items) -> Iterator[Any]:
    for locator, value in items:
        currency = value.get("preferred_currency") if isinstance(value, dict) else None
        entries = value.get("payments", []) if isinstance(value, dict) else value
        for index, pay in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(pay, dict):
                continue
            amount = pay.get("amount")
            try:
                amount = float(str(amount).replace(",", "")) if amount is not None else None
            except ValueError:
                amount = None
            yield Purchase(time=when(pay.get("created_timestamp") or pay.get("timestamp")), platform=PLATFORM,
                           item=run.fix(pay.get("type") or pay.get("description")),
                           merchant=run.fix(pay.get("receiver")), amount=amount,
                           currency=pay.get("currency") or currency, payment_method=run.fix(pay.get("payment_method")),
                           key=("fb-payment", str(pay.get("created_timestamp")), str(pay.get("amount")), index),
                           locator=f"{locator}.payments[{index}]", raw=dumps(pay),
                           extra={k: run.fix_tree(pay[k]) for k in ("sender", "status") if pay.get(k)} or None)


def apps(run: Run, items: Items, action: str) -> Iterator[Any]:
    for locator, item in items:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        timestamp = item.get("added_timestamp") or item.get("removed_timestamp") or item.get("timestamp")
        yield Activity(time=when(timestamp), platform=PLATFORM, product="Apps and websites", action=action,
                       title=run.fix(item["name"]), key=("fb-app", action, item["name"], str(timestamp)),
                       locator=locator, raw=dumps(item),
                       extra={k: item[k] for k in ("category", "removed_timestamp") if item.get(k)} or None)


def viewed(run: Run, items: Items, action: str) -> Iterator[Any]:
    """``recently_viewed`` / ``visited_things``: groups of entries (``entries`` or nested ``children``)."""
    for locator, group in items:
        yield from _viewed_group(run, group, locator, action, None)


def _viewed_group(run: Run, group: Any, locator: str, action: str, category) -> Iterator[Any]:
    if not isinstance(group, dict):
        return
    category = run.fix(group.get("name")) or category
    for index, child in enumerate(group.get("children") or []):
        yield from _viewed_group(run, child, f"{locator}.children[{index}]", action, category)
    for index, entry in enumerate(group.get("entries") or []):
        if not isinstance(entry, dict):
            continue
        data = entry.get("data") or {}
        title = run.fix(data.get("name") or data.get("value"))
        yield Activity(time=when(entry.get("timestamp")), platform=PLATFORM, product="Facebook", action=action,
                       title=title, url=data.get("uri"),
                       key=("fb-viewed", action, category or "", str(entry.get("timestamp")), data.get("uri") or
                            data.get("name") or ""), locator=f"{locator}.entries[{index}]", raw=dumps(entry),
                       extra={"category": category} if category else None)


def viewed_records(run: Run, items: Items, action: str) -> Iterator[Any]:
    """``profile_visits.json`` / ``items_viewed.json``: label_values records."""
    for locator, item in items:
        lv = yield from read_label_values(run, locator, item)
        if lv is None:
            continue
        title = lv.get(labels("Name", "Naam", "Title", "Titel")) or first_string(lv.pairs) or lv.title
        timestamp = lv.timestamp_or_first_time()
        yield Activity(time=when(timestamp), platform=PLATFORM, product="Facebook", action=action, title=title,
                       url=lv.first_href(),
                       key=("fb-viewed", action, str(timestamp), title or ""), locator=locator, raw=dumps(item))


def last_activity(run: Run, items: Items) -> Iterator[Any]:
    """``last_activity_v2``: the days each client (website, app) was used."""
    for locator, value in items:
        per_client = value.get("last_activity_time", value) if isinstance(value, dict) else {}
        for client, info in (per_client.items() if isinstance(per_client, dict) else []):
            days = info.get("activity_by_day") if isinstance(info, dict) else None
            for index, day in enumerate(days or []):
                yield Activity(time=when(day), platform=PLATFORM, product="Facebook", action="used",
                               title=run.fix(client), key=("fb-active-day", client, str(day)),
                               locator=f"{locator}.{client}.activity_by_day[{index}]")
