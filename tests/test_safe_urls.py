"""An activity's ``url`` is a link a person may click (in a spreadsheet, Datasette, a report): a ``javascript:``,
``data:`` or ``vbscript:`` target is never stored there. It stays in the record's ``extra`` (``unsafe_url``) and
its raw source, so nothing is lost."""

from __future__ import annotations

import json
import sqlite3

import pytest

from datavault.pipeline import import_paths
from datavault.records import Activity, safe_url
from tests.conftest import exported, write_zip


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " \x01javascript:alert(1)", "java\tscript:alert(1)",
    "jav\nascript:alert(1)", "vbscript:msgbox(1)", "VBScript:x", "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml;base64,PHN2Zz4=",
])
def test_unsafe_schemes_are_refused(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("url", [
    "https://www.stepchange.org/", "http://example.org/a?b=javascript:1", "mailto:a@example.org",
    "market://details?id=com.example", "/relative/path", "www.example.org", "javascript", "data-protection.html",
    "intent://scan/#Intent;scheme=zxing;end",
])
def test_ordinary_urls_are_kept(url):
    assert safe_url(url) == url


def test_activity_record_moves_an_unsafe_url_to_extra():
    a = Activity(time=None, platform="google", product="Search", action="visited", title="t",
                 url="javascript:alert(document.cookie)", extra={"header": "Search"})
    assert a.url is None
    assert a.extra == {"header": "Search", "unsafe_url": "javascript:alert(document.cookie)"}
    b = Activity(time=None, platform="google", product="Search", action="visited", title="t",
                 url="https://example.org/")
    assert (b.url, b.extra) == ("https://example.org/", None)


def test_takeout_and_facebook_redirects_to_javascript_are_not_urls(tmp_path, vault):
    activity = [
        {"header": "Search", "title": "Visited Evil", "time": "2025-11-03T21:10:00.500Z",
         "titleUrl": "https://www.google.com/url?q=javascript:alert(1)&usg=AOvVaw1x", "products": ["Search"]},
        {"header": "Search", "title": "Visited Data", "time": "2025-11-03T21:11:00Z",
         "titleUrl": "data:text/html,<script>alert(1)</script>", "products": ["Search"]},
        {"header": "Search", "title": "Visited StepChange", "time": "2025-11-03T21:12:00Z",
         "titleUrl": "https://www.google.com/url?q=https://www.stepchange.org/&usg=AOvVaw1x", "products": ["Search"]},
    ]
    takeout = write_zip(tmp_path / "takeout-20251201T120000Z-001.zip",
                        {"Takeout/My Activity/Search/MyActivity.json": json.dumps(activity, indent=2)})
    facebook = write_zip(tmp_path / "facebook-samrivera-2024-11-20-AbC.zip", {
        "pages/pages_you've_liked.json": json.dumps({"page_likes_v2": [
            {"name": "Evil page", "timestamp": 1571000000, "url": "vbscript:msgbox(1)"},
            {"name": "Good page", "timestamp": 1571000100, "url": "https://www.facebook.com/goodpage"}]}),
        "personal_information/profile_information/profile_information.json": json.dumps(
            {"profile_v2": {"name": {"full_name": "Sam Rivera"}}}),
    })
    result = import_paths(vault, [takeout, facebook])
    assert not result.errors, result.errors
    urls = {r["title"]: r["url"] for r in exported(vault, "activities")}
    with sqlite3.connect(vault) as db:  # the contract's view, as Datasette or pandas see it
        rows = {title: {"url": url, "extra": json.loads(extra or "{}")}
                for title, url, extra in db.execute("SELECT title, url, extra FROM activities")}
    assert urls == {title: row["url"] for title, row in rows.items()}
    assert rows["Visited Evil"]["url"] is None
    assert rows["Visited Evil"]["extra"]["unsafe_url"] == "javascript:alert(1)"
    assert rows["Visited Evil"]["extra"]["titleUrl"] == "https://www.google.com/url?q=javascript:alert(1)&usg=AOvVaw1x"
    assert rows["Visited Data"]["url"] is None
    assert rows["Visited Data"]["extra"]["unsafe_url"] == "data:text/html,<script>alert(1)</script>"
    assert rows["Visited StepChange"]["url"] == "https://www.stepchange.org/"
    assert "unsafe_url" not in rows["Visited StepChange"]["extra"]
    assert rows["Evil page"]["url"] is None and rows["Evil page"]["extra"]["unsafe_url"] == "vbscript:msgbox(1)"
    assert rows["Good page"]["url"] == "https://www.facebook.com/goodpage"


def test_a_url_that_is_not_a_string_is_left_to_the_pipeline():
    a = Activity(time=None, platform="google", product="Search", action="visited", title="t", url=2**70)
    assert (a.url, a.extra) == (2**70, None)
    assert safe_url({"damaged": "json"}) == {"damaged": "json"}
