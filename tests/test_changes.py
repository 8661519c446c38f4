"""``datavault changes`` and the report's sense of time (issue 16.1-2): two exports of one account, written in
the real formats (Facebook "Download Your Information" JSON, a Google Takeout), where labels, records and a
setting differ; the exact appeared/disappeared/counts, the refusals, ``report --as-of`` and "removed by"."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.report import build_report
from tests.fb_fixtures import fb_json


def zip_at(path: Path, files: dict, when: dt.datetime) -> Path:
    """A zip whose entries carry the date the platform made the export (the vault's 'exported' date)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            data = content if isinstance(content, str) else fb_json(content)
            zf.writestr(zipfile.ZipInfo(name, date_time=when.timetuple()[:6]), data)
    return path


def ts(*parts: int) -> int:
    return int(dt.datetime(*parts, tzinfo=dt.timezone.utc).timestamp())


def facebook(interests: list[str], advertisers: list[str], searches: list[tuple[str, int]],
             email: str = "sam.rivera@example.org") -> dict:
    return {
        "personal_information/profile_information/profile_information.json": {"profile_v2": {
            "name": {"full_name": "Sam Rivera"}, "emails": {"emails": [email]}, "username": email.split("@")[0]}},
        "logged_information/other_logged_information/ads_interests.json": {"topics_v2": interests},
        "ads_information/advertisers_using_your_activity_or_information.json": {"custom_audiences_all_types_v2": [
            {"advertiser_name": a, "has_data_file_custom_audience": True, "has_remarketing_custom_audience": False,
             "has_in_person_store_visit": False} for a in advertisers]},
        "logged_information/search/your_search_history.json": {"searches_v2": [
            {"timestamp": t, "attachments": [{"data": [{"text": q}]}], "title": "Sam Rivera searched on Facebook"}
            for q, t in searches]},
    }


FEVER = ("toddler fever", ts(2023, 5, 1, 9))
LOAN = ("payday loan", ts(2023, 5, 20, 22))
UNION = ("union rep", ts(2023, 6, 10, 12))
BIKE = ("bike shop leeds", ts(2024, 6, 15, 8))
JANUARY, JULY = dt.datetime(2024, 1, 5, 10), dt.datetime(2024, 7, 1, 10)


def run(vault: Path, *args: str):
    result = CliRunner().invoke(app, ["--vault", str(vault), *args])
    assert "Traceback" not in result.output
    return result


def imported(vault: Path, *paths: Path) -> None:
    result = run(vault, "import", *map(str, paths))
    assert result.exit_code == 0, result.output


@pytest.fixture
def two_facebook(tmp_path: Path) -> Path:
    """Export 1 (January): interests Parenting, Football, Trade union; advertiser Nappy World; three searches.
    Export 2 (July): Trade union gone, Cycling and the advertiser QuickCash new; the May payday-loan search
    deleted, a June 2024 search new."""
    vault = tmp_path / "vault.sqlite"
    older = zip_at(tmp_path / "facebook-samrivera-2024-01-05-Ab3dE9.zip",
                   facebook(["Parenting", "Football", "Trade union"], ["Nappy World"], [FEVER, LOAN, UNION]), JANUARY)
    newer = zip_at(tmp_path / "facebook-samrivera-2024-07-01-Zz9yX8.zip",
                   facebook(["Parenting", "Football", "Cycling"], ["Nappy World", "QuickCash Loans UK"],
                            [FEVER, UNION, BIKE]), JULY)
    imported(vault, older, newer)
    return vault


def test_changes_between_two_facebook_exports(two_facebook):
    result = run(two_facebook, "changes", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["older"]["id"], body["older"]["exported"]) == (1, "2024-01-05T10:00:00Z")
    assert (body["newer"]["id"], body["newer"]["exported"]) == (2, "2024-07-01T10:00:00Z")
    assert body["older"]["account"] == ["email:sam.rivera@example.org", "username:sam.rivera"]
    assert [(a["table"], a["category"], a["value"], a["first_seen"]) for a in body["appeared"]] == [
        ("platform_inferences", "advertiser_with_your_data", "QuickCash Loans UK", "2024-07-01T10:00:00Z"),
        ("platform_inferences", "interest", "Cycling", "2024-07-01T10:00:00Z")]
    assert [(d["table"], d["category"], d["value"], d["last_seen"], d["removed_by"]) for d in body["disappeared"]] \
        == [("platform_inferences", "interest", "Trade union", "2024-01-05T10:00:00Z", "2024-07-01T10:00:00Z")]
    assert body["counts"] == {
        "platform_inferences": {"older": 4, "newer": 5, "only_older": 1, "only_newer": 2},
        "profile": {"older": 3, "newer": 3, "only_older": 0, "only_newer": 0},
        "posts": {"older": 3, "newer": 3, "only_older": 1, "only_newer": 1},
    }
    assert body["removed"]["posts"] == {"months": {"2023-05": 1}, "sample": [
        {"time": "2023-05-20T22:00:00Z", "record": "search · payday loan",
         "source_file": "logged_information/search/your_search_history.json"}]}
    assert body["added"]["posts"]["months"] == {"2024-06": 1}
    assert body["settings"] == []


def test_changes_text_and_markdown(two_facebook):
    text = run(two_facebook, "changes")
    assert text.exit_code == 0, text.output
    assert "Platform labels: 2 appeared, 1 disappeared" in text.stdout
    assert "  - facebook interest: Trade union  (in the export of 2024-01-05, removed by 2024-07-01)" in text.stdout
    assert "    - 2023-05-20T22:00:00Z  search · payday loan" in text.stdout
    md = run(two_facebook, "changes", "1", "2", "--format", "md", "--platform", "facebook")
    assert md.exit_code == 0, md.output
    assert "| removed by 2024-07-01 | facebook interest: Trade union | 2024-01-05 |" in md.stdout
    assert "| posts | 3 | 3 | 1 | 1 |" in md.stdout


def test_explicit_ids_in_either_order(two_facebook):
    result = run(two_facebook, "changes", "2", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["older"]["id"], body["newer"]["id"]) == (1, 2)
    assert body["notes"][0].startswith("Compared in the order they were made")


def test_report_marks_removed_labels_and_shows_since_last_export(two_facebook):
    report = build_report(two_facebook)
    platform = next(f for f in report["findings"] if f["id"] == "platform_conclusions")
    status = {d["label"]: d["removed_by"] for d in platform["details"]}
    assert status == {"Nappy World": None, "QuickCash Loans UK": None, "Cycling": None, "Football": None,
                      "Parenting": None, "Trade union": "2024-07-01"}
    assert platform["details"][-1]["label"] == "Trade union"  # current labels first
    assert platform["measures"]["removed"] == 1
    assert "1 of these labels is no longer in your latest export" in platform["statement"]
    # the platform held "Trade union" then, not now: listed, but no special category of data any more
    assert (platform["sensitive"], platform["strength"]) == ([], "weak")
    assert any(e["excerpt"] == "facebook interest: Trade union [trade_union] (removed by 2024-07-01)"
               for e in platform["evidence"])
    since = report["since_last_export"]
    assert [(s["older"]["id"], s["newer"]["id"], s["appeared"], s["disappeared"], s["only_older"], s["only_newer"],
             s["command"]) for s in since] == [(1, 2, 2, 1, 2, 3, "datavault changes 1 2")]
    for fmt in ("text", "md", "html"):
        out = run(two_facebook, "report", "--format", fmt)
        assert out.exit_code == 0, out.output
        assert "Since your last export" in out.stdout
        assert "2 platform label(s) appeared and 1 disappeared" in out.stdout


def test_report_as_of_the_older_export(two_facebook):
    for as_of in ("1", "2024-03-01"):
        report = build_report(two_facebook, as_of=as_of)
        assert report["as_of"]["sources"] == [1] and report["as_of"]["left_out"] == [2]
        assert report["vault"]["records"]["posts"] == 3 and report["vault"]["records"]["platform_inferences"] == 4
        assert "since_last_export" not in report
        platform = next(f for f in report["findings"] if f["id"] == "platform_conclusions")
        assert sorted(d["label"] for d in platform["details"]) == ["Football", "Nappy World", "Parenting",
                                                                  "Trade union"]
        assert all("removed_by" not in d for d in platform["details"])  # as it stood then: all current
        assert (platform["sensitive"], platform["strength"]) == (["trade_union"], "strong")
    assert build_report(two_facebook, as_of="1")["as_of"]["as_of"] == "2024-01-05"
    text = run(two_facebook, "report", "--as-of", "1")
    assert text.exit_code == 0, text.output
    assert "As of 2024-01-05 (import 1): only what exports 1 held; later exports (2) are left out." in text.stdout
    # the vault itself is untouched: the full report still sees both exports
    assert build_report(two_facebook)["vault"]["records"]["posts"] == 4
    with sqlite3.connect(two_facebook) as conn:
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 2


@pytest.mark.parametrize("as_of, message", [
    ("9", "--as-of 9: no import with id 9. Known ids: 1, 2"),
    ("2023-12-31", "--as-of 2023-12-31: no export was made by then"),
    ("2024-02-30", "--as-of 2024-02-30: not a date"),
    ("last week", "--as-of last week: give an import id"),
])
def test_report_as_of_refusals(two_facebook, as_of, message):
    result = run(two_facebook, "report", "--as-of", as_of)
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_different_accounts_are_refused(tmp_path):
    vault = tmp_path / "vault.sqlite"
    imported(vault, zip_at(tmp_path / "facebook-sam-2024-01-05.zip", facebook(["Parenting"], [], [FEVER]), JANUARY),
             zip_at(tmp_path / "facebook-alex-2024-07-01.zip",
                    facebook(["Football"], [], [UNION], email="alex@example.org"), JULY))
    result = run(vault, "changes", "1", "2")
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "These are exports of different accounts" in said and "alex@example.org" in said
    default = run(vault, "changes")  # two accounts with one export each: nothing to compare
    assert default.exit_code == 1
    assert "Nothing to compare: the vault holds no two successive exports of one account" in " ".join(
        default.output.split())
    assert "since_last_export" not in build_report(vault)


def takeout(history_enabled: bool, searches: list[tuple[str, str]]) -> dict:
    return {
        "Takeout/Profile/Profile.json": json.dumps({"name": {"formattedName": "Sam Rivera"},
                                                    "emails": [{"value": "sam.rivera@example.org"}]}),
        "Takeout/Location History (Timeline)/Settings.json": json.dumps({
            "createdTime": "2015-03-01T10:00:00.000Z", "modifiedTime": "2024-05-20T18:00:00.000Z",
            "historyEnabled": history_enabled, "retentionWindowDays": 1095, "deviceSettings": []}),
        "Takeout/My Activity/Search/MyActivity.json": json.dumps([
            {"header": "Search", "title": f"Searched for {q}", "time": t, "products": ["Search"],
             "activityControls": ["Web & App Activity"]} for q, t in searches]),
        "Takeout/My Activity/YouTube/MyActivity.json": json.dumps([
            {"header": "YouTube", "title": "Watched Toddler songs", "time": "2023-10-01T18:00:00.000Z",
             "products": ["YouTube"], "activityControls": ["YouTube watch history"]}]),
    }


def test_google_setting_turned_off_and_platforms_refused(tmp_path, two_facebook):
    vault = tmp_path / "google.sqlite"
    early = ("nappies size 4", "2023-11-03T21:14:05.123Z")
    late = ("cheap flights", "2024-05-02T08:00:00.000Z")
    imported(vault, zip_at(tmp_path / "takeout-20240105T101500Z-001.zip", takeout(True, [early]), JANUARY),
             zip_at(tmp_path / "takeout-20240701T101500Z-001.zip", takeout(False, [early, late]), JULY))
    result = run(vault, "changes", "--platform", "google", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["settings"] == [{"platform": "google", "field": "location_history_enabled", "older": ["true"],
                                 "newer": ["false"]}]
    assert body["counts"]["activities"] == {"older": 2, "newer": 3, "only_older": 0, "only_newer": 1}
    assert body["appeared"] == [] and body["disappeared"] == []
    assert body["activity_controls"] == [
        {"control": "Web & App Activity", "older": {"records": 1, "last": "2023-11-03T21:14:05.123Z"},
         "newer": {"records": 2, "last": "2024-05-02T08:00:00Z"}, "quiet_since": None},
        {"control": "YouTube watch history", "older": {"records": 1, "last": "2023-10-01T18:00:00Z"},
         "newer": {"records": 1, "last": "2023-10-01T18:00:00Z"}, "quiet_since": "2023-10-01T18:00:00Z"}]
    text = run(vault, "changes")
    assert "google location history enabled: true → false" in text.stdout
    assert "YouTube watch history: 1 (2023-10-01) → 1 (2023-10-01); nothing new since 2023-10-01: paused, or its " \
           "records deleted?" in text.stdout
    # a Facebook export and a Google one: another platform, refused
    imported(vault, Path(two_facebook).parent / "facebook-samrivera-2024-01-05-Ab3dE9.zip")
    refused = run(vault, "changes", "1", "3")
    assert refused.exit_code == 1
    assert "These are exports of different platforms" in " ".join(refused.output.split())
    assert run(vault, "changes", "--platform", "instagram").exit_code == 1


def test_single_export_unknown_ids_and_usage(tmp_path):
    vault = tmp_path / "vault.sqlite"
    empty = run(vault, "changes")
    assert empty.exit_code == 1
    imported(vault, zip_at(tmp_path / "facebook-sam-2024-01-05.zip", facebook(["Parenting"], [], [FEVER]), JANUARY))
    single = run(vault, "changes")
    assert single.exit_code == 1
    assert "Nothing to compare" in single.output and "1: facebook 2024-01-05" in " ".join(single.output.split())
    unknown = run(vault, "changes", "1", "7")
    assert unknown.exit_code == 1
    assert "No import with id '7'. Known ids: 1" in " ".join(unknown.output.split())
    same = run(vault, "changes", "1", "1")
    assert same.exit_code == 1 and "give two different exports" in same.output
    one = run(vault, "changes", "1")
    assert one.exit_code == 1 and "Name two exports to compare" in " ".join(one.output.split())
    assert run(vault, "changes", "--format", "xml").exit_code == 2


def test_parts_of_one_download_are_not_compared(tmp_path):
    """Facebook's main zip and its Messenger secure-storage zip are made at the same minute: one download in
    two parts, never 'the last two exports'."""
    vault = tmp_path / "vault.sqlite"
    imported(vault, zip_at(tmp_path / "facebook-sam-2024-07-01-a.zip", facebook(["Parenting"], [], [FEVER]), JULY),
             zip_at(tmp_path / "facebook-sam-2024-07-01-b.zip", facebook(["Football"], [], [UNION]), JULY))
    assert run(vault, "changes").exit_code == 1
    assert "since_last_export" not in build_report(vault)
    named = run(vault, "changes", "1", "2", "--format", "json")  # named explicitly, they are compared
    assert named.exit_code == 0, named.output
    assert [d["value"] for d in json.loads(named.stdout)["disappeared"]] == ["Parenting"]


def test_reimporting_the_older_export_changes_nothing(two_facebook, tmp_path):
    before = json.loads(run(two_facebook, "changes", "--format", "json").stdout)
    imported(two_facebook, tmp_path / "facebook-samrivera-2024-01-05-Ab3dE9.zip")
    after = json.loads(run(two_facebook, "changes", "--format", "json").stdout)
    assert after["counts"] == before["counts"] and after["disappeared"] == before["disappeared"]


def test_two_exports_of_one_whatsapp_chat(tmp_path):
    """A chat exported twice: the account is the chat; a message deleted in between is missing from the newer."""
    lines = ["12/03/2024, 09:00 - Sam Rivera: Morning!", "12/03/2024, 09:01 - Ana Costa: Olá",
             "13/03/2024, 18:30 - Sam Rivera: See you at 8", "02/04/2024, 07:15 - Ana Costa: Bom dia"]
    first, second = tmp_path / "january", tmp_path / "april"
    first.mkdir(), second.mkdir()
    (first / "WhatsApp Chat with Ana Costa.txt").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    (second / "WhatsApp Chat with Ana Costa.txt").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    other = tmp_path / "WhatsApp Chat with Jordan Lee.txt"
    other.write_text("12/03/2024, 10:00 - Jordan Lee: Climbing tonight?\n", encoding="utf-8")
    vault = tmp_path / "vault.sqlite"
    for path in (first / "WhatsApp Chat with Ana Costa.txt", other, second / "WhatsApp Chat with Ana Costa.txt"):
        imported(vault, path)
    result = run(vault, "changes", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["older"]["id"], body["newer"]["id"]) == (1, 3)
    assert body["older"]["account"] == ["chat:Ana Costa"]
    assert body["counts"]["messages"] == {"older": 3, "newer": 3, "only_older": 1, "only_newer": 1}
    assert [s["record"] for s in body["removed"]["messages"]["sample"]] == ["Ana Costa · Sam Rivera · Morning!"]
    assert body["removed"]["messages"]["months"] == {"2024-03": 1}
    # the chat with Jordan is another account: refused
    refused = run(vault, "changes", "1", "2")
    assert refused.exit_code == 1 and "different accounts" in refused.output
    # as of import 2: the April export of the chat (imported third, no export date in a .txt) is left out
    as_of = build_report(vault, as_of="2")
    assert (as_of["as_of"]["source"], as_of["as_of"]["sources"], as_of["as_of"]["left_out"]) == (2, [1, 2], [3])
    assert as_of["vault"]["records"]["messages"] == 4


def test_parts_of_downloads_imported_one_by_one_are_compared_as_one(tmp_path):
    """Two Takeouts, each split in two zips imported one by one: the last two *downloads* are compared, each
    as the union of its parts; the Location History settings are in the second part."""
    vault = tmp_path / "vault.sqlite"
    early = ("nappies size 4", "2023-11-03T21:14:05.123Z")
    late = ("cheap flights", "2024-05-02T08:00:00.000Z")
    paths = []
    for stamp, when, enabled, searches in (("20240105T101500Z", JANUARY, True, [early]),
                                           ("20240701T101500Z", JULY, False, [early, late])):
        files = takeout(enabled, searches)
        settings = "Takeout/Location History (Timeline)/Settings.json"
        paths.append(zip_at(tmp_path / f"takeout-{stamp}-001.zip",
                            {k: v for k, v in files.items() if k != settings}, when))
        paths.append(zip_at(tmp_path / f"takeout-{stamp}-002.zip", {settings: files[settings]}, when))
    for path in paths:
        imported(vault, path)
    result = run(vault, "changes", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["older"]["parts"], body["newer"]["parts"]) == ([1, 2], [3, 4])
    assert body["settings"] == [{"platform": "google", "field": "location_history_enabled", "older": ["true"],
                                 "newer": ["false"]}]
    assert body["counts"]["activities"] == {"older": 2, "newer": 3, "only_older": 0, "only_newer": 1}
    assert body["counts"]["profile"]["only_older"] == 1  # historyEnabled true
    since = build_report(vault)["since_last_export"]
    assert [s["command"] for s in since] == ["datavault changes --platform google"]


def test_report_as_of_refuses_a_vault_larger_than_the_free_memory(two_facebook, monkeypatch):
    """The older state is computed on a copy in memory: with less memory free than the vault holds, the command
    says so, with both sizes, and changes nothing; with enough, it runs."""
    from datavault import changes

    real = changes.available_memory()  # on Linux, /proc/meminfo's figure: some memory is free while this runs
    assert real is None or real > 1 << 20
    before = two_facebook.read_bytes()
    monkeypatch.setattr(changes, "available_memory", lambda: 10_000)
    result = run(two_facebook, "report", "--as-of", "1")
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "--as-of works on a copy of the vault in memory, and this vault holds 0.0 GB while 0.0 GB" in said
    assert "Traceback" not in result.output and two_facebook.read_bytes() == before
    monkeypatch.setattr(changes, "available_memory", lambda: 8 << 30)
    assert run(two_facebook, "report", "--as-of", "1").exit_code == 0


def test_the_counts_of_two_exports_are_those_of_asking_every_row():
    """``compare`` counts the records each export held from the table's distinct ``sources``: the same counts and
    earliest times as asking each row whether each export holds it (ids 1 and 11 are different imports)."""
    import itertools
    import sqlite3

    from datavault.changes import _held, _held_counts

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE rec_x (sources TEXT, time TEXT)")
    kinds = [" 1 ", " 2 ", " 1 2 ", " 11 ", " 1 11 ", " 2 11 3 ", " 3 ", " 12 "]
    rows = [(s, None if k % 7 == 0 else f"2024-0{1 + k % 9}-{10 + k % 19}T10:00:00")
            for k, s in enumerate(itertools.islice(itertools.cycle(kinds), 200))]
    conn.executemany("INSERT INTO rec_x VALUES (?, ?)", rows)
    for older, newer in [((1,), (2,)), ((1,), (11,)), ((1, 2), (11, 3)), ((12,), (4,)), ((3,), (3,))]:
        o, n = _held(older), _held(newer)
        expected = conn.execute(
            f"SELECT coalesce(sum({o}), 0), coalesce(sum({n}), 0), coalesce(sum({o} AND NOT {n}), 0), "
            f"coalesce(sum({n} AND NOT {o}), 0), min(CASE WHEN {o} THEN time END), "
            f"min(CASE WHEN {n} THEN time END) FROM rec_x WHERE {o} OR {n}").fetchone()
        assert _held_counts(conn, "rec_x", True, o, n) == expected, (older, newer)
        assert _held_counts(conn, "rec_x", False, o, n) == (*expected[:4], None, None)
