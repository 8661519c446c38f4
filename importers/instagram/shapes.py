"""Reading Instagram's record shapes (INSTAGRAM.md section 5) into one flat form every handler can use.

An Instagram file holds a wrapper ``{"<category>_<subcategory>": [records]}``, a bare list, or one bare record, of
four record shapes: SLD (``string_list_data``: relationships, likes), SMD (``string_map_data``: interests, logs,
profile; its keys are *display labels in the account's language*), the 2025+ ``label_values`` record (read with
the Facebook reader, the same vendor format) and the MEDIA record of posts. ``entry`` turns SLD, SMD and
``label_values`` records into an ``Entry``: its title, its (label, value, href, timestamp) fields in order, and
the record's own timestamp, so a handler asks for "the time", "the IP address" or "the username" by a
per-language label set with a positional or value-type fallback (the time is the field whose timestamp is not
zero). ``0`` and ``""`` are Instagram's fillers for "none" and read as absent. Usernames are normalised from
``value``, ``title`` or the profile link (no ``_u/``, no trailing slash, no query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from datavault.importers.facebook.jsonread import LV, Run, ShapeError, flatten_label_values, labels

# label sets, case-insensitive: English, Dutch, German, French, Spanish, Korean where a source names them
TIME = labels("Time", "Tijd", "Zeit", "Heure", "Hora", "시간", "Date", "Saved on", "Opgeslagen op", "Gespeichert am",
              "Enregistré le", "Guardado el", "Website session start time", "GPS Time Uploaded", "Last Login",
              "Change Date", "Wijzigingsdatum")
IP = labels("IP Address", "IP-adres", "IP-Adresse", "IP 주소", "Adresse IP", "Dirección IP")
USER_AGENT = labels("User Agent", "User-Agent", "User-agent", "Gebruikersagent", "사용자 에이전트", "Agent utilisateur")
USERNAME = labels("Username", "Gebruikersnaam", "Benutzername", "Nom d'utilisateur", "Nombre de usuario")
NAME = labels("Name", "Naam", "Nom", "Nombre", "Nome", "City Name", "Town/city name", "Interest", "Interesse",
              "Intérêt", "Interés")
SEARCH = labels("Search", "Zoekopdracht", "Zoeken", "Suche", "Recherche", "Búsqueda")
COMMENT = labels("Comment", "Opmerking", "Kommentar", "Commentaire", "Comentario")
OWNER = labels("Media Owner", "Media-eigenaar", "Owner", "Eigenaar", "Author", "Auteur", "Autor",
               "Medieninhaber", "Propriétaire du contenu")
URL = labels("URL", "Website link you visited", "Link", "Href")
PAGE_TITLE = labels("Title of website page you visited", "Title", "Titel", "Caption", "Bijschrift")

_FIELD_KEYS = {"href", "value", "timestamp"}


@dataclass(slots=True)
class Field:
    label: str | None
    value: str | None = None
    href: str | None = None
    timestamp: float | None = None


@dataclass(slots=True)
class Entry:
    """One record of any shape, flattened."""

    title: str | None
    fields: list[Field] = field(default_factory=list)
    timestamp: float | None = None  # the record's own (label_values records, some media)
    shape: str = "sld"

    def get(self, wanted: frozenset[str]) -> Field | None:
        for f in self.fields:
            if f.label is not None and f.label.casefold() in wanted:
                return f
        return None

    def value(self, wanted: frozenset[str]) -> str | None:
        f = self.get(wanted)
        return f.value if f is not None and f.value else None

    def time(self) -> float | None:
        """The time label's timestamp, else the record's, else the first non-zero timestamp of any field."""
        f = self.get(TIME)
        if f is not None and f.timestamp:
            return f.timestamp
        if self.timestamp:
            return self.timestamp
        return next((f.timestamp for f in self.fields if f.timestamp), None)

    def first_value(self, skip: frozenset[str] = frozenset()) -> str | None:
        """The first non-empty value whose label is not in ``skip`` (the positional fallback)."""
        for f in self.fields:
            if f.value and not (f.label and f.label.casefold() in skip):
                return f.value
        return None

    def first_href(self) -> str | None:
        return next((f.href for f in self.fields if f.href), None)

    def labels(self) -> list[str]:
        return [f.label for f in self.fields if f.label]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return value


def _text(run: Run, value: Any) -> str | None:
    if value is None or value == "":
        return None
    return run.fix(value if isinstance(value, str) else str(value))


def entry(run: Run, record: Any) -> Entry:
    """``record`` (SLD, SMD or label_values) flattened; raises ShapeError for anything else."""
    if not isinstance(record, dict):
        raise ShapeError(f"a {type(record).__name__} where a record was expected")
    if "label_values" in record:
        return _from_lv(flatten_label_values(record, run), record)
    sld, smd = record.get("string_list_data"), record.get("string_map_data")
    if sld is None and smd is None:
        raise ShapeError(f"a record with keys {sorted(record)[:6]}")
    out = Entry(_text(run, record.get("title")), timestamp=_number(record.get("timestamp")),
                shape="smd" if smd is not None else "sld")
    for item in sld or []:
        if isinstance(item, dict):
            out.fields.append(Field(None, _text(run, item.get("value")), item.get("href") or None,
                                    _number(item.get("timestamp"))))
    if isinstance(smd, dict):
        for label, item in smd.items():
            if isinstance(item, dict):
                out.fields.append(Field(run.fix(label), _text(run, item.get("value")), item.get("href") or None,
                                        _number(item.get("timestamp"))))
            elif item not in (None, ""):
                out.fields.append(Field(run.fix(label), _text(run, item)))
    return out


def _from_lv(lv: LV, record: dict) -> Entry:
    out = Entry(lv.title, timestamp=_number(lv.timestamp), shape="label_values")

    def walk(pairs, prefix: str | None = None) -> None:
        for label, value in pairs:
            if isinstance(value, str):
                out.fields.append(Field(label, value or None, lv.hrefs.get(label or "")))
            elif isinstance(value, tuple) and value and value[0] == "time":
                out.fields.append(Field(label, None, None, _number(value[1])))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, str):
                        out.fields.append(Field(label, item or None))
                    elif isinstance(item, tuple):
                        walk([item], label)
                    elif isinstance(item, list):
                        walk(item, label)
    walk(lv.pairs)
    return out


def records(value: Any) -> list[Any]:
    """A wrapper's value, a bare list or one bare record, as a list of records."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


_PROFILE_LINK = re.compile(r"^(?:https?://)?(?:www\.|m\.)?instagram\.com/(?:_u/)?([^/?#]+)", re.I)


def username(text: str | None) -> str | None:
    """A username as written in a list, or from a profile link (``https://www.instagram.com/_u/some.user/``)."""
    if not text:
        return None
    match = _PROFILE_LINK.match(text.strip())
    if match:
        return match.group(1)
    return text.strip().lstrip("@") or None


def account_of(e: Entry) -> str | None:
    """The other account a relationship, like or saved record is about: ``value``, ``title`` or the link's user
    (INSTAGRAM.md section 5: the username moved between ``value`` and ``title`` across generations)."""
    owner = e.value(OWNER | USERNAME)
    if owner:
        return username(owner)
    sld_value = next((f.value for f in e.fields if f.label is None and f.value), None)
    if sld_value:
        return username(sld_value)
    if e.title:
        return username(e.title)
    href = e.first_href()
    return username(href) if href and _PROFILE_LINK.match(href) else None


def entries(run: Run, items) -> Iterator[tuple[str, Entry | None, Any]]:
    """(locator, Entry or None, the item) for each item; None when the item is of no known record shape (the
    caller reports it)."""
    for locator, item in items:
        try:
            yield locator, entry(run, item), item
        except ShapeError:
            yield locator, None, item
