"""Write a persona's exports in the real formats: ``write_exports(persona, folder) -> list[Path]``.

- WhatsApp: one ``.txt`` per chat with the locale's Android header (en ``12/03/2024, 21:05 - ``, de
  ``12.03.24, 21:05 - ``, es ``12/3/24, 21:05 - ``, fr ``12/03/2024 à 21:05 - ``, tr ``12.03.2024 21:05 - ``)
  and its file name (``WhatsApp Chat with X.txt``, ``WhatsApp Chat mit X.txt``, ``Chat de WhatsApp con X.txt``,
  ``Discussion WhatsApp avec X.txt``, ``X ile WhatsApp Sohbeti.txt``), or an iOS zip (``_chat.txt``,
  ``[12/03/2024, 21:05:33] ``); times are local wall-clock (import with ``--tz persona.tz``).
- Google Takeout, as an extracted folder ``takeout/Takeout/``: ``My Activity/Search/MyActivity.json``,
  ``My Activity/YouTube/MyActivity.json``, ``My Activity/Google Play Games/MyActivity.json`` (newest first),
  ``Location History/Records.json`` and ``Location History/Semantic Location History/YYYY/YYYY_MONTH.json``
  (place visits with names, E7 coordinates and durations, activity segments between them; no platform
  HOME/WORK labels, so home and work have to be found from the stays themselves).
- Facebook "Download Your Information", 2024 JSON layout, as a zip (mojibake text as Facebook writes it):
  profile, one Messenger thread, ``ads_information/ad_preferences.json``, ``other_categories_used_to_reach_you``
  and ``logged_information/other_logged_information/ads_interests.json``.

Deterministic: the random generator is seeded from the persona's name, so the same persona always gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import zipfile
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

from datavault.demo import facebook as demo_facebook
from datavault.demo import location as demo_location
from datavault.demo.persona import Place as DemoPlace
from tests.personas.model import Chat, Persona, Stay
from tests.personas.smalltalk import MEDIA, OTHER, OWN, SYSTEM

__all__ = ["write_exports", "rng_for"]

CHAT_FILE = {
    "en": "WhatsApp Chat with {}.txt", "de": "WhatsApp Chat mit {}.txt", "es": "Chat de WhatsApp con {}.txt",
    "fr": "Discussion WhatsApp avec {}.txt", "tr": "{} ile WhatsApp Sohbeti.txt",
}


def rng_for(persona: Persona, part: str) -> random.Random:
    """One generator per persona and part of the export: adding a chat does not change the location history."""
    return random.Random(zlib.crc32(f"{persona.name}/{part}".encode()))


def write_exports(persona: Persona, folder: Path) -> list[Path]:
    """Write every export of ``persona`` under ``folder``; returns the paths to pass to ``datavault import``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    paths += _write_whatsapp(persona, folder / "whatsapp")
    takeout = _write_takeout(persona, folder / "takeout")
    if takeout:
        paths.append(takeout)
    if persona.facebook:
        paths.append(_write_facebook(persona, folder / "facebook"))
    return paths


# ---- WhatsApp -----------------------------------------------------------------------------------------------------


def _header(lang: str, style: str, moment: dt.datetime) -> str:
    if style == "ios":
        return f"[{moment:%d/%m/%Y, %H:%M:%S}] "
    if lang == "de":
        return f"{moment:%d.%m.%y, %H:%M} - "
    if lang == "es":
        return f"{moment.day}/{moment.month}/{moment:%y}, {moment:%H:%M} - "
    if lang == "fr":
        return f"{moment:%d/%m/%Y} à {moment:%H:%M} - "
    if lang == "tr":
        return f"{moment:%d.%m.%Y %H:%M} - "
    return f"{moment:%d/%m/%Y, %H:%M} - "


def _weighted_hour(rng: random.Random, hours: dict[int, float]) -> int:
    keys = sorted(hours)
    return rng.choices(keys, weights=[hours[k] for k in keys])[0]


def chat_messages(persona: Persona, chat: Chat, own: int, rng: random.Random) -> list[tuple[dt.datetime, str, str]]:
    """(local time, sender, text) for one chat with ``own`` messages of the owner, in time order."""
    lang = persona.language
    others = list(chat.members) or [chat.contact]
    bursts = max(1, round(own / 2.3))
    slots: list[tuple[dt.datetime, str]] = []  # (moment, "me" | other sender)
    mine = 0
    for b in range(bursts):
        day = persona.start + dt.timedelta(days=min(persona.days - 1, b * persona.days // bursts + rng.randrange(2)))
        moment = dt.datetime.combine(day, dt.time(_weighted_hour(rng, persona.hours), rng.randrange(60)))
        left = bursts - b
        size = max(1, min(4, round((own - mine) / left) + rng.choice((-1, 0, 0, 1))))
        if b == bursts - 1:
            size = own - mine
        if size <= 0:
            continue
        if rng.random() < 0.35:  # the other person starts
            slots.append((moment, rng.choice(others)))
            moment += dt.timedelta(minutes=rng.randint(1, 9))
        for _ in range(size):
            slots.append((moment, "me"))
            mine += 1
            moment += dt.timedelta(minutes=rng.randint(0, 4))
            if rng.random() < 0.8:
                slots.append((moment, rng.choice(others)))
                moment += dt.timedelta(minutes=rng.randint(1, 6))
    slots.sort(key=lambda s: s[0])
    own_idx = [i for i, (_, who) in enumerate(slots) if who == "me"]
    other_idx = [i for i, (_, who) in enumerate(slots) if who != "me"]
    signal_at = dict(zip(rng.sample(own_idx, min(len(chat.signals), len(own_idx))), chat.signals))
    other_at = dict(zip(rng.sample(other_idx, min(len(chat.other_signals), len(other_idx))), chat.other_signals))
    out = []
    for i, (moment, who) in enumerate(slots):
        if who == "me":
            if i in signal_at:
                text = signal_at[i]
            elif chat.flavour and rng.random() < 0.3:
                text = rng.choice(chat.flavour)
            else:
                text = rng.choice(OWN[lang])
            out.append((moment, persona.me, text))
        else:
            if i in other_at:
                text = other_at[i]
            elif rng.random() < 0.03:
                text = MEDIA[lang]
            else:
                text = rng.choice(OTHER[lang])
            out.append((moment, who, text))
    return out


def _write_whatsapp(persona: Persona, folder: Path) -> list[Path]:
    if not persona.chats and not persona.script:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    rng = rng_for(persona, "whatsapp")
    lang, style = persona.language, persona.whatsapp_style
    paths = []
    chats: list[tuple[Chat, list]] = []
    if persona.script:
        contact = next(s for _, s, _ in persona.script if s != persona.me)
        script = [(dt.datetime.strptime(t, "%Y-%m-%d %H:%M"), who, text) for t, who, text in persona.script]
        chats.append((Chat(contact), script))
    total = sum(c.share for c in persona.chats) or 1
    left = persona.own_messages
    for n, chat in enumerate(persona.chats):
        own = left if n == len(persona.chats) - 1 else round(persona.own_messages * chat.share / total)
        left -= own
        chats.append((chat, chat_messages(persona, chat, own, rng)))
    for chat, messages in chats:
        first = messages[0][0] - dt.timedelta(minutes=3)
        lines = []
        if style == "ios":
            lines.append(f"\u200e{_header(lang, style, first)}{chat.contact}: \u200e{SYSTEM[lang]}")
        else:
            lines.append(f"{_header(lang, style, first)}{SYSTEM[lang]}")
        if chat.group:
            creator = chat.members[0]
            created = {"en": f'{creator} created group "{chat.contact}"', "de": f'{creator} hat die Gruppe „{chat.contact}“ erstellt',
                       "es": f'{creator} creó el grupo "{chat.contact}"', "fr": f'{creator} a créé le groupe « {chat.contact} »',
                       "tr": f'{creator} "{chat.contact}" grubunu oluşturdu'}[lang]
            lines.append(f"{_header(lang, style, first)}{created}")
        for moment, who, text in messages:
            if style == "ios":
                moment = moment.replace(second=rng.randrange(60))
            lines.append(f"{_header(lang, style, moment)}{who}: {text}")
        body = "\n".join(lines) + "\n"
        if style == "ios":
            path = folder / f"WhatsApp Chat - {chat.contact}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(zipfile.ZipInfo("_chat.txt", (2024, 12, 1, 9, 0, 0)), body.replace("\n", "\r\n"))
        else:
            path = folder / CHAT_FILE[lang].format(chat.contact)
            path.write_text(body, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


# ---- Google Takeout -------------------------------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _local(persona: Persona, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZoneInfo(persona.tz))


def _activity(header: str, title: str, moment: dt.datetime, url: str | None = None,
              subtitles: list | None = None, control: str = "Web & App Activity") -> dict:
    record: dict = {"header": header, "title": title}
    if url:
        record["titleUrl"] = url
    if subtitles:
        record["subtitles"] = subtitles
    record.update(time=_iso(moment), products=[header], activityControls=[control])
    return record


def _searches(persona: Persona, rng: random.Random) -> list[dict]:
    from urllib.parse import quote_plus
    out = []
    for query, times in persona.searches:
        for _ in range(times):
            day = persona.start + dt.timedelta(days=rng.randrange(persona.days))
            moment = _local(persona, day, _weighted_hour(rng, persona.hours), rng.randrange(60), rng.randrange(60))
            out.append(_activity("Search", f"Searched for {query}", moment,
                                 f"https://www.google.com/search?q={quote_plus(query)}"))
    return out


def _watches(persona: Persona, rng: random.Random) -> list[dict]:
    spec = persona.youtube
    out = []
    for offset in range(persona.days):
        day = persona.start + dt.timedelta(days=offset)
        n = rng.randint(*spec.per_day)
        sessions = rng.randint(2, 3)
        for s in range(sessions):
            hour = _weighted_hour(rng, spec.hours)
            moment = _local(persona, day, hour, rng.randrange(60), rng.randrange(60))
            for _ in range(n // sessions + (1 if s < n % sessions else 0)):
                title, channel = rng.choice(spec.videos)
                vid = f"{zlib.crc32(title.encode()):08x}{rng.randrange(999):03d}"
                out.append(_activity(
                    "YouTube", f"Watched {title}", moment, f"https://www.youtube.com/watch?v={vid}",
                    [{"name": channel, "url": f"https://www.youtube.com/channel/UC{zlib.crc32(channel.encode()):010d}"}],
                    "YouTube watch history"))
                moment += dt.timedelta(minutes=rng.randint(*spec.minutes), seconds=rng.randrange(60))
    return out


def _play_games(persona: Persona, rng: random.Random) -> list[dict]:
    out = []
    for offset in range(persona.days):
        if rng.random() < 0.2:
            continue
        day = persona.start + dt.timedelta(days=offset)
        for game in rng.sample(persona.play_games, k=min(len(persona.play_games), rng.randint(1, 2))):
            moment = _local(persona, day, rng.choice((13, 17, 22, 23, 0)), rng.randrange(60), rng.randrange(60))
            out.append(_activity("Google Play Games", f"Played {game}", moment))
    return out


def _stays(persona: Persona) -> list[tuple[DemoPlace, dt.datetime, dt.datetime, str]]:
    """(place, arrival, departure, mode) in order, home filling every gap (minus the journeys)."""
    places = {p.kind: DemoPlace(p.name, p.lat, p.lon, "x" + p.kind) for p in persona.places}
    home = places["home"]
    outings = []
    for offset in range(persona.days):
        day = persona.start + dt.timedelta(days=offset)
        week = offset // 7
        for stay in persona.routine:
            if day.weekday() not in stay.weekdays or week % stay.every:
                continue
            h1, m1 = map(int, stay.start.split(":"))
            h2, m2 = map(int, stay.end.split(":"))
            arrive = _local(persona, day, h1, m1)
            end_day = day + dt.timedelta(days=1) if (h2, m2) <= (h1, m1) else day
            outings.append((places[stay.place], arrive, _local(persona, end_day, h2, m2)))
    outings.sort(key=lambda o: o[1])
    minute = dt.timedelta(minutes=1)

    def mode(a, b):
        return "IN_BUS" if demo_location._distance_m(a, b) > 1500 else "WALKING"

    stays = [(home, _local(persona, persona.start, 0), _local(persona, persona.start, 0), "")]
    for place, arrive, leave in outings:
        last, last_arrive, last_leave, last_mode = stays[-1]
        how = mode(home, place)
        go = arrive - demo_location._travel_minutes(home, place, how) * minute
        if last is home:
            stays[-1] = (home, last_arrive, go, last_mode)
        else:
            back = last_leave + demo_location._travel_minutes(last, home, "WALKING") * minute
            if go - back >= 30 * minute:
                stays.append((home, back, go, mode(last, home)))
        stays.append((place, arrive, leave, how))
    last, _, last_leave, _ = stays[-1]
    end = _local(persona, persona.start + dt.timedelta(days=persona.days), 0)
    stays.append((home, last_leave + demo_location._travel_minutes(last, home, "WALKING") * minute, end,
                  mode(last, home)))
    return stays


def _write_takeout(persona: Persona, folder: Path) -> Path | None:
    activity: dict[str, list[dict]] = {}
    if persona.searches:
        activity["Search"] = _searches(persona, rng_for(persona, "search"))
    if persona.youtube:
        activity["YouTube"] = _watches(persona, rng_for(persona, "youtube"))
    if persona.play_games:
        activity["Google Play Games"] = _play_games(persona, rng_for(persona, "games"))
    if not activity and not persona.routine:
        return None
    root = folder / "Takeout"
    for product, records in activity.items():
        records.sort(key=lambda r: r["time"], reverse=True)  # Google writes newest first
        target = root / "My Activity" / product / "MyActivity.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    if persona.routine:
        history = root / "Location History"
        history.mkdir(parents=True, exist_ok=True)
        stays = _stays(persona)
        rng = rng_for(persona, "location")
        demo_location._write_records(history / "Records.json", stays, rng)
        demo_location._write_semantic(history / "Semantic Location History", stays, rng)
        demo_location._write_settings(history / "Settings.json")
    return folder


# ---- Facebook -------------------------------------------------------------------------------------------------------


def _write_facebook(persona: Persona, folder: Path) -> Path:
    spec = persona.facebook
    rng = rng_for(persona, "facebook")
    folder.mkdir(parents=True, exist_ok=True)
    lv = demo_facebook._lv
    files: dict = {}
    first, _, last = persona.me.partition(" ")
    files["personal_information/profile_information/profile_information.json"] = {"profile_v2": {
        "name": {"full_name": persona.me, "first_name": first, "middle_name": "", "last_name": last},
        "registration_timestamp": demo_facebook._ts(dt.datetime(2011, 3, 5, 18, 0))}}
    if spec.own_messages:
        thread = "inbox/" + "".join(ch for ch in spec.friend.lower() if ch.isalpha()) + "_48213"
        chat = Chat(spec.friend, other_signals=spec.other_lines)
        fb_persona = persona
        messages = []
        for moment, who, text in chat_messages(fb_persona, chat, spec.own_messages, rng):
            stamp = int(moment.replace(tzinfo=ZoneInfo(persona.tz)).timestamp()) * 1000 + rng.randrange(1000)
            messages.append({"sender_name": who, "timestamp_ms": stamp, "content": text,
                             "is_geoblocked_for_viewer": False})
        messages.reverse()  # Facebook writes newest first
        files[f"your_facebook_activity/messages/{thread}/message_1.json"] = {
            "participants": [{"name": spec.friend}, {"name": persona.me}], "messages": messages,
            "title": spec.friend, "is_still_participant": True, "thread_path": thread, "thread_type": "Regular",
            "magic_words": [], "image": {"uri": "", "creation_timestamp": 0}, "joinable_mode": {"mode": 1, "link": ""}}
    if spec.interests:
        files["ads_information/ad_preferences.json"] = {"label_values": [
            {"label": "Interests", "vec": [{"value": v} for v in spec.interests]}]}
        files["logged_information/other_logged_information/ads_interests.json"] = {"topics_v2": list(spec.interests)}
    if spec.categories:
        files["ads_information/other_categories_used_to_reach_you.json"] = {"label_values": [
            {"label": "Name", "vec": [{"value": v} for v in spec.categories]}]}
    slug = "".join(ch for ch in persona.me.lower() if ch.isalpha())
    return demo_facebook.write_zip(folder / f"facebook-{slug}-2024-12-01-Qx7Lp2.zip", files)
