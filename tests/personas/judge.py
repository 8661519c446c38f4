"""Compare a report (the ``datavault-report/1`` JSON) with a persona's truth.

For each evaluated finding id one ``Outcome``:

- truth True: the id among ``findings`` is a true positive (for ``home_work`` only when both the report's
  ``measures["home_cell"]`` and ``measures["work_cell"]`` are within 300 m of the true places; otherwise it is
  both a false positive and a false negative); absent, or under ``not_assessed``, a false negative;
- truth False: among ``findings`` a false positive, otherwise a true negative;
- truth "not_assessed": a sufficiency check, passed only when the id is under ``not_assessed``; an id among
  ``findings`` is a *violation* (a finding stated with a strength on data below any minimum).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from tests.personas.model import EVALUATED, NOT_ASSESSED, Persona

PLACE_TOLERANCE_M = 300.0


@dataclass
class Outcome:
    persona: str
    language: str
    finding: str
    expected: Any          # True, False or "not_assessed"
    got: str               # "finding (strong)", "not_assessed", "clear", "absent"
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    sufficiency: bool | None = None  # for a "not_assessed" truth: was it put under not_assessed?
    violation: bool = False          # a "not_assessed" truth stated as a finding
    statement: str = ""
    strength: str = ""
    reason: str = ""                 # why it counts as wrong, in words

    @property
    def correct(self) -> bool:
        if self.expected == NOT_ASSESSED:
            return bool(self.sufficiency)
        return not (self.fp or self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "correct": self.correct}


def distance_m(a, b) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    x = (lon2 - lon1) * math.cos((lat1 + lat2) / 2)
    return 6_371_000 * math.hypot(lat2 - lat1, x)


def evaluate(persona: Persona, report: dict[str, Any]) -> list[Outcome]:
    findings = {f["id"]: f for f in report.get("findings", [])}
    not_assessed = {n["id"]: n for n in report.get("not_assessed", [])}
    clear = {c["id"] for c in report.get("clear", [])}
    out = []
    for fid in EVALUATED:
        expected = persona.truth[fid]
        found = findings.get(fid)
        if found:
            got = f"finding ({found.get('strength')})"
        elif fid in not_assessed:
            got = "not_assessed"
        elif fid in clear:
            got = "clear"
        else:
            got = "absent"
        o = Outcome(persona.name, persona.language, fid, expected, got,
                    statement=(found or {}).get("statement", "") or not_assessed.get(fid, {}).get("reason", ""),
                    strength=(found or {}).get("strength", "") or "")
        if expected == NOT_ASSESSED:
            o.sufficiency = fid in not_assessed
            o.violation = found is not None
            if not o.sufficiency:
                o.reason = ("stated with a strength on data below any minimum" if found else
                            f"should be under not_assessed, was {got}")
        elif expected is True:
            if found and fid == "home_work":
                m = found.get("measures") or {}
                home, work = m.get("home_cell"), m.get("work_cell")
                bad = []
                if not home or distance_m(home, persona.home) > PLACE_TOLERANCE_M:
                    bad.append(f"home {home} vs true {persona.home}"
                               + (f" ({distance_m(home, persona.home):.0f} m)" if home else ""))
                if not work or distance_m(work, persona.work) > PLACE_TOLERANCE_M:
                    bad.append(f"work {work} vs true {persona.work}"
                               + (f" ({distance_m(work, persona.work):.0f} m)" if work else ""))
                if bad:
                    o.fp = o.fn = 1
                    o.reason = "wrong place: " + "; ".join(bad)
                else:
                    o.tp = 1
            elif found:
                o.tp = 1
            else:
                o.fn = 1
                o.reason = f"true trait not concluded ({got})"
        else:
            if found:
                o.fp = 1
                o.reason = "concluded a trait the persona does not have"
            else:
                o.tn = 1
        out.append(o)
    return out


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def tally(outcomes: list[Outcome]) -> dict[str, Any]:
    tp = sum(o.tp for o in outcomes)
    fp = sum(o.fp for o in outcomes)
    fn = sum(o.fn for o in outcomes)
    tn = sum(o.tn for o in outcomes)
    suff = [o for o in outcomes if o.sufficiency is not None]
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "sufficiency_checks": len(suff), "sufficiency_passed": sum(1 for o in suff if o.sufficiency),
            "violations": sum(1 for o in outcomes if o.violation)}


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    by_finding = {fid: tally([o for o in outcomes if o.finding == fid]) for fid in EVALUATED}
    languages = sorted({o.language for o in outcomes})
    by_language = {lang: tally([o for o in outcomes if o.language == lang]) for lang in languages}
    return {"overall": tally(outcomes), "by_finding": by_finding, "by_language": by_language,
            "errors": [o.as_dict() for o in outcomes if not o.correct],
            "violations": [o.as_dict() for o in outcomes if o.violation]}
