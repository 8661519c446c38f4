"""What a finding is: the data the report, the score and every renderer share.

A finding says what a scorer could conclude, under which of Sesame's five categories, which GDPR Art. 9
special categories it touches, how strong the evidence is in this person's data (with the numbers), the
records behind it, the rule that fired in plain words, a cited research figure for context (never presented as
this tool's accuracy) and what the person can do to weaken it. Nothing here reads the vault.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CATEGORIES = (
    "credit_history",
    "fulfilment_capacity",
    "personal_information",
    "behaviour_preference",
    "interpersonal_relationships",
)
CATEGORY_TITLES = {
    "credit_history": "Credit history",
    "fulfilment_capacity": "Fulfilment capacity",
    "personal_information": "Personal information",
    "behaviour_preference": "Behaviour and preference",
    "interpersonal_relationships": "Interpersonal relationships",
}
SENSITIVE = ("health", "religion", "politics", "sexual_orientation", "ethnic_origin", "trade_union", "biometric", "genetic")
SENSITIVE_TITLES = {
    "health": "health",
    "religion": "religious or philosophical beliefs",
    "politics": "political opinions",
    "sexual_orientation": "sex life or sexual orientation",
    "ethnic_origin": "racial or ethnic origin",
    "trade_union": "trade-union membership",
    "biometric": "biometric data",
    "genetic": "genetic data",
}
STRENGTHS = ("weak", "moderate", "strong")
EXCERPT_CHARS = 160


@dataclass(slots=True)
class Evidence:
    table: str
    time: str | None
    source_file: str | None
    locator: str | None
    excerpt: str


@dataclass(slots=True)
class Finding:
    id: str
    title: str
    category: str
    statement: str
    strength: str
    measures: dict[str, Any]
    evidence: list[Evidence]
    rule: str
    remedy: str
    # the research figure's sentence; a provider may pass rules.cite(KEY) (a ruleset.Cited): it becomes the
    # sentence here and the works it cites in context_sources
    context: Any = None
    sensitive: list[str] = field(default_factory=list)
    # extra, renderer-friendly detail: a small table (list of dicts) such as ranked contacts or labels
    details: list[dict[str, Any]] = field(default_factory=list)
    evidence_total: int | None = None  # how many records matched in all, when more than the evidence shown
    context_sources: list[dict[str, Any]] = field(default_factory=list)  # the works the context cites (Work.as_dict)

    def __post_init__(self) -> None:
        if self.context is not None and not isinstance(self.context, str):  # a ruleset.Cited
            self.context_sources = [w.as_dict() for w in self.context.works]
            self.context = self.context.text
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.strength not in STRENGTHS:
            raise ValueError(f"unknown strength {self.strength!r}")
        for s in self.sensitive:
            if s not in SENSITIVE:
                raise ValueError(f"unknown Art. 9 category {s!r}")

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence_total"] = self.evidence_total if self.evidence_total is not None else len(self.evidence)
        return out


@dataclass(slots=True)
class NotAssessed:
    id: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``2 days`` (``many`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line excerpt: whitespace collapsed, cut at ``limit`` characters with an ellipsis."""
    if not text:
        return ""
    flat = " ".join(text[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
