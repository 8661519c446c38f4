"""The scorer's-eye findings: what a citizen scorer could conclude from the vault, with the evidence.

``PROVIDERS`` lists the shipped finding providers in report order; each is ``provide(ctx)`` yielding
``Finding``, ``NotAssessed`` or ``Clear``. The last one is the expression work's (mood of the person's own words,
with the bias audit of the model that read them: ``datavault/expression``). Further providers plug in with
``register_provider``; the report runs them after these.
"""

from __future__ import annotations

from datavault.findings import (
    exposure, finance, parenthood, places, platforms, reading, rhythm, screen_time, ties, topics,
)
from datavault.expression import provider as expression_provider
from datavault.findings.engine import Clear, Ctx, Provider, run
from datavault.findings.model import CATEGORIES, Evidence, Finding, NotAssessed

PROVIDERS: list[Provider] = [
    screen_time.provide,
    parenthood.provide,
    ties.provide,
    places.provide,
    rhythm.provide,  # daily_schedule: a night schedule, never idleness
    topics.provide,
    finance.provide,
    reading.provide,  # the texts in languages the keyword findings could not read
    exposure.provide,
    platforms.provide,
    expression_provider.provide,  # mood of the person's own words and the bias of the model reading them
]


# which finding ids each shipped provider can yield: ``datavault score`` runs only those its profile weighs
FINDING_IDS: dict[Provider, frozenset[str]] = {
    screen_time.provide: frozenset({"screen_time"}),
    parenthood.provide: frozenset({"parent"}),
    ties.provide: frozenset({"closest_ties", "metadata_mirror", "association"}),
    places.provide: frozenset({"home_work", "uniqueness", "sensitive_places"}),
    rhythm.provide: frozenset({"daily_schedule"}),
    topics.provide: frozenset({t.id for t in topics.TOPICS} | {"political_expression"}),
    finance.provide: frozenset({"financial_stress"}),
    reading.provide: frozenset(),
    exposure.provide: frozenset({"personal_exposure"}),
    platforms.provide: frozenset({"platform_conclusions"}),
    expression_provider.provide: frozenset({"mood_trajectory", "mood_trajectory_languages", "protest_vocabulary"}),
}


def providers_for(finding_ids: set[str]) -> list[Provider]:
    """The providers that can yield any of ``finding_ids`` (providers of unknown yield always run)."""
    return [p for p in PROVIDERS if p not in FINDING_IDS or FINDING_IDS[p] & finding_ids]


def register_provider(provider: Provider) -> None:
    """Add a finding provider (e.g. the mood-trajectory finding of the bias work); idempotent."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


__all__ = ["CATEGORIES", "Clear", "Ctx", "Evidence", "Finding", "FINDING_IDS", "NotAssessed", "PROVIDERS",
           "Provider", "providers_for", "register_provider", "run"]
