"""``datavault inventory``: what the vault holds, read from the bookkeeping tables (never from the archives).

Everything printed is a ``Text``, never markup: file names, senders and problems come from the exports.

For each imported export: its platform, when it was imported, the decisions taken (date order, owner), and
every one of its files with its status (parsed, skipped, unknown, failed), record counts, date range and
problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text
from sqlalchemy import text

from datavault.store import EXPORT_TABLES, Vault

PROBLEMS_SHOWN = 20
FILES_SHOWN = 15


def read_inventory(path: Path) -> dict[str, Any]:
    with Vault.open(path, create=False, writable=False) as vault, vault.reading() as conn:
        sources = []
        for row in conn.execute(text("SELECT id, platform, label, kind, imported_at, updated_at, notes "
                                     "FROM sources ORDER BY id")).mappings():
            files = []
            for f in conn.execute(text("SELECT member, size, importer, status, records, new_records, problems, "
                                       "first_time, last_time, tables, detail FROM files WHERE source_id = :s "
                                       "ORDER BY id"), {"s": row["id"]}).mappings():
                entry = dict(f)
                entry["tables"] = json.loads(entry["tables"] or "{}")
                entry["detail"] = json.loads(entry["detail"] or "{}")
                files.append(entry)
            problems = [dict(p) for p in conn.execute(
                text("SELECT member, locator, message, severity FROM problems WHERE source_id = :s ORDER BY id"),
                {"s": row["id"]}).mappings()]
            records: dict[str, int] = {}
            for f in files:
                for table, n in f["tables"].items():
                    records[table] = records.get(table, 0) + n
            statuses: dict[str, int] = {}
            for f in files:
                statuses[f["status"]] = statuses.get(f["status"], 0) + 1
            firsts = [f["first_time"] for f in files if f["first_time"]]
            lasts = [f["last_time"] for f in files if f["last_time"]]
            sources.append({
                "id": row["id"], "platform": row["platform"], "label": row["label"], "kind": row["kind"],
                "imported_at": row["imported_at"], "updated_at": row["updated_at"],
                "notes": json.loads(row["notes"] or "{}"), "records": records, "statuses": statuses,
                "first_time": min(firsts) if firsts else None, "last_time": max(lasts) if lasts else None,
                "files": files, "problems": problems,
            })
        totals = {name: conn.exec_driver_sql(f"SELECT count(*) FROM {t.physical}").scalar()
                  for name, t in EXPORT_TABLES.items()}
        from datavault.rights.gaps import export_gaps

        gaps = export_gaps(conn)  # what each imported platform's export leaves out
    return {"vault": str(path), "sources": sources, "totals": totals, "gaps": gaps}


def render_inventory(data: dict[str, Any], console: Console) -> None:
    console.print(Text(f"Vault {data['vault']}", style="bold"))
    if not data["sources"]:
        console.print(Text("The vault is empty. Import an export with `datavault import PATH`, or try `datavault demo`."))
        return
    held = ", ".join(f"{n:,} {t}" for t, n in data["totals"].items() if n)
    console.print(Text(f"Holds {held or 'no records'} from {len(data['sources'])} import(s).\n"))
    for source in data["sources"]:
        _render_source(source, console)
    from datavault.rights.gaps import HEADING, section_lines

    if data.get("gaps"):
        console.print(Text(HEADING, style="bold"))
        for kind, line in section_lines(data["gaps"]):
            console.print(Text(line, style="bold cyan") if kind == "platform" else Text(f"  - {line}"))


_STATUS_STYLE = {"parsed": "green", "failed": "bold red", "unknown": "yellow", "skipped": "dim"}


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return f", {first[:10]} to {last[:10]}" if first[:10] != (last or "")[:10] else f", {first[:10]}"


def _render_source(source: dict[str, Any], console: Console) -> None:
    records = ", ".join(f"{n:,} {t}" for t, n in sorted(source["records"].items())) or "no records"
    console.print(Text.assemble((f"Source {source['id']}", "bold cyan"), f" · {source['platform']} · ",
                                (str(source["label"]), "bold")))
    made = source["notes"].get("export_created")
    console.print(Text(f"  imported {source['imported_at'].replace('T', ' ').rstrip('Z')} UTC"
                       + (f" · export made {made[:10]}" if made else "")
                       + f" · {records}{_span(source['first_time'], source['last_time'])}"))
    quiet = [f for f in source["files"] if f["status"] in ("skipped", "unknown")]
    shown_quiet = 0
    for f in source["files"]:
        if f["status"] in ("skipped", "unknown"):
            shown_quiet += 1
            if shown_quiet > FILES_SHOWN:
                continue
        line = Text("  ")
        line.append(f"{f['status']:<8}", style=_STATUS_STYLE.get(f["status"], ""))
        line.append(f" {f['member']}")
        if f["status"] in ("parsed", "failed"):
            line.append(f": {f['records']:,} records ({f['new_records']:,} new)"
                        f"{_span(f['first_time'], f['last_time'])}")
            if f["problems"]:
                line.append(f", {f['problems']} problem(s)", style="yellow")
        if f["detail"].get("reason"):
            line.append(f": {f['detail']['reason']}", style="dim" if f["status"] != "failed" else "red")
        console.print(line)
        notes = f["detail"].get("notes", {})
        if "date_order" in notes:
            console.print(Text(f"           dates read {notes['date_order']['order']}: {notes['date_order']['basis']}",
                               style="dim"))
        if notes.get("possibly_truncated"):
            console.print(Text("           probably cut short by WhatsApp's export limit", style="yellow"))
        for name, words in (("unknown_keys", "keys not understood"), ("unknown_labels", "labels not understood")):
            if notes.get(name):
                console.print(Text(f"           {words}: {', '.join(map(str, notes[name][:12]))}", style="yellow"))
    if len(quiet) > FILES_SHOWN:
        console.print(Text(f"  ... and {len(quiet) - FILES_SHOWN} more skipped or unknown file(s) "
                           f"(`datavault inventory --json` lists them all)", style="dim"))
    export = source["notes"].get("facebook_export")
    if export:
        console.print(Text(f"  Facebook export: {export.get('generation') or '?'} ({export.get('description')}), "
                           f"{str(export.get('format', 'json')).upper()}"
                           + (f", labels in '{export['label_language']}'" if export.get("label_language") else "")))
    export = source["notes"].get("instagram_export")
    if export:
        console.print(Text(f"  Instagram export: {export.get('generation') or 'unknown layout'} "
                           f"({export.get('description')}), {str(export.get('format', 'json')).upper()}"
                           + (f", {export['parts']} parts" if (export.get("parts") or 0) > 1 else "")))
    for warning in source["notes"].get("warnings", []):
        console.print(Text(f"  Warning: {warning}", style="yellow"))
    for owner in source["notes"].get("owner", []):
        if owner["sender"] is None:  # a tentative owner withdrawn: nobody was decided
            continue
        console.print(Text(f"  Owner: {owner['sender']} in {owner['conversation'] or 'all chats'} ({owner['basis']})"))
    if source["problems"]:
        console.print(Text(f"  {len(source['problems'])} problem(s):", style="yellow"))
        for p in source["problems"][:PROBLEMS_SHOWN]:
            where = f"{p['member']}" + (f" {p['locator']}" if p["locator"] else "")
            console.print(Text(f"    {p['severity']}: {where}: {p['message']}"))
        if len(source["problems"]) > PROBLEMS_SHOWN:
            console.print(Text(f"    ... and {len(source['problems']) - PROBLEMS_SHOWN} more "
                               f"(`datavault inventory --json` lists them all)"))
    console.print()
