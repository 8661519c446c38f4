"""The report's finding provider for this work: plugs the expression findings into the report's engine.

Register it with ``datavault.findings.register_provider(datavault.expression.provider.provide)``. It reads the
report's own connection (``ctx.conn``), scores at most ``MAX_TEXTS_IN_REPORT`` own texts (an even sample above
that, said so in the statement, so the report stays quick on big vaults), and keeps the whole section (the
monthly trajectory and the bias table of the same model) in ``ctx.cached("expression")``; ``report_additions``
hands those to the report dict for the renderers (``datavault.expression.html`` draws the chart and table).
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.expression.findings import CONTEXT_SOURCES, expression_section

MAX_TEXTS_IN_REPORT = 10_000


def section_for(ctx: Any) -> dict[str, Any]:
    return ctx.cached("expression", lambda: expression_section(ctx.conn, max_texts=MAX_TEXTS_IN_REPORT))


def report_additions(cache: dict[str, Any]) -> dict[str, Any]:
    """What the report adds beside the findings once the providers ran (``cache`` is the engine's ``ctx.cache``):
    the monthly trajectory for the chart and the bias audit of the same model for the table. Empty when the
    provider did not run."""
    section = cache.get("expression")
    if not section:
        return {}
    return {"sentiment_by_month": section["sentiment"]["months"], "bias": section["bias"]}


def provide(ctx: Any) -> Iterator[Any]:
    from datavault.findings.model import Evidence, Finding, NotAssessed

    section = section_for(ctx)
    works = getattr(getattr(ctx, "rules", None), "works", {})  # a bare context (tests) has no rules
    for finding in section["findings"]:
        cites = [works[k].as_dict() for k in CONTEXT_SOURCES.get(finding["id"], ()) if k in works]
        yield Finding(**{**finding, "evidence": [Evidence(**e) for e in finding["evidence"]], "context_sources": cites})
    for entry in section["not_assessed"]:
        yield NotAssessed(**entry)
