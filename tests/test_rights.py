"""What an export leaves out (datavault/rights/gaps.py) and the request letters (datavault/rights/letters.py,
``datavault request``).

The letters of the demo persona are compared with golden files in tests/golden/letters/. When a template or
the demo persona changes them on purpose, regenerate them with
``DATAVAULT_UPDATE_GOLDEN=1 pytest tests/test_rights.py`` and review the diff like a letter.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.demo.persona import PERSONA
from datavault.demo.run import build_demo_vault
from datavault.pipeline import import_paths
from datavault.render import render
from datavault.report import build_report, open_vault
from datavault.rights import letters as L
from datavault.rights.gaps import PLATFORMS, catalogue, export_gaps
from datavault.store import Vault
from tests.conftest import write_text, write_zip

GOLDEN = Path(__file__).parent / "golden" / "letters"
TODAY = dt.date(2026, 12, 6)
NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo"))
    return vault, build_report(vault, tz=PERSONA.timezone, now=NOW)


def _gaps(vault: Path) -> dict[str, dict]:
    conn = open_vault(vault)
    try:
        return {g["platform"]: g for g in export_gaps(conn)}
    finally:
        conn.close()


def _missing(gaps: dict[str, dict], platform: str) -> list[str]:
    return [item["id"] for item in gaps[platform]["missing"]]


# ---------------------------------------------------------------------------------------------------------------
# the gaps


def test_every_catalogue_item_is_complete():
    for platform in PLATFORMS:
        data = catalogue(platform)
        assert data["platform"] == platform and data["controller"] in L.controllers()
        ids = [item["id"] for item in data["item"]]
        assert len(ids) == len(set(ids)), platform
        for item in data["item"]:
            assert {"title", "article", "held", "missing", "source", "title_de", "title_fr", "title_es"} <= set(item), \
                (platform, item["id"])
            assert L._ARTICLE.match(item["article"].split(",")[0].strip()), (platform, item["id"])


def test_every_controller_has_its_address_and_wording_in_every_language():
    for key, entry in L.controllers().items():
        assert entry["name"] and entry["address"] and entry["checked"] == "2026-12", key
        assert set(entry["services"]) == set(entry["privacy_contact"]) == set(L.LANGS), key
        assert set(entry["platforms"]) <= {"google", "gmail", "facebook", "instagram", "whatsapp"}, key


def test_the_demo_export_lacks_what_it_lacks_and_not_what_it_holds(demo):
    vault, _ = demo
    gaps = _gaps(vault)
    assert list(gaps) == ["google", "facebook", "instagram", "whatsapp"]
    # the demo's Takeout holds a Records.json, its settings a retention period, Facebook its ad interests
    assert "location_history" not in _missing(gaps, "google") and "location_history" in gaps["google"]["present"]
    assert "retention" in gaps["google"]["present"]
    assert _missing(gaps, "google") == ["inferred_interests", "purposes", "categories", "recipients", "source",
                                        "automated_decisions"]
    assert _missing(gaps, "facebook") == ["topics", "uploaded_data_itself", "purposes", "recipients", "retention",
                                          "automated_decisions"]
    assert gaps["facebook"]["present"] == ["ad_interests", "ad_categories", "advertisers_with_your_data",
                                           "off_facebook_activity", "login_activity"]
    assert _missing(gaps, "whatsapp") == ["account_report", "metadata", "purposes", "recipients", "retention",
                                          "automated_decisions"]
    recipients = next(i for i in gaps["facebook"]["missing"] if i["id"] == "recipients")
    assert recipients == {"id": "recipients", "title": "The recipients your data was disclosed to",
                          "article": "15(1)(c)", "in_exports": False,
                          "why": "No list of recipients: the export does not name who received your data.",
                          "held": "Advertisers (as audiences and reports), measurement partners, other Meta companies."}


def _takeout_without_location(tmp_path: Path) -> Path:
    activity = json.dumps([{"header": "Search", "title": "Searched for bike repair", "time": "2025-03-01T10:00:00Z",
                            "products": ["Search"]}])
    return write_zip(tmp_path / "takeout-20250401T100000Z-001.zip",
                     {"Takeout/My Activity/Search/MyActivity.json": activity})


def test_a_takeout_without_location_history_is_told_so(tmp_path):
    vault = tmp_path / "v.sqlite"
    assert not import_paths(vault, [_takeout_without_location(tmp_path)]).errors
    gaps = _gaps(vault)
    assert list(gaps) == ["google"]  # no other platform imported: nothing said about its export
    assert _missing(gaps, "google") == ["location_history", "semantic_places", "inferred_interests",
                                        "youtube_history", "access_log", "retention", "purposes", "categories",
                                        "recipients", "source", "automated_decisions"]
    assert gaps["google"]["present"] == ["search_activity"]
    location = gaps["google"]["missing"][0]
    assert location["in_exports"] and location["why"].startswith("Since 2024 Google keeps Timeline on the phone")


def test_a_file_in_the_inventory_counts_even_unread(tmp_path):
    """WhatsApp's account report is not read by datavault, but its file in the inventory shows it was exported."""
    chat = "12/03/2024, 09:00 - Sam: Hi\n12/03/2024, 09:01 - Ana: Hello\n"
    folder = tmp_path / "in"
    write_text(folder, "WhatsApp Chat with Ana.txt", chat)
    vault = tmp_path / "v.sqlite"
    assert not import_paths(vault, [folder], me="Sam").errors
    assert "account_report" in _missing(_gaps(vault), "whatsapp")
    write_text(folder, "account/registration_information.json", '{"wa_registration_info": {"platform": "Android"}}')
    assert not import_paths(vault, [folder], me="Sam").errors
    gaps = _gaps(vault)
    assert "account_report" not in _missing(gaps, "whatsapp") and gaps["whatsapp"]["present"] == ["chats",
                                                                                                     "account_report"]


def test_the_report_shows_the_section_in_every_format(demo):
    _, report = demo
    assert [g["platform"] for g in report["gaps"]] == ["google", "facebook", "instagram", "whatsapp"]
    for fmt in ("text", "md", "html"):
        doc = render(report, fmt)
        assert "What your export leaves out" in doc, fmt
        assert "Topics Facebook inferred" in doc and "Request account info" in doc, fmt
        assert "Location history (Timeline" not in doc, fmt  # present in the demo's Takeout
        assert "--controller whatsapp --kind access" in " ".join(doc.split()), fmt
    assert json.loads(render(report, "json"))["gaps"] == report["gaps"]


def test_inventory_shows_the_gaps_in_text_and_json(demo):
    vault, _ = demo
    as_json = runner.invoke(app, ["--vault", str(vault), "inventory", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["gaps"] == list(_gaps(vault).values())
    text = runner.invoke(app, ["--vault", str(vault), "inventory"])
    assert text.exit_code == 0
    assert "What your export leaves out" in text.stdout
    assert ("Facebook (Facebook \"Download Your Information\"): 6 of 11 items missing; ask for them with 'datavault "
            "request --controller meta --kind access'") in " ".join(text.stdout.split())


# ---------------------------------------------------------------------------------------------------------------
# the letters


CASES = [("google", "access", "en", "md"), ("meta", "access", "de", "md"), ("meta", "objection", "en", "md"),
         ("meta", "objection", "fr", "text"), ("whatsapp", "access", "es", "md"), ("google", "erasure", "en", "text"),
         ("meta", "restriction", "de", "md")]


@pytest.mark.parametrize("controller,kind,lang,fmt", CASES)
def test_demo_letters_match_golden(demo, controller, kind, lang, fmt):
    vault, report = demo
    [letter] = L.write_letters(vault, controller, kind, lang, fmt, today=TODAY, report=report)
    text = L.render_letter(letter, fmt)
    golden = GOLDEN / f"{kind}_{controller}_{lang}.{'md' if fmt == 'md' else 'txt'}"
    if os.environ.get("DATAVAULT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_access_letter_cites_the_articles_and_names_the_gaps(demo):
    vault, report = demo
    [letter] = L.write_letters(vault, "google", "access", "en", "text", today=TODAY, report=report)
    text = L.render_letter(letter, "text")
    assert "Google Ireland Limited\nData Protection Officer" in text and "Gordon House\nBarrow Street\nDublin 4" in text
    assert "checked 2026-12: verify it before sending" in text
    for point in "abcdefgh":
        assert f"\n- ({point}) " in text
    assert "Article 15(3) GDPR" in text and "(Article 12(3) GDPR)" in text and "Article 22(1) and (4)" in text
    assert "- Inferred interests and topics (My Ad Center, Discover) (Art. 15(1)(b), Art. 15(3) GDPR)" in text
    assert "- E-mail: sam.rivera@example.org (in my exports from Google)" in text
    assert "Location history" not in text  # the demo's Takeout holds it


def test_the_objection_letter_names_labels_and_inferences(demo):
    vault, report = demo
    [letter] = L.write_letters(vault, "meta", "objection", "en", "text", today=TODAY, report=report)
    text = L.render_letter(letter, "text")
    assert "Meta Platforms Ireland Limited\nData Protection Officer" in text and "D04 X2K5" in text
    assert "- Ad interest (Facebook): Payday loan" in text and "- Topic (Instagram): Climbing" in text
    assert "- Advertiser using my activity or information (Instagram): Little Acorns Baby Store" in text
    assert "- that I am in money trouble (debt, loans, gambling) (strong evidence)" in text
    assert "Article 21(1)" in text and "Article 21(2)" in text and "(Article 22(3) GDPR)" in text
    assert "HOME: Home" not in text  # a Google label, not Meta's
    assert "that I am idle" not in text  # no such finding in the demo


def test_a_controller_not_in_the_list_gets_a_generic_letter(demo):
    vault, report = demo
    [letter] = L.write_letters(vault, "Acme Insurance Ltd", "access", "en", "text", today=TODAY, report=report)
    text = L.render_letter(letter, "text")
    assert ("To:\nAcme Insurance Ltd\n[Fill in the postal address or privacy e-mail address of Acme Insurance Ltd: "
            "datavault does not know it.]") in text
    assert "- Phone: +447700900123 (in my exports from Google, Facebook)" in text
    assert "- User name: sam.rivera (in my exports from Instagram)" in text
    assert "I am a user of" not in text and "does not contain the following" not in text
    assert "(h) the existence of automated decision-making" in text


def test_a_known_controller_is_found_by_its_name_too(demo):
    vault, report = demo
    [by_key] = L.write_letters(vault, "WhatsApp", "access", "en", "md", today=TODAY, report=report)
    [by_name] = L.write_letters(vault, "whatsapp ireland limited", "access", "en", "md", today=TODAY, report=report)
    assert by_key.addressee == by_name.addressee == "WhatsApp Ireland Limited"
    assert L.render_letter(by_key, "md") == L.render_letter(by_name, "md")


def test_one_letter_per_advertiser_with_what_the_export_says(demo):
    vault, report = demo
    letters = L.write_letters(vault, "advertisers", "objection", "en", "md", today=TODAY, report=report)
    assert [x.addressee for x in letters] == ["Leeds Labour Party", "Little Acorns Baby Store",
                                              "Little Acorns Nursery", "Nappy World", "QuickCash Loans UK"]
    nappy = L.render_letter(letters[3], "md")
    assert ("you uploaded a list containing my personal data to Meta (a custom audience from a customer list) and "
            "used my activity on your website or app to reach me through Meta (remarketing)") in nappy
    assert "[Fill in the postal address or privacy e-mail address of Nappy World" in nappy
    assert "Article 21(2) GDPR" in nappy and "Articles 14(2)(f) and 15(1)(g)" in nappy
    golden = GOLDEN / "objection_advertiser_nappy-world_en.md"
    if os.environ.get("DATAVAULT_UPDATE_GOLDEN"):
        golden.write_text(nappy, encoding="utf-8")
    assert nappy == golden.read_text(encoding="utf-8")
    baby_store = L.render_letter(letters[1], "text")
    assert "export from Instagram (Meta Platforms Ireland Limited)" in baby_store


def test_vault_text_cannot_become_markdown(tmp_path):
    assert L._md_escape("*bold* [link](x) <b>") == "\\*bold\\* \\[link\\](x) \\<b\\>"
    assert L._text_escape("a\x1b[31mred\nb") == "ared b"


def test_citations_in_each_language():
    assert L.cite("15(1)(b), 15(3)", L.template("en")) == "Art. 15(1)(b), Art. 15(3) GDPR"
    assert L.cite("15(1)(b), 15(3)", L.template("de")) == "Art. 15 Abs. 1 lit. b; Art. 15 Abs. 3 DSGVO"
    assert L.cite("15(1)(g)", L.template("fr")) == "art. 15, par. 1, point g) du RGPD"
    assert L.cite("15(1)(d)", L.template("es")) == "art. 15, apdo. 1, letra d) del RGPD"


def test_every_template_has_every_key_of_the_english_one():
    def keys(d, prefix=""):
        return {prefix + k for k, v in d.items() if not isinstance(v, dict)} | {
            x for k, v in d.items() if isinstance(v, dict) for x in keys(v, prefix + k + ".")}

    english = keys(L.template("en"))
    for lang in L.LANGS:
        assert keys(L.template(lang)) == english, lang
        assert len(L.template(lang)["access"]["items"]) == 8


# ---------------------------------------------------------------------------------------------------------------
# the command


def test_request_writes_a_private_file_and_remembers_it(demo, tmp_path):
    vault, _ = demo
    out = tmp_path / "letter.md"
    result = runner.invoke(app, ["--vault", str(vault), "request", "--controller", "google", "--kind", "access",
                                 "--lang", "de", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Letter to Google Ireland Limited written to" in result.stderr and "not legal advice" in result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8").startswith("Sam Rivera\\\n[Ihre Postanschrift]\n\nDatum: ")
    ledger = sqlite3.connect(vault).execute("SELECT kind FROM written_files WHERE path = ?",
                                            (str(out.resolve()),)).fetchall()
    assert ledger == [("request letter",)]


def test_request_for_advertisers_writes_one_file_each(demo, tmp_path):
    vault, _ = demo
    folder = tmp_path / "letters"
    result = runner.invoke(app, ["--vault", str(vault), "request", "--controller", "advertisers", "--kind",
                                 "objection", "--format", "text", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["leeds-labour-party.txt", "little-acorns-baby-store.txt",
                                                        "little-acorns-nursery.txt", "nappy-world.txt",
                                                        "quickcash-loans-uk.txt"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    assert "QuickCash Loans UK" in (folder / "quickcash-loans-uk.txt").read_text(encoding="utf-8")
    ledger = sqlite3.connect(vault).execute("SELECT kind FROM written_files WHERE path = ?",
                                            (str(folder.resolve()),)).fetchall()
    assert ledger == [("request letters",)]
    batch = runner.invoke(app, ["--vault", str(vault), "request", "--controller", "advertisers", "--kind",
                                "objection"])
    assert batch.exit_code == 0 and batch.stdout.count("**Objection to the processing") == 5
    assert batch.stdout.count("\n" + "=" * 72 + "\n") == 4


def test_unique_file_names():
    taken: set[str] = set()
    assert [L.file_name(n, "md", taken) for n in ("Nappy World", "nappy  world!", "../..", "Café Ñ")] == \
        ["nappy-world.md", "nappy-world-2.md", "advertiser.md", "café-ñ.md"]


@pytest.mark.parametrize("option,value,choices", [
    ("--kind", "complaint", "'access', 'erasure', 'objection', 'restriction'"),
    ("--lang", "it", "'en', 'de', 'fr', 'es'"),
    ("--format", "html", "'md', 'text'"),
])
def test_unknown_choices_are_usage_errors_listing_them(demo, option, value, choices):
    vault, _ = demo
    args = {"--kind": "access", "--lang": "en", "--format": "md", option: value}
    result = runner.invoke(app, ["--vault", str(vault), "request", "--controller", "google",
                                 *[x for pair in args.items() for x in pair]])
    assert result.exit_code == 2
    assert choices in " ".join(result.output.replace("│", " ").split())
    assert "Traceback" not in result.output


def test_request_needs_a_controller_and_a_kind(demo):
    vault, _ = demo
    assert runner.invoke(app, ["--vault", str(vault), "request", "--kind", "access"]).exit_code == 2
    assert runner.invoke(app, ["--vault", str(vault), "request", "--controller", "google"]).exit_code == 2
    blank = runner.invoke(app, ["--vault", str(vault), "request", "--controller", " ", "--kind", "access"])
    assert blank.exit_code == 1 and "Name the controller" in blank.stderr


def test_an_empty_vault_says_so(tmp_path):
    empty = tmp_path / "empty.sqlite"
    Vault.open(empty).close()
    result = runner.invoke(app, ["--vault", str(empty), "request", "--controller", "google", "--kind", "access"])
    assert result.exit_code == 1
    assert "The vault holds no exports yet" in result.stderr and "Traceback" not in result.output
    missing = runner.invoke(app, ["--vault", str(tmp_path / "none.sqlite"), "request", "--controller", "google",
                                  "--kind", "access"])
    assert missing.exit_code == 1 and "no vault at" in missing.stderr


def test_no_advertisers_and_bad_out_paths_are_clear(tmp_path, demo):
    vault = tmp_path / "v.sqlite"
    assert not import_paths(vault, [_takeout_without_location(tmp_path)]).errors
    result = runner.invoke(app, ["--vault", str(vault), "request", "--controller", "advertisers", "--kind",
                                 "objection"])
    assert result.exit_code == 1 and "No advertiser with your data is in the vault" in result.stderr
    demo_vault, _ = demo
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    result = runner.invoke(app, ["--vault", str(demo_vault), "request", "--controller", "advertisers", "--kind",
                                 "objection", "--out", str(a_file)])
    assert result.exit_code == 1 and "it is a file; name a folder" in result.stderr
    assert a_file.read_text() == "x"
    result = runner.invoke(app, ["--vault", str(demo_vault), "request", "--controller", "meta", "--kind", "access",
                                 "--out", str(tmp_path / "no" / "such" / "letter.md")])
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_request_opens_no_network_connection(demo, network_attempts):
    vault, _ = demo
    for controller, kind in (("meta", "objection"), ("advertisers", "erasure"), ("whatsapp", "restriction")):
        result = runner.invoke(app, ["--vault", str(vault), "request", "--controller", controller, "--kind", kind])
        assert result.exit_code == 0, result.output
    assert network_attempts == []


def test_request_has_help_that_says_where_the_vault_goes():
    help_text = " ".join(runner.invoke(app, ["request", "--help"]).stdout.split())
    assert "--vault PATH" in help_text and "advertisers" in help_text


def test_a_finding_concerns_a_controller_by_its_records_or_its_labels(demo):
    vault, _ = demo
    chat = {"source_file": "WhatsApp Chat with Jordan Lee.txt"}
    takeout = {"source_file": "Takeout/My Activity/Search/MyActivity.json"}
    report = {"findings": [
        {"id": "parent", "evidence": [chat]},
        {"id": "health", "evidence": [takeout]},
        {"id": "personal_exposure", "evidence": [takeout]},
        {"id": "platform_conclusions", "evidence": [],
         "details": [{"platform": "facebook", "label": "Parenting", "datavault_finding": ["parent"]}]},
    ]}
    conn = open_vault(vault)
    try:
        assert [f["id"] for f in L.findings_for(conn, report, ["facebook", "instagram"])] == ["parent"]
        assert [f["id"] for f in L.findings_for(conn, report, ["google", "gmail"])] == ["health"]
        assert [f["id"] for f in L.findings_for(conn, report, ["whatsapp"])] == ["parent"]
    finally:
        conn.close()


def test_each_finding_names_the_requests_about_it_and_the_html_card_shows_them(demo):
    vault, report = demo
    requests = {f["id"]: {(r["controller"], r["kind"]) for r in f.get("requests", [])} for f in report["findings"]}
    assert ("meta", "objection") in requests["parent"]  # the demo's nappy ads and Messenger lines
    assert requests["health"] == {("google", "objection"), ("google", "erasure")}  # Art. 9: erasure too
    assert ("whatsapp", "erasure") not in requests["parent"]  # not a special category: objection only
    assert requests["personal_exposure"] == set()  # where one's identifiers are: nothing to object to
    html = render(report, "html")
    card = html[html.index("id='f-health'"):]
    card = card[:card.index("<div class='card'", 1)]
    assert "What you can ask" in card and "<code>datavault request --controller google --kind erasure</code>" in card
    assert "Google Ireland Limited: ask for its data to be erased (GDPR Art. 17)" in card


def test_the_request_command_offers_exactly_the_letters_there_are():
    """The CLI spells its choices out (importing the letters would slow every command's start): they must stay
    the letters module's own."""
    from datavault.cli import RequestFormat, RequestKind, RequestLang

    assert tuple(k.value for k in RequestKind) == L.KINDS
    assert tuple(k.value for k in RequestLang) == L.LANGS
    assert tuple(k.value for k in RequestFormat) == L.FORMATS
