"""The scorer's-eye findings: what a citizen scorer could conclude from the vault, with the evidence.

``PROVIDERS`` lists the shipped finding providers in report order; each is ``provide(ctx)`` yielding
``Finding``, ``NotAssessed`` or ``Clear``. The last one is the expression work's (mood of the person's own words,
with the bias audit of the model that read them: ``datavault/expression``). Further providers plug in with
``register_provider``; the report runs them after these.
"""

from __future__ import annotations

from datavault.findings import (
    exposure, finance, parenthood, places, platforms, screen_time, ties, topics,
)
from datavault.expression import provider as expression_provider
from datavault.findings.engine import Clear, Ctx, Provider, run
from datavault.findings.model import CATEGORIES, Evidence, Finding, NotAssessed

PROVIDERS: list[Provider] = [
    screen_time.provide,
    parenthood.provide,
    ties.provide,
    places.provide,
    topics.provide,
    finance.provide,
    exposure.provide,
    platforms.provide,
    expression_provider.provide,  # mood of the person's own words and the bias of the model reading them
]


def register_provider(provider: Provider) -> None:
    """Add a finding provider (e.g. the mood-trajectory finding of the bias work); idempotent."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


__all__ = ["CATEGORIES", "Clear", "Ctx", "Evidence", "Finding", "NotAssessed", "PROVIDERS", "Provider",
           "register_provider", "run"]
