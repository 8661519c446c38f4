"""The keyword findings on small made-up chats: what is concluded, what is set aside, what is not assessed.

Each vault is one person's WhatsApp chat over two months with ordinary small talk in their language and a few
planted lines; the assertions say what a fair analyst would conclude from exactly those lines.
"""

from __future__ import annotations

import datetime as dt

import pytest

from datavault.records import Message, PlatformInference
from datavault.report import build_report
from tests.vaultkit import make_vault, sql_trace

FILLER = {
    "en": ["See you at six, the usual place?", "That was such a good film last night", "Running a bit late, sorry",
           "Can you send me the photos from Saturday?", "The weather is awful again today",
           "I'm cooking pasta tonight if you want to come over", "Thanks so much for yesterday",
           "Did you watch the match on Sunday evening?"],
    "de": ["Bis später, wir treffen uns am Bahnhof", "Der Film gestern war wirklich gut",
           "Ich komme ein bisschen später, sorry", "Kannst du mir die Fotos vom Samstag schicken?",
           "Das Wetter ist heute wieder furchtbar", "Ich koche heute Abend Nudeln, willst du vorbeikommen?",
           "Danke nochmal für gestern", "Hast du das Spiel am Sonntag gesehen?"],
    "tr": ["Akşam altıda görüşürüz, her zamanki yerde mi?", "Dün akşamki film gerçekten çok güzeldi",
           "Biraz geç kalacağım, kusura bakma", "Cumartesi günkü fotoğrafları bana gönderir misin?",
           "Bugün hava yine çok kötü", "Bu akşam makarna yapıyorum, gelmek ister misin?",
           "Dün için çok teşekkürler", "Pazar akşamı maçı izledin mi?"],
}
START = dt.datetime(2024, 3, 1, 9, 0)


def chat(lang: str, planted: list[str], n: int = 120, me: str = "Alex") -> list:
    """``n`` own messages and as many replies over 60 days; ``planted`` lines replace own messages evenly."""
    out = []
    every = max(1, n // max(1, len(planted))) if planted else 0
    for i in range(n):
        when = START + dt.timedelta(hours=12 * i + (i % 5))
        text = planted[i // every] if planted and i % every == 0 and i // every < len(planted) else \
            FILLER[lang][i % len(FILLER[lang])]
        for k, (sender, owner, body) in enumerate(((me, True, text), ("Sam", False, FILLER[lang][(i + 3) % 8]))):
            line = 2 * i + k + 1
            out.append(Message(time=(when + dt.timedelta(minutes=k)).isoformat(), platform="whatsapp",
                               conversation="Sam", sender=sender, text=body, from_owner=owner,
                               source_file="WhatsApp Chat with Sam.txt", locator=f"line {line}", key=("wa", line)))
    return out


def report_of(tmp_path, records) -> dict:
    return build_report(make_vault(tmp_path / "v.sqlite", records), tz="Europe/London", use_cache=False)


def outcome(report: dict, finding_id: str) -> tuple[str, dict]:
    for kind in ("findings", "not_assessed", "clear"):
        for entry in report[kind]:
            if entry["id"] == finding_id:
                return kind, entry
    raise AssertionError(f"{finding_id} is nowhere in the report")


def test_i_dont_have_kids_is_not_a_parent(tmp_path):
    r = report_of(tmp_path, chat("en", ["I don't have kids, so Saturday works", "No kids for me, honestly"] * 7))
    kind, entry = outcome(r, "parent")
    assert kind == "clear"
    assert "14 negated" in entry["checked"]


def test_a_parent_writing_german(tmp_path):
    lines = ["Meine Tochter hat heute Fieber", "Ich muss die Kleine um drei aus der Kita abholen",
             "Windeln sind schon wieder alle", "Elternabend am Donnerstag, kannst du auf sie aufpassen?",
             "Unser Sohn schläft endlich durch", "Termin beim Kinderarzt morgen früh"] * 3
    kind, entry = outcome(report_of(tmp_path, chat("de", lines)), "parent")
    assert kind == "findings"
    assert entry["strength"] == "moderate"   # 18 records, but over two months: strong needs three
    assert (entry["measures"]["records"], entry["measures"]["months"]) == (18, 2)
    assert "de" in entry["measures"]["languages_read"]
    assert entry["evidence"][0]["locator"].startswith("line ")
    assert "the chat 'Sam'" in entry["remedy"]


def test_three_messages_are_not_assessed_and_not_scored(tmp_path):
    records = chat("en", ["kids are fine"], n=3)
    r = report_of(tmp_path, records)
    for finding_id in ("parent", "health", "religion", "trade_union", "political_expression", "financial_stress"):
        kind, entry = outcome(r, finding_id)
        assert kind == "not_assessed", (finding_id, kind)
        assert "at least 50" in entry["reason"]


def test_texts_in_a_language_without_word_lists_are_not_read(tmp_path):
    lines = ["Oğlum bugün okulda çok yoruldu", "Çocuklar uyudu sonunda", "Kızımın doktor randevusu yarın"] * 5
    r = report_of(tmp_path, chat("tr", lines, n=200))
    kind, entry = outcome(r, "parent")
    assert kind == "not_assessed"
    assert "Turkish" in entry["reason"]
    unread = [e for e in r["not_assessed"] if e["id"] == "unread_text_tr"]
    assert unread and unread[0]["reason"].startswith("200 of your texts in Turkish were not read for: parent")


def test_platform_labels_alone_make_no_finding(tmp_path):
    labels = [PlatformInference(platform="facebook", category="interest", value=v, time=None,
                                source_file="ads_information/ad_preferences.json", key=("ad", v))
              for v in ("Parenting", "Diabetes", "Islam", "LGBT culture", "Labour Party")]
    r = report_of(tmp_path, chat("en", []) + labels)
    for finding_id in ("parent", "health", "religion", "sexual_orientation", "political_expression"):
        kind, entry = outcome(r, finding_id)
        assert kind == "clear", (finding_id, kind)
        assert "not a record of yours" in entry["checked"]


def test_platform_label_corroborates_a_finding_from_own_records(tmp_path):
    lines = ["Picked my son up from nursery", "My daughter starts school in September", "Nappies are on offer"] * 4
    label = PlatformInference(platform="facebook", category="interest", value="Parenting", time=None,
                              source_file="ads_information/ad_preferences.json", key=("ad", 1))
    kind, entry = outcome(report_of(tmp_path, chat("en", lines) + [label]), "parent")
    assert kind == "findings"
    assert entry["measures"]["records"] == 12          # the label is not one of them
    assert entry["measures"]["platform_labels"] == ["Parenting"]
    assert "Facebook files you under 'Parenting'" in entry["statement"]
    assert "Ad preferences" in entry["remedy"]


def test_counter_strike_chat_is_not_politics(tmp_path):
    lines = ["Counter-Strike tonight? ranked at 9", "that strike on B site was insane", "CS2 update broke my config",
             "One more Counter-Strike match then bed"] * 4
    r = report_of(tmp_path, chat("en", lines))
    for finding_id in ("political_expression", "trade_union"):
        assert outcome(r, finding_id)[0] == "clear", finding_id


@pytest.mark.parametrize("lang, lines", [
    ("en", ["We're on strike from Friday, picket line at 6", "Union meeting tonight about the strike ballot",
            "Our shop steward says the ballot passed", "Trade union dues went up again"]),
    ("de", ["Morgen Warnstreik, wir treffen uns vor dem Tor", "Gewerkschaftsversammlung heute Abend",
            "Der Betriebsrat hat die Urabstimmung angesetzt", "Ich bin jetzt bei ver.di Mitglied"]),
])
def test_union_member_in_two_languages(tmp_path, lang, lines):
    kind, entry = outcome(report_of(tmp_path, chat(lang, lines * 4)), "trade_union")
    assert kind == "findings", entry
    assert entry["sensitive"] == ["trade_union"]


def mails(bodies: list[str]) -> list:
    """E-mails to the person (a Gmail mbox's messages), one every three days, under a neutral subject."""
    return [Message(time=(START + dt.timedelta(days=3 * i)).isoformat(), platform="gmail", conversation="Newsletter",
                    sender="school@example.org", text=body, from_owner=False,
                    source_file="Takeout/Mail/All mail.mbox", locator=f"message {i + 1}", key=("mail", i))
            for i, body in enumerate(bodies)]


def test_e_mails_are_read_and_a_vault_without_any_is_not_searched_for_them(tmp_path):
    bodies = ["Parents evening on Thursday at six",
              "Nursery pick-up times for your daughter have changed", "Paediatrician appointment for your son",
              "The school run rota for next week", "A babysitter for Saturday night?"] * 3
    kind, entry = outcome(report_of(tmp_path / "mail", chat("en", []) + mails(bodies)), "parent")
    assert kind == "findings"
    assert (entry["measures"]["e-mails"], entry["measures"]["texts_read"]) == (15, 120 + 15)

    # without e-mail, the e-mail source is skipped from the senders rollup: no query walks the messages for it
    vault = make_vault(tmp_path / "chat.sqlite", chat("en", ["Picking up my daughter from nursery"] * 20))
    with sql_trace() as statements:
        kind, entry = outcome(build_report(vault, tz="Europe/London", use_cache=False), "parent")
    assert kind == "findings" and "e-mails" not in entry["measures"]
    assert any("from_owner = 1" in s for s in statements), "the trace must see the report's queries"
    assert not [s for s in statements if "FROM rec_messages" in s and "(platform = 'gmail')" in s]


def test_every_source_filter_reads_the_same_on_its_table_rollup(tmp_path):
    """A source's filter is asked of its table's rollup before the records (engine.ROLLUP_OF): it must name only
    the rollup's columns and say there what it says on the records (own WhatsApp messages and YouTube watches
    here; no e-mail, search or page)."""
    import sqlite3

    from datavault.findings import keywords as kw
    from datavault.findings.clock import Clock
    from datavault.findings.engine import ROLLUP_OF, Ctx, Source
    from datavault.findings.ruleset import load_rules
    from datavault.records import Activity
    from zoneinfo import ZoneInfo

    watches = [Activity(time=f"2024-03-0{d}T20:00:00Z", platform="google", product="YouTube", action="watched",
                        title="Watched a film", key=("yt", d)) for d in range(1, 4)]
    vault = make_vault(tmp_path / "v.sqlite", chat("en", [], n=5) + watches)
    ctx = Ctx(sqlite3.connect(vault), load_rules(), Clock(ZoneInfo("Europe/London"), 2024, 2024))
    sources = [s for s in vars(kw).values() if isinstance(s, Source) and s.table in ROLLUP_OF]
    assert {s.label: ctx.in_rollup(s, timed=True) for s in sources} == {
        "searches": False, "videos watched": True, "pages and apps": False, "own messages": True,
        "e-mails": False}
    for src in sources:  # and on the records themselves the same
        found = ctx.conn.execute(f"SELECT 1 FROM rec_{src.table} WHERE ({src.where}) AND ts IS NOT NULL "
                                 "LIMIT 1").fetchone() is not None
        assert found == ctx.in_rollup(src, timed=True), src.label


def test_the_word_index_is_asked_each_question_once_and_a_full_cache_changes_no_finding(tmp_path, monkeypatch):
    """The own records and the contacts' messages are scanned for the same lexicons: the word index's answer to
    each (table, query) is kept for the second scan (engine.Ctx.hit_ids), within a bound, oldest dropped."""
    from datavault.findings import engine

    monkeypatch.setenv("DATAVAULT_FINDINGS", "inline")  # one process: every statement is traced here
    vault = make_vault(tmp_path / "v.sqlite", chat("en", ["Picking up my daughter from nursery",
                                                          "The union strike vote is on Friday"] * 10))

    def run() -> tuple[dict, list[str]]:
        with sql_trace() as statements:
            report = build_report(vault, tz="Europe/London", use_cache=False)
        return report, [s for s in statements if " MATCH " in s]

    kept, asked = run()
    assert asked and len(asked) == len(set(asked))  # each question once (the trace shows the bound query)
    monkeypatch.setattr(engine, "HIT_CACHE_IDS", 0)  # nothing is kept beyond the latest answer
    dropped, asked_again = run()
    assert len(asked_again) > len(asked)
    drop = ("generated",)  # when each report was made
    assert {k: v for k, v in kept.items() if k not in drop} == {k: v for k, v in dropped.items() if k not in drop}
    assert outcome(kept, "parent")[0] == "findings"


def test_a_lexicons_pattern_is_compiled_only_to_show_a_long_text_around_its_cue(tmp_path):
    """Evidence shows a short text whole; only a text longer than an excerpt needs the lexicon's pattern, to
    centre the excerpt on the cue (the pattern of a lexicon costs 50-70 ms to compile)."""
    import sqlite3
    from zoneinfo import ZoneInfo

    from datavault.findings import keywords as kw
    from datavault.findings.clock import Clock
    from datavault.findings.engine import Ctx
    from datavault.findings.model import EXCERPT_CHARS
    from datavault.findings.ruleset import load_rules

    def scanned(name: str, planted: list[str]):
        ctx = Ctx(sqlite3.connect(make_vault(tmp_path / name, chat("en", planted))), load_rules(),
                  Clock(ZoneInfo("Europe/London"), 2024, 2024))
        lexicon = ctx.rules.lexicon("parenthood")
        return ctx.scan(lexicon, [kw.OWN_MESSAGES]), lexicon

    scan, lexicon = scanned("short.sqlite", ["Picking up my daughter from nursery"] * 5)
    assert [e.excerpt for e in scan.evidence][:1] == ["Picking up my daughter from nursery"]
    assert lexicon._regex is None
    preamble = "We walked along the river for hours and talked about the weather and the trains. " * 4
    scan, lexicon = scanned("long.sqlite", [preamble + "Then I picked up my daughter from nursery."] * 5)
    excerpt = scan.evidence[0].excerpt
    assert excerpt.startswith("…") and "daughter" in excerpt and len(excerpt) <= EXCERPT_CHARS
    assert lexicon._regex is not None


def test_a_lexicons_word_index_query_is_made_once_and_again_when_terms_are_added():
    from datavault.findings.ruleset import Lexicon, Term, load_rules

    lexicon = load_rules().lexicon("parenthood")
    query = lexicon.fts_query()
    assert lexicon.fts_query() is query and '("my" AND "daughter"*)' in query.split(" OR ")
    grown = Lexicon("x", "x", terms=[Term("nursery", "test", "en")])
    first = grown.fts_query()
    grown.terms.append(Term("babysitter", "test", "en"))
    assert (first, grown.fts_query()) == ('"nurser"*', '"babysitt"* OR "nurser"*')
    assert Lexicon("empty", "empty").fts_query() is None
