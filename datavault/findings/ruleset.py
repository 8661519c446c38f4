"""The rules as data: keyword lexicons, the grammar words of each language, place categories, thresholds and
research context, read from the TOML files shipped in ``datavault/findings/rules/`` plus any the user adds
with ``--rules DIR``.

A lexicon entry names its language (``lang``, ISO 639-1; ``*`` or none: any language, matched as written) and
may weigh its terms (``weight``, default 1). Terms match whole words, ignoring case and accents, after Snowball
stemming in the entry's language; ``word*`` matches words starting so; several words match that phrase. A
lexicon's ``exclude`` entries are other senses of its words ("Counter-Strike" for "strike"). Each term is also
turned into an SQLite FTS5 query that finds every record that could match (the word index holds unstemmed
words, so the query asks for the stem's prefix); ``cues.py`` then reads those records and decides. This module
decides nothing about findings; it only loads, merges and compiles.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from datavault.errors import UserError
from datavault.findings.language import fold, stems

RULE_FILES = ("lexicons.toml", "languages.toml", "places.toml", "thresholds.toml", "context.toml")
ANY = "*"  # an entry for every language: brand, product and app names


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    source: str
    lang: str = ANY
    weight: float = 1.0

    @property
    def prefix(self) -> bool:
        return self.text.endswith("*")

    def words(self) -> list[str]:
        return tokens(self.text.rstrip("*"))

    def keys(self) -> tuple[str, ...]:
        """The words as the matcher compares them: stems in the term's language (a prefix term's last word as
        written)."""
        words = self.words()
        if self.lang == ANY or not words:
            return tuple(words)
        stemmed = stems(words, self.lang)
        if self.prefix:
            stemmed[-1] = words[-1]
        return tuple(stemmed)

    def fts(self) -> str | None:
        """An FTS5 query matching every text this term could match (a superset: cues.py decides)."""
        words = self.words()
        if not words:
            return None
        if self.lang == ANY:
            phrase = '"' + " ".join(words) + '"'
            return phrase + "*" if self.prefix else phrase
        parts = []
        for i, (word, key) in enumerate(zip(words, self.keys())):
            if self.prefix and i == len(words) - 1:
                parts.append(f'"{word}"*')
                continue
            common = 0
            while common < min(len(word), len(key)) and word[common] == key[common]:
                common += 1
            parts.append(f'"{word[:common]}"*' if common >= 3 else f'"{word}"')
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def pattern(self) -> str | None:
        words = self.words()
        if not words:
            return None
        body = r"[\W_]+".join(re.escape(w) for w in words)
        return r"(?<![^\W_])" + body + (r"[^\W_]*" if self.prefix else r"(?![^\W_])")


@dataclass(slots=True)
class Lexicon:
    id: str
    title: str
    sensitive: str | None = None
    terms: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)   # other senses of its words
    _regex: re.Pattern | None = None
    _fts: tuple[int, str | None] | None = None  # (number of terms, the query made of them): see fts_query

    def languages(self) -> set[str]:
        """The languages this lexicon has words for (``*`` entries alone read no language)."""
        return {t.lang for t in self.terms if t.lang != ANY}

    def fts_query(self) -> str | None:
        """The word index's query for any of the terms; made once (each finding asks it of several sources, and
        folding and stemming thousands of terms took 6 ms a time), again only if terms were added since."""
        if self._fts is None or self._fts[0] != len(self.terms):
            parts = sorted({q for t in self.terms if (q := t.fts())})
            self._fts = (len(self.terms), " OR ".join(parts) if parts else None)
        return self._fts[1]

    def regex(self) -> re.Pattern:
        if self._regex is None:
            pats = sorted({p for t in self.terms if (p := t.pattern())}, key=len, reverse=True)
            self._regex = re.compile("|".join(pats) if pats else r"(?!x)x")
        return self._regex


@dataclass(frozen=True, slots=True)
class PlaceCategory:
    category: str
    words: tuple[str, ...]
    source: str
    osm: str = ""
    sensitive: str | None = None

    def regex(self) -> re.Pattern:
        return re.compile("|".join(Term(w, "").pattern() or "(?!x)x" for w in self.words))


@dataclass(slots=True)
class Grammar:
    """The words of one language that change what a cue means (rules/languages.toml)."""

    negators: frozenset[str] = frozenset()
    negators_after: frozenset[str] = frozenset()
    negation_window: int = 4
    pseudo_negation: tuple[tuple[str, ...], ...] = ()
    others: frozenset[str] = frozenset()
    second_person: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    capitalised_nouns: bool = False   # German: every noun is capitalised, so capitals do not mark names


@dataclass(frozen=True, slots=True)
class Work:
    """A cited work (rules/context.toml ``[source.KEY]``): what the report's "Sources" section lists."""

    id: str
    authors: str = ""
    year: int | str | None = None
    title: str = ""
    venue: str = ""
    doi: str = ""
    url: str = ""

    def reference(self) -> str:
        """The full reference in one line: ``Authors (year). Title. Venue. doi:...``."""
        head = self.authors + (f" ({self.year})" if self.year else "")
        parts = [p for p in (head.strip(), self.title, self.venue) if p]
        text = ". ".join(p.rstrip(".") for p in parts) + "." if parts else self.id
        if self.doi:
            text += f" doi:{self.doi}"
        elif self.url:
            text += f" {self.url}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reference": self.reference(), "authors": self.authors or None,
                "year": self.year, "title": self.title or None, "venue": self.venue or None,
                "doi": self.doi or None, "url": self.url or None}


@dataclass(frozen=True, slots=True)
class Cited:
    """A research context as a finding carries it: the sentence a person reads and the works it cites."""

    text: str
    works: tuple[Work, ...] = ()


@dataclass(slots=True)
class Context:
    """A ``[context.KEY]`` entry: ``text`` (shown), ``sources`` (keys of works), ``note`` (developers only)."""

    text: str
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(slots=True)
class Rules:
    version: str
    lexicons: dict[str, Lexicon]
    places: list[PlaceCategory]
    thresholds: dict[str, dict[str, Any]]
    context: dict[str, Context]
    sources: list[str]  # the files read, in order
    works: dict[str, Work] = field(default_factory=dict)  # cited works, by key
    fingerprint: str = ""  # a digest of every rules file's text: what a cached report was computed with
    grammar: dict[str, Grammar] = field(default_factory=dict)

    def lexicon(self, lexicon_id: str) -> Lexicon:
        return self.lexicons.get(lexicon_id) or Lexicon(lexicon_id, lexicon_id)

    def threshold(self, finding: str, name: str) -> Any:
        return self.thresholds[finding][name]

    def cite(self, key: str) -> Cited | None:
        """The context ``key`` with its works (a Finding turns it into ``context`` and ``context_sources``)."""
        entry = self.context.get(key)
        if entry is None:
            return None
        return Cited(entry.text, tuple(self.works[s] for s in entry.sources))

    def place_category(self, place_name: str | None) -> PlaceCategory | None:
        if not place_name:
            return None
        folded = fold(place_name)
        for cat in self.places:
            if cat.regex().search(folded):
                return cat
        return None


_DIGEST = hashlib.sha256()


def _read_toml(path: Path | Any, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        _DIGEST.update(label.encode() + b"\0" + text.encode())
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"rules file {label} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise UserError(f"cannot read rules file {label}: {exc.strerror}") from None


def _merge(rules: Rules, data: dict[str, Any], label: str) -> None:
    for lex_id, body in (data.get("lexicon") or {}).items():
        lex = rules.lexicons.setdefault(lex_id, Lexicon(lex_id, body.get("title", lex_id)))
        if "title" in body:
            lex.title = body["title"]
        if "sensitive" in body:
            lex.sensitive = body["sensitive"]
        for kind, into in (("entry", lex.terms), ("exclude", lex.exclude)):
            for entry in body.get(kind, []):
                source = entry.get("source")
                if not source:
                    raise UserError(f"rules file {label}: every lexicon entry needs a source (lexicon {lex_id})")
                lang = str(entry.get("lang", ANY)).lower()
                try:
                    weight = float(entry.get("weight", 1.0))
                except (TypeError, ValueError):
                    raise UserError(f"rules file {label}: lexicon {lex_id}: weight must be a number") from None
                into.extend(Term(str(t), source, lang, weight) for t in entry.get("terms", []))
        lex._regex = None
    for code, body in (data.get("language") or {}).items():
        g = rules.grammar.get(code, Grammar())
        words = lambda key, old: frozenset(fold(w) for w in body[key]) if key in body else old  # noqa: E731
        rules.grammar[code] = Grammar(
            negators=words("negators", g.negators),
            negators_after=words("negators_after", g.negators_after),
            negation_window=int(body.get("negation_window", g.negation_window)),
            pseudo_negation=tuple(tuple(tokens(p)) for p in body["pseudo_negation"])
            if "pseudo_negation" in body else g.pseudo_negation,
            others=words("others", g.others),
            second_person=words("second_person", g.second_person),
            not_names=words("not_names", g.not_names),
            capitalised_nouns=bool(body.get("capitalised_nouns", code == "de" or g.capitalised_nouns)),
        )
    for place in data.get("place", []):
        if not place.get("source") or not place.get("category"):
            raise UserError(f"rules file {label}: every place entry needs a category and a source")
        rules.places.append(PlaceCategory(
            category=place["category"], words=tuple(place.get("words", [])), source=place["source"],
            osm=place.get("osm", ""), sensitive=place.get("sensitive"),
        ))
    for finding, values in (data.get("threshold") or {}).items():
        rules.thresholds.setdefault(finding, {}).update(values)
    for key, body in (data.get("source") or {}).items():
        if not isinstance(body, dict):
            raise UserError(f"rules file {label}: [source.{key}] must be a table (authors, year, title, venue, doi, url)")
        rules.works[key] = Work(key, **{f: (body[f] if f == "year" else str(body[f]))
                                        for f in ("authors", "year", "title", "venue", "doi", "url") if f in body})
    for key, body in (data.get("context") or {}).items():
        if isinstance(body, dict):
            if "text" not in body:
                raise UserError(f"rules file {label}: [context.{key}] needs a text")
            cites = body.get("sources", [])
            if isinstance(cites, str):
                cites = [cites]
            rules.context[key] = Context(str(body["text"]), tuple(str(c) for c in cites), str(body.get("note", "")))
        else:
            rules.context[key] = Context(str(body))
    rules.sources.append(label)


def load_rules(extra_dir: Path | None = None) -> Rules:
    """The shipped rules, then every ``*.toml`` in ``extra_dir`` (sorted by name) merged on top."""
    global _DIGEST
    _DIGEST = hashlib.sha256()
    rules = Rules(version="", lexicons={}, places=[], thresholds={}, context={}, sources=[])
    base = resources.files("datavault.findings.rules")
    versions = []
    for name in RULE_FILES:
        data = _read_toml(base / name, name)
        versions.append(str(data.get("version", "")))
        _merge(rules, data, f"datavault/findings/rules/{name}")
    rules.version = max(versions)
    if extra_dir is not None:
        extra_dir = Path(extra_dir)
        if not extra_dir.is_dir():
            raise UserError(f"--rules {extra_dir}: not a folder")
        files = sorted(extra_dir.glob("*.toml"))
        if not files:
            raise UserError(f"--rules {extra_dir}: no .toml rules files in that folder")
        for path in files:
            data = _read_toml(path, str(path))
            _merge(rules, data, str(path))
            if data.get("version"):
                rules.version += f"+{path.stem}-{data['version']}"
    for key, entry in rules.context.items():
        unknown = [c for c in entry.sources if c not in rules.works]
        if unknown:
            raise UserError(f"rules: context {key} cites {', '.join(unknown)}, which no [source.NAME] table "
                            "describes; add one (authors, year, title, venue)")
    rules.fingerprint = _DIGEST.hexdigest()
    return rules
