"""The audit's test sentences: shipped data files (``data/``) expanded into paired sentences.

Reads ``identity_terms.csv`` (term, group, reference flag, source), ``templates.csv`` and ``fillers.csv`` for
the identity audit, and ``political_terms.csv`` / ``political_templates.csv`` for the political vocabulary.
Every term is put into every expanded template, so two terms are always compared over identical sentences
("paired"). Lines starting with ``#`` are comments (provenance and licence notes live there).

A workshop can bring its own files (any of the five, e.g. templates and terms in German) in a folder given as
``suite_dir`` (``datavault bias --suite DIR``); files it lacks are taken from the shipped suite.

Deliberately ignored: grammatical agreement beyond "a"/"an" (the templates are written so that adjectives and
nouns fit them as they are).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from datavault.errors import UserError

CONTROL_GROUP = "control"
POLITICAL_GROUP = "political_vocabulary"


@dataclass(frozen=True)
class Term:
    term: str
    group: str
    reference: bool
    source: str


@dataclass(frozen=True)
class Template:
    id: str      # template id plus the filler, e.g. "feels/happy"
    text: str    # with {term}, {a_term}, {A_term} still open


@dataclass(frozen=True)
class Suite:
    """One family of paired sentences: terms x templates."""

    name: str
    terms: tuple[Term, ...]
    templates: tuple[Template, ...]

    def sentence(self, template: Template, term: str) -> str:
        return fill(template.text, term)

    def sentences(self) -> list[str]:
        return [self.sentence(tpl, t.term) for t in self.terms for tpl in self.templates]


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def fill(template: str, term: str) -> str:
    a_term = f"{_article(term)} {term}"
    return (template.replace("{A_term}", a_term[:1].upper() + a_term[1:])
            .replace("{a_term}", a_term).replace("{term}", term))


SUITE_FILES = {
    "identity_terms.csv": ("term", "group", "reference", "source"),
    "templates.csv": ("id", "template"),
    "fillers.csv": ("slot", "filler"),
    "political_terms.csv": ("term", "reference"),
    "political_templates.csv": ("id", "template"),
}


def read_data_csv(name: str, suite_dir: Path | None = None) -> list[dict[str, str]]:
    """A suite CSV without its ``#`` comment lines, as dicts: from ``suite_dir`` when it has the file (a
    workshop's own terms or templates, e.g. in another language), else the shipped one."""
    if suite_dir is not None and (Path(suite_dir) / name).is_file():
        path = Path(suite_dir) / name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read {path}: {exc}") from None
    else:
        text = resources.files("datavault.bias").joinpath("data", name).read_text(encoding="utf-8")
        path = None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    needed = SUITE_FILES.get(name, ())
    if path is not None:
        if not rows:
            raise UserError(f"{path} has no rows")
        missing = [c for c in needed if c not in rows[0]]
        if missing:
            raise UserError(f"{path} lacks the column(s) {', '.join(missing)} (expected: {', '.join(needed)})")
        for number, row in enumerate(rows, start=2):
            if any(not (row.get(c) or "").strip() for c in needed if c != "source"):
                raise UserError(f"{path}: row {number} has an empty field")
    return rows


def jigsaw_terms() -> list[str]:
    text = resources.files("datavault.bias").joinpath("data", "jigsaw_adjectives_people.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_SLOT = re.compile(r"\{(feeling|quality)\}")


def _expand(rows: list[dict[str, str]], fillers: dict[str, list[str]]) -> tuple[Template, ...]:
    out: list[Template] = []
    for row in rows:
        slots = _SLOT.findall(row["template"])
        if not slots:
            out.append(Template(row["id"], row["template"]))
            continue
        slot = slots[0]
        for filler in fillers[slot]:
            out.append(Template(f"{row['id']}/{filler}", row["template"].replace("{" + slot + "}", filler)))
    return tuple(out)


def identity_suite(suite_dir: Path | None = None) -> Suite:
    fillers: dict[str, list[str]] = {}
    for row in read_data_csv("fillers.csv", suite_dir):
        fillers.setdefault(row["slot"], []).append(row["filler"])
    terms = tuple(Term(r["term"].strip(), r["group"].strip(), r["reference"].strip() == "yes",
                       (r.get("source") or "user").strip())
                  for r in read_data_csv("identity_terms.csv", suite_dir))
    templates = read_data_csv("templates.csv", suite_dir)
    for row in templates:
        for slot in _SLOT.findall(row["template"]):
            if slot not in fillers:
                raise UserError(f"template {row['id']} uses {{{slot}}} but fillers.csv has no {slot} rows")
    return Suite("identity", terms, _expand(templates, fillers))


def political_suite(suite_dir: Path | None = None) -> Suite:
    terms = tuple(Term(r["term"].strip(), POLITICAL_GROUP, r["reference"].strip() == "yes", "datavault")
                  for r in read_data_csv("political_terms.csv", suite_dir))
    return Suite("political", terms, _expand(read_data_csv("political_templates.csv", suite_dir), {}))
