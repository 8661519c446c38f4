"""Who the account is, where it logged in from, and what Instagram concluded about it:

- the profile (``profile_user``, IG-A ``profile.json``): name, username, e-mail, phone, gender, birthday (Meta's
  default ``1919-01-01`` is no birthday), bio, website ... -> ``profile``; the names also decide whose messages
  are the owner's. Account information (``profile_account_insights``) and profile changes (old usernames, names,
  e-mails) -> ``profile`` too.
- login and logout activity, the sign-up record -> ``profile`` ``ip_address`` (with time, user agent, language),
  each user agent once as ``device``; devices -> ``device``; the last known location -> ``locations``
- ad interests -> ``platform_inferences`` ``interest``; "your topics" (and reels topics) -> ``topic``; where
  Instagram thinks the account is based -> ``primary_location``; locations of interest -> ``location_of_interest``;
  e-mail addresses Meta believes are the person's -> ``inferred_email``

Labels are read case-insensitively in English, Dutch and German where known; an unknown label is listed in the
inventory and kept in the record's raw text.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from datavault.records import Location, Note, PlatformInference, ProfileFact, Problem

from datavault.importers.facebook.jsonread import Items, Run, dumps, labels, when
from datavault.importers.instagram.shapes import IP, NAME, TIME, USER_AGENT, entries

PROFILE_FIELDS = {
    "name": labels("Name", "Naam", "Nom", "Nombre"),
    "username": labels("Username", "Gebruikersnaam", "Benutzername", "Nom d'utilisateur", "Nombre de usuario"),
    "email": labels("Email", "E-mail", "Email address", "E-mailadres", "E-Mail-Adresse", "Adresse e-mail"),
    "phone": labels("Phone Number", "Phone", "Telefoonnummer", "Telefonnummer", "Numéro de téléphone"),
    "gender": labels("Gender", "Geslacht", "Geschlecht", "Genre", "Género"),
    "birthday": labels("Date of birth", "Birthday", "Geboortedatum", "Geburtsdatum", "Date de naissance"),
    "bio": labels("Bio", "Biografie", "Biographie", "Biografía"),
    "website": labels("Website", "Site web", "Sitio web"),
    "private_account": labels("Private Account", "Privéaccount", "Privates Konto"),
    "registered": labels("Date joined", "Date Joined"),
}
_FIELD_OF_LABEL = {label: fieldname for fieldname, names in PROFILE_FIELDS.items() for label in names}
_NO_BIRTHDAY = "1919-01-01"  # Meta's default, not a birthday (INSTAGRAM.md 6.10)
_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(label: str) -> str:
    return _SLUG.sub("_", label.casefold()).strip("_") or "field"


def _fact(run: Run, fieldname: str, value: str, locator: str, time=None, extra=None, key_extra="") -> ProfileFact:
    return ProfileFact(platform=run.platform, field=fieldname, value=value, time=time, locator=locator,
                       key=("ig-profile", fieldname, value, str(key_extra)), extra=extra)


def profile(run: Run, items: Items) -> Iterator[Any]:
    """``profile_user`` (one SMD record) or IG-A's flat ``profile.json`` object."""
    names: list[str] = []
    usernames: list[str] = []
    for locator, item in items:
        if isinstance(item, dict) and "string_map_data" not in item and "label_values" not in item:
            pairs = [(k, run.fix(v)) for k, v in item.items() if isinstance(v, (str, int, float)) and v != ""
                     and not isinstance(v, bool)]
        else:
            found = list(entries(run, [(locator, item)]))
            e = found[0][1]
            if e is None:
                yield Problem("a profile record of an unknown shape was skipped", locator, "warning")
                continue
            pairs = [(f.label, f.value) for f in e.fields if f.label and f.value]
        for label, value in pairs:
            value = str(value)
            fieldname = _FIELD_OF_LABEL.get(label.casefold().replace("_", " "), None) or _slug(label)
            if fieldname == "birthday" and value.startswith(_NO_BIRTHDAY):
                continue
            if fieldname in ("profile_pic_url", "profile_photo"):
                continue
            if fieldname == "name":
                names.append(value)
            elif fieldname == "username":
                usernames.append(value)
            yield _fact(run, fieldname, value, locator)
    if names or usernames:
        yield Note("instagram_owner", {"names": sorted(set(names)), "usernames": sorted(set(usernames))})


def account_information(run: Run, items: Items) -> Iterator[Any]:
    """``profile_account_insights``: contact syncing, first country code, account creation and the like."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("an account-information record of an unknown shape was skipped", locator, "warning")
            continue
        for f in e.fields:
            if f.label and (f.value or f.timestamp):
                yield _fact(run, _slug(f.label), f.value or when(f.timestamp), locator,
                            extra={"source": "account information"})


_CHANGED = labels("Changed", "Gewijzigd", "Geändert")
_PREVIOUS = labels("Previous Value", "Vorige waarde", "Vorheriger Wert")
_NEW = labels("New Value", "Nieuwe waarde", "Neuer Wert")


def profile_changes(run: Run, items: Items) -> Iterator[Any]:
    """``profile_profile_change``: each earlier value (an old username matters for finding the person)."""
    names: list[str] = []
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a profile change of an unknown shape was skipped", locator, "warning")
            continue
        what = e.value(_CHANGED) or e.title or "profile"
        fieldname = _FIELD_OF_LABEL.get(what.casefold(), _slug(what))
        previous, new = e.value(_PREVIOUS), e.value(_NEW)
        time = when(e.time())
        if previous:
            yield _fact(run, f"previous_{fieldname}", previous, locator, time,
                        extra={"new_value": new} if new else None)
            if fieldname == "name":
                names.append(previous)
    if names:
        yield Note("instagram_owner", {"names": sorted(set(names)), "usernames": []})


_LANGUAGE = labels("Language Code", "Taalcode", "Sprachcode")
_COOKIE = labels("Cookie Name", "Cookienaam")
_DEVICE_ID = labels("Device ID", "Apparaat-ID", "Geräte-ID")


def logins(run: Run, items: Items, source: str) -> Iterator[Any]:
    """Login, logout and sign-up records: the IP address with its time, each user agent once as a device."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem(f"a {source} record of an unknown shape was skipped", locator, "warning")
            continue
        ip = e.value(IP)
        if ip is None:  # a label not in the table: the value that looks like an address
            ip = next((f.value for f in e.fields if f.value and _looks_ip(f.value)), None)
        agent = e.value(USER_AGENT)
        timestamp = e.time()
        time = when(timestamp)
        if not ip and not agent:
            yield Problem(f"a {source} record without an IP address was skipped", locator, "warning")
            continue
        extra = {k: v for k, v in (("source", source), ("user_agent", agent), ("language", e.value(_LANGUAGE)),
                                   ("cookie", e.value(_COOKIE)), ("device_id", e.value(_DEVICE_ID))) if v}
        if ip:
            yield ProfileFact(platform=run.platform, field="ip_address", value=ip, time=time,
                              key=("ig-ip", source, ip, str(timestamp)), locator=locator, raw=dumps(item), extra=extra)
        if agent:
            yield ProfileFact(platform=run.platform, field="device", value=agent, time=time,
                              key=("ig-device", agent), locator=locator, extra={"source": source})
        if source == "sign-up":
            for fieldname in ("email", "phone", "username"):
                value = e.value(PROFILE_FIELDS[fieldname])
                if value:
                    yield _fact(run, fieldname, value, locator, time, extra={"source": "sign-up"})


_IP = re.compile(r"^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7})$", re.I)


def _looks_ip(text: str) -> bool:
    return bool(_IP.match(text.strip()))


def devices(run: Run, items: Items) -> Iterator[Any]:
    for locator, e, item in entries(run, items):
        agent = (e.value(USER_AGENT) or e.value(_DEVICE_ID) or e.first_value()) if e is not None else None
        if not agent:
            yield Problem("a device record of an unknown shape was skipped", locator, "warning")
            continue
        yield ProfileFact(platform=run.platform, field="device", value=agent, time=when(e.time()),
                          key=("ig-device", agent), locator=locator, raw=dumps(item), extra={"source": "devices"})


_LAT = (labels("Precise Latitude", "Latitude"), labels("Imprecise Latitude"))
_LON = (labels("Precise Longitude", "Longitude"), labels("Imprecise Longitude"))


def last_location(run: Run, items: Items) -> Iterator[Any]:
    """``last_known_location.json``: a GPS fix (precise when given, else the imprecise one)."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a location record of an unknown shape was skipped", locator, "warning")
            continue
        for precise, lat_labels, lon_labels in ((True, _LAT[0], _LON[0]), (False, _LAT[1], _LON[1])):
            try:
                lat, lon = float(e.value(lat_labels) or "x"), float(e.value(lon_labels) or "x")
            except ValueError:
                continue
            if (lat, lon) == (0, 0) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                continue
            timestamp = e.time()
            yield Location(time=when(timestamp), lat=lat, lon=lon, kind="point", platform=run.platform,
                           key=("ig-last-location", str(timestamp), str(lat), str(lon)), locator=locator,
                           raw=dumps(item), extra={"source": "last known location", "precise": precise})
            break
        else:
            yield Problem("a location record without coordinates was skipped", locator, "warning")


def inferences(run: Run, items: Items, category: str) -> Iterator[Any]:
    """Interests, topics, the based-in city, locations of interest, possible e-mails: one label each, or (a
    label_values record) every value it lists."""
    for locator, e, item in entries(run, items):
        if e is None:
            if isinstance(item, str) and item:
                yield _inference(run, category, run.fix(item), locator, None, item)
                continue
            yield Problem(f"a {category.replace('_', ' ')} entry of an unknown shape was skipped", locator, "warning")
            continue
        if e.shape == "label_values":
            values = [f.value for f in e.fields if f.value]
        else:
            value = e.value(NAME) or e.first_value(TIME)
            values = [value] if value else []
        if not values:
            yield Problem(f"a {category.replace('_', ' ')} entry without a value was skipped", locator, "warning")
            continue
        for value in values:
            yield _inference(run, category, value, locator, when(e.time()), item)


def _inference(run: Run, category: str, value: str, locator: str, time, item) -> PlatformInference:
    return PlatformInference(platform=run.platform, category=category, value=value, time=time,
                             key=("ig-inf", category, value), locator=locator, raw=dumps(item))
