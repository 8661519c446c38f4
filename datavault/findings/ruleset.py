"""The rules as data: keyword lexicons, place categories, thresholds and research context, read from the TOML
files shipped in ``datavault/findings/rules/`` plus any the user adds with ``--rules DIR``.

Terms match whole words, ignoring case and accents; ``word*`` matches words starting so; several words match
that phrase. The same term is turned into an SQLite FTS5 query (for the large tables, searched through the
text index) and into a regular expression (for small tables, and to show which words matched). This module
decides nothing about findings; it only loads, merges and compiles.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from datavault.errors import UserError

RULE_FILES = ("lexicons.toml", "places.toml", "thresholds.toml", "context.toml")


def fold(text: str) -> str:
    """Lower case without accents, the way the FTS5 ``unicode61 remove_diacritics 2`` tokenizer sees text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    source: str

    @property
    def prefix(self) -> bool:
        return self.text.endswith("*")

    def words(self) -> list[str]:
        return tokens(self.text.rstrip("*"))

    def fts(self) -> str | None:
        words = self.words()
        if not words:
            return None
        phrase = '"' + " ".join(words) + '"'
        return phrase + "*" if self.prefix else phrase

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
    _regex: re.Pattern | None = None

    def fts_query(self) -> str | None:
        parts = sorted({q for t in self.terms if (q := t.fts())})
        return " OR ".join(parts) if parts else None

    def regex(self) -> re.Pattern:
        if self._regex is None:
            pats = sorted({p for t in self.terms if (p := t.pattern())}, key=len, reverse=True)
            self._regex = re.compile("|".join(pats) if pats else r"(?!x)x")
        return self._regex

    def matches(self, text: str | None) -> list[str]:
        """The distinct matched words in ``text`` (folded), in order of first appearance."""
        if not text:
            return []
        seen: list[str] = []
        for m in self.regex().finditer(fold(text)):
            if m.group(0) not in seen:
                seen.append(m.group(0))
        return seen

    def source_of(self, word: str) -> str | None:
        folded = fold(word)
        for t in self.terms:
            pat = t.pattern()
            if pat and re.fullmatch(pat, folded):
                return t.source
        return None


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
class Rules:
    version: str
    lexicons: dict[str, Lexicon]
    places: list[PlaceCategory]
    thresholds: dict[str, dict[str, Any]]
    context: dict[str, str]
    sources: list[str]  # the files read, in order
    fingerprint: str = ""  # a digest of every rules file's text: what a cached report was computed with

    def lexicon(self, lexicon_id: str) -> Lexicon:
        return self.lexicons.get(lexicon_id) or Lexicon(lexicon_id, lexicon_id)

    def threshold(self, finding: str, name: str) -> Any:
        return self.thresholds[finding][name]

    def cite(self, key: str) -> str | None:
        return self.context.get(key)

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
        for entry in body.get("entry", []):
            source = entry.get("source")
            if not source:
                raise UserError(f"rules file {label}: every lexicon entry needs a source (lexicon {lex_id})")
            lex.terms.extend(Term(str(t), source) for t in entry.get("terms", []))
        lex._regex = None
    for place in data.get("place", []):
        if not place.get("source") or not place.get("category"):
            raise UserError(f"rules file {label}: every place entry needs a category and a source")
        rules.places.append(PlaceCategory(
            category=place["category"], words=tuple(place.get("words", [])), source=place["source"],
            osm=place.get("osm", ""), sensitive=place.get("sensitive"),
        ))
    for finding, values in (data.get("threshold") or {}).items():
        rules.thresholds.setdefault(finding, {}).update(values)
    for key, body in (data.get("context") or {}).items():
        rules.context[key] = body["text"] if isinstance(body, dict) else str(body)
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
    rules.fingerprint = _DIGEST.hexdigest()
    return rules
