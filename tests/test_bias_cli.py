"""`datavault bias` on the command line: the contract's JSON, readable text, one-line errors."""

import json

from typer.testing import CliRunner

from datavault.cli import app

runner = CliRunner()


def test_bias_json_follows_the_contract():
    result = runner.invoke(app, ["bias", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["scorer"].startswith("vader (vaderSentiment 3.3.2")
    gay = next(t for t in data["terms"] if t["term"] == "gay")
    assert (gay["group"], gay["flagged"], gay["mean_difference"]) == ("sexual_orientation", True, -0.093988)
    # exact sign-flip p: all 32 sentences lower, 2 of 2^32 patterns; never an asymptotic 1e-18
    assert gay["test"] == "sign-flip exact" and gay["p_value"] == 4.65661e-10 and gay["p_min"] == 4.65661e-10
    assert "t test" not in data["method"] or "sign-flip" in data["method"]


def test_bias_text_and_markdown():
    text = runner.invoke(app, ["bias"]).stdout
    assert text.startswith("Identity-term bias audit of: vader")
    assert "17 of 82 terms flagged." in text
    md = runner.invoke(app, ["bias", "--format", "md"]).stdout
    assert md.startswith("# Identity-term bias audit")


def test_brought_scorer_with_planted_bias(monkeypatch):
    result = runner.invoke(app, ["bias", "--scorer", "tests.fake_scorers:planted_muslim_bias", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scorer"] == "tests.fake_scorers:planted_muslim_bias"
    assert [t["term"] for t in data["terms"] if t["flagged"]] == ["muslim"]


def test_unloadable_scorer_is_one_line_and_exit_1():
    result = runner.invoke(app, ["bias", "--scorer", "no_such_module_xyz:score"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Error: the scorer no_such_module_xyz:score could not be loaded" in result.stderr
    assert "Traceback" not in result.stderr
    bad = runner.invoke(app, ["bias", "--scorer", "nocolon"])
    assert bad.exit_code == 1 and "--scorer takes module:function" in " ".join(bad.stderr.split())
    assert runner.invoke(app, ["bias", "--scorer", "tests.fake_scorers:unbiased", "--timeout", "0"]).exit_code == 1


def test_bias_help():
    result = runner.invoke(app, ["bias", "--help"])
    assert result.exit_code == 0 and "--scorer" in result.stdout


def test_no_network_for_the_audit_and_a_brought_scorer(network_attempts, tmp_path):
    """With socket creation refused, the shipped audit, a brought scorer (worker process and its pipes) and the
    sentiment of own words all still run: none of them needs a socket."""
    from datavault.expression.sentiment import OwnText, analyse

    assert runner.invoke(app, ["bias", "--format", "json"]).exit_code == 0
    result = runner.invoke(app, ["bias", "--scorer", "tests.fake_scorers:unbiased", "--format", "json"])
    assert result.exit_code == 0, result.output
    items = [OwnText("messages", "message", "2024-01-01T10:00:00", "whatsapp", "I love it", "f", "line 1")] * 10
    assert analyse(items, workers=2)["assessed"] == 10
    assert network_attempts == []


def test_the_example_scorer_for_workshops_runs_from_a_file_path():
    result = runner.invoke(app, ["bias", "--scorer", "examples/scorers/my_scorer.py:score", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["failures"] == [] and [t["term"] for t in data["terms"] if t["flagged"]] == []


def test_a_workshop_suite_in_another_language(tmp_path):
    """German terms and templates from a folder; the political files still come from the shipped suite."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "identity_terms.csv").write_text(
        "# a German list for a workshop\nterm,group,reference,source\nheterosexuell,orientierung,yes,workshop\n"
        "schwul,orientierung,no,workshop\ngroß,control,no,workshop\n", encoding="utf-8")
    (suite / "templates.csv").write_text("id,template\nich_bin,Ich bin {term}.\nfreund,Mein Freund ist {term}.\n"
                                         "fuehlt,Die {term} Person fühlt sich {feeling}.\n", encoding="utf-8")
    (suite / "fillers.csv").write_text("slot,filler\nfeeling,gut\nfeeling,schlecht\n", encoding="utf-8")
    result = runner.invoke(app, ["bias", "--suite", str(suite), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    schwul = next(t for t in data["terms"] if t["term"] == "schwul")
    assert schwul["reference"] == ["heterosexuell"] and schwul["n_pairs"] == 4 and schwul["source"] == "workshop"
    assert any(t["term"] == "protest" for t in data["terms"])


def test_a_broken_suite_is_one_clear_error(tmp_path):
    (tmp_path / "templates.csv").write_text("id,text\nx,I am {term}.\n", encoding="utf-8")
    result = runner.invoke(app, ["bias", "--suite", str(tmp_path)])
    assert result.exit_code == 1
    assert "lacks the column(s) template (expected: id, template)" in " ".join(result.stderr.split())
    (tmp_path / "templates.csv").write_text("id,template\nx,I feel {feeling} as {a_term}.\n", encoding="utf-8")
    (tmp_path / "fillers.csv").write_text("slot,filler\nquality,good\n", encoding="utf-8")
    result = runner.invoke(app, ["bias", "--suite", str(tmp_path)])
    assert result.exit_code == 1 and "fillers.csv has no feeling rows" in " ".join(result.stderr.split())
    assert runner.invoke(app, ["bias", "--suite", str(tmp_path / "nope")]).exit_code == 1
