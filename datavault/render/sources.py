"""The report's "Sources": each research work a finding's context cites, numbered once for the whole report.

A finding's ``context`` is the sentence a person reads; its ``context_sources`` are the works it cites
(``[{id, reference, authors, year, title, venue, doi, url}]``, from rules/context.toml ``[source.KEY]``). The
report's top-level ``references`` lists each cited work once, numbered in reading order (the findings in the
five categories' order, then each context's works in order), with the findings that cite it:
``[{number, id, reference, authors, year, title, venue, doi, url, findings: [finding ids]}]``. Every renderer
puts the numbers after the context sentence and the full list at the end; DOIs and addresses are plain text,
never links (the HTML report makes no request and links only within itself).
"""

from __future__ import annotations

from typing import Any

from datavault.findings.model import CATEGORIES


def cited_works(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's ``references`` from its findings (any order: numbered in the categories' order)."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(findings, key=lambda f: order.get(f["category"], len(order))):  # stable within a category
        for work in f.get("context_sources") or []:
            entry = out.get(work["id"])
            if entry is None:
                entry = out[work["id"]] = {"number": len(out) + 1, **work, "findings": []}
            if f["id"] not in entry["findings"]:
                entry["findings"].append(f["id"])
    return list(out.values())


def references(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's numbered works (computed when a report dictionary has none: written before they existed)."""
    refs = report.get("references")
    return refs if refs is not None else cited_works(report.get("findings") or [])


def numbers(finding: dict[str, Any], refs: list[dict[str, Any]]) -> list[int]:
    """The reference numbers of the works ``finding``'s context cites."""
    by_id = {r["id"]: r["number"] for r in refs}
    return [by_id[w["id"]] for w in finding.get("context_sources") or [] if w["id"] in by_id]


def marker(finding: dict[str, Any], refs: list[dict[str, Any]]) -> str:
    """`` [1][2]``: the plain-text marker after a context sentence (empty when it cites nothing)."""
    nums = numbers(finding, refs)
    return " " + "".join(f"[{n}]" for n in nums) if nums else ""


HEADING = "Sources"
INTRO = ("The published studies and reports the research context above cites, each listed once. They describe "
         "other people's data, never this tool's accuracy.")
