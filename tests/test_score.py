"""The score counts only assessed findings and says how much of its formula rests on real data; with nothing
assessed it gives no number."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from datavault.cli import app
from datavault.records import Message, ProfileFact
from datavault.report import build_report, build_score
from datavault.score import compute_score, load_profile
from tests.ties_vault import chat_records
from tests.vaultkit import make_vault

PROFILE = {"name": "t", "title": "t", "base": 500, "min": 350, "max": 950,
           "strength": {"weak": 0.5, "moderate": 1.0, "strong": 2.0},
           "weight": [{"finding": "a", "points": 40}, {"finding": "b", "points": -60},
                      {"finding": "c", "points": 100}, {"finding": "d", "points": 20}]}


def test_coverage_counts_found_and_clear_and_nothing_else():
    found = [{"id": "a", "strength": "strong"}]
    s = compute_score(found, PROFILE, not_assessed=["c"], clear=["b"])
    assert s["value"] == 580 and s["status"] == "scored"
    assert [p["status"] for p in s["parts"]] == ["found", "not found", "not assessed", "not assessed"]
    assert s["coverage"] == {
        "assessed": 2, "weighted": 4, "assessed_weight": 100, "total_weight": 220, "share": 0.45,
        "not_assessed": ["c", "d"],
        "text": "This score rests on 2 of the profile's 4 weighted findings (45 % of its weight); 2 could not be "
                "assessed from your data."}
    assert {"profile", "value", "parts"} <= set(s)
    assert all({"finding", "points"} <= set(p) for p in s["parts"])
    # without a clear list (older callers) a finding not found and not in not_assessed counts as looked for
    assert compute_score(found, PROFILE, not_assessed=["c"])["coverage"]["assessed"] == 3


def test_nothing_assessed_is_no_score():
    s = compute_score([], PROFILE, not_assessed=["a", "b"], clear=[])
    assert s["value"] is None and s["status"] == "not scored"
    assert s["reason"].startswith("none of the findings this profile weighs could be assessed: a, b, c, d")
    assert s["coverage"]["assessed"] == 0 and s["coverage"]["share"] == 0.0
    assert s["formula"].startswith("not scored: None of the profile's 4 weighted findings")


def _profile_file(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('name = "p"\nbase = 600\n[strength]\nweak = 0.5\nmoderate = 1\nstrong = 2\n'
                    '[[weight]]\nfinding = "personal_exposure"\npoints = 40\n'
                    '[[weight]]\nfinding = "closest_ties"\npoints = 20\n'
                    '[[weight]]\nfinding = "association"\npoints = -50\n'
                    '[[weight]]\nfinding = "home_work"\npoints = 70\n', encoding="utf-8")
    return path


def test_coverage_on_a_seeded_vault(tmp_path):
    """Profile facts only: personal_exposure is assessed; chats and locations were never imported."""
    facts = [ProfileFact(platform="facebook", field=f, value=v, source_file="personal_information/p.json", key=(f,))
             for f, v in (("phone", "+44 7700 900123"), ("email", "a@example.org"), ("birthday", "1988-04-17"))]
    vault = make_vault(tmp_path / "v.sqlite", facts)
    s = build_score(vault, tz="UTC", profile=str(_profile_file(tmp_path)))["score"]
    assert s["coverage"] == {
        "assessed": 1, "weighted": 4, "assessed_weight": 40, "total_weight": 180, "share": 0.22,
        "not_assessed": ["closest_ties", "association", "home_work"],
        "text": "This score rests on 1 of the profile's 4 weighted findings (22 % of its weight); 3 could not be "
                "assessed from your data."}
    exposure = next(p for p in s["parts"] if p["finding"] == "personal_exposure")
    assert s["value"] == 600 + exposure["points"]


def test_coverage_on_the_chat_vault(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", chat_records())
    s = build_score(vault, tz="UTC", profile=str(_profile_file(tmp_path)))["score"]
    # closest_ties (weak: 20 x 0.5) and association (weak: -50 x 0.5) are assessed; exposure, home_work not
    assert (s["coverage"]["assessed"], s["coverage"]["assessed_weight"], s["coverage"]["share"]) == (2, 70, 0.39)
    assert s["coverage"]["not_assessed"] == ["personal_exposure", "home_work"]
    assert s["value"] == 600 + 10 - 25
    assert build_report(vault, tz="UTC", profile=str(_profile_file(tmp_path)))["score"]["coverage"] == s["coverage"]


runner = CliRunner()


def test_three_messages_cannot_be_scored(tmp_path):
    f = "WhatsApp Chat with Jordan Lee.txt"
    msgs = [Message(time=f"2024-05-0{i + 1}T10:00:00", platform="whatsapp", conversation="Jordan Lee",
                    sender="Jordan Lee" if i % 2 else "Sam", text="hi there", from_owner=not i % 2,
                    source_file=f, locator=f"line {i + 1}", key=(i,)) for i in range(3)]
    vault = make_vault(tmp_path / "v.sqlite", msgs)
    custom = str(_profile_file(tmp_path))
    result = runner.invoke(app, ["--vault", str(vault), "score", "--format", "json", "--profile", custom])
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)["score"]
    assert s["value"] is None and s["status"] == "not scored" and s["coverage"]["assessed"] == 0
    text = runner.invoke(app, ["--vault", str(vault), "score", "--profile", custom])
    assert text.exit_code == 0
    flat = " ".join(text.stdout.split())
    assert "p: not scored" in flat and "No score: none of the findings this profile weighs" in flat
    assert "not assessed: closest_ties: 3 one-to-one messages over 3 days" in flat
    report = build_report(vault, tz="UTC", profile=custom)
    from datavault.render import render
    for fmt in ("text", "md", "html"):
        assert "not scored" in render(report, fmt), fmt


def test_the_shipped_profiles_say_their_coverage(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", chat_records())
    for name in ("sesame-like", "landlord", "insurer"):
        s = build_score(vault, tz="UTC", profile=name)["score"]
        weighted = len(load_profile(name)["weight"])
        assert s["coverage"]["weighted"] == weighted
        assert s["coverage"]["assessed"] + len(s["coverage"]["not_assessed"]) == weighted
        expected = (f"This score rests on {s['coverage']['assessed']} of the profile's {weighted} weighted findings"
                    if s["coverage"]["assessed"] else
                    f"None of the profile's {weighted} weighted findings could be assessed from your data")
        assert s["coverage"]["text"].startswith(expected)
