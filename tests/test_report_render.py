"""Rendering the report: HTML escaping and CSP, Markdown and text safety, redaction, empty and single-source
vaults, user rules, scorer profiles, private files, and the report/score commands."""

from __future__ import annotations

import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.errors import UserError
from datavault.records import Activity, Message
from datavault.render import render
from datavault.render.html import CSP, STYLE, STYLE_HASH
from datavault.report import build_report, build_score
from tests.seed import rich_vault, seeded_vault
from tests.vaultkit import make_vault

EVIL_NAME = "Eve <script>alert(1)</script>"
RTL = "\u202egnp.exe"
HUGE = "payday loan " + "A" * 1_000_000


def hostile_records():
    """Hostile text in every field, in a vault large enough for findings to show it (issue 13's minimums: 50
    own texts over 14 days; 3 supporting records on 2 days)."""
    out = []
    for day in range(1, 4):
        out += [
            Message(time=f"2024-05-0{day}T10:00:00", platform="whatsapp", conversation=EVIL_NAME, sender=EVIL_NAME,
                    text='<img src=x onerror=alert(1)> <a href="javascript:alert(2)">click</a>', from_owner=False,
                    source_file="chat.txt", locator=f"line {10 * day + 1}", key=(day, 1)),
            Message(time=f"2024-05-0{day}T10:01:00", platform="whatsapp", conversation=EVIL_NAME, sender="Me",
                    text=f"[bold red]my nappies[/bold red] {RTL} </script><script>alert(3)</script> " + HUGE,
                    from_owner=True, source_file="chat.txt", locator=f"line {10 * day + 2}", key=(day, 2)),
            Activity(time=f"2024-05-0{day}T11:00:00Z", platform="google", product="Search", action="searched",
                     title='Searched for diabetes "><svg onload=alert(4)>', url="javascript:alert(5)",
                     source_file='My Activity/<b>Search</b>.json', locator=f"[{day}]", key=(day, 3)),
        ]
    return out + padding(EVIL_NAME, "Me")


def searches(n: int) -> list:
    """``n`` ordinary searches over 30 days."""
    return [Activity(time=f"2024-04-{1 + i // 2:02d}T{9 + i % 2 * 9}:00:00Z", platform="google", product="Search",
                     action="searched", title="Searched for weather in Leeds tomorrow", source_file="s.json",
                     locator=f"[{100 + i}]", key=("pad-s", i)) for i in range(n)]


def padding(conversation: str, me: str, n: int = 60) -> list:
    """``n`` ordinary own messages over 30 days in ``conversation``."""
    return [Message(time=f"2024-04-{1 + i // 2:02d}T{9 + i % 2 * 9}:00:00", platform="whatsapp",
                    conversation=conversation, sender=me, text="See you at the station later, the usual time",
                    from_owner=True, source_file="chat.txt", locator=f"line {1000 + i}", key=("pad", i))
            for i in range(n)]


@pytest.fixture
def hostile(tmp_path) -> Path:
    return make_vault(tmp_path / "v.sqlite", hostile_records())


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_escapes_everything_imported(hostile):
    doc = render(build_report(hostile, tz="UTC"), "html")
    parser = Collect()
    parser.feed(doc)
    tags = {t for t, _ in parser.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    # the only links are the page's own: contents and conclusions lead to a section or a card (issue 19.4)
    links = [attrs for t, attrs in parser.tags if t == "a"]
    assert links and all(set(a) == {"href"} and re.fullmatch(r"#[a-z0-9_-]+", a["href"]) for a in links), links
    for _, attrs in parser.tags:
        assert not any(k.startswith("on") for k in attrs), attrs
        assert not any("javascript:" in (v or "") for k, v in attrs.items() if k in ("href", "src", "action"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "\u202e" not in doc and "[U+202E]" in doc
    assert len(doc) < 400_000  # the 1 MB message is cut to an excerpt


def test_html_csp_forbids_external_resources(hostile):
    doc = render(build_report(hostile, tz="UTC"), "html")
    meta = re.search(r'<meta http-equiv=\'Content-Security-Policy\' content="([^"]+)">', doc)
    assert meta and meta.group(1) == CSP
    assert "default-src 'none'" in CSP and "script-src 'none'" in CSP and "unsafe-inline" not in CSP
    import base64, hashlib
    assert base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() == STYLE_HASH
    assert f"<style>{STYLE}</style>" in doc
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", doc)
    assert "@import" not in doc and "url(" not in doc
    assert " style=" not in doc  # inline style attributes would be blocked by the hash-only policy


def test_markdown_and_text_escape(hostile):
    report = build_report(hostile, tz="UTC")
    md = render(report, "md")
    assert "<script>" not in md and "<img" not in md and "<svg" not in md
    assert "\u202e" not in md
    text = render(report, "text")
    assert "\u202e" not in text
    assert "Eve" in text  # shown, as plain text
    assert "[bold red]my nappies[/bold red]" in text  # rich markup in a message is text, not styling


def test_json_is_valid_and_keeps_text_as_data(hostile):
    data = json.loads(render(build_report(hostile, tz="UTC"), "json"))
    assert data["schema"] == "datavault-report/1"
    assert {f["id"] for f in data["findings"]} >= {"parent", "financial_stress"}


def vault_names(vault: Path) -> set[str]:
    import sqlite3
    conn = sqlite3.connect(vault)
    names = {r[0] for r in conn.execute("SELECT name FROM people")}
    names |= {r[0] for r in conn.execute("SELECT sender FROM messages WHERE from_owner IS NOT 1")}
    names |= {r[0] for r in conn.execute(
        "SELECT conversation FROM messages GROUP BY conversation "
        "HAVING count(DISTINCT CASE WHEN from_owner IS NOT 1 THEN sender END) <= 1 AND platform != 'gmail'")}
    conn.close()
    return {n for n in names if n and "@" not in n}


@pytest.mark.parametrize("fmt", ["html", "md", "json", "text"])
def test_redaction_never_leaks_a_name(tmp_path, fmt):
    vault = rich_vault(tmp_path / "v.sqlite")
    doc = render(build_report(vault, tz="Europe/London", redact=True), fmt)
    names = vault_names(vault)
    assert names >= {"Jordan Lee", "Priya Shah", "Tom Okafor", "Ana Costa"}
    for name in names:
        for part in [name] + [w for w in name.split() if len(w) >= 3]:
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", doc, re.IGNORECASE), (part, fmt)
    for number in ("7700 900123", "7700 900201", "sam.rivera@example.org", "ana.costa@example.pt"):
        assert number not in doc
    assert "Contact 1" in doc
    assert "Sam Rivera" not in doc
    from datavault.findings.ruleset import load_rules

    assert load_rules().version in doc or fmt in ("text", "md")  # the rules version is not a phone number


def test_redaction_is_stable(tmp_path):
    vault = rich_vault(tmp_path / "v.sqlite")
    a = build_report(vault, tz="UTC", redact=True, now=None)
    b = build_report(vault, tz="UTC", redact=True, now=None)
    a.pop("generated"), b.pop("generated")
    assert a == b
    top = a["charts"]["top_contacts"]
    assert [c["contact"] for c in top] == ["Contact 1", "Contact 2"]  # Jordan (4 messages), then Priya


def test_empty_vault_renders_and_says_what_was_not_assessed(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", [])
    report = build_report(vault, tz="UTC")
    assert report["findings"] == []
    ids = [n["id"] for n in report["not_assessed"]]
    assert ids == ["screen_time", "parent", "closest_ties", "metadata_mirror", "association", "home_work",
                   "uniqueness", "sensitive_places", "daily_schedule", "health", "religion", "sexual_orientation", "ethnic_origin",
                   "trade_union", "political_expression", "financial_stress", "personal_exposure",
                   "platform_conclusions", "mood_trajectory"]
    assert next(n for n in report["not_assessed"] if n["id"] == "home_work")["reason"].startswith(
        "no location history imported")
    for fmt in ("html", "md", "json", "text"):
        doc = render(report, fmt)
        assert "no location history imported" in doc
    assert report["score"]["value"] is None and report["score"]["status"] == "not scored"


def test_single_source_vault(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", [
        Message(time="2024-05-01T10:00:00", platform="whatsapp", conversation="Jordan Lee", sender="Jordan Lee",
                text="hi", from_owner=False, source_file="c.txt", locator="line 1", key=(1,)),
        Message(time="2024-05-01T10:01:00", platform="whatsapp", conversation="Jordan Lee", sender="Sam",
                text="hello", from_owner=True, source_file="c.txt", locator="line 2", key=(2,)),
    ])
    report = build_report(vault, tz="UTC")
    # two messages say nothing about anyone: every finding is not assessed, with its reason
    assert report["findings"] == []
    reasons = {n["id"]: n["reason"] for n in report["not_assessed"]}
    assert {"closest_ties", "metadata_mirror", "parent", "mood_trajectory", "home_work"} <= set(reasons)
    assert reasons["closest_ties"].startswith("2 one-to-one messages over 1 day")
    assert "Not assessed" in render(report, "html")


def test_user_rules_add_words(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", searches(60) + [
        Activity(time=f"2024-05-0{day}T11:00:00Z", platform="google", product="Search", action="searched",
                 title="Searched for kindergeld antrag", source_file="s.json", locator=f"[{day}]", key=(1, day))
        for day in range(1, 4)])
    assert "parent" not in {f["id"] for f in build_report(vault, tz="UTC")["findings"]}
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "german.toml").write_text(
        'version = "1"\n[lexicon.parenthood]\n[[lexicon.parenthood.entry]]\n'
        'terms = ["kindergeld"]\nsource = "workshop, Berlin"\n', encoding="utf-8")
    report = build_report(vault, tz="UTC", rules_dir=rules)
    parent = {f["id"]: f for f in report["findings"]}["parent"]
    assert parent["evidence"][0]["excerpt"] == "Searched for kindergeld antrag"
    assert report["rules_version"].endswith("+german-1")
    (rules / "bad.toml").write_text('[lexicon.x]\n[[lexicon.x.entry]]\nterms = ["y"]\n', encoding="utf-8")
    with pytest.raises(UserError, match="needs a source"):
        build_report(vault, tz="UTC", rules_dir=rules)


def test_profiles_judge_the_same_data_differently(tmp_path):
    vault = rich_vault(tmp_path / "v.sqlite")
    scores = {p: build_score(vault, tz="Europe/London", profile=p)["score"] for p in ("sesame-like", "landlord", "insurer")}
    assert len({s["value"] for s in scores.values()}) == 3
    s = scores["insurer"]
    health = next(p for p in s["parts"] if p["finding"] == "health")
    assert health == {"finding": "health", "points": -61, "weight": -180, "strength": "weak", "factor": 0.34,
                      "why": health["why"], "found": True, "status": "found"}
    orientation = next(p for p in s["parts"] if p["finding"] == "sexual_orientation")
    assert (orientation["points"], orientation["status"]) == (0, "not found")
    assert s["formula"].startswith("700 - 61 (health: -180 x 0.34 weak)")
    assert "ILLUSTRATION" in s["label"]
    custom = tmp_path / "mine.toml"
    custom.write_text('name = "mine"\nbase = 900\n[strength]\nweak = 1\nmoderate = 1\nstrong = 1\n'
                      '[[weight]]\nfinding = "parent"\npoints = 500\n', encoding="utf-8")
    assert build_score(vault, tz="UTC", profile=str(custom))["score"]["value"] == 950  # clamped
    with pytest.raises(UserError, match="no such profile"):
        build_score(vault, tz="UTC", profile="nonsense")


runner = CliRunner()


def test_cli_report_writes_private_file(tmp_path):
    vault = rich_vault(tmp_path / "v.sqlite")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["--vault", str(vault), "report", "--format", "html", "--out", str(out),
                                 "--tz", "Europe/London", "--redact"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Jordan" not in out.read_text(encoding="utf-8")


def test_cli_report_json_and_score(tmp_path):
    vault = rich_vault(tmp_path / "v.sqlite")
    result = runner.invoke(app, ["--vault", str(vault), "report", "--format", "json", "--tz", "UTC"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["score"]["profile"] == "sesame-like"
    result = runner.invoke(app, ["--vault", str(vault), "score", "--format", "json", "--profile", "landlord"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["score"]["profile"] == "landlord"
    result = runner.invoke(app, ["--vault", str(vault), "score", "--profile", "landlord"])
    assert "formula" in result.stdout and "ILLUSTRATION" in result.stdout


def test_cli_bad_rules_folder_is_one_line(tmp_path):
    vault = rich_vault(tmp_path / "v.sqlite")
    result = runner.invoke(app, ["--vault", str(vault), "report", "--rules", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "not a folder" in result.output


def test_cli_report_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["--vault", str(tmp_path / "missing.sqlite"), "report"])
    assert result.exit_code == 1
    vault = rich_vault(tmp_path / "v.sqlite")
    result = runner.invoke(app, ["--vault", str(vault), "report", "--tz", "Mars/Olympus"])
    assert result.exit_code == 1
    assert "unknown time zone" in result.output and "Traceback" not in result.output


def test_forget_drops_the_word_index(tmp_path):
    import sqlite3
    from datavault.forgetting import forget_source
    vault = rich_vault(tmp_path / "v.sqlite")
    build_report(vault, tz="UTC")
    conn = sqlite3.connect(vault)
    assert conn.execute("SELECT count(*) FROM dv_text_index_state").fetchone()[0] == 4
    source_id = conn.execute("SELECT id FROM sources").fetchone()[0]
    conn.close()
    forget_source(vault, source_id)
    conn = sqlite3.connect(vault)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'dv_text_index%'").fetchone()[0] == 0
    conn.close()
    assert build_report(vault, tz="UTC")["findings"] == []


def test_index_catches_up_after_a_second_import(tmp_path):
    vault = make_vault(tmp_path / "v.sqlite", searches(60))
    assert "health" not in {f["id"] for f in build_report(vault, tz="UTC")["findings"]}
    make_vault(vault, [Activity(time=f"2024-05-0{day}T11:00:00Z", platform="google", product="Search",
                                action="searched", title="Searched for asthma inhaler", source_file="s2.json",
                                locator=f"[{day}]", key=(2, day)) for day in range(1, 4)], label="second")
    health = {f["id"]: f for f in build_report(vault, tz="UTC")["findings"]}["health"]
    assert health["evidence"][0]["excerpt"] == "Searched for asthma inhaler"


def test_read_only_vault_still_reports(tmp_path):
    """A vault opened read-only keeps the derived data in memory for the run and caches nothing."""
    import sqlite3

    from datavault.findings.clock import resolve_zone
    from datavault.findings.ruleset import load_rules
    from datavault.report import compute_findings
    vault = rich_vault(tmp_path / "v.sqlite")
    conn = sqlite3.connect(f"file:{vault}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    body = compute_findings(conn, load_rules(), resolve_zone("Europe/London"))
    conn.close()
    assert "parent" in {f["id"] for f in body["findings"]}
    conn = sqlite3.connect(vault)
    # nothing derived was written: only the table the view ``people`` reads exists, as the vault was made: empty
    assert conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'dv_%'").fetchall() == [("dv_person_rows",)]
    assert conn.execute("SELECT count(*) FROM dv_person_rows").fetchone()[0] == 0
    conn.close()


def test_a_plugged_in_provider_appears_in_the_report(tmp_path):
    from datavault.findings import PROVIDERS, register_provider
    from datavault.findings.model import Evidence, Finding

    def mood(ctx):
        n = ctx.q("SELECT count(*) FROM messages WHERE from_owner = 1")[0][0]
        yield Finding(id="mood", title="Mood of your own messages", category="personal_information",
                      statement=f"{n} own messages scored", strength="weak", measures={"messages": n},
                      evidence=[Evidence("messages", None, "x.txt", None, "example")], rule="r", remedy="m")

    register_provider(mood)
    try:
        vault = rich_vault(tmp_path / "v.sqlite")
        report = build_report(vault, tz="UTC")
        assert report["findings"][-1]["id"] == "mood"
        assert report["findings"][-1]["measures"] == {"messages": 84}
    finally:
        PROVIDERS.remove(mood)


def test_redaction_replaces_addresses_and_numbers(tmp_path):
    from datavault.records import ProfileFact
    vault = make_vault(tmp_path / "v.sqlite", [
        ProfileFact(platform="facebook", field="address", value="Flat 2, Hyde Park Corner, Leeds",
                    source_file="profile.json", key=("address",)),
        ProfileFact(platform="google", field="ip_address", value="203.0.113.7", source_file="p.json", key=("ip",)),
    ] + [Message(time=f"2024-05-0{day}T10:00:00", platform="whatsapp", conversation="Jordan Lee", sender="Me",
                 text="nappies to 14 Church Street please, or ring 0113 496 0000", from_owner=True,
                 source_file="c.txt", locator=f"line {day}", key=(day,)) for day in range(1, 4)]
      + padding("Jordan Lee", "Me"))
    doc = render(build_report(vault, tz="UTC", redact=True), "json")
    for secret in ("Hyde Park Corner", "203.0.113.7", "14 Church Street", "0113 496 0000", "Jordan"):
        assert secret not in doc, secret
    assert "[address 1]" in doc and "[ip 1]" in doc and "[phone 1]" in doc


def test_score_computes_only_what_its_profile_weighs(tmp_path):
    import sqlite3
    vault = rich_vault(tmp_path / "v.sqlite")
    only_parent = tmp_path / "p.toml"
    only_parent.write_text('name = "p"\nbase = 600\n[strength]\nweak = 0.5\nmoderate = 1\nstrong = 2\n'
                           '[[weight]]\nfinding = "parent"\npoints = 10\n', encoding="utf-8")
    result = build_score(vault, tz="UTC", profile=str(only_parent))
    assert result["score"]["value"] == 620  # parent is strong in the rich seed: 600 + 10 x 2
    assert [f["id"] for f in result["findings"]] == ["parent"]
    conn = sqlite3.connect(vault)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'dv_report_cache'").fetchone()[0] == 0
    conn.close()
    build_report(vault, tz="UTC")  # a full report fills the cache; the score then reads it
    assert build_score(vault, tz="UTC", profile=str(only_parent))["score"]["value"] == 620


def test_the_report_reads_a_bounded_part_of_each_record(tmp_path, monkeypatch):
    """Issue 20.5: a 64 MB "message" made the report hold it whole several times over (460 MB in the sample of
    each chat's language alone). The report reads the first READ_CHARS of a record; the vault keeps it whole."""
    import sqlite3

    from datavault import limits
    from datavault.findings import textindex
    from datavault.records import Message

    monkeypatch.setattr(limits, "READ_CHARS", 40)
    text = "early words about nappies " + "filler " * 20 + "late words about payday loans"
    vault = make_vault(tmp_path / "v.sqlite", [Message(time="2024-05-01T10:00:00", platform="whatsapp",
                                                       conversation="Ana", sender="Ana", text=text, key=(1,))])
    conn = sqlite3.connect(vault)
    textindex.refresh(conn)
    hits = textindex.hits_sql("main", "messages")
    assert conn.execute(f"SELECT count(*) FROM ({hits})", ("nappies",)).fetchone()[0] == 1
    assert conn.execute(f"SELECT count(*) FROM ({hits})", ("payday",)).fetchone()[0] == 0
    assert conn.execute("SELECT text FROM rec_messages").fetchone()[0] == text  # kept whole


def test_the_word_index_holds_an_activitys_channel_and_app_but_not_googles_boilerplate(tmp_path):
    """The screen-time classes match an activity's channel name and app package in ``extra``; which Google setting
    saved it, its location note, the redirect of its url and the HTML timestamp as written are not indexed (a
    third of the word index's time on My Activity). An ``extra`` that is no JSON is indexed as it is."""
    import sqlite3

    from datavault.findings import textindex
    from datavault.records import Activity

    def watch(n: int, extra) -> Activity:
        return Activity(time=f"2024-05-0{n}T10:00:00Z", platform="google", product="YouTube", action="watched",
                        title=f"Watched episode {n}", url=f"https://www.youtube.com/watch?v=v{n}", key=(n,),
                        extra=extra)

    vault = make_vault(tmp_path / "v.sqlite", [
        watch(1, {"header": "YouTube", "subtitles": [{"name": "Minecraft Daily", "url": "https://youtube.com/c/x"}],
                  "app": "com.supercell.clashofclans", "activityControls": ["YouTube watch history"],
                  "locationInfos": [{"name": "At this general area", "source": "From your device"}],
                  "titleUrl": "https://www.google.com/url?q=https://www.youtube.com/watch?v%3Dv1&usg=AOvVaw9",
                  "time_text": "1 May 2024, 10:00:00 UTC", "time_basis": "zone"}),
        watch(2, None)])
    conn = sqlite3.connect(vault)
    conn.execute("UPDATE rec_activities SET extra = 'not json: wildcard' WHERE title = 'Watched episode 2'")
    textindex.refresh(conn)
    hits = textindex.hits_sql("main", "activities")

    def found(query: str) -> int:
        return conn.execute(f"SELECT count(*) FROM ({hits})", (query,)).fetchone()[0]

    for kept in ('"minecraft daily"', '"com supercell"', "episode", "youtube", "wildcard"):
        assert found(kept) >= 1, kept
    for dropped in ("history", '"general area"', "device", "usg", "aovvaw9", "utc", "zone"):
        assert found(dropped) == 0, dropped


def test_a_small_table_beside_big_ones_is_looked_up_in_an_index_of_its_own_with_the_same_hits(tmp_path, monkeypatch):
    """A few activities beside many messages: their lookups go to an in-memory index of the activities alone
    (cheaper: a lookup of the vault's index expands the lexicon over every table's words), with the same hits
    as the vault's index and the same report."""
    import shutil
    import sqlite3
    from zoneinfo import ZoneInfo

    from datavault.findings import textindex
    from datavault.findings.clock import Clock
    from datavault.findings.engine import Ctx
    from datavault.findings.ruleset import load_rules

    texts = ["my kids start school", "minecraft tonight?", "the pharmacy closes at six", "vote on Sunday"]
    records = [Message(time=f"2024-05-{1 + i % 28:02d}T{8 + i % 12:02d}:00:00", platform="whatsapp",
                       conversation="Ana", sender="Ana" if i % 2 else "Me", from_owner=not i % 2,
                       text=texts[i % 4], key=(i,)) for i in range(400)]
    records += [Activity(time=f"2024-05-{1 + i:02d}T20:00:00Z", platform="google", product="YouTube",
                         action="watched", title=title, url=f"https://www.youtube.com/watch?v=v{i}", key=(1000 + i,),
                         extra={"subtitles": [{"name": "Minecraft Daily"}]} if i % 2 else None)
                for i, title in enumerate(["Watched Minecraft speedrun", "Watched nappy changing tips",
                                           "Watched pharmacy opening hours", "Searched for kindergarten fees"] * 5)]
    vault = make_vault(tmp_path / "v.sqlite", records)
    copy = tmp_path / "copy.sqlite"
    shutil.copy(vault, copy)
    plain = build_report(vault, tz="UTC", use_cache=False)
    monkeypatch.setattr(textindex, "OWN_INDEX_OTHERS", 100)
    conn = sqlite3.connect(copy)
    ctx = Ctx(conn, load_rules(), Clock(ZoneInfo("UTC"), 2024, 2024))
    own = ctx.hits("activities")
    assert "dv_text_own_activities" in own and ctx.hits("messages") == textindex.hits_sql(ctx.text_schema, "messages")
    for query in ('"minecraft"', '"minecraft daily"', '"nappy"*', '"pharmacy" OR "kindergarten"', '"school"'):
        assert sorted(r[0] for r in conn.execute(own, (query,))) == sorted(
            r[0] for r in conn.execute(textindex.hits_sql("main", "activities"), (query,))), query
    assert conn.execute(f"SELECT count(*) FROM ({own})", ('"minecraft"',)).fetchone()[0] == 5 + 10
    conn.close()
    assert build_report(copy, tz="UTC", use_cache=False)["findings"] == plain["findings"]
