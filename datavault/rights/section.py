"""The report's "What your export leaves out" section in each format, so that every renderer adds one call.

The report dictionary carries it under ``gaps`` (datavault/rights/gaps.py ``export_gaps``); a report without
that key (an older cached dictionary, a test's hand-made report) renders nothing.
"""

from __future__ import annotations

from html import escape
from typing import Any

from rich.console import Console
from rich.text import Text

from datavault.render import clean
from datavault.rights.gaps import HEADING, INTRO, section_lines


def text_section(report: dict[str, Any], console: Console) -> None:
    if not report.get("gaps"):
        return
    console.rule(Text(HEADING, style="bold"))
    console.print(Text(INTRO, style="dim"))
    for kind, line in section_lines(report["gaps"]):
        console.print(Text(line, style="bold") if kind == "platform" else Text(f"  - {line}"))


def md_section(report: dict[str, Any], escape_md) -> list[str]:
    if not report.get("gaps"):
        return []
    out = ["", f"## {HEADING}", "", escape_md(INTRO, 1000)]
    for kind, line in section_lines(report["gaps"]):
        out += ["", f"**{escape_md(line, 1000)}**", ""] if kind == "platform" else [f"- {escape_md(line, 1000)}"]
    return out


def html_section(report: dict[str, Any]) -> str:
    if not report.get("gaps"):
        return ""
    parts = [f"<h2 id='export-gaps'>{escape(HEADING)}</h2><p class='muted'>{escape(INTRO)}</p>"]
    open_list = False
    for kind, line in section_lines(report["gaps"]):
        if kind == "platform":
            parts.append(("</ul>" if open_list else "") + f"<h3>{escape(clean(line, 1000))}</h3><ul>")
            open_list = True
        else:
            parts.append(f"<li>{escape(clean(line, 1000))}</li>")
    return "".join(parts) + ("</ul>" if open_list else "")
