"""Sentiment of the person's own words: only their own texts, languages not covered reported, findings shaped
for the report."""

import sqlite3

import pytest

from datavault.expression.findings import expression_section
from datavault.expression.language import detect_language
from datavault.expression.sentiment import analyse, analyse_vault, OwnText, search_query

MESSAGE_COLUMNS = ("time, platform, conversation, sender, from_owner, text, kind, edited, source_file, locator")


def make_vault(path, messages=(), posts=(), activities=()):
    """A SQLite file with the contract's views as plain tables (the same names and fields)."""
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE messages ({MESSAGE_COLUMNS})")
    conn.execute("CREATE TABLE posts (time, platform, kind, text, target, source_file, locator)")
    conn.execute("CREATE TABLE activities (time, platform, product, action, title, url, source_file, locator)")
    conn.executemany("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?,?)", messages)
    conn.executemany("INSERT INTO posts VALUES (?,?,?,?,?,?,?)", posts)
    conn.executemany("INSERT INTO activities VALUES (?,?,?,?,?,?,?,?)", activities)
    conn.commit()
    conn.close()
    return path


def msg(time, text, from_owner=1, kind="text", locator="line 1"):
    return (time, "whatsapp", "Jordan Lee", "Sam" if from_owner else "Jordan Lee", from_owner, text, kind, 0,
            "WhatsApp Chat with Jordan Lee.txt", locator)


@pytest.fixture
def vault(tmp_path):
    return make_vault(tmp_path / "vault.sqlite", messages=[
        msg("2024-01-05T09:00:00", "I hate this traffic, so annoying!!", locator="line 3"),
        msg("2024-01-06T09:00:00", "Thanks so much, love you :)", locator="line 4"),
        msg("2024-02-01T20:00:00", "Going to the protest tomorrow, the union called a strike", locator="line 9"),
        msg("2024-02-02T20:00:00", "Obrigado, até amanhã!", locator="line 10"),
        msg("2024-02-03T20:00:00", "😂😂", locator="line 11"),
        msg("2024-02-04T20:00:00", "", locator="line 12"),
        msg("2024-02-05T20:00:00", "IMG-0001.jpg (file attached)", kind="media", locator="line 13"),
        # another person's words: never read, however negative
        msg("2024-01-07T09:00:00", "You are a terrible, awful, hateful person", from_owner=0, locator="line 5"),
        msg("2024-01-08T09:00:00", "Unknown sender, horrible day", from_owner=None, locator="line 6"),
    ], posts=[
        ("2024-03-01T12:00:00Z", "facebook", "post", "What a wonderful day at the beach", None,
         "your_posts_1.json", "[0]"),
        ("2024-03-02T12:00:00Z", "facebook", "reaction", "LIKE", None, "reactions.json", "[0]"),
        ("2024-03-03T12:00:00Z", "facebook", "search", "refugee support groups leeds", None,
         "your_search_history.json", "searches_v2[0]"),
    ], activities=[
        ("2024-03-04T08:00:00Z", "google", "Search", "searched", "Searched for sad songs",
         "https://www.google.com/search?q=sad+songs", "My Activity/Search/MyActivity.json", "[0]"),
        ("2024-03-04T08:05:00Z", "google", "YouTube", "watched", "Watched Terrible Movie Trailer",
         "https://www.youtube.com/watch?v=x", "My Activity/YouTube/MyActivity.json", "[0]"),
    ])


def test_only_own_words_are_scored(vault):
    result = analyse_vault(vault)
    assert result["sources"] == {"activities:search": 1, "messages:message": 6, "posts:post": 1,
                                 "posts:search": 1}
    assert result["texts"] == 9 and result["empty"] == 1
    assert result["not_assessed"] == 1 and result["not_assessed_languages"] == {"pt": 1}
    assert result["assessed"] == 7
    excerpts = [e["excerpt"] for e in result["most_negative"] + result["most_positive"]]
    assert not any("hateful" in e or "horrible" in e for e in excerpts)
    assert result["most_negative"][0] == {
        "table": "messages", "kind": "message", "time": "2024-01-05T09:00:00", "platform": "whatsapp",
        "source_file": "WhatsApp Chat with Jordan Lee.txt", "locator": "line 3", "score": -0.8305,
        "excerpt": "I hate this traffic, so annoying!!", "language": "en"}
    assert [e["excerpt"] for e in result["most_negative"]] == [
        "I hate this traffic, so annoying!!", "sad songs",
        "Going to the protest tomorrow, the union called a strike"]
    assert result["months"] == [
        {"month": "2024-01", "count": 2, "mean": 0.0274, "negative_share": 0.5, "hostile_share": 0.5,
         "not_assessed": 0},
        {"month": "2024-02", "count": 2, "mean": 0.1696, "negative_share": 0.5, "hostile_share": 0.0,
         "not_assessed": 1},
        {"month": "2024-03", "count": 3, "mean": 0.1657, "negative_share": 0.3333, "hostile_share": 0.0,
         "not_assessed": 0}]
    assert result["hostile_share"] == round(1 / 7, 4)


def test_protest_vocabulary_and_what_the_words_cost(vault):
    vocab = analyse_vault(vault)["protest_vocabulary"]
    assert vocab["texts"] == 2
    assert vocab["sensitive"] == ["politics", "trade_union"]
    assert [(t["term"], t["count"]) for t in vocab["terms"]] == [
        ("protest", 1), ("refugee", 1), ("strike", 1), ("union", 1)]
    protest = vocab["terms"][0]
    # "protest" carries -1.0 in VADER's lexicon: with "meeting" in its place the message scores 0.2332 higher
    assert protest["mean_shift_from_word"] == -0.2332
    assert vocab["mean_shift_from_words"] == pytest.approx((-0.3612 - 0.0) / 2, abs=1e-4)


def test_a_small_vault_gets_no_mood_and_no_vocabulary_finding(vault):
    section = expression_section(vault)
    assert section["findings"] == []
    reasons = {n["id"]: n["reason"] for n in section["not_assessed"]}
    assert reasons["mood_trajectory"].startswith("only 7 of your texts could be scored; a mood needs at least 50")
    assert reasons["protest_vocabulary"].startswith("2 of your 7 scored texts use political or protest vocabulary")


def test_counter_strike_is_not_protest_vocabulary(tmp_path):
    v = make_vault(tmp_path / "v.sqlite", messages=[msg("2024-01-01T20:00:00", "Counter-Strike tonight? ranked")])
    assert analyse_vault(v)["protest_vocabulary"]["texts"] == 0


def test_findings_are_shaped_for_the_report(vault):
    section = expression_section(vault, min_texts=1, min_vocabulary_texts=1)
    mood, vocab = section["findings"]
    keys = {"id", "title", "category", "sensitive", "statement", "strength", "measures", "evidence", "rule",
            "context", "remedy", "details", "evidence_total"}
    assert keys == set(mood) and keys == set(vocab)  # exactly the report's Finding fields
    assert mood["id"] == "mood_trajectory" and mood["category"] == "personal_information"
    assert mood["statement"] == (
        "A scorer running an offline sentiment model over 7 of your own messages, posts and searches would rate "
        "43% of them negative and 14% 'hostile'; your lowest month was 2024-01 (mean +0.03). 1 texts in other "
        "languages were not assessed: the model only reads English.")
    assert mood["strength"] == "weak"
    assert mood["evidence"][0] == {"table": "messages", "time": "2024-01-05T09:00:00",
                                   "source_file": "WhatsApp Chat with Jordan Lee.txt", "locator": "line 3",
                                   "excerpt": "I hate this traffic, so annoying!!"}
    assert mood["evidence_total"] == 3
    assert mood["details"][0] == {"month": "2024-01", "texts": 2, "mean": 0.0274, "negative_share": 0.5,
                                  "hostile_share": 0.5, "not_assessed": 0}
    assert vocab["details"][0] == {"term": "protest", "texts": 1, "mean_score": -0.3612, "shift_from_word": -0.2332}
    assert '"I am straight" +0.23, "I am gay" +0.00, "I am blind" -0.40, "I am poor" -0.48' in mood["context"]
    assert vocab["id"] == "protest_vocabulary" and vocab["sensitive"] == ["politics", "trade_union"]
    assert "('protest' -1.0, 'strike' -0.5 in its lexicon)" in vocab["statement"]
    assert section["not_assessed"] == [{"id": "mood_trajectory_languages",
                                        "reason": "1 texts not scored: the model reads English only (pt 1)"}]
    assert section["bias"]["scorer"].startswith("vader")


def test_empty_vault_and_vault_without_views(tmp_path):
    empty = make_vault(tmp_path / "empty.sqlite")
    section = expression_section(empty, audit={"terms": []})
    assert section["findings"] == []
    assert section["not_assessed"] == [{"id": "mood_trajectory", "reason":
                                        "no messages you sent, posts, comments or searches were imported"}]
    bare = tmp_path / "bare.sqlite"
    sqlite3.connect(bare).close()
    assert analyse_vault(bare)["texts"] == 0


def test_other_languages_only_are_not_assessed(tmp_path):
    vault = make_vault(tmp_path / "pt.sqlite", messages=[
        msg("2024-01-05T09:00:00", "Obrigado, até amanhã!"), msg("2024-01-06T09:00:00", "Привет, как дела?")])
    section = expression_section(vault, audit={"terms": []})
    assert section["findings"] == []
    assert section["not_assessed"][0] == {
        "id": "mood_trajectory", "reason": "your 2 texts are in languages the sentiment model does not cover"}


@pytest.mark.parametrize("text, language", [
    ("I hate this traffic, so annoying!!", "en"), ("Obrigado, até amanhã!", "pt"), ("ok", "undetermined"),
    ("😂😂", "none"), ("", "empty"), ("   ", "empty"), ("Привет, как дела?", "Cyrillic script"),
    ("Ich bin heute nicht da", "de"), ("je suis là", "fr"), ("Hola, ¿qué tal?", "es"), ("مرحبا", "Arabic script"),
    ("你好吗", "Han script"), ("Café de Paris was great, thanks", "en"), ("Tak, jestem w domu", "pl"),
])
def test_language_guess(text, language):
    assert detect_language(text) == language


def test_search_query_from_url_or_title():
    assert search_query("Searched for sad songs", "https://www.google.com/search?q=sad+songs") == "sad songs"
    assert search_query("Searched for cheap flights", None) == "cheap flights"
    assert search_query("Pesquisou voos", None) == "Pesquisou voos"
    assert search_query(None, None) is None


def test_emoji_only_empty_and_one_megabyte_texts():
    big = "the meeting went on and on but it was fine. " * 23_000  # ~1 MB
    items = [OwnText("messages", "message", "2024-05-01T10:00:00", "whatsapp", t, "f", "line 1")
             for t in ("", "😂", "👍👍", big)]
    result = analyse(items)
    assert result["empty"] == 1 and result["assessed"] == 3
    assert result["languages"] == {"none": 2, "en": 1, "empty": 1}
    assert len(result["most_positive"][0]["excerpt"]) <= 160


def test_through_the_real_vault_views(tmp_path):
    """Records written by the import pipeline are read through the vault's contract views."""
    from datavault.pipeline import ingest_records
    from datavault.records import Activity, Message, Post

    vault = tmp_path / "vault.sqlite"
    ingest_records(vault, [
        Message(time="2024-04-01T10:00:00", platform="whatsapp", conversation="Jordan Lee", sender="Sam",
                text="I am so angry about the strike", from_owner=True, key=("1",), locator="line 1"),
        Message(time="2024-04-01T10:01:00", platform="whatsapp", conversation="Jordan Lee", sender="Jordan Lee",
                text="You are awful and I hate you", from_owner=False, key=("2",), locator="line 2"),
        Message(time="2024-04-01T10:02:00", platform="whatsapp", conversation="Jordan Lee", sender="?",
                text="Terrible news", from_owner=None, key=("3",), locator="line 3"),
        Post(time="2024-04-02T10:00:00Z", platform="facebook", kind="comment", text="Great game!",
             key=("p1",), locator="[0]"),
        Activity(time="2024-04-03T10:00:00Z", platform="google", product="Search", action="searched",
                 title="Searched for union rights", url="https://www.google.com/search?q=union+rights",
                 key=("a1",), locator="[0]"),
    ])
    result = analyse_vault(vault)
    assert result["sources"] == {"activities:search": 1, "messages:message": 1, "posts:comment": 1}
    assert [e["excerpt"] for e in result["most_negative"]] == ["I am so angry about the strike"]
    assert result["most_negative"][0]["source_file"] is not None
    assert [(t["term"], t["count"]) for t in result["protest_vocabulary"]["terms"]] == [
        ("strike", 1), ("union", 1)]


def test_html_fragments_are_escaped_and_self_contained():
    from datavault.bias.audit import run_audit
    from datavault.bias.scorers import CallableScorer
    from datavault.expression.html import bias_table_html, trajectory_svg

    months = [{"month": "2024-01", "count": 2, "mean": -0.25}, {"month": "<script>", "count": 1, "mean": 0.0},
              {"month": "2024-03", "count": 0, "mean": None}, {"month": "2024-04", "count": 1, "mean": 0.5}]
    svg = trajectory_svg(months)
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<polyline") == 2  # the month without texts is a gap
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert trajectory_svg([]) == '<p class="not-assessed">No month with scored texts.</p>'
    # missing months between the first and the last are gaps on a time-proportional axis
    spaced = trajectory_svg([{"month": "2024-01", "count": 1, "mean": 0.1}, {"month": "2024-02", "count": 1, "mean": 0.2},
                             {"month": "2024-05", "count": 1, "mean": 0.3}, {"month": "2024-06", "count": 1, "mean": 0.4}])
    assert spaced.count("<polyline") == 2 and 'cx="149.6"' in spaced  # 2024-02 one step of five: 36 + 568/5

    def sneaky(text):
        return 0.0
    audit = run_audit(CallableScorer(sneaky, name="<img src=x onerror=alert(1)>"))
    table = bias_table_html(audit)
    assert "<img" not in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    assert table.count("<tr>") + table.count("<tr class=flagged>") == len(audit["terms"]) + 1


def test_worker_processes_give_the_identical_result():
    texts = ["I hate this traffic, so annoying!!", "Thanks so much, love you :)", "Obrigado, até amanhã!", "",
             "😂😂", "Going to the protest tomorrow", "ok", "Привет", "sad songs", "What a wonderful day"] * 500
    items = [OwnText("messages", "message", f"2024-{1 + i % 12:02d}-01T10:00:00", "whatsapp", t, "f", f"line {i}")
             for i, t in enumerate(texts)]
    assert analyse(items, workers=2) == analyse(items, workers=0)


def test_examples_show_each_text_once():
    texts = ["Overdraft again this month", "I hate Mondays", "Overdraft again this month", "awful day",
             "Overdraft again this month", "sad news", "bad bad bad", "terrible", "I hate Mondays"]
    items = [OwnText("messages", "message", "2024-01-01T10:00:00", "whatsapp", t, "f", f"line {i}")
             for i, t in enumerate(texts)]
    negative = analyse(items)["most_negative"]
    # VADER: bad bad bad -0.8885, I hate Mondays -0.5719, sad news and terrible -0.4767 (the earlier first),
    # awful day -0.4588; "Overdraft again this month" has no lexicon word (0.0)
    assert [e["excerpt"] for e in negative] == ["bad bad bad", "I hate Mondays", "sad news", "terrible",
                                                "awful day"]
    assert negative[1]["locator"] == "line 1"  # shown once, where it was first written


def test_sampling_bounds_the_work_and_says_so(tmp_path):
    vault = make_vault(tmp_path / "many.sqlite", messages=[
        msg(f"2024-{1 + i % 12:02d}-01T09:00:00", f"I love message number {i}", locator=f"line {i}")
        for i in range(1000)])
    result = analyse_vault(vault, max_texts=100)
    assert result["sample"] == {"every": 10, "of": 1000} and result["texts"] == 100
    assert result["most_positive"][0]["locator"] == "line 9"  # every 10th: rows 10, 20, ... (line 9, 19, ...)
    assert analyse_vault(vault)["sample"] is None
    conn = sqlite3.connect(vault)
    section = expression_section(conn, audit={"terms": []}, max_texts=100)
    assert "(Scored on an even sample: every 10th of your 1000 texts.)" in section["findings"][0]["statement"]


def test_a_vaults_sample_is_every_nth_own_text_of_each_view_in_table_order(tmp_path, monkeypatch):
    """On a real vault (views over the store's tables) the sample is chosen from the rows' numbers alone and read
    by rowid, a few at a time: the same texts, in the same order, as every n-th of all own texts of each view."""
    from datavault.expression import sentiment
    from datavault.expression.sentiment import read_own_texts

    monkeypatch.setattr(sentiment, "FETCH", 3)  # a sample read in several statements
    from datavault.records import Activity, Message, Post
    from tests.vaultkit import make_vault as make_real_vault

    records = []
    for i in range(60):
        records.append(Message(time=f"2024-01-{1 + i % 28:02d}T10:00:00", platform="whatsapp", conversation="Ana",
                               sender="Sam" if i % 3 else "Ana", from_owner=bool(i % 3), text=f"message {i}",
                               kind="media" if i % 7 == 0 else "text", locator=f"line {i}", key=("m", i)))
        records.append(Post(time=f"2024-02-{1 + i % 28:02d}T10:00:00Z", platform="facebook",
                            kind="post" if i % 2 else "share", text=f"post {i}", locator=f"posts[{i}]", key=("p", i)))
        records.append(Activity(time=f"2024-03-{1 + i % 28:02d}T10:00:00Z", platform="google",
                                product="Search" if i % 4 else "YouTube", action="searched",
                                title=f"Searched for query {i}", locator=f"[{i}]", key=("a", i)))
    vault = make_real_vault(tmp_path / "v.sqlite", records)
    conn = sqlite3.connect(vault)
    assert "fts_rowid" in {row[1] for row in conn.execute("PRAGMA table_info(messages)")}
    every_text = list(read_own_texts(conn))
    for every in (2, 3, 7):
        expected = []
        for table in ("messages", "posts", "activities"):
            expected += [t for t in every_text if t.table == table][every - 1::every]
        assert list(read_own_texts(conn, every)) == expected
    # own text messages: i not a multiple of 3 (theirs) nor of 7 (media); every 7th of them
    assert [t.locator for t in read_own_texts(conn, 7)][:4] == ["line 11", "line 23", "line 37", "line 47"]
