"""Whether a word in a person's text is evidence: the reading a fair analyst does before counting a mention.

A lexicon word found in a text (a *mention*) supports a finding only if it means what the lexicon means and
is about the person. ``Matcher.mentions`` reads one text in one language and gives every mention one of:

- ``support``: counts;
- ``negated``: a negator of that language shortly before it in the same clause ("I don't have kids", "keine
  Kinder", "no tengo hijos", "je n'ai pas d'enfants"), or right after it where the language puts it there
  ("Kinder habe ich keine"); counted and shown, never used as support;
- ``other``: someone else's ("her kids", "ihr Sohn", "su hijo", "my sister's kids"), or a question put to
  someone else ("do you have kids?");
- ``sense``: inside one of the lexicon's other senses ("Counter-Strike", "strike a pose");
- ``name``: inside a proper name: a place name from the person's own location data, or (in languages that
  do not capitalise every noun) a run of capitalised words longer than the term ("Chapel Allerton").

The grammar words come from ``rules/languages.toml``; the rules of each finding never see raw text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from datavault.findings.language import Word, expand, stems, words
from datavault.findings.ruleset import ANY, Grammar, Lexicon, Term

SUPPORT, NEGATED, OTHER, SENSE, NAME = "support", "negated", "other", "sense", "name"


@dataclass(slots=True)
class Mention:
    term: Term
    start: int          # word index
    end: int            # word index after the last word
    status: str
    written: str        # the words as written in the text


SHORT_STEM = 4  # a stem shorter than this reads only its own word and longer forms of it: Spanish "queer" -> "que"


class _Terms:
    """Terms indexed by their first key, for one language (plus the language-free ones)."""

    def __init__(self, terms: Iterable[Term], lang: str):
        self.exact: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], Term]]] = {}
        self.prefixed: list[tuple[str, Term]] = []
        for t in terms:
            if t.lang not in (lang, ANY):
                continue
            keys, written = t.keys(), tuple(t.words())
            if not keys:
                continue
            if t.prefix and len(keys) == 1:
                self.prefixed.append((keys[0], t))
            else:
                self.exact.setdefault(keys[0], []).append((keys, written, t))

    @staticmethod
    def _same(t: Term, j: int, last: bool, key: str, word: str, folded: str, stemmed: str) -> bool:
        if t.prefix and last:
            return folded.startswith(key)
        if t.lang == ANY:
            return folded == word
        if stemmed != key:
            return False
        return len(key) >= SHORT_STEM or key == word or folded.startswith(word)

    def spans(self, folded: Sequence[str], stemmed: Sequence[str]) -> list[tuple[int, int, Term]]:
        out = []
        n = len(folded)
        for i in range(n):
            cands = self.exact.get(stemmed[i], [])
            if folded[i] != stemmed[i]:
                cands = cands + self.exact.get(folded[i], [])
            for keys, written, t in cands:
                k = len(keys)
                if k == 1:  # most terms are one word
                    if self._same(t, 0, True, keys[0], written[0], folded[i], stemmed[i]):
                        out.append((i, i + 1, t))
                elif i + k <= n and all(self._same(t, j, j == k - 1, keys[j], written[j], folded[i + j],
                                                   stemmed[i + j]) for j in range(k)):
                    out.append((i, i + k, t))
            for key, t in self.prefixed:
                if folded[i].startswith(key):
                    out.append((i, i + 1, t))
        # longest first at each start; a shorter term inside a longer one's span is the same mention
        out.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, Term]] = []
        for s in out:
            if kept and s[0] < kept[-1][1]:
                continue
            kept.append(s)
        return kept


class Matcher:
    """One lexicon compiled for one language."""

    def __init__(self, lexicon: Lexicon, lang: str, grammar: Grammar | None):
        self.lexicon = lexicon
        self.lang = lang
        self.grammar = grammar or Grammar()
        self.terms = _Terms(lexicon.terms, lang)
        self.senses = _Terms(lexicon.exclude, lang)

    def mentions(self, text: str | None, names: "NameIndex | None" = None) -> list[Mention]:
        if not text:
            return []
        text = expand(text[:20_000])
        ws = words(text)
        if not ws:
            return []
        folded = [w.folded for w in ws]
        stemmed = stems(folded, self.lang) if self.lang != ANY else folded
        found = self.terms.spans(folded, stemmed)
        if not found:
            return []
        senses = self.senses.spans(folded, stemmed)
        name_spans = (names.spans(folded) if names else []) + self._capital_runs(ws)
        out = []
        for start, end, term in found:
            written = " ".join(w.text for w in ws[start:end])
            if any(s < end and start < e for s, e, _ in senses):
                status = SENSE
            elif any(s <= start and end <= e and (e - s) > (end - start) for s, e in name_spans):
                status = NAME
            elif self._negated(ws, folded, start, end):
                status = NEGATED
            elif self._someone_elses(ws, folded, text, start):
                status = OTHER
            else:
                status = SUPPORT
            out.append(Mention(term, start, end, status, written))
        return out

    def _negated(self, ws: list[Word], folded: list[str], start: int, end: int) -> bool:
        g = self.grammar
        clause = ws[start].clause
        for i in range(start - 1, max(-1, start - 1 - g.negation_window), -1):
            if ws[i].clause != clause:
                break
            if folded[i] in g.negators and not self._pseudo(folded, i):
                return True
        for i in range(end, min(len(ws), end + 3)):
            if ws[i].clause != clause:
                break
            if folded[i] in g.negators_after:
                return True
        return False

    def _pseudo(self, folded: list[str], i: int) -> bool:
        for phrase in self.grammar.pseudo_negation:
            if tuple(folded[i:i + len(phrase)]) == phrase:
                return True
        return False

    def _someone_elses(self, ws: list[Word], folded: list[str], text: str, start: int) -> bool:
        g = self.grammar
        clause = ws[start].clause
        for i in range(start - 1, max(-1, start - 3), -1):
            if ws[i].clause != clause:
                break
            if folded[i] in g.others:
                return True
            # English "X's kids": a possessive 's right before the cue
            if self.lang == "en" and folded[i] == "s" and i > 0 and text[ws[i].start - 1:ws[i].start] in "'’":
                return True
        if g.second_person:
            # a question to someone else: the clause ends in "?" and addresses them before the cue
            same = [k for k in range(len(ws)) if ws[k].clause == clause]
            last = ws[same[-1]]
            tail = text[last.start + len(last.text):last.start + len(last.text) + 3]
            if "?" in tail and any(folded[k] in g.second_person for k in same if start - 5 <= k < start):
                return True
        return False

    def _capital_runs(self, ws: list[Word]) -> list[tuple[int, int]]:
        """Runs of two or more adjacent capitalised words (a proper name) in languages where capitals mean one."""
        if self.grammar.capitalised_nouns or self.lang == ANY:
            return []
        caps = [w.capitalised and len(w.text) > 1 and w.folded not in self.grammar.not_names for w in ws]
        inner = [c for k, c in enumerate(caps) if k and ws[k - 1].clause == ws[k].clause]  # not a clause's first
        if inner and sum(inner) >= 0.75 * len(inner):  # shouting or a title: capitals say nothing
            return []
        runs = []
        i = 0
        while i < len(ws):
            if not caps[i]:
                i += 1
                continue
            j = i + 1
            while j < len(ws) and caps[j] and ws[j].clause == ws[i].clause:
                j += 1
            if j - i >= 2:
                runs.append((i, j))
            i = j
        return runs


class NameIndex:
    """Proper names known from the person's own data (place names of their location history): words inside
    them are not cues. Each name also guards its leading words ("Chapel Allerton" of "Chapel Allerton Lawn
    Tennis Club")."""

    def __init__(self, names: Iterable[str]):
        self.first: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            folded = tuple(w.folded for w in words(name))
            for k in range(2, len(folded) + 1):
                self.first.setdefault(folded[0], set()).add(folded[:k])

    def spans(self, folded: Sequence[str]) -> list[tuple[int, int]]:
        out = []
        for i, w in enumerate(folded):
            for name in self.first.get(w, ()):
                if tuple(folded[i:i + len(name)]) == name:
                    out.append((i, i + len(name)))
        return out


def supporting(mentions: Iterable[Mention]) -> list[Mention]:
    return [m for m in mentions if m.status == SUPPORT]
