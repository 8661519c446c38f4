"""How a mention is read (cues.py) and how a text's language and words are told (language.py).

The grammar and the word lists are the shipped rules, so a change to rules/*.toml that breaks one of these
readings fails here, with the sentence that broke.
"""

from __future__ import annotations

import pytest

from datavault.findings import language
from datavault.findings.cues import NAME, NEGATED, OTHER, SENSE, SUPPORT, Matcher, NameIndex
from datavault.findings.ruleset import load_rules

RULES = load_rules()


def statuses(lexicon: str, lang: str, text: str, names: NameIndex | None = None) -> list[tuple[str, str]]:
    m = Matcher(RULES.lexicon(lexicon), lang, RULES.grammar.get(lang))
    return [(x.written.casefold(), x.status) for x in m.mentions(text, names)]


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "I don't have kids", NEGATED),
    ("en", "no kids for me, thanks", NEGATED),
    ("en", "Picked the kids up from nursery", SUPPORT),
    ("en", "my sister's kids are staying over", OTHER),
    ("en", "do you have kids?", OTHER),
    ("de", "Ich habe keine Kinder", NEGATED),
    ("de", "Kinder habe ich keine", NEGATED),
    ("de", "Die Kinder schlafen endlich", SUPPORT),
    ("de", "Ihr Sohn ist krank", OTHER),
    ("es", "No tengo hijos", NEGATED),
    ("es", "Mi hijo tiene fiebre", SUPPORT),
    ("es", "mi hermana no tiene hijos", NEGATED),
    ("fr", "Je n'ai pas d'enfants", NEGATED),
    ("fr", "Les enfants dorment enfin", SUPPORT),
])
def test_parenthood_negation_and_whose(lang, text, expected):
    found = statuses("parenthood", lang, text)
    assert found, f"no parenthood cue read in {text!r}"
    assert found[0][1] == expected, found


def test_stemming_meets_inflections():
    assert statuses("parenthood", "de", "Elternabend bei den Kindern")[-1] == ("kindern", SUPPORT)
    assert ("hijos", SUPPORT) in statuses("parenthood", "es", "Llevé a los hijos al colegio")


def test_counter_strike_is_a_game_not_a_strike():
    assert all(s != SUPPORT for _, s in statuses("protest", "en", "Counter-Strike tonight? ranked at 9"))
    assert all(s != SUPPORT for _, s in statuses("trade_union", "en", "Counter-Strike tonight? ranked at 9"))
    assert ("on strike", SUPPORT) in statuses("trade_union", "en", "We're on strike from Friday")


def test_german_eid_is_an_oath():
    assert not [s for _, s in statuses("religion", "de", "Er musste unter Eid aussagen") if s == SUPPORT]


def test_words_inside_place_names_are_not_cues():
    names = NameIndex(["Chapel Allerton Lawn Tennis Club"])
    m = Matcher(RULES.lexicon("religion"), "en", RULES.grammar["en"])
    for text in ("Tennis at Chapel Allerton tonight", "see you at chapel allerton lawn tennis club"):
        assert [x.status for x in m.mentions(text, names) if x.status == SUPPORT] == []


def test_capitalised_run_is_a_name_in_english_not_in_german():
    lex = RULES.lexicon("religion")
    en = Matcher(lex, "en", RULES.grammar["en"])
    assert [x.status for x in en.mentions("Lunch at the Church Street Kitchen?")] == [NAME]
    de = Matcher(RULES.lexicon("parenthood"), "de", RULES.grammar["de"])
    assert [x.status for x in de.mentions("Die Kinder Schlafen")] == [SUPPORT]


def test_lexicon_entries_only_read_their_language():
    # Spanish "sin" (without) is not English "sin"; an English word list does not read German
    assert statuses("parenthood", "en", "Die Kinder sind im Kindergarten") == []


def test_language_detection_of_short_texts():
    got = language.detect_many(["Ich habe heute keine Zeit, morgen vielleicht", "No tengo tiempo hoy, quizás mañana",
                                "Je n'ai pas le temps aujourd'hui", "I have no time today, maybe tomorrow", "ok",
                                "Bugün hiç vaktim yok, belki yarın"])
    assert got == ["de", "es", "fr", "en", None, "tr"]


def test_body_language_of_a_chat():
    texts = ["hola", "¿qué tal?", "Mañana voy a la playa con mi hermana", "ok", "Nos vemos el sábado por la tarde"]
    assert language.body_language(texts)[0] == "es"
    assert language.body_language(["ok", "👍", "lol"]) == (language.UNDETERMINED, 0.0)


SENTENCES = {
    "es": "Mañana voy a la playa con mi hermana y después comemos en casa de mis padres",
    "de": "Morgen fahre ich mit meiner Schwester an den See und danach essen wir bei meinen Eltern",
    "en": "Tomorrow I am going to the beach with my sister and afterwards we eat at my parents' house",
}


def test_bodies_read_in_one_batch_get_the_winner_of_all_their_chunks(monkeypatch):
    # each sentence is one text of over 40 characters: with chunk_chars=40 each is a chunk of its own language
    bodies = {"es": ["es"] * 5, "mixed": ["de", "de", "en", "en", "en"], "late": ["de", "en", "en", "de", "en"],
              "tie": ["de", "en"], "short": ["ok", "👍"], "empty": []}
    texts = {key: [SENTENCES[w] if w in SENTENCES else w for w in words] for key, words in bodies.items()}
    batches = []
    detect = language.detect_many
    monkeypatch.setattr(language, "detect_many", lambda t, **kw: batches.append(len(t)) or detect(t, **kw))
    got = language.body_languages(texts, chunk_chars=40)
    monkeypatch.setattr(language, "detect_many", detect)
    # every chunk read at once, majority of all: what the two rounds must agree with
    full = {key: language.detect_many([t for t in ts if t], confident=0.3) for key, ts in texts.items()}
    for key, codes in full.items():
        codes = [c for c in codes if c]
        assert got[key][0] == (max(set(codes), key=lambda c: (codes.count(c), c)) if codes else language.UNDETERMINED)
    assert got["es"] == ("es", 1.0) and got["mixed"][0] == "en" and got["tie"][0] == "en"
    assert got["short"] == got["empty"] == (language.UNDETERMINED, 0.0)
    # two batches for six bodies: the fewest chunks that could make a majority (3 of 5, 2 of 2, the short
    # texts' one chunk), then the rest of those still open; "es" was decided by its first three
    assert batches == [3 + 3 + 3 + 2 + 1, 2 + 2]


def test_contractions_and_elisions():
    assert [w.folded for w in language.words(language.expand("I don't"))] == ["i", "do", "not"]
    assert [w.folded for w in language.words("d'enfants")] == ["d", "enfants"]
    assert [w.clause for w in language.words("kids. no")] == [0, 1]
