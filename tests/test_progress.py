"""Progress of `datavault import` (issue 14): the phases the core reports, in order, with totals their advances
reach; the rich bars only on a terminal, only after SHOW_AFTER seconds, never reading a file name as markup."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from datavault import progress as P
from datavault import richprogress
from datavault.cli import app
from datavault.findings import PROVIDERS
from datavault.pipeline import import_paths
from datavault.report import prepare_vault
from tests.conftest import write_text

CHAT = "".join(f"0{d}/02/2020, 10:0{d} - {who}: hello number {d}\n" for d in range(1, 10) for who in ("Ana", "Sam"))
MORE = "01/03/2020, 09:00 - Ana: one more\n01/03/2020, 09:01 - Sam: and another\n"
MESSAGE_ROLLUPS = 4  # rollups over the messages table (rollup.ROLLUPS): each reads every new message once


class Recording(P.Progress):
    """Every phase as (name, total, unit, item), and what was advanced in each."""

    def __init__(self):
        self.phases: list[tuple] = []
        self.done: list[int] = []
        self.open = False

    def phase(self, name, total=None, unit="records", item=None):
        self.phases.append((name, total, unit, item))
        self.done.append(0)
        self.open = True

    def advance(self, n=1):
        assert self.open, "advanced outside a phase"
        self.done[-1] += n

    def end(self):
        self.open = False

    def names(self) -> list[str]:
        return [p[0] for p in self.phases]


@pytest.mark.parametrize("reader", ["inline", "process"])
def test_an_import_and_its_report_preparation_report_their_phases_in_order(tmp_path, monkeypatch, reader):
    monkeypatch.setenv("DATAVAULT_READER", reader)
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    vault = tmp_path / "v.sqlite"

    imported = Recording()
    import_paths(vault, [chat], progress=imported)
    assert imported.phases == [(P.READING, chat.stat().st_size, "bytes", "WhatsApp Chat with Ana.txt"),
                               (P.STORING, None, "", None)]
    assert imported.done[0] == chat.stat().st_size  # every byte read, in whichever process
    assert not imported.open

    prepared = Recording()
    prepare_vault(vault, progress=prepared)
    assert prepared.phases == [(P.WORD_INDEX, 18, "records", None),
                               (P.ROLLUPS, 18 * MESSAGE_ROLLUPS, "records", None),
                               (P.FINDINGS, len(PROVIDERS), "providers", None)]
    assert prepared.done == [total for _, total, _, _ in prepared.phases]
    assert not prepared.open


def test_only_what_is_new_is_counted_and_an_up_to_date_vault_reports_nothing(tmp_path):
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    prepare_vault(vault)

    again = Recording()
    prepare_vault(vault, progress=again)
    assert again.phases == []  # the findings are cached: nothing to do, nothing to show

    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Kim.txt", MORE)])
    later = Recording()
    prepare_vault(vault, progress=later)
    assert later.names() == [P.WORD_INDEX, P.ROLLUPS, P.FINDINGS]
    assert [p[1] for p in later.phases] == [2, 2 * MESSAGE_ROLLUPS, len(PROVIDERS)]
    assert later.done == [2, 2 * MESSAGE_ROLLUPS, len(PROVIDERS)]


def test_slices_cover_every_rowid_once():
    from datavault.findings.textindex import slices

    for after, last in [(0, 0), (0, 1), (5, 10), (0, 100_000), (0, 250_001), (99_999, 300_000)]:
        ranges = slices(after, last, size=100_000)
        assert ranges[0][0] == after and ranges[-1][1] >= last
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))


def test_a_rollup_built_in_slices_equals_one_built_at_once(tmp_path, monkeypatch):
    import sqlite3

    from datavault.findings import rollup

    vault = tmp_path / "v.sqlite"
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT + MORE)])

    def rollups(slice_size):
        monkeypatch.setattr("datavault.findings.rollup.SLICE_ROWS", slice_size)
        con = sqlite3.connect(vault)
        try:
            rollup.refresh(con, "temp")
            return {name: sorted(con.execute(f"SELECT * FROM temp.{name}").fetchall()) for name in rollup.ROLLUPS}
        finally:
            con.close()

    assert rollups(3) == rollups(1_000_000)


def test_message_rollups_grouped_from_the_hourly_pregrouping_equal_counts_over_the_records(tmp_path):
    import sqlite3
    from collections import Counter, defaultdict

    from datavault.findings import rollup

    vault = tmp_path / "v.sqlite"
    same_hour = "".join(f"01/03/2020, 09:{m:02d} - Ana: again {m}\n" for m in range(10, 50, 7))
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT + MORE + same_hour)])
    con = sqlite3.connect(vault)
    try:
        rollup.refresh(con, "temp")
        rows = con.execute("SELECT coalesce(conversation, ''), coalesce(platform, ''), coalesce(sender, ''), "
                           "coalesce(from_owner, -1), CAST(ts AS INTEGER), time, rowid FROM rec_messages").fetchall()
        senders = Counter((c, p, s, o) for c, p, s, o, _, _, _ in rows)
        days: dict = defaultdict(lambda: [0, 0, None, None, 0])
        for _, _, _, owner, ts, time, rowid in rows:
            instant = time.endswith("Z") or time[-6] in "+-"
            day = days[(owner, int(instant), ts // 86400)]
            day[0] += 1
            day[1] |= 1 << (ts // 3600 % 24)
            day[2] = min(day[2] or time, time)
            day[3] = max(day[3] or time, time)
            day[4] = max(day[4], rowid)
        assert len(rows) > 5 and len(days) > 1
        got_senders = {(c, p, s, o): n for c, p, s, o, n, _, _, _ in con.execute("SELECT * FROM temp.dv_roll_senders")}
        assert got_senders == dict(senders)
        got_days = {(o, i, d): [n, hours, first, last, last_rowid]
                    for o, i, d, n, first, last, last_rowid, hours in con.execute("SELECT * FROM temp.dv_roll_msg_days")}
        assert got_days == dict(days)
    finally:
        con.close()


def _terminal(width: int = 110) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=width, color_system=None, markup=False,
                   highlight=False), buffer


def test_a_phase_is_drawn_on_a_terminal_with_its_count_and_a_file_name_as_plain_text():
    console, buffer = _terminal()
    display = richprogress.RichProgress(console, show_after=0)
    display.progress.start()
    try:
        display.phase(P.READING, 4 << 20, unit="bytes", item="WhatsApp Chat with [bold]Ana[/].txt")
        display.advance(2 << 20)
        display.progress.refresh()
        display.phase(P.FINDINGS, 11, unit="providers")
        display.advance(3)
        display.progress.refresh()
    finally:
        display.end()
        display.progress.stop()
    drawn = buffer.getvalue()
    assert "reading WhatsApp Chat with [bold]Ana[/].txt" in drawn
    assert "2.1/4.2 MB" in drawn
    assert "preparing the report: findings" in drawn and "3/11 providers" in drawn and "left" in drawn
    assert "━" in drawn


def test_a_phase_shorter_than_show_after_is_never_drawn():
    console, buffer = _terminal()
    display = richprogress.RichProgress(console)  # SHOW_AFTER: 2 s
    display.progress.start()
    try:
        display.phase(P.WORD_INDEX, 10)
        display.advance(5)
        display.progress.refresh()
    finally:
        display.end()
        display.progress.stop()
    assert "word index" not in buffer.getvalue() and "━" not in buffer.getvalue()


def test_no_progress_output_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(richprogress, "SHOW_AFTER", 0.0)  # a terminal would get every bar at once
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = CliRunner().invoke(app, ["--vault", str(tmp_path / "v.sqlite"), "import", str(chat)])
    assert result.exit_code == 0, result.output
    for text in (result.stdout, result.stderr):
        assert "━" not in text and "reading" not in text and "preparing the report" not in text
        assert "\x1b[" not in text  # no cursor movement either
    assert result.stderr.startswith("Imported WhatsApp Chat with Ana.txt as source 1")


def test_ctrl_c_just_after_the_commit_says_the_import_was_saved(tmp_path, monkeypatch):
    from datavault import store

    journal = store._journal

    def interrupted(conn, mode):  # the vault going back to its log: the data is committed by then
        if mode == "WAL":
            raise KeyboardInterrupt
        return journal(conn, mode)

    monkeypatch.setattr(store, "_journal", interrupted)
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = CliRunner().invoke(app, ["--vault", str(tmp_path / "v.sqlite"), "import", str(chat)])
    assert result.exit_code == 1
    assert "Interrupted: the import was saved" in result.stderr
    assert "Traceback" not in result.output


def test_location_rollups_from_the_pregrouping_count_points_and_weeks_exactly_across_two_imports(tmp_path):
    """dv_roll_area_weeks: points per (1 km area, block, hour of the week), ``weeks`` a bit per week of the block seen,
    and dv_roll_cell_days: a bit per hour of a (cell, day) seen;
    an import after a refresh extends the rollup (OR of the weeks), equal to counting the records again."""
    import json
    import sqlite3
    from collections import defaultdict

    from datavault.findings import rollup

    def records(name: str, days: list[int]):
        # 2020-01-02 08:15 UTC plus whole weeks and days: the same cell and hour of the week recurring
        base = 1577952900
        points = [{"latitudeE7": 538062537 + k * 10000, "longitudeE7": -15532301,  # three 100 m cells
                   "timestampMs": str((base + d * 86400 + k * 60) * 1000)} for d in days for k in range(3)]
        path = tmp_path / name
        path.write_text(json.dumps({"locations": points}))
        return path

    vault = tmp_path / "v.sqlite"
    import_paths(vault, [records("Records.json", [0, 7, 1])])
    con = sqlite3.connect(vault)
    try:
        rollup.refresh(con, "main")
    finally:
        con.close()
    import_paths(vault, [records("Records (1).json", [14, 21, 40])])
    con = sqlite3.connect(vault)
    try:
        rollup.refresh(con, "main")
        expected: dict = defaultdict(lambda: [0, 0])
        for lat, lon, ts in con.execute("SELECT lat, lon, CAST(ts AS INTEGER) FROM rec_locations"):
            hb = ts // 3600
            group = expected[(round(round(lat, 3), 2), round(round(lon, 3), 2), 1, hb // rollup.BLOCK_HOURS, hb % 168)]
            group[0] += 1
            group[1] |= 1 << (hb % rollup.BLOCK_HOURS // 168)
        got = {(la, lo, i, b, h): [n, w] for la, lo, i, b, h, n, w in con.execute(
            "SELECT clat, clon, instant, blk, how, n, weeks FROM dv_roll_area_weeks")}
        assert got == dict(expected)
        assert max(bin(w).count("1") for _, w in got.values()) >= 3  # weeks of two imports merged
        # dv_roll_cell_days: per (100 m cell, UTC day) a bit per hour with a point, three points in each
        hours: dict = defaultdict(int)
        for lat, lon, ts in con.execute("SELECT lat, lon, CAST(ts AS INTEGER) FROM rec_locations"):
            hours[(round(lat, 3), round(lon, 3), 1, ts // 86400)] |= 1 << (ts // 3600 % 24)
        assert {(la, lo, i, d): h for la, lo, i, d, h in con.execute(
            "SELECT clat, clon, instant, day, hours FROM dv_roll_cell_days")} == dict(hours)
        # dv_roll_loc_days: per UTC day, whatever the cell, a bit per hour with a point (the points of one day and
        # hour lie in two cells: counted once)
        days: dict = defaultdict(int)
        for ts, in con.execute("SELECT CAST(ts AS INTEGER) FROM rec_locations"):
            days[(1, ts // 86400)] |= 1 << (ts // 3600 % 24)
        assert {(i, d): h for i, d, h in con.execute("SELECT instant, day, hours FROM dv_roll_loc_days")} == dict(days)
        assert len({(round(lat, 3), round(lon, 3)) for lat, lon in con.execute(
            "SELECT lat, lon FROM rec_locations")}) > 1
    finally:
        con.close()
