"""``datavault export``: every record of one export table, oldest first, as JSON lines or CSV.

Reads the contract view's fields from the physical table (ordered by its indexed ``ts``), streaming: a table
of millions of rows is never held in memory. Booleans come out as true/false, lists as JSON arrays (jsonl) or
``;``-joined (csv).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

from datavault.errors import UserError
from datavault.store import EXPORT_TABLES, Vault


def export_table(path: Path, table: str, fmt: str, stream: TextIO) -> int:
    spec = EXPORT_TABLES.get(table)
    if spec is None:
        raise UserError(f"No table {table!r}. Tables: {', '.join(EXPORT_TABLES)}.")
    columns = ", ".join(spec.fields)
    order = "ts IS NULL, ts, id" if "time" in spec.fields else "id"
    sql = f"SELECT {columns} FROM {spec.physical} ORDER BY {order}"
    booleans = [i for i, f in enumerate(spec.fields) if f in spec.booleans]
    lists = [i for i, f in enumerate(spec.fields) if f in spec.lists]
    count = 0
    with Vault.open(path, create=False) as vault, vault.reading() as conn:
        rows = conn.exec_driver_sql(sql)
        if fmt == "csv":
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(spec.fields)
        for row in rows:
            values = list(row)
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
                writer.writerow(values)
            else:
                stream.write(json.dumps(dict(zip(spec.fields, values)), ensure_ascii=False))
                stream.write("\n")
            count += 1
    return count
