"""``datavault export``: every record of one export table, oldest first, as JSON lines or CSV.

Reads the contract view's fields from the physical table (ordered by its indexed ``ts``), streaming: a table
of millions of rows is never held in memory. Booleans come out as true/false, lists as JSON arrays (jsonl) or
``;``-joined (csv).

CSV is made for spreadsheet programs, which run a cell that starts like a formula: each text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's CSV-injection list) gets a leading apostrophe, and
every text cell is quoted (a ``;`` inside one starts no cell where the spreadsheet splits on ``;``, a lone CR
ends no row); numbers stay unquoted and whole, a negative longitude or a refund included. ``raw`` writes every
cell exactly as stored (no apostrophes).
``bom`` starts the CSV with a UTF-8 byte order mark, so spreadsheet programs read its accents as UTF-8.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

from datavault.errors import UserError
from datavault.rawstore import RawReader
from datavault.store import EXPORT_TABLES, Vault, driver_cursor

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS = frozenset({"lat", "lon", "accuracy_m", "amount"})


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


def spreadsheet_cell(value, column: str):
    """``value`` made safe to open in a spreadsheet: a string that starts like a formula gets an apostrophe in
    front, except a number written as text in a numeric column (``-9.50`` as an amount). Numbers and None
    unchanged."""
    if value.__class__ is not str or not value.startswith(FORMULA_STARTS):
        return value
    if column in NUMERIC_COLUMNS and _is_number(value):
        return value
    return "'" + value


def export_table(path: Path, table: str, fmt: str, stream: TextIO, *, raw: bool = False, bom: bool = False,
                 original: bool = False) -> int:
    """Write every record of ``table`` to ``stream``, oldest first; ``original`` adds each record's original
    text as it was read from the export (the field ``original``: the vault keeps it compressed, rawstore)."""
    spec = EXPORT_TABLES.get(table)
    if spec is None:
        raise UserError(f"No table {table!r}. Tables: {', '.join(EXPORT_TABLES)}.")
    columns = spec.field_columns
    order = "ts IS NULL, ts, id" if "time" in spec.fields else "id"
    fields = spec.fields
    persons: dict[int, str] | None = None
    if table == "people":  # one more field: the linked person (datavault/people.py), the same id for one human
        Vault.open(path, create=False, writable=False).close()  # a missing or foreign vault: its own clear error
        persons = _persons(path)
        fields = spec.fields + ("person",)
        columns += ", rowid"
    if original:
        fields = fields + ("original",)
        columns += ", raw"
    sql = f"SELECT {columns} FROM {spec.physical} ORDER BY {order}"
    booleans = [i for i, f in enumerate(spec.fields) if f in spec.booleans]
    lists = [i for i, f in enumerate(spec.fields) if f in spec.lists]
    count = 0
    with Vault.open(path, create=False, writable=False) as vault, vault.reading() as conn:
        rows = conn.exec_driver_sql(sql)
        originals = RawReader(driver_cursor(conn)) if original else None
        if fmt == "csv":
            if bom:
                stream.write("\ufeff")
            # text cells always quoted: a lone CR (which QUOTE_MINIMAL leaves bare) or a ";" stays inside its cell
            writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(fields)
            safe = None if raw else [(i, f) for i, f in enumerate(fields)]
        for row in rows:
            values = list(row)
            if originals is not None:
                values[-1] = originals.text(values[-1])
            if persons is not None:
                values[len(spec.fields)] = persons.get(values[len(spec.fields)])
            for i in booleans:
                if values[i] is not None:
                    values[i] = bool(values[i])
            for i in lists:
                values[i] = json.loads(values[i]) if values[i] else []
            if fmt == "csv":
                for i in booleans:
                    if values[i] is not None:
                        values[i] = "true" if values[i] else "false"
                for i in lists:
                    values[i] = ";".join(values[i])
                if safe is not None:
                    values = [spreadsheet_cell(values[i], f) for i, f in safe]
                writer.writerow(values)
            else:
                stream.write(json.dumps(dict(zip(fields, values)), ensure_ascii=False))
                stream.write("\n")
            count += 1
    return count


def _persons(path: Path) -> dict[int, str]:
    from datavault.people import person_of_rows
    from datavault.report import open_vault

    conn = open_vault(path)
    try:
        return person_of_rows(conn)
    finally:
        conn.close()
