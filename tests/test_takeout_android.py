"""Issue 15: Android entries of My Activity carry product ``Android`` (the contract); the app goes to extra.app."""

from __future__ import annotations

import json

from datavault.records import Activity
from tests.test_takeout import member, parse

GMAIL = {"header": "Gmail", "title": "Used Gmail",
         "titleUrl": "https://play.google.com/store/apps/details?id=com.google.android.gm",
         "time": "2024-03-01T08:15:00.123Z", "products": ["Android"]}


def test_android_json_entry_has_product_android_and_the_app_as_extra():
    page = json.dumps([GMAIL, {"header": "Search", "title": "Searched for ramen", "time": "2024-03-01T09:00:00Z",
                               "products": ["Search"]}])
    got = [r for r in parse(member("Takeout/My Activity/Android/MyActivity.json", page)) if isinstance(r, Activity)]
    assert [(r.time, r.product, r.action, r.title, r.url, (r.extra or {}).get("app")) for r in got] == [
        ("2024-03-01T08:15:00.123Z", "Android", "used", "Used Gmail",
         "https://play.google.com/store/apps/details?id=com.google.android.gm", "Gmail"),
        ("2024-03-01T09:00:00Z", "Search", "searched", "Searched for ramen", None, None)]


def test_android_html_entry_has_the_same_product_and_key_as_json():
    cell = ('<div class="outer-cell mdl-cell"><div class="mdl-grid"><div class="header-cell mdl-cell">'
            '<p class="mdl-typography--title">Gmail<br></p></div>'
            '<div class="content-cell mdl-cell mdl-typography--body-1">Used <a href="' + GMAIL["titleUrl"]
            + '">Gmail</a><br>1 Mar 2024, 08:15:00 UTC</div>'
            '<div class="content-cell mdl-cell mdl-typography--caption"><b>Products:</b><br>&emsp;Android<br></div>'
            '</div></div>')
    html = [r for r in parse(member("Takeout/My Activity/Android/MyActivity.html", "<html><body>" + cell))
            if isinstance(r, Activity)]
    js = [r for r in parse(member("Takeout/My Activity/Android/MyActivity.json", json.dumps([GMAIL])))
          if isinstance(r, Activity)]
    assert [(r.product, r.title, r.extra["app"]) for r in html] == [("Android", "Used Gmail", "Gmail")]
    assert html[0].key == js[0].key  # the same event from both forms is stored once
