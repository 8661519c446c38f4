"""``datavault request``: an offline letter to a controller under GDPR Art. 15 (access), 17 (erasure), 18
(restriction), 21 and 22 (objection, automated decisions), filled from the vault.

What goes in: the controller's address from ``data/controllers.toml`` (with the month it was checked), or a line
to fill in for a controller datavault does not know; the identifiers the vault holds for the controller's
platforms (names, e-mails, phones, user names from ``profile``, the owner decided for a chat export); for an
access request what the export leaves out (datavault/rights/gaps.py); for the other kinds the platform labels
(``platform_inferences``: interests, topics, categories, advertisers) and the report's findings whose evidence
comes from the controller's exports. The wording is a template per language (``data/letters/LANG.toml``).

``--controller advertisers`` is one letter per advertiser that Facebook or Instagram lists under "advertisers
using your activity or information" (``platform_inferences`` category ``advertiser_with_your_data``), each
saying what the export says the advertiser did (uploaded a list, remarketing, store visits).

Nothing here opens a network connection; the letter is text, never sent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from datavault.errors import UserError
from datavault.render import clean
from datavault.rights.gaps import PLATFORM_TITLES, _rows, catalogue, export_gaps

KINDS = ("access", "erasure", "objection", "restriction")
LANGS = ("en", "de", "fr", "es")
FORMATS = ("md", "text")
ADVERTISERS = "advertisers"  # the controller name that means: one letter per advertiser with your data
ID_FIELDS = ("name", "email", "phone", "username", "profile_url")
LABEL_CATEGORIES = ("interest", "topic", "ad_category", "advertiser_with_your_data", "advertiser_interacted",
                    "off_facebook_activity", "semantic_place", "primary_location", "location_of_interest")
# findings that are no conclusion to object to: the platforms' own labels (listed as labels) and where one's
# identifiers are
NOT_OBJECTED = {"platform_conclusions", "personal_exposure", "mood_trajectory_languages"}


@lru_cache(maxsize=None)
def _data(name: str) -> dict[str, Any]:
    try:
        text = resources.files("datavault.rights.data").joinpath(name).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:  # a broken installation, not the user's doing
        raise UserError(f"datavault's data file {name} cannot be read ({exc}); reinstall datavault.") from None


def controllers() -> dict[str, dict[str, Any]]:
    return _data("controllers.toml")["controller"]


def template(lang: str) -> dict[str, Any]:
    return _data(f"letters/{lang}.toml")


# ---------------------------------------------------------------------------------------------------------------
# what the vault says


@dataclass
class Identifier:
    field: str
    value: str
    platforms: list[str] = field(default_factory=list)


def _digits(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone)


def identifiers(conn, platforms: list[str] | None) -> list[Identifier]:
    """The owner's identifiers the vault holds, for ``platforms`` (None: every platform): names, e-mails,
    phones, user names and profile links from ``profile``, and the owner decided for each chat export. The
    same phone written two ways (``+44 7700 900123``, ``+447700900123``) or e-mail in two cases is one."""
    found: dict[tuple[str, str], Identifier] = {}

    def add(field_name: str, value: str, platform: str) -> None:
        value = str(value).strip()
        if not value:
            return
        key = (field_name, _digits(value) if field_name == "phone" else value.casefold())
        ident = found.setdefault(key, Identifier(field_name, value))
        if field_name == "phone" and " " in ident.value and " " not in value:
            ident.value = value  # the compact form reads as one token in a letter
        if platform not in ident.platforms:
            ident.platforms.append(platform)

    for source_platform, notes in _rows(conn, "SELECT platform, notes FROM sources ORDER BY id", []):
        if platforms is not None and source_platform not in platforms:
            continue
        for owner in json.loads(notes or "{}").get("owner", []):
            if owner.get("sender"):
                add("name", owner["sender"], source_platform)
    marks = ", ".join("?" * len(ID_FIELDS))
    for platform, field_name, value in _rows(conn, f"SELECT platform, field, value FROM profile WHERE field IN "
                                                   f"({marks}) ORDER BY rowid", list(ID_FIELDS)):
        if platforms is None or platform in platforms:
            add(field_name, value, platform)
    return sorted(found.values(), key=lambda i: ID_FIELDS.index(i.field))


def labels(conn, platforms: list[str]) -> list[tuple[str, str, str]]:
    """(platform, category, value) of the labels the controller's platforms assigned, in a stable order."""
    if not platforms:
        return []
    marks = ", ".join("?" * len(platforms))
    cats = ", ".join("?" * len(LABEL_CATEGORIES))
    rows = _rows(conn, f"SELECT DISTINCT platform, category, value FROM platform_inferences WHERE platform IN "
                       f"({marks}) AND category IN ({cats})", [*platforms, *LABEL_CATEGORIES])
    return sorted(rows, key=lambda r: (platforms.index(r[0]), LABEL_CATEGORIES.index(r[1]), r[2].casefold()))


@dataclass
class Advertiser:
    name: str
    platforms: list[str] = field(default_factory=list)
    how: list[str] = field(default_factory=list)  # uploaded_list, remarketing, store_visit


def advertisers(conn) -> list[Advertiser]:
    """Every advertiser that Facebook or Instagram lists as using your activity or information, once per name,
    with what the export says it did (the older exports list only names: ``how`` stays empty)."""
    found: dict[str, Advertiser] = {}
    for platform, value, extra in _rows(conn, "SELECT platform, value, extra FROM platform_inferences WHERE "
                                              "category = 'advertiser_with_your_data' ORDER BY platform, value", []):
        ad = found.setdefault(value.casefold(), Advertiser(value))
        if platform not in ad.platforms:
            ad.platforms.append(platform)
        try:
            flags = json.loads(extra or "{}")
        except ValueError:
            flags = {}
        for how in ("uploaded_list", "remarketing", "store_visit"):
            if flags.get(how) is True and how not in ad.how:
                ad.how.append(how)
    return sorted(found.values(), key=lambda a: a.name.casefold())


def findings_for(conn, report: dict[str, Any], platforms: list[str]) -> list[dict[str, Any]]:
    """The report's findings with evidence from an export of ``platforms``, or that a label of these platforms
    matches (the report's platform conclusions name the finding each label corroborates): the evidence shown is a
    sample, so a finding can concern a platform none of its shown records comes from."""
    member_platform: dict[str, set[str]] = {}
    for member, platform in _rows(conn, "SELECT f.member, s.platform FROM files f JOIN sources s ON s.id = "
                                        "f.source_id", []):
        member_platform.setdefault(member, set()).add(platform)
    wanted = set(platforms)
    labelled = {fid for f in report["findings"] if f["id"] == "platform_conclusions"
                for d in f.get("details") or [] if d.get("platform") in wanted for fid in d.get("datavault_finding") or []}
    out = []
    for f in report["findings"]:
        if f["id"] in NOT_OBJECTED:
            continue
        if f["id"] in labelled or any(member_platform.get(e.get("source_file") or "", set()) & wanted
                                      for e in f["evidence"]):
            out.append(f)
    return out


def requests_for(conn, report: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """{finding id: the requests a person can send about it}: for each known controller whose exports are in
    the vault and that the finding concerns (``findings_for``), the objection letter's command; a finding that
    touches a GDPR Art. 9 category also gets the erasure letter's. The HTML report shows them on each card."""
    imported = {platform for (platform,) in _rows(conn, "SELECT DISTINCT platform FROM sources", [])}
    out: dict[str, list[dict[str, str]]] = {}
    for key, entry in controllers().items():
        platforms = [p for p in entry.get("platforms", []) if p in imported]
        if not platforms:
            continue
        for f in findings_for(conn, report, platforms):
            kinds = ("objection", "erasure") if f.get("sensitive") else ("objection",)
            out.setdefault(f["id"], []).extend(
                {"controller": key, "name": entry["name"], "kind": kind,
                 "command": f"datavault request --controller {key} --kind {kind}"} for kind in kinds)
    return out


# ---------------------------------------------------------------------------------------------------------------
# the letter


@dataclass
class Letter:
    addressee: str
    blocks: list[tuple[str, Any]]  # ("lines", [str]) | ("para", str) | ("bullets", [str]) | ("subject", str)


def _md_escape(value: Any) -> str:
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", clean(value, 1000)).replace("\n", " ")


def _text_escape(value: Any) -> str:
    return clean(value, 1000).replace("\n", " ")


def _fill(pattern: str, **values: str) -> str:
    return pattern.format_map(values)


class _Vault:
    """What one invocation reads from the vault, read once for all the letters it writes."""

    def __init__(self, vault_path: Path, report: dict[str, Any] | None = None):
        from datavault.report import open_vault

        conn = open_vault(vault_path)
        try:
            if not _rows(conn, "SELECT 1 FROM sources LIMIT 1", []):
                raise UserError("The vault holds no exports yet, so there is nothing to fill a request from: import "
                                "your exports first (datavault import PATH).")
            self.all_identifiers = identifiers(conn, None)
            self.gaps = export_gaps(conn)
            self.advertisers = advertisers(conn)
            self._conn = conn
            self._report = report
            self._vault_path = vault_path
            self.by_platforms: dict[tuple[str, ...], tuple] = {}
            for key in {tuple(c["platforms"]) for c in controllers().values()}:
                self.by_platforms[key] = (identifiers(conn, list(key)), labels(conn, list(key)))
            self.findings_by: dict[tuple[str, ...], list] = {}
        except BaseException:
            conn.close()
            raise

    def findings(self, platforms: tuple[str, ...]) -> list[dict[str, Any]]:
        if platforms not in self.findings_by:
            if self._report is None:
                from datavault.report import build_report

                self._report = build_report(self._vault_path)
            self.findings_by[platforms] = findings_for(self._conn, self._report, list(platforms))
        return self.findings_by[platforms]

    def close(self) -> None:
        self._conn.close()


_ARTICLE = re.compile(r"^(\d+)(?:\((\d+)\))?(?:\(([a-z])\))?$")


def cite(article: str, t: dict[str, Any]) -> str:
    """``15(1)(b), 15(3)`` as the language writes it: ``Art. 15 Abs. 1 lit. b; Art. 15 Abs. 3 DSGVO``."""
    c = t["cite"]
    parts = []
    for ref in (r.strip() for r in article.split(",")):
        m = _ARTICLE.match(ref)
        if m is None:  # a catalogue entry not in the form: shown as written
            parts.append(ref)
            continue
        n, paragraph, point = m.groups()
        parts.append(_fill(c["article"], n=n) + (_fill(c["paragraph"], p=paragraph) if paragraph else "")
                     + (_fill(c["point"], l=point) if point else ""))
    return c["separator"].join(parts) + c["after"]


def _gap_title(platform: str, item: dict[str, Any], lang: str) -> str:
    entry = next((i for i in catalogue(platform)["item"] if i["id"] == item["id"]), {})
    return entry.get(f"title_{lang}", item["title"])


def _identifier_lines(t: dict[str, Any], idents: list[Identifier], esc: Callable[[Any], str]) -> list[str]:
    lines = []
    for i in idents:
        where = ", ".join(PLATFORM_TITLES.get(p, p.capitalize()) for p in i.platforms)
        lines.append(f"{t['identifier'][i.field]}{t['text']['colon']}{esc(i.value)} "
                     f"({_fill(t['text']['found_in'], platforms=where)})")
    return lines


def _owner_name(idents: list[Identifier]) -> str | None:
    return next((i.value for i in idents if i.field == "name"), None)


def _head(t, esc, idents, addressee: str, entry: dict[str, Any] | None, date: str) -> list[tuple[str, Any]]:
    sender = [esc(n) for n in [_owner_name(idents)] if n] or ["[your name]"]
    sender.append(t["text"]["your_address"])
    blocks: list[tuple[str, Any]] = [("lines", sender), ("para", _fill(t["text"]["date"], date=date))]
    if entry is not None:
        to = [t["text"]["to"], entry["name"], entry["privacy_contact"][t["lang"]], *entry["address"],
              _fill(t["text"]["address_checked"], checked=entry["checked"])]
    else:
        to = [t["text"]["to"], esc(addressee), _fill(t["text"]["address_unknown"], controller=esc(addressee))]
    blocks.append(("lines", to))
    return blocks


def _tail(t) -> list[tuple[str, Any]]:
    return [("para", t["text"]["deadline"]), ("para", t["text"]["identity"]), ("para", t["text"]["closing"]),
            ("lines", [t["text"]["signature"]])]


def _label_lines(t, esc, rows) -> list[str]:
    return [f"{t['category'][cat]} ({PLATFORM_TITLES.get(p, p)}){t['text']['colon']}{esc(value)}" for p, cat, value in rows]


def _finding_lines(t, found: list[dict[str, Any]]) -> list[str]:
    lines = []
    for f in found:
        line = f"{t['finding_title'].get(f['id'], f['title'])} ({t['strength'][f['strength']]})"
        if f["sensitive"]:
            cats = ", ".join(t["sensitive_category"].get(s, s) for s in f["sensitive"])
            line += "; " + _fill(t["findings"]["sensitive"], categories=cats)
        lines.append(line)
    return lines


def _body(t, kind: str, services: str | None, labels_rows, found, gaps, esc) -> list[tuple[str, Any]]:
    intro = t["intro"][kind] if services is None else _fill(t["text"]["user_of"], services=services) + " " \
        + t["intro"][kind]
    blocks: list[tuple[str, Any]] = [("para", intro)]
    if kind == "access":
        blocks.append(("bullets", list(t["access"]["items"])))
        blocks.append(("para", t["access"]["copy"]))
        for g in gaps:
            if g["missing"]:
                blocks.append(("para", _fill(t["text"]["gaps"], export=g["export"])))
                blocks.append(("bullets", [f"{_gap_title(g['platform'], item, t['lang'])} "
                                           f"({cite(item['article'], t)})" for item in g["missing"]]))
        if labels_rows:
            blocks += [("para", t["access"]["labels"]), ("bullets", _label_lines(t, esc, labels_rows))]
        return blocks
    if labels_rows:
        blocks += [("para", t["labels"][kind]), ("bullets", _label_lines(t, esc, labels_rows))]
    if found:
        intro = t["findings"]["intro"] if kind == "objection" else t["findings"][kind]
        blocks += [("para", intro), ("bullets", _finding_lines(t, found))]
    if kind == "objection":
        blocks.append(("para", t["art22"]["text"]))
    if kind == "erasure":
        blocks.append(("para", t["erasure"]["recipients"]))
    return blocks


def _controller_letter(vault: _Vault, name: str, kind: str, lang: str, esc, date: str) -> Letter:
    t = template(lang)
    entry = next((e for key, e in controllers().items() if name.casefold() in (key, e["name"].casefold())), None)
    if entry is None:
        idents = vault.all_identifiers
        head = _head(t, esc, idents, name, None, date)
        body = _body(t, kind, None, [], [], [], esc)
        blocks = head + [("subject", t["subject"][kind]), ("para", t["text"]["salutation"])]
        blocks += [("para", t["text"]["identifiers"]),
                   ("bullets", _identifier_lines(t, idents, esc) or [t["text"]["no_identifiers"]])]
        return Letter(name, blocks + body + _tail(t))
    key = tuple(entry["platforms"])
    idents, label_rows = vault.by_platforms[key]
    if not any(i.field in ("email", "phone") for i in idents):  # e.g. WhatsApp: the account is a phone number
        idents = idents + [i for i in vault.all_identifiers if i.field in ("email", "phone")]
    gaps = [g for g in vault.gaps if g["platform"] in key]
    found = vault.findings(key) if kind != "access" else []
    blocks = _head(t, esc, idents, entry["name"], entry, date)
    blocks += [("subject", t["subject"][kind]), ("para", t["text"]["salutation"]),
               ("para", t["text"]["identifiers"]),
               ("bullets", _identifier_lines(t, idents, esc) or [t["text"]["no_identifiers"]])]
    blocks += _body(t, kind, entry["services"][lang], label_rows, found, gaps, esc)
    return Letter(entry["name"], blocks + _tail(t))


def _advertiser_letter(vault: _Vault, ad: Advertiser, kind: str, lang: str, esc, date: str) -> Letter:
    t = template(lang)
    idents = vault.all_identifiers
    a = t["advertiser"]
    how = a["joiner"].join(a[h] for h in ad.how) if ad.how else a["unknown"]
    where = " / ".join(PLATFORM_TITLES.get(p, p) for p in ad.platforms)
    blocks = _head(t, esc, idents, ad.name, None, date)
    blocks += [("subject", t["subject"][kind]), ("para", t["text"]["salutation"]),
               ("para", _fill(a["text"], platform=where, how=how)),
               ("para", t["text"]["identifiers"]),
               ("bullets", _identifier_lines(t, idents, esc) or [t["text"]["no_identifiers"]])]
    blocks += _body(t, kind, None, [], [], [], esc)
    return Letter(ad.name, blocks + _tail(t))


def render_letter(letter: Letter, fmt: str) -> str:
    out: list[str] = []
    for kind, value in letter.blocks:
        if kind == "lines":
            out.append(("\\\n" if fmt == "md" else "\n").join(value))
        elif kind == "subject":
            out.append(f"**{value}**" if fmt == "md" else value)
        elif kind == "bullets":
            out.append("\n".join(f"- {v}" for v in value))
        else:
            out.append(value)
    return "\n\n".join(out) + "\n"


def write_letters(vault_path: Path, controller: str, kind: str, lang: str = "en", fmt: str = "md",
                  today: dt.date | None = None, report: dict[str, Any] | None = None) -> list[Letter]:
    """The letters of one request: one for a controller (known or not), one per advertiser for ``advertisers``.
    ``report``: the report dictionary when the caller has it (else it is built when a letter needs findings)."""
    if kind not in KINDS:
        raise ValueError(kind)
    esc = _md_escape if fmt == "md" else _text_escape
    date = (today or dt.date.today()).isoformat()
    controller = controller.strip()
    if not controller:
        raise UserError("Name the controller: --controller google, meta, whatsapp, advertisers or its name.")
    vault = _Vault(Path(vault_path), report)
    try:
        if controller.casefold() == ADVERTISERS:
            if not vault.advertisers:
                raise UserError("No advertiser with your data is in the vault: Facebook and Instagram list them "
                                "under \"advertisers using your activity or information\" (import that export).")
            return [_advertiser_letter(vault, ad, kind, lang, esc, date) for ad in vault.advertisers]
        return [_controller_letter(vault, controller, kind, lang, esc, date)]
    finally:
        vault.close()


def file_name(name: str, fmt: str, taken: set[str]) -> str:
    """A safe file name for one advertiser's letter: letters, digits and dashes only, never twice."""
    stem = re.sub(r"[^\w]+", "-", name.casefold(), flags=re.UNICODE).strip("-_")[:60] or "advertiser"
    candidate, n = stem, 2
    while f"{candidate}.{fmt if fmt == 'md' else 'txt'}" in taken:
        candidate, n = f"{stem}-{n}", n + 1
    result = f"{candidate}.{'md' if fmt == 'md' else 'txt'}"
    taken.add(result)
    return result
