"""The audit's test sentences: shipped data files (``data/``) expanded into paired sentences.

Reads ``identity_terms.csv`` (term, group, reference flag, source), ``templates.csv`` and ``fillers.csv`` for
the identity audit, and ``political_terms.csv`` / ``political_templates.csv`` for the political vocabulary.
Every term is put into every expanded template, so two terms are always compared over identical sentences
("paired"). Lines starting with ``#`` are comments (provenance and licence notes live there).

Deliberately ignored: grammatical agreement beyond "a"/"an" (the templates are written so that adjectives and
nouns fit them as they are).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

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


def read_data_csv(name: str) -> list[dict[str, str]]:
    """A shipped CSV without its ``#`` comment lines, as dicts."""
    text = resources.files("datavault.bias").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


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


def identity_suite() -> Suite:
    fillers: dict[str, list[str]] = {}
    for row in read_data_csv("fillers.csv"):
        fillers.setdefault(row["slot"], []).append(row["filler"])
    terms = tuple(Term(r["term"], r["group"], r["reference"] == "yes", r["source"])
                  for r in read_data_csv("identity_terms.csv"))
    return Suite("identity", terms, _expand(read_data_csv("templates.csv"), fillers))


def political_suite() -> Suite:
    terms = tuple(Term(r["term"], POLITICAL_GROUP, r["reference"] == "yes", "datavault")
                  for r in read_data_csv("political_terms.csv"))
    return Suite("political", terms, _expand(read_data_csv("political_templates.csv"), {}))
