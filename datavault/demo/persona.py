"""The demo persona: one invented person whose exports every demo writer produces.

Every fact a finding should discover is planted here once, so the WhatsApp, Takeout, location and Facebook
writers tell the same story (the same friends, the same home, the same child). Nothing here is a real person;
coordinates are ordinary places in Leeds, UK, chosen only so maps look plausible.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str | None = None
    relation: str = "friend"  # friend, family, colleague


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    category: str  # home, work, worship, clinic, nightlife, shop, gym, school


@dataclass(frozen=True)
class Persona:
    name: str = "Sam Rivera"
    first_name: str = "Sam"
    email: str = "sam.rivera@example.org"
    phone: str = "+44 7700 900123"
    birthday: str = "1988-04-17"
    gender: str = "female"
    city: str = "Leeds"
    hometown: str = "Bradford"
    timezone: str = "Europe/London"
    child_name: str = "Mia"  # a toddler: nappies, nursery, paediatrician: the parent finding
    contacts: tuple[Contact, ...] = (
        Contact("Jordan Lee", "+44 7700 900201", "jordan.lee@example.org"),
        Contact("Priya Shah", "+44 7700 900202", "priya@example.net"),
        Contact("Tom Okafor", "+44 7700 900203"),
        Contact("Mum", "+44 7700 900204", relation="family"),
        Contact("Chris Novak", "+44 7700 900205", "chris.novak@example.com", relation="colleague"),
        Contact("Ana Costa", "+351 912 345 678", "ana.costa@example.pt"),
    )
    # a group chat in another language (Portuguese), and one in English
    group_chats: tuple[str, ...] = ("Família Costa", "Parents of Room 3")
    places: tuple[Place, ...] = field(default=(
        Place("Home", 53.80756, -1.55232, "home"),
        Place("Northwind Logistics", 53.79572, -1.54388, "work"),
        Place("St Anne's Cathedral", 53.80038, -1.54753, "worship"),
        Place("Leeds General Infirmary, Sexual Health Clinic", 53.80200, -1.55190, "clinic"),
        Place("The Lantern Bar", 53.79651, -1.53964, "nightlife"),
        Place("Little Acorns Nursery", 53.81102, -1.55890, "school"),
        Place("Hyde Park Union Office (GMB)", 53.81260, -1.56370, "union"),
    ))

    def place(self, category: str) -> Place:
        return next(p for p in self.places if p.category == category)


PERSONA = Persona()
