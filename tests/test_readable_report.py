"""Issue 19: the demo's report a person can read (items 4 and 5): every record reachable from the HTML report,
no internal ids where a person reads, plurals right, times in the person's zone."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from datavault.demo.persona import PERSONA
from datavault.demo.run import build_demo_vault
from datavault.render import render
from datavault.report import build_report

NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory) -> Path:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo-readable"))
    return vault


@pytest.fixture(scope="module")
def html_report(demo_vault) -> dict:
    return build_report(demo_vault, tz=PERSONA.timezone, now=NOW, all_evidence=True)


class Cards(HTMLParser):
    """Per finding card (id f-ID): the rows of the table inside its <details class='all-evidence'>, as cell
    texts, and the text of that block."""

    def __init__(self):
        super().__init__()
        self.card = None
        self.depth = 0
        self.in_all = 0
        self.rows: dict[str, list[list[str]]] = {}
        self.text: dict[str, str] = {}
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and (a.get("id") or "").startswith("f-"):
            self.card, self.depth = a["id"][2:], 0
        if self.card and tag == "div":
            self.depth += 1
        if self.card and tag == "details" and "all-evidence" in (a.get("class") or ""):
            self.in_all = 1
            self.rows.setdefault(self.card, [])
            self.text.setdefault(self.card, "")
        elif self.in_all and tag == "details":
            self.in_all += 1
        if self.in_all and tag == "tr":
            self.row = []
        if self.in_all and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if self.in_all and tag == "td" and self.row is not None:
            self.row.append("".join(self.cell or []))
            self.cell = None
        if self.in_all and tag == "tr" and self.row:
            self.rows[self.card].append(self.row)
            self.row = None
        if self.in_all and tag == "details":
            self.in_all -= 1
        if self.card and tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.card = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.in_all:
            self.text[self.card] += data


def test_html_lists_every_record_of_a_finding_that_shows_some(demo_vault, html_report):
    """Item 5: "16 of 44 records shown" opens to the 44, the rows `datavault evidence parent` prints."""
    from datavault.report import finding_evidence

    page = render(html_report, "html")
    cards = Cards()
    cards.feed(page)
    parent = next(f for f in html_report["findings"] if f["id"] == "parent")
    every = finding_evidence(demo_vault, "parent", tz=PERSONA.timezone)["evidence"]
    assert len(every) > len(parent["evidence"])
    listed = cards.rows["parent"]
    assert len(listed) == len(every)
    assert [row[-1] for row in listed] == [r["excerpt"] for r in every]
    assert [row[2].split(" · ")[0] for row in listed] == [r["source_file"] for r in every]
    partial = {f["id"] for f in html_report["findings"] if f["evidence_total"] > len(f["evidence"])}
    # a finding whose every record is shown has no such list
    assert set(cards.rows) <= partial and "association" not in cards.rows
    # the JSON report, and any report built without it, stays as it was
    assert "evidence_all" not in json.dumps(build_report(demo_vault, tz=PERSONA.timezone, now=NOW))


def test_html_caps_a_long_list_and_names_the_command(demo_vault, monkeypatch):
    from datavault import report as report_module

    monkeypatch.setattr(report_module, "ALL_EVIDENCE_INLINE", 5)
    rep = build_report(demo_vault, tz=PERSONA.timezone, now=NOW, all_evidence=True)
    page = render(rep, "html")
    cards = Cards()
    cards.feed(page)
    parent = next(f for f in rep["findings"] if f["id"] == "parent")
    assert len(cards.rows["parent"]) == 5
    assert (f"The first 5 of {parent['evidence_all_total']} records; all of them: datavault evidence parent"
            in re.sub(r"\s+", " ", cards.text["parent"]))


def test_report_command_writes_the_full_lists_into_html_only(demo_vault, tmp_path):
    from typer.testing import CliRunner

    from datavault.cli import app

    page = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["--vault", str(demo_vault), "report", "--format", "html", "--out", str(page),
                                      "--tz", PERSONA.timezone])
    assert result.exit_code == 0, result.output
    assert "class='all-evidence'" in page.read_text(encoding="utf-8")
    md = CliRunner().invoke(app, ["--vault", str(demo_vault), "report", "--format", "md", "--tz", PERSONA.timezone])
    assert "all-evidence" not in md.stdout and "`datavault evidence parent`" in md.stdout


# a count of one with a plural noun ("1 records", "and 1 more chats", "over 1 texts"); "1 people" too
SINGULAR_PLURAL = re.compile(
    r"(?<![\d.,:/-])1 (?:more |new |other )?(records|messages|files|days|hours|findings|texts|visits|searches|times|"
    r"nights|months|weeks|chats|contacts|rows|points|labels|words|mentions|sources|imports|groups|pages|posts|"
    r"purchases|calls|people|persons|entries|items|places|years|minutes|identifiers|categories)\b")


def test_no_count_of_one_with_a_plural_noun_in_any_format(html_report):
    from datavault.render import FORMATS

    found = {fmt: sorted({m.group(0) for m in SINGULAR_PLURAL.finditer(render(html_report, fmt))})
             for fmt in FORMATS}
    assert found == {fmt: [] for fmt in FORMATS}
    assert SINGULAR_PLURAL.search("and 1 more chats") and not SINGULAR_PLURAL.search("2024-1 days, 11 records")


class Page(HTMLParser):
    """The page as a person sees it: visible text outside imported text (<bdi>) and code, all text, links and
    element ids in order."""

    SKIP = {"style", "title", "head"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.own: list[str] = []       # datavault's own words a person reads
        self.all: list[str] = []       # every visible text, imported included
        self.links: list[str] = []
        self.ids: list[str] = []
        self.events: list[tuple[str, str]] = []  # ("id", x) / ("link", x) / ("text", x) in document order

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("br", "meta", "img", "input", "link"):
            self.stack.append(tag)
        if a.get("id"):
            self.ids.append(a["id"])
            self.events.append(("id", a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            self.events.append(("link", a["href"]))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        if self.SKIP & set(self.stack) or any(t in ("svg",) for t in self.stack):
            return
        self.all.append(data)
        self.events.append(("text", data))
        if not {"bdi", "code"} & set(self.stack):
            self.own.append(data)


@pytest.fixture(scope="module")
def page(html_report) -> Page:
    p = Page()
    p.feed(render(html_report, "html"))
    return p


STRENGTH = {"strong": 0, "moderate": 1, "weak": 2}


def test_html_top_says_what_a_scorer_could_conclude_strongest_first(html_report, page):
    """Item 4: the page starts with the conclusions in plain words, each a link to its card, then the score."""
    found = html_report["findings"]
    expected = sorted(found, key=lambda f: STRENGTH[f["strength"]])  # stable: the report's order within a strength
    start = page.events.index(("id", "conclusions"))
    score = page.events.index(("id", "score"))
    links = [x for kind, x in page.events[start:score] if kind == "link"]
    assert links == [f"#f-{f['id']}" for f in expected]
    text = " ".join(x for kind, x in page.events[start:score] if kind == "text")
    assert expected[0]["title"] in text and "strong evidence" in text
    assert all(f"f-{f['id']}" in page.ids for f in found)


def test_html_has_a_table_of_contents_whose_links_all_land(page):
    assert "contents" in page.ids
    internal = [link for link in page.links if link.startswith("#")]
    assert {"#conclusions", "#score", "#charts", "#not-assessed", "#formula"} <= set(internal)
    assert [link for link in internal if link[1:] not in page.ids] == []
    assert [link for link in page.links if not link.startswith("#")] == []  # never a link out


def test_html_shows_no_internal_id_where_a_person_reads(page):
    own = " ".join(page.own)
    ids = sorted(set(re.findall(r"(?<![\w/.])[a-z]+(?:_[a-z0-9]+)+(?![\w/.])", own)))
    assert ids == [], ids
    assert "Your texts in Danish" in own and "Mood of your words in other languages" in own


def test_html_shows_times_in_the_persons_zone_in_a_human_format(html_report, page):
    every = " ".join(page.all)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", every), re.search(r".{40}\d{4}-\d{2}-\d{2}T.{40}", every)
    parent = next(f for f in html_report["findings"] if f["id"] == "parent")
    assert parent["evidence"][0]["time"] == "2026-02-26T18:32:37.378Z"
    assert "26 Feb 2026, 18:32" in every  # GMT in February
    home = next(f for f in html_report["findings"] if f["id"] == "home_work")
    assert home["evidence"][0]["time"] == "2024-09-01T23:56:34.221Z"
    assert "2 Sep 2024, 00:56" in every  # British Summer Time: the next day
    assert "generated 1 Jan 2026, 12:00" in every


def test_html_says_what_a_counting_finding_counts_instead_of_promising_more_records(html_report):
    """closest_ties counts 512 messages and cites 8: "8 of 512 records shown" would promise 504 more records that
    `datavault evidence closest_ties` does not list."""
    page = re.sub(r"\s+", " ", render(html_report, "html"))
    ties = next(f for f in html_report["findings"] if f["id"] == "closest_ties")
    card = page[page.index("id='f-closest_ties'"):]
    card = card[:card.index("<div class='card'")]
    assert f"The finding counts {ties['evidence_total']:,} (its measure: hours, events or messages); these are " \
           f"the {len(ties['evidence'])} records it cites." in card
    assert "records shown; all of them" not in card


def test_md_and_text_show_evidence_times_in_the_persons_zone(html_report):
    for fmt in ("md", "text"):
        doc = render(html_report, fmt)
        assert "26 Feb 2026, 18:32" in doc and "2 Sep 2024, 00:56" in doc, fmt
        assert "2026-02-26T18:32:37.378Z" not in doc, fmt
