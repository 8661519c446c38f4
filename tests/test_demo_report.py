"""The demo vault's report, as JSON, against a golden file (tests/golden/demo_report.json).

The demo persona is deterministic (seed 7), so its report is too. When a demo writer or a rule changes the
report on purpose, regenerate the golden file with ``DATAVAULT_UPDATE_GOLDEN=1 pytest tests/test_demo_report.py``
and review the diff like code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from datavault.demo.persona import PERSONA
from datavault.demo.run import build_demo_vault
from datavault.render import render
from datavault.report import build_report

GOLDEN = Path(__file__).parent / "golden" / "demo_report.json"
NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> dict:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo"))
    return build_report(vault, tz=PERSONA.timezone, now=NOW)


def test_demo_report_matches_golden(demo_report):
    text = render(demo_report, "json")
    if os.environ.get("DATAVAULT_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert json.loads(text) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_demo_report_shows_the_point(demo_report):
    ids = {f["id"] for f in demo_report["findings"]}
    assert {"parent", "closest_ties", "metadata_mirror", "financial_stress"} <= ids
    parent = next(f for f in demo_report["findings"] if f["id"] == "parent")
    assert parent["evidence"] and all(e["source_file"] for e in parent["evidence"])
    assert demo_report["generated"] == "2026-01-01T12:00:00Z"


def test_demo_command_ends_with_the_report(tmp_path):
    from typer.testing import CliRunner

    from datavault.cli import app

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "What a scorer could conclude about you" in result.stdout
    assert (tmp_path / "demo-report.html").stat().st_mode & 0o777 == 0o600


def test_redacted_demo_report_leaks_no_name(tmp_path):
    import re
    import sqlite3

    vault, _ = build_demo_vault(tmp_path)
    conn = sqlite3.connect(vault)
    names = {r[0] for r in conn.execute("SELECT DISTINCT sender FROM messages WHERE from_owner IS NOT 1 "
                                        "AND platform != 'gmail'")}
    # a mail's sender is mostly a business ("Baby Shop Orders <orders@...>"): its address must not show
    pages = {r[0].rpartition("<")[2].rstrip(">") for r in conn.execute(
        "SELECT DISTINCT sender FROM messages WHERE platform = 'gmail' AND sender LIKE '%<%'")}
    names |= {r[0] for r in conn.execute("SELECT DISTINCT name FROM people WHERE relation != 'following'")}
    # pages a person follows ("GMB Union") are organisations: their whole name must not show, but their words
    # ("union") are the report's own vocabulary
    pages |= {r[0] for r in conn.execute("SELECT DISTINCT name FROM people WHERE relation = 'following'")}
    conn.close()
    names = {n for n in names if n}
    assert len(names) >= 3
    for fmt in ("html", "text"):
        doc = render(build_report(vault, tz=PERSONA.timezone, redact=True), fmt)
        for page in pages:
            assert page.lower() not in doc.lower(), (page, fmt)
        for name in names:
            for part in [name] + [w for w in name.split() if len(w) >= 3]:
                assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", doc, re.IGNORECASE), (part, fmt)


# -- datavault evidence (issue 19.5): all of a finding's records, where the report shows a few


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory) -> Path:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo-evidence"))
    return vault


def _evidence(vault: Path, *args: str):
    from typer.testing import CliRunner

    from datavault.cli import app

    return CliRunner().invoke(app, ["--vault", str(vault), "evidence", *args, "--tz", PERSONA.timezone])


def test_evidence_lists_every_record_the_report_counts(demo_vault):
    report = build_report(demo_vault, tz=PERSONA.timezone, now=NOW)
    parent = next(f for f in report["findings"] if f["id"] == "parent")
    result = _evidence(demo_vault, "parent", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    own = [r for r in rows if r["table"] != "platform_inferences"]
    assert len(own) == parent["evidence_total"] > len([e for e in parent["evidence"]
                                                       if e["table"] != "platform_inferences"])
    shown = {(e["table"], e["source_file"], e["locator"]) for e in parent["evidence"]}
    assert shown <= {(r["table"], r["source_file"], r["locator"]) for r in rows}
    assert list(rows[0]) == ["table", "time", "source_file", "locator", "excerpt"]


def test_evidence_reads_all_hits_where_the_report_samples(demo_vault, monkeypatch):
    from datavault.findings import engine

    exact = len([line for line in _evidence(demo_vault, "parent", "--format", "jsonl").stdout.splitlines()
                 if '"platform_inferences"' not in line])
    monkeypatch.setattr(engine, "SAMPLE", 5)  # the report now reads a hashed sample of the word index's hits
    sampled = next(f for f in build_report(demo_vault, tz=PERSONA.timezone, now=NOW, use_cache=False)["findings"]
                   if f["id"] == "parent")
    assert sampled["measures"].get("sampled") or sampled["evidence_total"] != exact
    again = [line for line in _evidence(demo_vault, "parent", "--format", "jsonl").stdout.splitlines()
             if '"platform_inferences"' not in line]
    assert len(again) == exact


def test_evidence_of_an_unknown_or_unsupported_finding_says_so(demo_vault):
    unknown = _evidence(demo_vault, "nonsense")
    assert unknown.exit_code == 1 and "No finding is called 'nonsense'. Finding ids: association," in unknown.stderr
    absent = _evidence(demo_vault, "sexual_orientation")
    assert absent.exit_code == 1 and "The report has no finding 'sexual_orientation' for this vault" in absent.stderr
    csv_out = _evidence(demo_vault, "health", "--format", "csv")
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0] == '"table","time","source_file","locator","excerpt"'


def test_the_report_says_how_to_see_all_of_a_findings_records(demo_report):
    parent = next(f for f in demo_report["findings"] if f["id"] == "parent")
    line = f"{len(parent['evidence'])} of {parent['evidence_total']} records shown; all of them: "
    assert line + "`datavault evidence parent`." in render(demo_report, "md")
    assert line + "<code>datavault evidence <bdi>parent</bdi></code>" in render(demo_report, "html")


def test_the_demo_shows_jordan_as_one_person_on_four_platforms(demo_vault):
    """Issue 17.4: the demo listed "Jordan Lee (whatsapp)" and "Jordan Lee (facebook)" as two ties."""
    from datavault.people import list_persons

    jordans = [p for p in list_persons(demo_vault) if p.name == "Jordan Lee"]
    assert len(jordans) == 1
    assert {i.platform for i in jordans[0].identities} == {"facebook", "google", "instagram", "whatsapp"}
    assert "same phone +44 7700 900201" in jordans[0].reasons
    ties = next(f for f in build_report(demo_vault, tz=PERSONA.timezone, now=NOW)["findings"]
                if f["id"] == "closest_ties")
    assert [d["contact"] for d in ties["details"]].count("Jordan Lee") == 1
