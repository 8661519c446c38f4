"""What a persona is: who they are, what is true about them, the traps they carry, and the data they leave.

Everything here is data; ``build.py`` turns it into export files in the real formats. Nothing is a real person;
places are ordinary public places (or invented ones) chosen so that maps look plausible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Union

NOT_ASSESSED = "not_assessed"
Truth = Union[bool, Literal["not_assessed"]]

EVALUATED = ("parent", "health", "religion", "trade_union", "political_expression", "financial_stress",
             "screen_time", "home_work", "sensitive_places", "sexual_orientation")


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    kind: str  # unique within a persona: "home", "work", "tennis", "church"...


@dataclass(frozen=True)
class Stay:
    """A recurring stay: at ``place`` (a Place.kind) on the given weekdays (0 = Monday) from ``start`` to ``end``
    (local "HH:MM"; an end before the start runs into the next day); ``every`` n-th week only."""
    place: str
    weekdays: tuple[int, ...]
    start: str
    end: str
    every: int = 1


@dataclass(frozen=True)
class Chat:
    """One WhatsApp chat. ``contact`` is the other person (or the group's name when ``members`` is given).
    ``share`` is this chat's part of the persona's own messages. ``signals`` are the owner's lines that carry
    a trait (each written once, at a random place among the owner's messages); ``other_signals`` the same for
    the other people in the chat."""
    contact: str
    share: float = 1.0
    members: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    other_signals: tuple[str, ...] = ()
    flavour: tuple[str, ...] = ()  # neutral everyday lines of this person's own life, mixed into the filler

    @property
    def group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class Watching:
    """YouTube watch history: ``per_day`` (min, max) watches on each of ``days`` days, at the local ``hours``
    given with weights, each video ``minutes`` (min, max) long (watches follow each other)."""
    videos: tuple[tuple[str, str], ...]  # (title, channel)
    per_day: tuple[int, int]
    hours: dict[int, float]
    minutes: tuple[int, int] = (8, 20)


@dataclass(frozen=True)
class FacebookData:
    interests: tuple[str, ...] = ()       # what Facebook concluded (ad interests)
    categories: tuple[str, ...] = ()      # "other categories used to reach you"
    friend: str = "Friend"                 # the Messenger thread's other person
    own_messages: int = 0                  # neutral own Messenger messages
    other_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Persona:
    name: str
    language: str  # en, de, es, fr, tr: the language of the owner's own texts
    me: str
    description: str
    tz: str
    truth: dict[str, Truth]
    traps: tuple[str, ...]
    start: dt.date = dt.date(2024, 9, 2)
    days: int = 75
    own_messages: int = 320
    hours: dict[int, float] = field(default_factory=lambda: {8: 1, 12: 1.5, 13: 1, 17: 1, 18: 2, 19: 2, 20: 2.5,
                                                             21: 2, 22: 1})
    chats: tuple[Chat, ...] = ()
    whatsapp_style: Literal["android", "ios"] = "android"
    script: tuple[tuple[str, str, str], ...] = ()  # explicit messages (local "YYYY-MM-DD HH:MM", sender, text)
    places: tuple[Place, ...] = ()
    routine: tuple[Stay, ...] = ()
    searches: tuple[tuple[str, int], ...] = ()  # (query, how many times over the period)
    youtube: Watching | None = None
    play_games: tuple[str, ...] = ()  # games opened most days through Google Play Games
    facebook: FacebookData | None = None

    def place(self, kind: str) -> Place:
        return next(p for p in self.places if p.kind == kind)

    @property
    def home(self) -> tuple[float, float] | None:
        """The true home, where the truth says home_work can be concluded."""
        return (self.place("home").lat, self.place("home").lon) if self.truth.get("home_work") is True else None

    @property
    def work(self) -> tuple[float, float] | None:
        return (self.place("work").lat, self.place("work").lon) if self.truth.get("home_work") is True else None

    @property
    def slug(self) -> str:
        return self.name
