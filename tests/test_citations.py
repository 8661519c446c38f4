"""Research context readable inside the report (issue 19.4): each finding's context is a sentence a person reads,
the works it cites are numbered after it and listed once, in full, under "Sources" at the end of every rendering,
and no internal research-notes marker ("INFERENCES.md §5.1, checked against source") reaches the report."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from html import escape
from html.parser import HTMLParser
from importlib import resources

import pytest

from datavault.demo.persona import PERSONA
from datavault.demo.run import build_demo_vault
from datavault.errors import UserError
from datavault.findings.model import Finding
from datavault.findings.ruleset import Cited, Work, load_rules
from datavault.render import render
from datavault.render.markdown import m
from datavault.render.sources import cited_works
from datavault.report import build_report

NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo"))
    return build_report(vault, tz=PERSONA.timezone, now=NOW)


@pytest.fixture(scope="module")
def docs(demo) -> dict[str, str]:
    return {fmt: render(demo, fmt) for fmt in ("json", "md", "html", "text")}


def _context_toml() -> dict:
    return tomllib.loads((resources.files("datavault.findings.rules") / "context.toml").read_text(encoding="utf-8"))


def test_no_rendering_of_the_demo_report_names_the_research_notes(docs, tmp_path):
    for fmt, doc in docs.items():
        assert "INFERENCES" not in doc, fmt
    vault, _ = build_demo_vault(tmp_path)
    redacted = build_report(vault, tz=PERSONA.timezone, now=NOW, redact=True)
    for fmt in ("json", "md", "html", "text"):
        assert "INFERENCES" not in render(redacted, fmt), fmt


def test_every_cited_context_has_its_works_listed_once_in_sources(demo, docs):
    refs = demo["references"]
    assert [r["number"] for r in refs] == list(range(1, len(refs) + 1))
    assert len({r["id"] for r in refs}) == len(refs)  # each work once
    with_context = [f for f in demo["findings"] if f.get("context")]
    assert len(with_context) >= 10
    # every context cites a work, except the sentence about word matching, which cites none
    assert {f["id"] for f in with_context if not f["context_sources"]} == {"protest_vocabulary"}
    by_id = {r["id"]: r for r in refs}
    for f in with_context:
        for work in f["context_sources"]:
            assert f["id"] in by_id[work["id"]]["findings"]
            assert by_id[work["id"]]["reference"] == work["reference"]
    cited = {w["id"] for f in demo["findings"] for w in f["context_sources"]}
    assert cited == set(by_id)
    md_sources = docs["md"].split("\n## Sources\n", 1)[1]
    text_sources = re.split(r"─+ Sources ─+", docs["text"], maxsplit=1)[1]
    html_sources = docs["html"].split("<h2 id='sources'>Sources</h2>", 1)[1]
    for r in refs:
        assert f"\n{r['number']}. {m(r['reference'], 1000)}" in md_sources
        assert f"[{r['number']}] " + r["reference"][:40] in text_sources
        assert f"<li id='source-{r['number']}' value='{r['number']}'>{escape(r['reference'], quote=True)}</li>" \
            in html_sources
    # the Kosinski paper is cited by several findings and listed once, with its DOI as text
    kosinski = by_id["kosinski2013"]
    assert kosinski["reference"] == ("Kosinski, Stillwell & Graepel (2013). Private traits and attributes are "
                                     "predictable from digital records of human behavior. PNAS 110(15):5802–5805. "
                                     "doi:10.1073/pnas.1218772110")
    assert docs["html"].count(escape(kosinski["reference"], quote=True)) == 1
    assert docs["md"].count(m(kosinski["reference"], 1000)) == 1


def test_each_context_sentence_carries_its_numbers(demo, docs):
    by_id = {r["id"]: r["number"] for r in demo["references"]}
    parent = next(f for f in demo["findings"] if f["id"] == "parent")
    n = by_id["caixin_li"]
    assert parent["context"].startswith("Sesame Credit's technology director Li Yingyun told Caixin")
    assert parent["context"].endswith("(Caixin, via the BBC).")
    assert escape(parent["context"], quote=True) + f"<sup><a href='#source-{n}'>[{n}]</a></sup>" in docs["html"]
    assert m(parent["context"], 2000) + f" \\[{n}\\]" in docs["md"]
    two = next(f for f in demo["findings"] if f["context_sources"] and len(f["context_sources"]) == 2)
    marks = "".join(f"<sup><a href='#source-{by_id[w['id']]}'>[{by_id[w['id']]}]</a></sup>"
                    for w in two["context_sources"])
    assert escape(two["context"], quote=True) + marks in docs["html"]


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_html_markers_lead_to_their_sources_entry(demo, docs):
    parser = _Anchors()
    parser.feed(docs["html"])
    assert all(h.startswith("#") for h in parser.hrefs)  # no link leaves the page
    missing = [h for h in parser.hrefs if h[1:] not in parser.ids]
    assert missing == []
    targets = {h for h in parser.hrefs if h.startswith("#source-")}
    assert targets == {f"#source-{r['number']}" for r in demo["references"]}
    assert "#sources" in parser.hrefs  # the contents lead to the list


def test_context_rules_are_readable_and_keep_the_developer_note():
    data = _context_toml()
    works, contexts = data["source"], data["context"]
    for key, entry in contexts.items():
        assert "INFERENCES" not in entry["text"], key
        assert entry["note"].startswith("INFERENCES.md §"), key
        assert entry["sources"] and all(s in works for s in entry["sources"]), key
    cited = {s for entry in contexts.values() for s in entry["sources"]} | {"motherboard2017"}
    assert cited == set(works)  # no work listed that nothing cites
    for key, work in works.items():
        assert "INFERENCES" not in " ".join(str(work.get(f, "")) for f in ("authors", "title", "venue")), key
    # DOIs and addresses only where the research notes give one
    assert {k: w["doi"] for k, w in works.items() if "doi" in w} == {"kosinski2013": "10.1073/pnas.1218772110"}
    assert not [k for k, w in works.items() if "url" in w]
    assert load_rules().version == data["version"] == "2026.12.2"


def test_no_rules_text_the_report_shows_names_the_research_notes():
    rules = load_rules()
    assert not [p.category for p in rules.places if "INFERENCES" in p.source]
    assert not [(f, k) for f, values in rules.thresholds.items() for k, v in values.items()
                if k.endswith("_why") and "INFERENCES" in str(v)]
    profile = tomllib.loads((resources.files("datavault") / "scoring" / "sesame-like.toml").read_text("utf-8"))
    assert not [w["finding"] for w in profile["weight"] if "INFERENCES" in w["why"]]


def test_a_finding_takes_the_cited_sentence_and_its_works():
    work = Work("w1", authors="Doe & Roe", year=2020, title="A study", venue="Journal 1(2)", url="https://example.org/s")
    f = Finding(id="x", title="X", category="personal_information", statement="s", strength="weak", measures={},
                evidence=[], rule="r", remedy="m", context=Cited("Doe & Roe (2020) found it.", (work,)))
    d = f.as_dict()
    assert d["context"] == "Doe & Roe (2020) found it."
    assert d["context_sources"] == [{"id": "w1", "reference": "Doe & Roe (2020). A study. Journal 1(2). "
                                     "https://example.org/s", "authors": "Doe & Roe", "year": 2020,
                                     "title": "A study", "venue": "Journal 1(2)", "doi": None,
                                     "url": "https://example.org/s"}]
    plain = Finding(id="y", title="Y", category="personal_information", statement="s", strength="weak",
                    measures={}, evidence=[], rule="r", remedy="m", context="Just words.")
    assert plain.as_dict()["context"] == "Just words." and plain.as_dict()["context_sources"] == []
    assert Work("sweeney2000", authors="Sweeney", year=2000).reference() == "Sweeney (2000)."


def test_cited_works_are_numbered_in_reading_order_once_each():
    def f(fid, cat, *ids):
        return {"id": fid, "category": cat, "context_sources": [{"id": i, "reference": i.upper()} for i in ids]}

    refs = cited_works([f("late", "interpersonal_relationships", "b", "a"), f("early", "credit_history", "a"),
                        f("none", "personal_information")])
    assert refs == [{"number": 1, "id": "a", "reference": "A", "findings": ["early", "late"]},
                    {"number": 2, "id": "b", "reference": "B", "findings": ["late"]}]


def test_own_rules_may_add_cited_contexts_and_old_style_ones_still_load(tmp_path):
    (tmp_path / "mine.toml").write_text(
        '[source.doe2020]\nauthors = "Doe"\nyear = 2020\ntitle = "On things"\n\n'
        '[context.mine]\ntext = "Doe (2020) found things."\nsources = ["doe2020"]\n\n'
        '[context.sesame]\ntext = "An older rules file: text alone."\n\n'
        '[context]\nbare = "A bare string."\n', encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.cite("mine") == Cited("Doe (2020) found things.", (Work("doe2020", "Doe", 2020, "On things"),))
    assert rules.cite("sesame") == Cited("An older rules file: text alone.", ())
    assert rules.cite("bare") == Cited("A bare string.", ())
    assert rules.cite("kosinski_politics").works[0].doi == "10.1073/pnas.1218772110"


def test_a_context_citing_an_undescribed_work_is_a_clear_error(tmp_path):
    (tmp_path / "mine.toml").write_text('[context.mine]\ntext = "Someone found it."\nsources = ["nobody"]\n',
                                        encoding="utf-8")
    with pytest.raises(UserError, match=r"context mine cites nobody, which no \[source.NAME\] table describes"):
        load_rules(tmp_path)
    (tmp_path / "mine.toml").write_text('[context.mine]\nsources = ["kosinski2013"]\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"mine.toml: \[context.mine\] needs a text"):
        load_rules(tmp_path)
