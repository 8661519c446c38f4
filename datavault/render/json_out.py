"""The report as JSON: schema ``datavault-report/1``.

Top level (the contract's keys first; more may be added, none renamed or removed without a new schema):

- ``generated`` (UTC), ``findings``, ``not_assessed`` (``[{id, reason}]``: a source was never imported),
  ``score`` (``{profile, value, parts: [{finding, points, weight, strength, factor, why, found, status}], formula,
  title, description, min, max, base, label, status, reason, coverage}``: only assessed findings count;
  ``coverage`` is ``{assessed, weighted, assessed_weight, total_weight, share, not_assessed: [ids], text}``; with
  nothing assessed ``value`` is null, ``status`` "not scored" and ``reason`` says why: see datavault/score.py);
- ``references`` (see below), ``schema``, ``timezone`` (local hours were computed in it), ``rules_version``, ``redacted``;
- ``vault``: ``{records: {table: rows}, total}``;
- ``summary``: ``{findings, strong, by_category: {category: [finding id]}, category_titles, sensitive}``;
- ``clear``: ``[{id, title, checked}]``: looked for, with data to look in, and not found;
- ``charts``: ``activity_by_weekday_hour`` (7 x 24 counts, Monday first, local hours), ``top_contacts``
  (``[{contact, messages, from_you, to_you}]``), ``timeline`` (``[{finding, title, months: {YYYY-MM: n}}]``);
- ``caveats``: sentences every rendering shows;
- ``since_last_export`` (only with two exports of one account): ``[{older, newer, appeared, disappeared,
  only_older, only_newer, command}]``, the counts ``datavault changes`` details (datavault/changes.py);
- ``as_of`` (only with ``report --as-of``): ``{as_of, source, sources, left_out}``: the report as it stood then;
- ``gaps``: what each imported platform's export leaves out (datavault/rights/gaps.py ``export_gaps``):
  ``[{platform, title, controller, export, sources, missing: [{id, title, article, why, held, in_exports}],
  present: [item ids]}]``.

The ``platform_conclusions`` finding's details gain ``removed_by`` (a date, or null while current) when a label
of an earlier export is no longer in the latest export of its account.

A finding: ``id``, ``title``, ``category`` (one of the five), ``sensitive`` (GDPR Art. 9 categories),
``statement``, ``strength`` (weak, moderate, strong), ``measures`` (the numbers behind the strength),
``evidence`` (``[{table, time, source_file, locator, excerpt}]``, at most 16, newest first),
``evidence_total`` (records behind it in all), ``rule``, ``context`` (a research figure as a sentence a person
reads, naming its authors, or null: a string, as the contract has it), ``context_sources`` (the works it cites:
``[{id, reference, authors, year, title, venue, doi, url}]``, ``[]`` for none), ``remedy``, ``details`` (a
finding-specific table, e.g. ranked contacts or platform labels), and ``requests`` when the finding concerns a
controller whose exports are in the vault (``[{controller, name, kind, command}]``: the ``datavault request``
letters a person can send about it, datavault/rights/letters.py ``requests_for``).

``references``: each work the findings' contexts cite, once, numbered in reading order (the five categories'
order): ``[{number, id, reference, authors, year, title, venue, doi, url, findings: [finding ids]}]``; the
renderings put the numbers after each context and list the works under "Sources" (datavault/render/sources.py).
"""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
