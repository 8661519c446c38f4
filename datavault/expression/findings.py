"""The expression findings for the report: the person's mood as a sentiment model would read it, with that
model's bias audit next to it, and the political/protest vocabulary in their own words.

``expression_section(vault)`` (a vault path or an open sqlite3 connection) returns plain dicts: ``findings``
shaped like the contract's report findings (id, title, category, sensitive, statement, strength, measures,
evidence, rule, context, remedy, plus ``details``, a small table, and ``evidence_total``), ``not_assessed``
entries, the full ``sentiment`` summary (monthly trajectory, most negative and positive examples), and the
``bias`` audit of the same model (the table the report shows beside the trajectory).

Deliberately ignored: rendering (the report does it) and any other person's words.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from datavault.bias.audit import shipped_audit
from datavault.bias.scorers import vader_compound
from datavault.expression.sentiment import HOSTILE_AT, NEGATIVE_AT, analyse_connection, analyse_vault

MOTHERBOARD = ("Motherboard (Andrew Thompson, 25 Oct 2017) found Google's Cloud Natural Language API scored "
               "\"I'm a homosexual\" -0.5 and \"I'm straight\" +0.1: sentiment models carry identity bias, and a "
               "scorer that reads your messages inherits it.")
# the works each finding's context cites: keys of rules/context.toml [source.KEY] (the report's "Sources")
CONTEXT_SOURCES = {"mood_trajectory": ("motherboard2017",)}
SELF_TEST_SENTENCES = ("I am straight", "I am gay", "I am blind", "I am poor", "protest")


MIN_TEXTS = 50             # scored texts of the person's own before a mood is stated
MIN_VOCABULARY_TEXTS = 3   # own texts with protest vocabulary before it is a habit of speech


def _evidence(example: dict[str, Any]) -> dict[str, Any]:
    return {"table": example["table"], "time": example["time"], "source_file": example["source_file"],
            "locator": example["locator"], "excerpt": example["excerpt"]}


def _strength(assessed: int, months: int) -> str:
    if assessed >= 1000 and months >= 6:
        return "strong"
    if assessed >= 100 and months >= 2:
        return "moderate"
    return "weak"


def self_test_context() -> str:
    """The model's verdict on identity sentences, computed now (not copied from anywhere)."""
    parts = [f"\"{s}\" {vader_compound(s):+.2f}" for s in SELF_TEST_SENTENCES]
    return ("The model that judged you (VADER) scores " + ", ".join(parts)
            + " (see the bias table: datavault bias). " + MOTHERBOARD)


def mood_finding(sentiment: dict[str, Any]) -> dict[str, Any]:
    months = [m for m in sentiment["months"] if m["count"]]
    lowest = min(months, key=lambda m: (m["mean"], m["month"])) if months else None
    statement = (f"A scorer running an offline sentiment model over {sentiment['assessed']} of your own messages, "
                 f"posts and searches would rate {sentiment['negative_share']:.0%} of them negative and "
                 f"{sentiment['hostile_share']:.0%} 'hostile'")
    statement += (f"; your lowest month was {lowest['month']} (mean {lowest['mean']:+.2f})." if lowest else ".")
    if sentiment.get("sample"):
        statement += (f" (Scored on an even sample: every {sentiment['sample']['every']}th of your "
                      f"{sentiment['sample']['of']} texts.)")
    if sentiment["not_assessed"]:
        statement += (f" {sentiment['not_assessed']} texts in other languages were not assessed: the model only "
                      f"reads English.")
    return {
        "id": "mood_trajectory",
        "title": "Your mood as a sentiment model reads it",
        "category": "personal_information",
        "sensitive": [],
        "statement": statement,
        "strength": _strength(sentiment["assessed"], len(months)),
        "measures": {"texts_assessed": sentiment["assessed"], "texts_not_assessed": sentiment["not_assessed"],
                     "months": len(months), "mean_score": sentiment["mean"],
                     "negative_share": sentiment["negative_share"], "hostile_share": sentiment["hostile_share"]},
        "evidence": [_evidence(e) for e in sentiment["most_negative"]],
        "evidence_total": round((sentiment["negative_share"] or 0) * sentiment["assessed"]),
        "details": [{"month": m["month"], "texts": m["count"], "mean": m["mean"],
                     "negative_share": m["negative_share"], "hostile_share": m["hostile_share"],
                     "not_assessed": m["not_assessed"]} for m in sentiment["months"]],
        "rule": (f"VADER compound score per text (-1..1); negative at <= {NEGATIVE_AT}, 'hostile' at <= "
                 f"{HOSTILE_AT}; averaged per month. Only your own words: messages you sent, your posts, "
                 f"comments and searches."),
        "context": self_test_context(),
        "remedy": ("The score rests on single words, not meaning: the examples below drive it. Deleting or "
                   "not exporting old chats removes them; a scorer that reads sentiment cannot tell sarcasm, "
                   "quotes or a bad day from character, and it treats identity words unequally (bias table)."),
    }


def vocabulary_finding(sentiment: dict[str, Any], audit: dict[str, Any]) -> dict[str, Any]:
    vocab = sentiment["protest_vocabulary"]
    counts = ", ".join(f"{t['term']} x{t['count']}" for t in vocab["terms"])
    lexicon = {row["term"]: row for row in audit["terms"] if row["group"] == "political_vocabulary"}
    weights = [f"'{t['term']}' {e['valence']:+.1f}" for t in vocab["terms"]
               for e in (lexicon.get(t["term"], {}).get("lexicon") or [])]
    evidence, seen = [], set()
    for term in vocab["terms"]:
        for example in term["examples"]:
            key = (example["source_file"], example["locator"], example["excerpt"])
            if key not in seen and len(evidence) < 10:
                seen.add(key)
                evidence.append(_evidence(example))
    shift = vocab["mean_shift_from_words"]
    statement = (f"You used political or protest vocabulary ({counts}) in {vocab['texts']} of your own texts; a "
                 f"scorer matching words would read political opinion"
                 + (" and trade-union involvement" if "trade_union" in vocab["sensitive"] else "") + ".")
    if shift:
        statement += (f" The sentiment model also rates these texts {abs(shift):.2f} "
                      f"{'lower' if shift < 0 else 'higher'} because of those words alone"
                      + (f" ({', '.join(weights)} in its lexicon)" if weights else "") + ".")
    return {
        "id": "protest_vocabulary",
        "title": "Political and protest words, as a sentiment model weighs them",
        "category": "personal_information",
        "sensitive": vocab["sensitive"],
        "statement": statement,
        "strength": "strong" if vocab["texts"] >= 20 else "moderate" if vocab["texts"] >= 5 else "weak",
        "measures": {"texts": vocab["texts"], "mean_score": vocab["mean_score"],
                     "mean_shift_from_words": shift,
                     **{t["term"]: t["count"] for t in vocab["terms"]}},
        "evidence": evidence,
        "rule": ("Word match on your own messages, posts, comments and searches (protest, strike, union, refugee, "
                 "demonstration, rally, petition, boycott, picket, activist, immigrant and their forms); the "
                 "shift is the model's score minus its score with those words replaced by 'meeting'."),
        "context": ("In an authoritarian scorer's framing such words read as 'dissent'. Word matching cannot tell "
                    "a lightning strike from a labour strike, nor reporting from taking part."),
        "remedy": "These texts drive it; deleting them, or the chats they are in, removes the signal.",
        "evidence_total": vocab["texts"],
        "details": [{"term": t["term"], "texts": t["count"], "mean_score": t["mean_score"],
                     "shift_from_word": t["mean_shift_from_word"]} for t in vocab["terms"]],
    }


def expression_section(vault: str | Path | sqlite3.Connection, *, audit: dict[str, Any] | None = None,
                       max_texts: int | None = None, min_texts: int = MIN_TEXTS,
                       min_vocabulary_texts: int = MIN_VOCABULARY_TEXTS) -> dict[str, Any]:
    """Everything the report needs from this work. ``max_texts`` bounds the scoring for a quick report (an
    even sample above it, said so in the statement); ``audit`` reuses an audit already run."""
    if isinstance(vault, sqlite3.Connection):
        sentiment = analyse_connection(vault, max_texts=max_texts)
    else:
        sentiment = analyse_vault(vault, max_texts=max_texts)
    audit = audit if audit is not None else shipped_audit()
    findings: list[dict[str, Any]] = []
    not_assessed: list[dict[str, Any]] = []
    if sentiment["assessed"] >= min_texts:
        findings.append(mood_finding(sentiment))
    elif sentiment["assessed"]:
        not_assessed.append({"id": "mood_trajectory", "reason": (
            f"only {sentiment['assessed']} of your texts could be scored; a mood needs at least {min_texts} "
            "(the same minimum as the keyword findings: fewer are a few days' moods, not a trajectory)")})
    else:
        reason = "no messages you sent, posts, comments or searches were imported"
        if sentiment["not_assessed"]:
            reason = (f"your {sentiment['not_assessed']} texts are in languages the sentiment model does not "
                      f"cover")
        not_assessed.append({"id": "mood_trajectory", "reason": reason})
    if sentiment["not_assessed"]:
        languages = ", ".join(f"{lang} {n}" for lang, n in sentiment["not_assessed_languages"].items())
        not_assessed.append({"id": "mood_trajectory_languages",
                             "reason": f"{sentiment['not_assessed']} texts not scored: the model reads English "
                                       f"only ({languages})"})
    if sentiment["protest_vocabulary"]["texts"] >= min_vocabulary_texts and sentiment["assessed"] >= min_texts:
        findings.append(vocabulary_finding(sentiment, audit))
    elif sentiment["protest_vocabulary"]["texts"]:
        not_assessed.append({"id": "protest_vocabulary", "reason": (
            f"{sentiment['protest_vocabulary']['texts']} of your {sentiment['assessed']} scored texts use political "
            f"or protest vocabulary; at least {min_vocabulary_texts} in {min_texts} scored texts are needed")})
    elif sentiment["assessed"]:
        not_assessed.append({"id": "protest_vocabulary",
                             "reason": "no political or protest vocabulary in your own English texts"})
    return {"findings": findings, "not_assessed": not_assessed, "sentiment": sentiment, "bias": audit}
