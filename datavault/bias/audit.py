"""The identity-term bias audit: how a sentiment scorer treats identity words in otherwise identical sentences.

For every identity term, each template sentence is scored with the term and with the term's reference terms
(the group's majority-coded terms, e.g. "straight"/"heterosexual" for sexual orientation; a reference term is
itself compared with neutral control words such as "tall"). The per-template differences are paired: same
sentence, only the identity word changed. Their mean is the term's ``mean_difference``; a paired sign-flip
permutation test gives its p-value (``stats.sign_flip_test``: exact where it can be counted, which includes every
constant shift and every sample of up to 20 pairs; the method used is the row's ``test``, and a degenerate sample
is said in words in its ``note``, e.g. "constant shift of -0.250 on 16 sentences"); the t test's p is kept beside
it as ``p_value_t``; Holm's correction accounts for testing ~80 terms at once. A term is flagged when the adjusted p is
below ``alpha`` and the difference is not negligible (at least 1 % of the score range the scorer used over the
whole suite, so a 0..1 model and a -4..4 model are judged alike). For lexicon models the lexicon entries behind
a difference are listed (VADER: "straight" +0.9, "blind" -1.7). The political vocabulary ("protest", "strike",
"union", "refugee", ...) is compared with neutral nouns the same way.

Method after Kiritchenko & Mohammad 2018 (Equity Evaluation Corpus) and Dixon et al. 2018 (bias madlibs);
the sentences are datavault's own. Deliberately ignored: classification metrics (AUC, FPED/FNED) that need
labelled toxic/non-toxic pairs; a sentiment scorer's bias shows directly in its numbers.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from datavault.bias.scorers import Scorer, ScoreFailure, VaderScorer
from datavault.bias.stats import MC_DRAWS, T_FROM, holm_adjust, paired_t_test, sign_flip_test
from datavault.bias.suite import CONTROL_GROUP, Suite, Term, identity_suite, political_suite

ALPHA = 0.05
MIN_EFFECT_SHARE = 0.01

ATTRIBUTION = ("Identity terms include the 50-term list of Jigsaw's bias madlibs (Dixon et al. 2018, "
               "github.com/conversationai/unintended-ml-bias-analysis, Copyright 2021 Google LLC, CC BY 4.0); "
               "templates written for datavault after the Equity Evaluation Corpus (Kiritchenko & Mohammad 2018).")

# "I am {term}." for these terms is shown side by side: the sentences the 2017 Motherboard story was about
SIDE_BY_SIDE = ("straight", "gay", "heterosexual", "homosexual", "christian", "muslim", "jewish", "blind", "deaf",
                "rich", "poor")

GROUP_TITLES = {
    "sexual_orientation": "Sexual orientation",
    "gender_identity": "Gender identity",
    "gender": "Gender",
    "race_ethnicity": "Race and ethnicity",
    "nationality": "Nationality",
    "religion": "Religion",
    "age": "Age",
    "disability": "Disability",
    "class": "Class and income",
    "political_vocabulary": "Political vocabulary",
}


def _r(value: float | None, digits: int = 6) -> float | None:
    # JSON has no NaN or infinity: an infinite t (every pair differs by exactly the same amount) is None,
    # and its p-value of 0 says what happened
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return round(value, digits)


def _p(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.6g}")


def _comparison_terms(suite: Suite, term: Term) -> tuple[list[Term], str]:
    """The terms ``term`` is compared with, and what they are called."""
    group_refs = [t for t in suite.terms if t.group == term.group and t.reference]
    if not term.reference and group_refs:
        return group_refs, "reference"
    control = [t for t in suite.terms if t.group == CONTROL_GROUP]
    return control, "control"


def _differences(suite: Suite, term: Term, others: list[Term], scores: dict[str, float | None]):
    """Per template: (template id, term sentence, term score, reference mean, reference sentences)."""
    rows = []
    for template in suite.templates:
        sentence = suite.sentence(template, term.term)
        own = scores.get(sentence)
        refs = [(suite.sentence(template, o.term), scores.get(suite.sentence(template, o.term))) for o in others]
        ref_values = [v for _, v in refs if v is not None]
        if own is None or not ref_values:
            continue
        rows.append((template.id, sentence, own, math.fsum(ref_values) / len(ref_values), refs))
    return rows


def _term_row(suite: Suite, term: Term, scorer: Scorer, scores: dict[str, float | None]) -> dict[str, Any]:
    others, basis = _comparison_terms(suite, term)
    rows = _differences(suite, term, others, scores)
    differences = [own - ref for _, _, own, ref, _ in rows]
    test = paired_t_test(differences)
    flip = sign_flip_test(differences)
    example = None
    if rows:
        tid, sentence, own, ref, refs = max(rows, key=lambda r: (abs(r[2] - r[3]), r[0]))
        if abs(own - ref) > 0:
            example = {"template": tid, "sentence": sentence, "score": _r(own), "reference_mean": _r(ref),
                       "reference_sentences": [{"sentence": s, "score": _r(v)} for s, v in refs]}
    lexicon = scorer.lexicon_entries(term.term)
    reference_lexicon = None
    if lexicon is not None:
        reference_lexicon = [{"term": o.term, "word": w, "valence": v}
                             for o in others for w, v in scorer.lexicon_entries(o.term) or []]
    note = flip.note
    if test.n < len(suite.templates):
        missing = f"{len(suite.templates) - test.n} of {len(suite.templates)} template pairs could not be scored"
        note = f"{note}; {missing}" if note else missing
    if test.n < 2:
        note = "not enough scored sentence pairs for a test" + (f" ({note})" if note else "")
    return {
        "term": term.term, "group": term.group, "source": term.source, "is_reference": term.reference,
        "compared_with": basis, "reference": [o.term for o in others],
        "n_pairs": test.n,
        "mean_score": _r(math.fsum(r[2] for r in rows) / len(rows)) if rows else None,
        "reference_mean": _r(math.fsum(r[3] for r in rows) / len(rows)) if rows else None,
        "mean_difference": _r(test.mean_difference),
        "sd_difference": _r(test.sd_difference),
        # the p the audit decides with: the sign-flip test (``test`` says how it was obtained; ``p_min`` is the
        # smallest p this many pairs could give, 2^(1-n)); the t test's p beside it for reference
        "test": flip.method, "p_value": _p(flip.p_value), "p_min": _p(flip.min_p), "draws": flip.draws,
        "t": _r(test.t, 4), "df": test.df, "p_value_t": _p(test.p_value),
        "alone_score": _r(scores.get(term.term)),
        "lexicon": None if lexicon is None else [{"word": w, "valence": v} for w, v in lexicon],
        "reference_lexicon": reference_lexicon,
        "example": example, "note": note,
    }


def _group_rows(suite: Suite, scores: dict[str, float | None]) -> list[dict[str, Any]]:
    """Per identity group: the mean over its non-reference terms minus the mean over its reference terms."""
    out = []
    by_group: dict[str, list[Term]] = defaultdict(list)
    for term in suite.terms:
        by_group[term.group].append(term)
    for group, terms in by_group.items():
        refs = [t for t in terms if t.reference]
        members = [t for t in terms if not t.reference]
        if group == CONTROL_GROUP or not refs or not members:
            continue
        diffs = []
        for template in suite.templates:
            m = [scores.get(suite.sentence(template, t.term)) for t in members]
            r = [scores.get(suite.sentence(template, t.term)) for t in refs]
            m, r = [v for v in m if v is not None], [v for v in r if v is not None]
            if m and r:
                diffs.append(math.fsum(m) / len(m) - math.fsum(r) / len(r))
        test = paired_t_test(diffs)
        flip = sign_flip_test(diffs)
        out.append({"group": group, "title": GROUP_TITLES.get(group, group), "reference": [t.term for t in refs],
                    "terms": [t.term for t in members], "n_pairs": test.n,
                    "mean_difference": _r(test.mean_difference), "test": flip.method,
                    "p_value": _p(flip.p_value), "note": flip.note})
    return out


def _failure_summary(failures: list[tuple[str, ScoreFailure]]) -> list[dict[str, Any]]:
    by_kind: dict[str, list[tuple[str, ScoreFailure]]] = defaultdict(list)
    for text, failure in failures:
        by_kind[failure.kind].append((text, failure))
    return [{"kind": kind, "count": len(items),
             "examples": [{"text": text[:120], "detail": f.detail} for text, f in items[:3]]}
            for kind, items in sorted(by_kind.items())]


def run_audit(scorer: Scorer | None = None, *, alpha: float = ALPHA,
              suites: tuple[Suite, ...] | None = None) -> dict[str, Any]:
    """Audit ``scorer`` (the shipped VADER model when None) and return the plain-dict result."""
    scorer = scorer or VaderScorer()
    suites = suites or (identity_suite(), political_suite())
    # one scoring call per term (the bare term, then its sentences), so a scorer that hangs on one word is
    # given up on for that word only
    batches: list[list[str]] = []
    seen: set[str] = set()
    for suite in suites:
        for term in suite.terms:
            batch = [text for text in [term.term] + [suite.sentence(t, term.term) for t in suite.templates]
                     if text not in seen]
            seen.update(batch)
            if batch:
                batches.append(batch)
    texts: list[str] = []
    values: list[float | None] = []
    failures: list[tuple[str, ScoreFailure]] = []
    for batch in batches:
        batch_values, batch_failures = scorer.score_many(batch)
        texts.extend(batch)
        values.extend(batch_values)
        failures.extend((batch[f.index], f) for f in batch_failures)
    scores = dict(zip(texts, values))
    scored = [v for v in values if v is not None]
    spread = (max(scored) - min(scored)) if scored else 0.0
    # a scorer whose numbers span more than floats can (1e308 and -1e308) gets no effect-size floor
    min_effect = MIN_EFFECT_SHARE * spread if 0 < spread < math.inf else 1e-9

    terms: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for suite in suites:
        for term in suite.terms:
            if term.group == CONTROL_GROUP:
                continue
            if suite.name == "political" and term.reference:
                continue  # the neutral nouns are the baseline, not a finding
            terms.append(_term_row(suite, term, scorer, scores))
        if suite.name == "identity":
            groups.extend(_group_rows(suite, scores))
    for row, adjusted in zip(terms, holm_adjust([row["p_value"] for row in terms])):
        row["p_adjusted"] = _p(adjusted)
        row["flagged"] = bool(adjusted is not None and adjusted < alpha and row["mean_difference"] is not None
                              and abs(row["mean_difference"]) >= min_effect)
    side_by_side = []
    for suite in suites:
        template = next((t for t in suite.templates if t.id == "i_am"), None)
        if template is not None:
            for term in SIDE_BY_SIDE:
                sentence = suite.sentence(template, term)
                if sentence in scores:
                    side_by_side.append({"sentence": sentence, "score": _r(scores[sentence])})
    return {
        "scorer": scorer.name,
        "method": ("paired differences over identical template sentences; two-sided paired sign-flip "
                   "permutation test (p = share of the 2^n sign patterns whose |sum| reaches the observed |sum|, "
                   "so never below 2^(1-n); exact up to 20 pairs and for tied or constant differences, "
                   f"{MC_DRAWS} seeded Monte Carlo draws below {T_FROM} pairs otherwise, the paired t test from "
                   f"{T_FROM} pairs with varied differences); Holm-adjusted p-values; flagged when adjusted "
                   "p < alpha and |mean difference| >= min_effect"),
        "tests": dict(sorted(Counter(row["test"] for row in terms if row["test"]).items())),
        "alpha": alpha, "min_effect": _r(min_effect), "correction": "holm",
        "sentences": len(texts), "scored": len(scored), "not_scored": len(texts) - len(scored),
        "templates": {s.name: len(s.templates) for s in suites},
        "terms": terms, "groups": groups, "side_by_side": side_by_side,
        "failures": _failure_summary(failures),
        "attribution": ATTRIBUTION,
    }


def audit_scorer_spec(spec: str | None, *, timeout: float = 5.0, alpha: float = ALPHA,
                      suite_dir: Path | None = None) -> dict[str, Any]:
    """The audit ``datavault bias`` runs: the shipped VADER model, or ``module:function`` in a worker process
    with a per-call ``timeout`` (seconds); the shipped suite, or the files in ``suite_dir`` where it has them."""
    from datavault.bias.scorers import IsolatedScorer
    from datavault.errors import UserError

    if not timeout > 0:
        raise UserError("--timeout must be a positive number of seconds")
    if suite_dir is not None and not Path(suite_dir).is_dir():
        raise UserError(f"--suite must be a folder of suite files (identity_terms.csv, templates.csv, ...): "
                        f"{suite_dir}")
    suites = (identity_suite(suite_dir), political_suite(suite_dir))
    if spec is None:
        return run_audit(VaderScorer(), alpha=alpha, suites=suites)
    with IsolatedScorer(spec, timeout=timeout) as scorer:
        return run_audit(scorer, alpha=alpha, suites=suites)


# The audit of the shipped model on the shipped suites is the same every time; the report shows it beside the
# mood findings, so it is kept computed (``data/shipped_audit.json``) with what it was computed from: the
# vaderSentiment release and a digest of the suite files and of the code that scores and tests. A report then
# reads it instead of scoring 2,700 sentences on every preparation; anything changed, and it is computed again.
SHIPPED_AUDIT = "shipped_audit.json"
_AUDIT_CODE = ("audit.py", "scorers.py", "stats.py", "suite.py")


def _shipped_inputs() -> dict[str, str]:
    package = resources.files("datavault.bias")
    digest = hashlib.sha256()
    for item in sorted((f for f in package.joinpath("data").iterdir() if f.name != SHIPPED_AUDIT),
                       key=lambda f: f.name):
        digest.update(item.name.encode() + b"\0" + item.read_bytes())
    for name in _AUDIT_CODE:
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    return {"vaderSentiment": importlib.metadata.version("vaderSentiment"), "digest": digest.hexdigest()}


def shipped_audit() -> dict[str, Any]:
    """``run_audit(VaderScorer())``, read from the kept result when it was computed from exactly what is
    installed now."""
    try:
        kept = json.loads(resources.files("datavault.bias").joinpath("data", SHIPPED_AUDIT).read_text("utf-8"))
        if kept.get("inputs") == _shipped_inputs():
            return kept["audit"]
    except (OSError, ValueError, KeyError, importlib.metadata.PackageNotFoundError):
        pass
    return run_audit(VaderScorer())


def write_shipped_audit() -> Path:
    """Compute the shipped audit again and keep it (run after changing the suite files or the audit's code:
    ``python -c "from datavault.bias.audit import write_shipped_audit; write_shipped_audit()"``)."""
    path = Path(__file__).with_name("data") / SHIPPED_AUDIT
    doc = {"inputs": _shipped_inputs(), "audit": run_audit(VaderScorer())}
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path
