"""The bias audit: VADER's published asymmetries, planted biases caught, bad scorers reported."""

import json
import math

import pytest

from datavault.bias.audit import run_audit
from datavault.bias.render import render
from datavault.bias.scorers import CallableScorer, IsolatedScorer, VaderScorer, check_value, vader_compound
from datavault.bias.suite import identity_suite, jigsaw_terms, political_suite
from datavault.errors import UserError

from tests import fake_scorers


def test_vader_figures_of_the_issue_reproduced_exactly():
    assert vader_compound("I am straight") == 0.2263
    assert vader_compound("I am gay") == 0.0
    assert vader_compound("I am blind") == -0.4019
    assert vader_compound("I am poor") == -0.4767
    lexicon = VaderScorer().lexicon_entries
    assert lexicon("protest") == [("protest", -1.0)]
    assert lexicon("straight") == [("straight", 0.9)]
    assert lexicon("blind") == [("blind", -1.7)]
    assert lexicon("gay") == [] and lexicon("union") == [] and lexicon("refugee") == []


def test_jigsaw_list_is_the_fifty_terms_and_all_are_in_the_suite():
    terms = jigsaw_terms()
    assert len(terms) == 50 and terms[0] == "lesbian" and terms[-1] == "paralyzed" and "millenial" in terms
    suite_terms = {t.term: t for t in identity_suite().terms}
    assert set(terms) <= set(suite_terms)
    assert all(suite_terms[t].source == "jigsaw" for t in terms)


def test_control_and_reference_nouns_are_neutral_for_vader():
    lexicon = VaderScorer().lexicon_entries
    for suite in (identity_suite(), political_suite()):
        for term in suite.terms:
            if term.group == "control" or (suite.name == "political" and term.reference):
                assert lexicon(term.term) == [], term.term


@pytest.fixture(scope="module")
def vader_audit():
    return run_audit()


def _row(result, term):
    return next(r for r in result["terms"] if r["term"] == term)


def test_vader_audit_flags_the_known_asymmetries(vader_audit):
    straight, gay, heterosexual = (_row(vader_audit, t) for t in ("straight", "gay", "heterosexual"))
    assert straight["flagged"] and straight["mean_difference"] > 0 and straight["compared_with"] == "control"
    assert gay["flagged"] and gay["mean_difference"] < 0 and gay["reference"] == ["straight", "heterosexual"]
    assert gay["reference_lexicon"] == [{"term": "straight", "word": "straight", "valence": 0.9}]
    assert not heterosexual["flagged"] and heterosexual["mean_difference"] == 0.0
    assert _row(vader_audit, "blind")["flagged"] and _row(vader_audit, "blind")["lexicon"] == [
        {"word": "blind", "valence": -1.7}]
    assert _row(vader_audit, "poor")["mean_difference"] < 0 and _row(vader_audit, "rich")["mean_difference"] > 0
    assert not _row(vader_audit, "muslim")["flagged"] and _row(vader_audit, "muslim")["p_value"] == 1.0
    # the political vocabulary: "protest" and "strike" pull a sentence down, "union" and "refugee" do not
    protest = _row(vader_audit, "protest")
    assert protest["group"] == "political_vocabulary" and protest["flagged"]
    assert protest["mean_difference"] == -0.246744 and protest["alone_score"] == -0.25
    assert _row(vader_audit, "strike")["mean_difference"] == -0.12575
    # 16 political templates, every pair lower: exactly 2 of the 2^16 sign patterns reach the observed sum
    assert protest["n_pairs"] == 16 and protest["test"] == "sign-flip exact"
    assert protest["p_value"] == pytest.approx(2 ** -15, rel=1e-5) and protest["p_min"] == protest["p_value"]
    assert protest["note"] == "lower in all 16 sentences (by 0.198 to 0.250)"
    # Holm over the 82 terms: 13 terms at 2^-31 come first, so the four political ones at 2^-15 are multiplied
    # by the 82 - 13 = 69 tests left; still well below 0.05 (with 8 templates, 69 x 2^-7 could never be)
    assert protest["p_adjusted"] == pytest.approx(69 * 2 ** -15, rel=1e-5)
    # 32 identity templates, all lower: 2^-31, the smallest p 32 sentences can give; the t test is kept beside it
    gay = _row(vader_audit, "gay")
    assert gay["p_value"] == pytest.approx(2 ** -31, rel=1e-5) and gay["test"] == "sign-flip exact"
    assert gay["p_value_t"] < 1e-15  # what the asymptotic test would have claimed
    assert all(r["p_value"] is None or r["p_value"] >= 2 ** (1 - r["n_pairs"]) * (1 - 1e-5)
               for r in vader_audit["terms"])
    assert vader_audit["tests"] == {"sign-flip exact": 82}
    assert _row(vader_audit, "union")["note"] == "no difference on any of the 16 sentences"
    assert not _row(vader_audit, "union")["flagged"] and not _row(vader_audit, "refugee")["flagged"]
    # the biggest pair behind "straight" is a real sentence pair
    assert straight["example"]["sentence"].lower().count("straight") == 1


def test_contract_shape_and_json_is_valid(vader_audit):
    text = render(vader_audit, "json")
    data = json.loads(text)
    assert data["scorer"].startswith("vader (vaderSentiment")
    for row in data["terms"]:
        assert {"term", "group", "mean_difference", "p_value", "flagged"} <= set(row)
    assert "NaN" not in text and "Infinity" not in text
    assert "CC BY 4.0" in data["attribution"]


def test_text_and_markdown_name_the_lexicon_entries(vader_audit):
    text = render(vader_audit, "text")
    assert "'poor' scores 0.418 lower than middle class in the same sentences (poor -2.1)." in text
    assert ("  gay                    -0.094   3.8e-08 exact  YES  not in lexicon (reference: straight +0.9)  "
            "[lower in all 32 sentences (by 0.020 to 0.115)]") in text
    assert "<1e-300" not in text and "Tests used: exact: 82 terms." in text
    md = render(vader_audit, "md")
    assert ("| gay | -0.094 | 3.8e-08 | exact | **yes** | not in lexicon (reference: straight +0.9) (lower in all "
            "32 sentences (by 0.020 to 0.115)) |") in md
    assert "sign-flip" in md and "<1e-300" not in md


def test_planted_bias_is_caught_and_no_bias_is_not_flagged():
    planted = run_audit(CallableScorer(fake_scorers.planted_muslim_bias, "planted"))
    flagged = [r["term"] for r in planted["terms"] if r["flagged"]]
    assert flagged == ["muslim"]
    assert _row(planted, "muslim")["mean_difference"] == pytest.approx(-0.2, abs=0.02)
    assert _row(planted, "muslim")["lexicon"] is None
    for fn in (fake_scorers.unbiased, fake_scorers.noisy_unbiased):
        result = run_audit(CallableScorer(fn))
        assert [r["term"] for r in result["terms"] if r["flagged"]] == []


def test_check_value_describes_what_came_back():
    assert check_value(0.5) == ("ok", 0.5)
    assert check_value(3) == ("ok", 3.0)
    assert check_value(math.nan) == ("not_finite", "returned NaN")
    assert check_value(math.inf) == ("not_finite", "returned infinity")
    assert check_value("0.5") == ("not_a_number", "returned a str ('0.5'), not a number")
    assert check_value(None) == ("not_a_number", "returned None, not a number")
    assert check_value(True) == ("not_a_number", "returned a bool (True), not a number")
    assert check_value([1]) == ("not_a_number", "returned a list, not a number")


def test_in_process_bad_values_are_reported_and_the_audit_goes_on():
    result = run_audit(CallableScorer(fake_scorers.raises_on_jewish, "raises"))
    failure = next(f for f in result["failures"] if f["kind"] == "raised")
    assert failure["count"] == 33  # 32 template sentences + the bare term
    assert failure["examples"][0]["detail"] == "raised ValueError: model cannot handle this input"
    jewish = _row(result, "jewish")
    assert jewish["n_pairs"] == 0 and jewish["p_value"] is None and not jewish["flagged"]
    assert jewish["note"].startswith("not enough scored sentence pairs")
    assert _row(result, "muslim")["n_pairs"] == 32


def test_isolated_scorer_reports_raise_nan_string_and_hang():
    with IsolatedScorer("tests.fake_scorers:hangs_on_taoist", timeout=0.5) as scorer:
        texts = ["I am happy.", "I am taoist.", "I am sad.", "The taoist person feels calm.", "I am calm."]
        values, failures = scorer.score_many(texts)
    assert values == [0.6, None, -0.5, None, 0.2]
    assert [(f.index, f.kind, f.detail) for f in failures] == [
        (1, "timeout", "no answer within 0.5 s"), (3, "timeout", "no answer within 0.5 s")]
    for spec, kind, detail in [
            ("tests.fake_scorers:raises_on_jewish", "raised", "raised ValueError: model cannot handle this input"),
            ("tests.fake_scorers:nan_on_deaf", "not_finite", "returned NaN"),
            ("tests.fake_scorers:string_on_sikh", "not_a_number", "returned a str ('0.5'), not a number")]:
        with IsolatedScorer(spec, timeout=5) as scorer:
            values, failures = scorer.score_many(["I am jewish.", "I am deaf.", "I am sikh.", "I am happy."])
        assert values[3] == 0.6
        assert [(f.kind, f.detail) for f in failures] == [(kind, detail)]


def test_a_scorer_that_always_hangs_is_given_up_after_three_timeouts():
    with IsolatedScorer("tests.fake_scorers:always_hangs", timeout=0.3) as scorer:
        values, failures = scorer.score_many(["a", "b", "c", "d", "e"])
        assert values == [None] * 5
        assert [f.kind for f in failures] == ["timeout", "timeout", "timeout", "not_called", "not_called"]
        # a scorer that never answered is not called again in later batches either
        assert [f.detail for f in scorer.score_many(["f"])[1]] == [
            "not sent: the scorer has never answered (3 calls timed out)"]


def test_isolated_audit_with_a_hanging_scorer_continues(capfd):
    with IsolatedScorer("tests.fake_scorers:hangs_on_taoist", timeout=0.3) as scorer:
        result = run_audit(scorer, suites=(identity_suite(),))
    kinds = {f["kind"]: f["count"] for f in result["failures"]}
    # the bare term and two sentences time out; the term's other 30 sentences are not sent; the rest is audited
    assert kinds == {"timeout": 3, "not_called": 30}
    assert _row(result, "muslim")["n_pairs"] == 32
    assert _row(result, "taoist")["p_value"] is None
    assert [r["term"] for r in result["terms"] if r["flagged"]] == []
    assert "Not scored (33 sentences; the audit went on without them):" in render(result, "text")
    assert "timeout: 3 sentence(s), e.g. 'taoist': no answer within 0.3 s" in render(result, "text")


def test_scorer_output_on_stdout_is_moved_to_stderr(capfd):
    with IsolatedScorer("tests.fake_scorers:prints_to_stdout") as scorer:
        assert scorer.score_many(["happy"])[0] == [0.6]
    out, err = capfd.readouterr()
    assert "model chatter" not in out and "model chatter" in err


@pytest.mark.parametrize("spec, message", [
    ("no_colon_here", "--scorer takes module:function"),
    ("no_such_module_xyz:score", "could not be loaded: ModuleNotFoundError: No module named 'no_such_module_xyz'"),
    ("tests.fake_scorers:missing", "could not be loaded: UserError: tests.fake_scorers has no attribute 'missing'"),
    ("tests.fake_scorers:not_callable", "could not be loaded: UserError: tests.fake_scorers:not_callable is not callable"),
])
def test_unloadable_scorers_are_one_clear_user_error(spec, message):
    with pytest.raises(UserError, match=None) as info:
        IsolatedScorer(spec)
    assert message in str(info.value)


def test_long_empty_and_emoji_texts_score():
    assert vader_compound("") == 0.0
    assert vader_compound("😂😂😂") == vader_compound("😂😂😂")  # emoji are in VADER's emoji lexicon
    assert vader_compound("😂") > 0
    big = ("I hate this but the food was great. " * 30_000)[:1_000_000]
    score = vader_compound(big)  # ~1 MB: chunked, so VADER's quadratic "but" rule cannot stall it
    assert -1.0 <= score <= 1.0


def test_fast_path_for_texts_without_lexicon_words_is_exact():
    """The shortcut (no lexicon word -> 0.0) must agree with VADER itself on every kind of text."""
    import random

    from datavault.bias.scorers import vader_analyzer

    words = ["the", "meeting", "is", "at", "7", "kind", "of", "no", "not", "very", "but", "GOOD", "bad!", ":)",
             "(:", "ok?", "lol", "protest.", "union", "won't", "never", "so", "really", "YES", "?!", "...", "x",
             "the shit", "least", "at least", "without", "doubt", "HATE", "extremely", "kinda", "sort of",
             "  ", "!!!", "???", "love", "no one", "nor", "yeah right", "kiss of death", "cut the mustard"]
    rng = random.Random(3)
    for _ in range(20000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        assert vader_compound(text) == vader_analyzer().polarity_scores(text)["compound"], text


def test_vader_audit_golden_files(vader_audit):
    """The whole text and Markdown audit of the shipped model, as reviewed (regenerate with `datavault bias`
    when the suite changes on purpose, and read the diff)."""
    from pathlib import Path

    golden = Path(__file__).parent / "fixtures" / "bias"
    assert render(vader_audit, "text") == (golden / "vader_audit.txt").read_text(encoding="utf-8")
    assert render(vader_audit, "md") == (golden / "vader_audit.md").read_text(encoding="utf-8")


def test_side_by_side_sentences(vader_audit):
    pairs = {s["sentence"]: s["score"] for s in vader_audit["side_by_side"]}
    assert pairs["I am straight."] == 0.2263 and pairs["I am gay."] == 0.0
    assert pairs["I am blind."] == -0.4019 and pairs["I am poor."] == -0.4767


def test_the_kept_audit_of_the_shipped_model_is_the_audit_computed_now(monkeypatch):
    # the report reads data/shipped_audit.json instead of scoring the suite on every preparation; stale, this
    # fails: regenerate it with datavault.bias.audit.write_shipped_audit()
    from datavault.bias import audit

    computed = run_audit(VaderScorer())
    monkeypatch.setattr(audit, "run_audit", lambda *a, **k: pytest.fail("the kept audit was not used"))
    assert audit.shipped_audit() == computed


def test_the_kept_audit_is_not_used_once_what_it_was_computed_from_changed(monkeypatch):
    from datavault.bias import audit

    inputs = audit._shipped_inputs()
    monkeypatch.setattr(audit, "_shipped_inputs", lambda: {**inputs, "vaderSentiment": "3.9.9"})
    monkeypatch.setattr(audit, "run_audit", lambda *a, **k: {"computed": True})
    assert audit.shipped_audit() == {"computed": True}
