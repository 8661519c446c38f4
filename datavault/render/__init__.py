"""Renderers: the report dictionary (datavault/report.py) in, a document out. They never touch SQL.

``render(report, fmt)`` returns the document as a string for ``json``, ``md`` and ``html``; ``text`` is
written with rich to a console (``render_text``). Imported text is untrusted everywhere: each renderer escapes
it for its own format and neutralises bidirectional-override characters.
"""

from __future__ import annotations

import re
from typing import Any

from datavault.terminal import strip_controls

FORMATS = ("text", "html", "json", "md")
# bidi embedding/override/isolate controls: shown as visible markers, never allowed to reorder the page
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
FIELD_LIMIT = 300


def clean(value: Any, limit: int = FIELD_LIMIT) -> str:
    """Imported text made safe to show as plain text: terminal escape sequences removed whole
    (datavault/terminal.py), bidi controls marked, other control chars dropped, cut short."""
    if value is None:
        return ""
    s = strip_controls(str(value))
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    s = BIDI.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", s)
    return "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in s)


def ordered_findings(report: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(category id, title, findings) in the five categories' order, empty categories included."""
    titles = report["summary"]["category_titles"]
    return [(cat, titles[cat], [f for f in report["findings"] if f["category"] == cat]) for cat in titles]


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        from datavault.render.json_out import render_json
        return render_json(report)
    if fmt == "md":
        from datavault.render.markdown import render_md
        return render_md(report)
    if fmt == "html":
        from datavault.render.html import render_html
        return render_html(report)
    if fmt == "text":
        from datavault.render.text import render_text_string
        return render_text_string(report)
    raise ValueError(fmt)
