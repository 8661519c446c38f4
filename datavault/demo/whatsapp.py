"""Demo WhatsApp exports for the persona, in three real shapes:

- a 1:1 chat with Jordan, Android, English, ``dd/mm/yyyy, HH:MM - `` (``WhatsApp Chat with Jordan Lee.txt``);
- the family group "Família Costa", iOS, Portuguese system lines, ``[dd/mm/yyyy, HH:MM:SS]``, as a zip holding
  ``_chat.txt`` and a photo, with U+200E marks and CRLF line endings;
- the school parents' group, Android, US English, ``m/d/yy, h:mm\u202fPM - `` (the 2023 narrow no-break space).

The conversations carry what the report should find: late nights, a toddler, a clinic, money worries, a union
meeting and a strike. ``write_chat`` is also what the benchmark uses to build a chat of a million messages.
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

from datavault.demo.persona import PERSONA

OWNER_LINES = [
    "Running late, sorry!", "Can you grab milk on the way?", "Mia finally asleep 😴", "Nursery called, Mia has a temperature",
    "Do we have nappies left? Size 4", "Appointment at the clinic on Thursday, can you cover?",
    "Overdraft again this month 😬", "Thinking about a payday loan until the 28th", "Union meeting tonight at 7",
    "We're on strike Friday, picket line from 6am ✊", "Played Fortnite till 3am, regret", "Happy birthday!! 🎉🎂",
    "Test results came back fine, relieved", "Mass at St Anne's on Sunday?", "Can't sleep again",
    "Lovely evening, thank you ❤️", "Shall we do the Lantern Bar Saturday?", "Payday can't come soon enough",
    "Just finished work", "Mia's first steps today 👣", "👨‍👩‍👧 day out at the park",
]
FRIEND_LINES = [
    "Haha yes", "On my way", "How are you holding up?", "Sure, what time?", "Good luck today!", "Call me later?",
    "That's brilliant news", "Sending love", "Are you coming to the protest on Saturday?", "Ok 👍",
    "Did you see the match?", "Let me know if you need anything", "Night night", "Same here",
]
FAMILY_LINES_PT = [
    "Bom dia a todos! ☀️", "Saudades 😘", "A Mia está tão grande!", "Quando vens cá?", "Parabéns!!! 🎉",
    "Jantar no domingo?", "Beijinhos", "Como correu a consulta?",
]
PARENT_LINES = [
    "Reminder: school trip forms due Friday", "Does anyone have spare wellies size 8?", "Nits letter again 🙈",
    "Bake sale tomorrow!", "Thanks all", "Who's doing pick up today?", "Parents evening is on the 14th",
]


GAPS = (1, 2, 3, 5, 8, 15, 30, 60, 120, 240, 480, 720)  # minutes between messages: a quiet chat
BUSY_GAPS = (0, 0, 1, 1, 1, 2, 2, 3, 5, 8, 15, 60)  # a chat of a million messages spans years, not centuries


def _clock(rng: random.Random, start: dt.datetime, n: int, night_share: float = 0.12, pace: int = 1,
           gaps: tuple[int, ...] = GAPS):
    """n increasing wall-clock times from ``start``: daytime mostly, with a share of late nights; ``pace``
    stretches the gaps (a family group talks less often than two friends)."""
    moment = start
    for _ in range(n):
        moment += dt.timedelta(minutes=pace * rng.choice(gaps))
        if rng.random() < night_share and moment.hour < 22:
            moment = moment.replace(hour=rng.choice((0, 1, 2, 3)), minute=rng.randrange(60)) + dt.timedelta(days=1)
        yield moment


def write_chat(path: Path, messages: int, rng: random.Random, start: dt.datetime | None = None) -> Path:
    """A 1:1 Android chat of ``messages`` messages (with a few multi-line ones), streamed to ``path``."""
    me, other = PERSONA.name, PERSONA.contacts[0].name
    start = start or dt.datetime(2024, 1, 8, 8, 30)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"{start:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. No one outside of this "
                 f"chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n")
        busy = messages >= 10_000  # a chat of a million messages: minutes apart, the odd late night
        for i, moment in enumerate(_clock(rng, start, messages - 1, night_share=0.002 if busy else 0.12,
                                          gaps=BUSY_GAPS if busy else GAPS)):
            mine = rng.random() < 0.5
            text = rng.choice(OWNER_LINES if mine else FRIEND_LINES)
            if i % 97 == 5:
                text += "\nand another thing:\n\nsee you soon"
            elif i % 211 == 7:
                text = "<Media omitted>"
            fh.write(f"{moment:%d/%m/%Y, %H:%M} - {me if mine else other}: {text}\n")
    return path


def _family_zip(path: Path, rng: random.Random, scale: int) -> Path:
    me, ana, mum = PERSONA.name, "Ana Costa", "Mum"
    lrm, crlf = "\u200e", "\r\n"
    start = dt.datetime(2024, 8, 3, 9, 15, 2)
    lines = [
        f"[{start:%d/%m/%Y, %H:%M:%S}] Família Costa: {lrm}As mensagens e as chamadas são protegidas com a "
        f"criptografia de ponta a ponta.",
        f"[{start:%d/%m/%Y, %H:%M:%S}] {ana}: {lrm}{ana} criou o grupo \"Família Costa\"",
        f"[{start + dt.timedelta(seconds=40):%d/%m/%Y, %H:%M:%S}] {ana}: {lrm}{ana} adicionou {me}",
    ]
    photo = "00000012-PHOTO-2024-08-03-10-00-00.jpg"
    for i, moment in enumerate(_clock(rng, start + dt.timedelta(minutes=5), 60 * scale, night_share=0.05, pace=6)):
        who = rng.choice((me, ana, mum))
        stamp = f"[{moment:%d/%m/%Y, %H:%M:%S}]"
        if i == 3:
            lines.append(f"{lrm}{stamp} {me}: {lrm}<attached: {photo}>")
        elif i == 9:
            lines.append(f"{stamp} {me}: {lrm}Você apagou esta mensagem.")
        else:
            lines.append(f"{stamp} {who}: {rng.choice(FAMILY_LINES_PT)}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", crlf.join(lines) + crlf)
        zf.writestr(photo, b"\xff\xd8\xff\xe0 demo photo bytes \xff\xd9")
    return path


def _parents_chat(path: Path, rng: random.Random, scale: int) -> Path:
    me = PERSONA.name
    others = ["Priya Shah", "Tom Okafor", "+44 7700 900777"]
    nnbsp = "\u202f"
    start = dt.datetime(2024, 9, 2, 7, 45)

    def stamp(moment: dt.datetime) -> str:
        hour = moment.hour % 12 or 12
        return f"{moment.month}/{moment.day}/{moment:%y}, {hour}:{moment:%M}{nnbsp}{'AM' if moment.hour < 12 else 'PM'}"

    lines = [f"{stamp(start)} - Priya Shah created group \"Parents of Room 3\"",
             f"{stamp(start)} - Priya Shah added you"]
    for moment in _clock(rng, start + dt.timedelta(minutes=3), 40 * scale, night_share=0.02, pace=8):
        who = rng.choice([me, *others])
        lines.append(f"{stamp(moment)} - {who}: {rng.choice(PARENT_LINES)}")
    lines.append(f"{stamp(moment + dt.timedelta(minutes=5))} - {others[1]} left")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write(out_dir: Path, rng: random.Random, scale: int) -> list[Path]:
    folder = out_dir / "whatsapp"
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_chat(folder / f"WhatsApp Chat with {PERSONA.contacts[0].name}.txt", 400 * scale, rng,
                   start=dt.datetime(2024, 8, 19, 8, 30)),  # the months the location history covers too
        _family_zip(folder / "WhatsApp Chat - Família Costa.zip", rng, scale),
        _parents_chat(folder / "WhatsApp Chat with Parents of Room 3.txt", rng, scale),
    ]
