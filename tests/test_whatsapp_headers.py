"""Issue 15: headers in every script and clock, message boundaries, localized file names, DST folds, bad input.
Exact expected records; invisible characters are spelled out (U+200E LRM, U+200F RLM)."""

from __future__ import annotations

import pytest

from datavault.inventory import read_inventory
from datavault.pipeline import import_paths
from tests.conftest import exported, write_text
from tests.test_whatsapp import brief

LRM, RLM = "\u200e", "\u200f"


def inventory_file(vault):
    return read_inventory(vault)["sources"][0]["files"][0]["detail"]["notes"]


def problems(vault):
    return [(p["locator"], p["severity"], p["message"]) for p in read_inventory(vault)["sources"][0]["problems"]]


# --- clocks and scripts ----------------------------------------------------------------------------------------

CLOCKS = [
    ("korean android 오후", "2023. 3. 14. 오후 2:05 - 홍길동: 안녕\n2023. 3. 14. 오전 12:10 - 홍길동: 밤\n",
     [("2023-03-14T00:10:00", "홍길동", "text", "밤"), ("2023-03-14T14:05:00", "홍길동", "text", "안녕")]),
    ("korean ios", "[2023. 3. 14. 오후 2:05:09] 홍길동: 안녕\n[2023. 3. 14. 오후 12:30:00] 홍길동: 점심\n",
     [("2023-03-14T12:30:00", "홍길동", "text", "점심"), ("2023-03-14T14:05:09", "홍길동", "text", "안녕")]),
    ("chinese android 上午/下午", "2021/3/4 上午9:05 - 李四: 早\n2021/3/14 下午2:05 - 张三: 你好\n",
     [("2021-03-04T09:05:00", "李四", "text", "早"), ("2021-03-14T14:05:00", "张三", "text", "你好")]),
    ("chinese ios", "[2021/3/14 下午2:05:09] 张三: 你好\n[2021/3/14 晚上11:05:00] 张三: 晚安\n",
     [("2021-03-14T14:05:09", "张三", "text", "你好"), ("2021-03-14T23:05:00", "张三", "text", "晚安")]),
    ("japanese 午後", "2021/03/14 午後2:05 - 山田: こんにちは\n",
     [("2021-03-14T14:05:00", "山田", "text", "こんにちは")]),
    ("arabic-indic digits, RLM, arabic comma, ص/م",
     f"١٤{RLM}/٣{RLM}/٢٠٢١، ٩:٠٠ م - أحمد: مرحبا\n١٥{RLM}/٣{RLM}/٢٠٢١، ٩:٠١ ص - أحمد: <تم استبعاد الوسائط>\n",
     [("2021-03-14T21:00:00", "أحمد", "text", "مرحبا"), ("2021-03-15T09:01:00", "أحمد", "media", "<تم استبعاد الوسائط>")]),
    ("persian digits 24h", "۲۰۲۱/۰۳/۱۴، ۲۱:۰۵ - Sara: salam\n",
     [("2021-03-14T21:05:00", "Sara", "text", "salam")]),
    ("devanagari digits", "१४/०३/२०२१, ९:०५ pm - Ravi: namaste\n",
     [("2021-03-14T21:05:00", "Ravi", "text", "namaste")]),
    ("year first with ~", "2021-03-14 ~ 09:00 - Ana: x\n2021-03-14 ~ 21:30 - Ana: y\n",
     [("2021-03-14T09:00:00", "Ana", "text", "x"), ("2021-03-14T21:30:00", "Ana", "text", "y")]),
    ("turkish ÖS", "14.03.2021 ÖS 2:05 - Ayşe: merhaba\n", [("2021-03-14T14:05:00", "Ayşe", "text", "merhaba")]),
]


@pytest.mark.parametrize("what,content,expected", CLOCKS, ids=[c[0] for c in CLOCKS])
def test_clocks_and_scripts(import_text, what, content, expected):  # (exported oldest first)
    assert brief(import_text(content)) == expected


def test_chinese_and_arabic_chats_are_recognised(tmp_path, vault):
    chat = write_text(tmp_path, "与王芳的 WhatsApp 聊天.txt", "2021/3/14 下午2:05 - 王芳: 你好\n2021/3/14 下午2:06 - 李明: 好\n")
    result = import_paths(vault, [chat])
    assert not result.errors
    records = exported(vault, "messages")
    assert [(r["conversation"], r["sender"], r["from_owner"]) for r in records] == [
        ("王芳", "王芳", False), ("王芳", "李明", True)]


def test_unpadded_year_first_never_merges_two_messages(import_text):
    records = import_text("2021/3/4, 9:05 - Ana: a\n2021/3/4, 9:06 - Ben: b\n2021/3/14, 10:00 - Ana: c\nd\n")
    assert brief(records) == [("2021-03-04T09:05:00", "Ana", "text", "a"), ("2021-03-04T09:06:00", "Ben", "text", "b"),
                              ("2021-03-14T10:00:00", "Ana", "text", "c\nd")]


# --- message boundaries ------------------------------------------------------------------------------------------

def test_android_continuation_that_looks_like_ios_is_text(import_text, vault):
    records = import_text("14/03/2021, 09:00 - Ana: quoting\n[14/03/2021, 09:00] Ben: old\n"
                          "14/03/2021, 09:01 - Ben: ok\n")
    assert brief(records) == [("2021-03-14T09:00:00", "Ana", "text", "quoting\n[14/03/2021, 09:00] Ben: old"),
                              ("2021-03-14T09:01:00", "Ben", "text", "ok")]
    assert inventory_file(vault)["header_like_text"] == {"lines": 1, "first": 2}
    assert problems(vault) == [("line 2", "warning", "1 line(s) look like a message header of another form than "
                                "the file's own and were kept as text of the message above (first: line 2)")]


def test_chat_switching_from_android_to_ios_reads_both_and_says_so(import_text, vault):
    records = import_text("14/03/2021, 09:00 - Ana: on android\n[15/03/2021, 10:00:05] Ana: on iphone\n"
                          "[15/03/2021, 10:01:00] Ben: ok\n")
    assert brief(records) == [("2021-03-14T09:00:00", "Ana", "text", "on android"),
                              ("2021-03-15T10:00:05", "Ana", "text", "on iphone"),
                              ("2021-03-15T10:01:00", "Ben", "text", "ok")]
    assert problems(vault) == [("line 2", "warning", "the file changes header format (Android and iOS) at line 2; "
                                "both forms were read as messages: -, [..] space")]


def test_ios_continuation_with_a_weak_header_is_text(import_text):
    records = import_text("[14/03/2021, 09:00:00] Ana: list\n14/03/2021 09:00 meeting: room 4\n")
    assert brief(records) == [("2021-03-14T09:00:00", "Ana", "text", "list\n14/03/2021 09:00 meeting: room 4")]


def test_lines_with_a_date_in_no_form_of_the_file_are_reported(import_text, vault):
    records = import_text("14/03/2021, 09:00 - Ana: a\n14 03 2021 at 09:01 - Ben: b\n14 03 2021 at 09:02 - Ana: c\n")
    assert brief(records) == [("2021-03-14T09:00:00", "Ana", "text",
                               "a\n14 03 2021 at 09:01 - Ben: b\n14 03 2021 at 09:02 - Ana: c")]
    assert problems(vault)[0][:2] == ("line 2", "error")  # they outnumber the messages: the format is in doubt


def test_chat_whose_header_cannot_be_established_is_refused(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", "\n14 March 2021 at 09:00 - Ana: hi\n")
    result = import_paths(vault, [chat])
    assert result.errors == [
        "WhatsApp Chat with Ana.txt: looks like a WhatsApp chat, but its header format could not be established "
        "with confidence, so it was not imported; first unreadable line 2: '14 March 2021 at 09:00 - Ana: hi'"]


def test_refusal_is_one_line_from_the_cli(tmp_path):
    from typer.testing import CliRunner

    from datavault.cli import app

    chat = write_text(tmp_path, "_chat.txt", "[14 March 2021 09:00] Ana: hi\n")
    run = CliRunner().invoke(app, ["--vault", str(tmp_path / "v.sqlite"), "import", str(chat)])
    assert run.exit_code == 1
    out = run.output.strip()
    assert "first unreadable line 1" in out and "Traceback" not in out and len(out.splitlines()) == 1


# --- file names -------------------------------------------------------------------------------------------------

NAMES = [("Чат WhatsApp с Иван.txt", "Иван"), ("WhatsApp Sohbeti - Ayşe.txt", "Ayşe"),
         ("Chat de WhatsApp con Ana.txt", "Ana"), ("WhatsApp Chat mit Jan.txt", "Jan"),
         ("Czat WhatsApp z Ola.txt", "Ola"), ("Chat WhatsApp dengan Budi.txt", "Budi"),
         ("WhatsApp_Chat_mit_Jan.txt", "Jan"), ("与王芳的 WhatsApp 聊天.txt", "王芳")]


@pytest.mark.parametrize("name,person", NAMES, ids=[n for n, _ in NAMES])
def test_localized_file_names_give_the_person_and_the_owner(tmp_path, vault, name, person):
    chat = write_text(tmp_path, name, f"01/02/2020, 10:00 - {person}: hi\n01/02/2020, 10:01 - Sam: hello\n")
    import_paths(vault, [chat])
    assert [(r["conversation"], r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == [
        (person, person, False), (person, "Sam", True)]


# --- time zones ---------------------------------------------------------------------------------------------------

def test_dst_fold_resolved_by_file_order_and_counted(import_text, vault):
    # Europe/Berlin, 31 Oct 2021: 02:00-03:00 happens twice (CEST, then CET)
    records = import_text("31/10/2021, 01:50 - Ana: a\n31/10/2021, 02:30 - Ana: b\n31/10/2021, 02:50 - Ana: c\n"
                          "31/10/2021, 02:10 - Ana: d\n31/10/2021, 02:40 - Ana: e\n31/10/2021, 03:05 - Ana: f\n",
                          tz="Europe/Berlin")
    assert [(r["time"], r["text"]) for r in records] == [
        ("2021-10-30T23:50:00Z", "a"), ("2021-10-31T00:30:00Z", "b"), ("2021-10-31T00:50:00Z", "c"),
        ("2021-10-31T01:10:00Z", "d"), ("2021-10-31T01:40:00Z", "e"), ("2021-10-31T02:05:00Z", "f")]
    assert inventory_file(vault)["dst"] == {"fold": 4, "gap": 0}


def test_dst_gap_is_counted(import_text, vault):
    records = import_text("28/03/2021, 01:50 - Ana: a\n28/03/2021, 02:30 - Ana: b\n28/03/2021, 03:10 - Ana: c\n",
                          tz="Europe/Berlin")
    # 02:30 does not exist that day: read with the offset before the change (CET), i.e. as 03:30 CEST
    assert [(r["time"], r["text"]) for r in records] == [
        ("2021-03-28T00:50:00Z", "a"), ("2021-03-28T01:10:00Z", "c"), ("2021-03-28T01:30:00Z", "b")]
    assert inventory_file(vault)["dst"] == {"fold": 0, "gap": 1}


# --- bad input ------------------------------------------------------------------------------------------------------

TEXT = "14/03/2021, 09:00 - Ana: café\n14/03/2021, 09:01 - Ben: ok\n"


@pytest.mark.parametrize("data", [
    "\ufeff".encode("utf-16-le") + TEXT.encode("utf-16-le"), TEXT.encode("utf-16-le"),
    b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT.encode("utf-16-be")],
    ids=["utf-16-le BOM", "utf-16-le no BOM", "utf-16-be BOM", "utf-16-be no BOM"])
def test_utf16_files(tmp_path, vault, data):
    path = tmp_path / "WhatsApp Chat with Ana.txt"
    path.write_bytes(data)
    assert not import_paths(vault, [path]).errors
    assert brief(exported(vault, "messages")) == [("2021-03-14T09:00:00", "Ana", "text", "café"),
                                                  ("2021-03-14T09:01:00", "Ben", "text", "ok")]


def test_latin1_file_is_read_and_reported(tmp_path, vault):
    path = tmp_path / "WhatsApp Chat with Ana.txt"
    path.write_bytes(TEXT.encode("latin-1"))
    import_paths(vault, [path])
    assert [r["text"] for r in exported(vault, "messages")] == ["café", "ok"]
    assert problems(vault) == [("line 1", "warning", "1 line(s) are not valid UTF-8 and were read as Windows-1252 "
                                "(lines 1)")]


def test_ten_thousand_system_lines_and_no_message(tmp_path, vault):
    content = "".join(f"14/03/2021, {i // 60 % 24:02d}:{i % 60:02d} - Ana added Ben{i}\n" for i in range(10_000))
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Group.txt", content)])
    records = exported(vault, "messages")
    assert len(records) == 10_000 and {(r["kind"], r["sender"], r["from_owner"]) for r in records} == {
        ("system", None, None)}
    notes = inventory_file(vault)
    assert (notes["messages"], notes["system_lines"], notes["lines"]) == (0, 10_000, 10_000)
