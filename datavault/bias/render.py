"""Renders an audit result (the plain dict of ``audit.run_audit``) as text, JSON or Markdown.

Knows nothing of scoring; reads only the dict. Text is plain (no colour codes) so it can be piped and kept
as a golden file. Deliberately ignored: HTML (the report renders the table and chart itself from the dict).
"""

from __future__ import annotations

import json
import math
from typing import Any

from datavault.bias.audit import GROUP_TITLES

FORMATS = ("text", "json", "md")


def render(result: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "md":
        return render_markdown(result)
    if fmt == "text":
        return render_text(result)
    raise ValueError(f"unknown format {fmt!r}")


def _num(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:+.{digits}f}"


def _pval(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "<1e-300"
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


TEST_SHORT = {"sign-flip exact": "exact", "sign-flip Monte Carlo": "MC", "paired t": "t"}


def _test(row: dict[str, Any]) -> str:
    return TEST_SHORT.get(row.get("test") or "", row.get("test") or "-")


def _shown_note(row: dict[str, Any]) -> str | None:
    """The row's note as the tables show it: "no difference" is what +0.000 and p 1.000 already say."""
    note = row.get("note")
    if note and note.startswith("no difference on any of the"):
        return None
    return note


def method_lines(result: dict[str, Any]) -> list[str]:
    """How the p-values were obtained, in words (text and Markdown)."""
    counts = result.get("tests") or {}
    used = ", ".join(f"{TEST_SHORT.get(k, k)}: {v} terms" for k, v in counts.items())
    return [
        "p: two-sided paired sign-flip permutation test, the share of the 2^n sign patterns of a term's n sentence "
        "differences whose |sum| reaches the observed one (so never below 2^(1-n): 4.7e-10 for 32 sentences, "
        "3.1e-05 for 16); 'exact' counted exactly, 'MC' estimated from 20000 seeded random patterns, 't' the paired "
        "t test (only from 30 sentences whose differences vary too much to count). Holm-adjusted over all terms."
        + (f" Tests used: {used}." if used else ""),
    ]


def _lexicon(row: dict[str, Any]) -> str:
    if row.get("lexicon") is None:
        return "n/a"
    own = ", ".join(f"{e['word']} {e['valence']:+.1f}" for e in row["lexicon"]) or "not in lexicon"
    refs = ", ".join(f"{e['word']} {e['valence']:+.1f}" for e in row.get("reference_lexicon") or [])
    return own + (f" (reference: {refs})" if refs else "")


def _grouped(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in result["terms"]:
        groups.setdefault(row["group"], []).append(row)
    return list(groups.items())


def _reference_label(rows: list[dict[str, Any]]) -> str:
    refs = next((r["reference"] for r in rows if r["compared_with"] == "reference"), None)
    return ", ".join(refs) if refs else ", ".join(rows[0]["reference"])


def summary_lines(result: dict[str, Any]) -> list[str]:
    """"N of M terms flagged." and the largest flagged differences in words (also for the report's text)."""
    flagged = [r for r in result["terms"] if r["flagged"]]
    lines = [f"{len(flagged)} of {len(result['terms'])} terms flagged."]
    for row in sorted(flagged, key=lambda r: -abs(r["mean_difference"]))[:8]:
        direction = "higher" if row["mean_difference"] > 0 else "lower"
        lines.append(f"  '{row['term']}' scores {abs(row['mean_difference']):.3f} {direction} than "
                     f"{' / '.join(row['reference'][:3])} in the same sentences"
                     + (f" ({_lexicon(row)})" if row.get("lexicon") else "") + ".")
    return lines


def _failure_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for failure in result["failures"]:
        lines.append(f"  {failure['kind']}: {failure['count']} sentence(s), e.g. "
                     + "; ".join(f"{e['text']!r}: {e['detail']}" for e in failure["examples"][:2]))
    return lines


def render_text(result: dict[str, Any]) -> str:
    out = [f"Identity-term bias audit of: {result['scorer']}",
           f"{result['sentences']} sentences, {result['scored']} scored offline "
           f"({result['templates'].get('identity', 0)} identity templates, "
           f"{result['templates'].get('political', 0)} political templates).",
           f"A term is flagged when it scores differently from its reference terms in the same sentences: "
           f"Holm-adjusted p < {result['alpha']} (paired sign-flip test) and |difference| >= "
           f"{result['min_effect']:.3f}."] + method_lines(result) + [""]
    out += summary_lines(result)
    if result.get("side_by_side"):
        out += ["", "Side by side:"] + [f"  {_num(s['score'])}  {s['sentence']}" for s in result["side_by_side"]]
    for group, rows in _grouped(result):
        out += ["", f"{GROUP_TITLES.get(group, group)} (reference: {_reference_label(rows)})",
                f"  {'term':<18} {'difference':>10} {'p (adj.)':>9} {'test':>5} {'flag':>4}  lexicon"]
        for row in rows:
            term = row["term"] + (" *" if row["is_reference"] else "")
            note = f"  [{_shown_note(row)}]" if _shown_note(row) else ""
            out.append(f"  {term:<18} {_num(row['mean_difference']):>10} {_pval(row['p_adjusted']):>9} "
                       f"{_test(row):>5} {'YES' if row['flagged'] else '':>4}  {_lexicon(row)}{note}")
    if any(r["is_reference"] for r in result["terms"]):
        out += ["", "* a reference term, compared with neutral control words (tall, left-handed, ...)."]
    failures = _failure_lines(result)
    if failures:
        out += ["", f"Not scored ({result['not_scored']} sentences; the audit went on without them):"] + failures
    out += ["", result["attribution"]]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: dict[str, Any]) -> str:
    out = ["# Identity-term bias audit", "",
           f"Scorer: **{_md_cell(result['scorer'])}**. {result['sentences']} sentences, {result['scored']} scored "
           f"offline. A term is flagged when Holm-adjusted p < {result['alpha']} (paired sign-flip test over "
           f"identical sentences) and |mean difference| >= {result['min_effect']:.3f}.", ""]
    out += [_md_cell(line) for line in method_lines(result)] + [""]
    out += [line.strip() and f"- {line.strip()}" if i else line for i, line in enumerate(summary_lines(result))]
    out.append("")
    if result.get("side_by_side"):
        out += ["| sentence | score |", "|---|---:|"]
        out += [f"| {_md_cell(s['sentence'])} | {_num(s['score'])} |" for s in result["side_by_side"]] + [""]
    for group, rows in _grouped(result):
        out += [f"## {GROUP_TITLES.get(group, group)}", "", f"Reference: {_md_cell(_reference_label(rows))}", "",
                "| term | mean difference | p (Holm) | test | flagged | lexicon |", "|---|---:|---:|---|:---:|---|"]
        for row in rows:
            term = row["term"] + (" (reference, vs control words)" if row["is_reference"] else "")
            note = f" ({_shown_note(row)})" if _shown_note(row) else ""
            out.append(f"| {_md_cell(term)} | {_num(row['mean_difference'])} | {_pval(row['p_adjusted'])} | "
                       f"{_test(row)} | {'**yes**' if row['flagged'] else 'no'} | {_md_cell(_lexicon(row) + note)} |")
        out.append("")
    failures = _failure_lines(result)
    if failures:
        out += ["## Not scored", ""] + [f"- {_md_cell(line.strip())}" for line in failures] + [""]
    out += [f"_{result['attribution']}_", ""]
    return "\n".join(out)
