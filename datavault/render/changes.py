"""``datavault changes`` as plain text and Markdown (the JSON is the comparison itself, datavault/changes.py).

Imported text (labels, record excerpts, export names) is made safe with ``clean`` (text) and ``m`` (Markdown)."""

from __future__ import annotations

from typing import Any

from datavault.render import clean
from datavault.render.markdown import m

CATEGORY_TITLES = {
    "interest": "interest", "topic": "topic", "ad_category": "ad category",
    "advertiser_with_your_data": "advertiser with your data", "advertiser_interacted": "advertiser you interacted with",
    "semantic_place": "labelled place", "labelled_place": "labelled place",
    "off_facebook_activity": "business that sent your activity", "primary_location": "primary location",
}


def _export(e: dict[str, Any]) -> str:
    return f"export {e['id']} ({e['label']}, made {(e['exported'] or e['imported_at'])[:10]})"


def _label(item: dict[str, Any]) -> str:
    return f"{item['platform']} {CATEGORY_TITLES.get(item['category'], item['category'].replace('_', ' '))}: " \
           f"{item['value']}"


def _settings_line(s: dict[str, Any]) -> str:
    was = ", ".join(s["older"]) or "not in the export"
    now = ", ".join(s["newer"]) or "not in the export"
    return f"{s['platform']} {s['field'].replace('_', ' ')}: {was} → {now}"


def _control_line(c: dict[str, Any]) -> str:
    def side(x):
        return f"{x['records']:,} ({(x['last'] or 'no date')[:10]})" if x else "none"

    line = f"{c['control']}: {side(c['older'])} → {side(c['newer'])}"
    if c.get("quiet_since"):
        line += (f"; nothing new since {c['quiet_since'][:10]}: paused, or its records deleted?")
    return line


def text_lines(result: dict[str, Any]) -> list[str]:
    """One comparison as lines of plain text (each value cleaned)."""
    older, newer = result["older"], result["newer"]
    out = [f"Changes from {clean(_export(older), 400)} to {clean(_export(newer), 400)}"]
    out += [f"  note: {clean(n, 1000)}" for n in result.get("notes", [])]
    out.append("")
    out.append(f"Platform labels: {len(result['appeared'])} appeared, {len(result['disappeared'])} disappeared")
    for item in result["disappeared"]:
        out.append(f"  - {clean(_label(item), 200)}  (in the export of {item['last_seen'][:10]}, "
                   f"removed by {item['removed_by'][:10]})")
    for item in result["appeared"]:
        out.append(f"  + {clean(_label(item), 200)}  (new in the export of {item['first_seen'][:10]})")
    settings = result.get("settings", [])
    out.append("")
    out.append(f"Settings: {len(settings)} changed" + ("" if settings else " (of those the exports hold: Google's "
                                                         "Location History settings)"))
    out += [f"  {clean(_settings_line(s), 300)}" for s in settings]
    controls = result.get("activity_controls") or []
    if controls:
        out.append("")
        out.append("Google activity controls, as the records show them (records, latest record):")
        out += [f"  {clean(_control_line(c), 300)}" for c in controls]
    out.append("")
    out.append("Records per table (older, newer, only in the older, only in the newer):")
    for table, c in result["counts"].items():
        out.append(f"  {table:<20} {c['older']:>8,} {c['newer']:>8,} {c['only_older']:>8,} {c['only_newer']:>8,}")
    for title, key, sign in (("Missing from the newer export (deleted by you or the platform, or dropped by its "
                              "retention)", "removed", "-"), ("New in the newer export", "added", "+")):
        part = result.get(key) or {}
        if not part:
            continue
        out.append("")
        out.append(title + ":")
        for table, info in part.items():
            months = ", ".join(f"{mo} {n:,}" for mo, n in info["months"].items())
            out.append(f"  {table}" + (f" by month: {months}" if months else ""))
            for s in info["sample"]:
                out.append(f"    {sign} {clean(s['time'], 30) or 'no date'}  {clean(s['record'], 160)}")
    return out


def render_changes_text(results: list[dict[str, Any]]) -> str:
    return "\n\n".join("\n".join(text_lines(r)) for r in results) + "\n"


def render_changes_md(results: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for result in results:
        older, newer = result["older"], result["newer"]
        out += [f"# Changes from {m(_export(older), 400)} to {m(_export(newer), 400)}", ""]
        if result.get("notes"):
            out += [f"> {m(n, 1000)}" for n in result["notes"]] + [""]
        out += [f"## Platform labels: {len(result['appeared'])} appeared, {len(result['disappeared'])} "
                    "disappeared", "", "| change | label | last or first seen |", "| --- | --- | --- |"]
        out += [f"| removed by {item['removed_by'][:10]} | {m(_label(item), 200)} | {item['last_seen'][:10]} |"
                for item in result["disappeared"]]
        out += [f"| appeared | {m(_label(item), 200)} | {item['first_seen'][:10]} |" for item in result["appeared"]]
        settings = result.get("settings", [])
        out += ["", f"## Settings: {len(settings)} changed", ""] + [f"- {m(_settings_line(s), 300)}" for s in settings]
        if result.get("activity_controls"):
            out += ["", "Google activity controls, as the records show them:", ""]
            out += [f"- {m(_control_line(c), 300)}" for c in result["activity_controls"]]
        out += ["", "## Records per table", "", "| table | older | newer | only in the older | only in the newer |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {t} | {c['older']} | {c['newer']} | {c['only_older']} | {c['only_newer']} |"
                for t, c in result["counts"].items()]
        for title, key in (("Missing from the newer export", "removed"), ("New in the newer export", "added")):
            part = result.get(key) or {}
            if not part:
                continue
            out += ["", f"## {title}", ""]
            for table, info in part.items():
                months = ", ".join(f"{mo}: {n}" for mo, n in info["months"].items())
                out += [f"### {table}", ""] + ([f"By month: {months}", ""] if months else [])
                out += [f"- {m(s['time'], 30) or 'no date'}: {m(s['record'], 160)}" for s in info["sample"]]
        out.append("")
    return "\n".join(out)


def since_lines(report: dict[str, Any]) -> list[str]:
    """The report's short "since your last export" section as plain sentences (not yet escaped): one per account
    with two successive exports. Empty when the vault holds no such pair."""
    out = []
    for s in report.get("since_last_export") or []:
        older, newer = s["older"], s["newer"]
        out.append(f"{newer['platform']}: from {_export(older)} to {_export(newer)}: {s['appeared']} platform "
                   f"label(s) appeared and {s['disappeared']} disappeared; {s['only_older']:,} record(s) of the "
                   f"older export are missing from the newer one and {s['only_newer']:,} are new. Details: "
                   f"{s['command']}")
    return out


def as_of_line(report: dict[str, Any]) -> str | None:
    """The report's line saying it shows the vault as it stood at an earlier export, or None."""
    said = report.get("as_of")
    if not said:
        return None
    left = said.get("left_out") or []
    return (f"As of {said['as_of']}" + (f" (import {said['source']})" if said.get("source") else "")
            + f": only what exports {', '.join(map(str, said['sources']))} held"
            + (f"; later exports ({', '.join(map(str, left))}) are left out." if left else "; no export is left out."))
