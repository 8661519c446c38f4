"""HTML fragments for the report's expression section: the monthly sentiment chart (inline SVG) and the bias
table of the model that produced it. Self-contained (no scripts, styles from outside, fonts or images), every
text escaped; the report places them in its page.

Reads only the plain dicts of ``sentiment.analyse*`` and ``bias.audit.run_audit``. Deliberately ignored: page
layout and CSS (the report's own), interactivity.
"""

from __future__ import annotations

from datavault.bias.audit import GROUP_TITLES

from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 640, 220, 36


def _every_month(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The months from the first to the last, the missing ones as empty, so the x axis is proportional to time
    (left as given when a month key is not YYYY-MM)."""
    keys = [m["month"] for m in months]
    if not keys or not all(isinstance(k, str) and len(k) == 7 and k[4] == "-" and k[:4].isdigit()
                           and k[5:].isdigit() for k in keys):
        return months
    by_key = {m["month"]: m for m in months}
    year, month = int(keys[0][:4]), int(keys[0][5:])
    last = (int(keys[-1][:4]), int(keys[-1][5:]))
    out = []
    while (year, month) <= last and len(out) < 1200:
        key = f"{year:04d}-{month:02d}"
        out.append(by_key.get(key, {"month": key, "count": 0, "mean": None}))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def trajectory_svg(months: list[dict[str, Any]], *, hostile_at: float = -0.5) -> str:
    """A line of the monthly mean score (-1..1) with the 'hostile' line; months without scored texts are gaps.
    ``months`` as in the sentiment summary (``count``) or the mood finding's details (``texts``)."""
    months = _every_month([{**m, "count": m.get("count", m.get("texts"))} for m in months])
    points = [m for m in months if m.get("count")]
    if not points:
        return '<p class="not-assessed">No month with scored texts.</p>'
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(1, len(months) - 1)

    def y(value: float) -> float:
        return PAD + (1 - (value + 1) / 2) * inner_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="Monthly mean sentiment of your own words, -1 to +1">',
             f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#999" />',
             f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(hostile_at):.1f}" y2="{y(hostile_at):.1f}" '
             f'stroke="#c33" stroke-dasharray="4 3" />',
             f'<text x="{WIDTH - PAD}" y="{y(hostile_at) - 4:.1f}" font-size="10" text-anchor="end" '
             f'fill="#c33">&quot;hostile&quot; ({hostile_at:+.1f})</text>',
             f'<text x="4" y="{y(1) + 4:.1f}" font-size="10">+1</text>',
             f'<text x="4" y="{y(0) + 4:.1f}" font-size="10">0</text>',
             f'<text x="4" y="{y(-1) + 4:.1f}" font-size="10">-1</text>']
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, month in enumerate(months):
        if not month.get("count"):
            if segment:
                segments.append(segment)
            segment = []
            continue
        x = PAD + i * step
        segment.append(f"{x:.1f},{y(month['mean']):.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y(month["mean"]):.1f}" r="2.5" fill="#236">'
                     f'<title>{escape(str(month["month"]))}: mean {month["mean"]:+.2f} over {month["count"]} '
                     f'text{"" if month["count"] == 1 else "s"}</title></circle>')
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline fill="none" stroke="#236" stroke-width="1.5" points="{" ".join(seg)}" />')
    for i in sorted({0, len(months) - 1}):
        anchor = "start" if i == 0 else "end"
        parts.append(f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="{anchor}">'
                     f'{escape(str(months[i]["month"]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bias_table_html(audit: dict[str, Any], *, flagged_only: bool = False) -> str:
    """The audit as an HTML table: term, group, difference from its reference, p (Holm), flagged, lexicon."""
    rows = [r for r in audit["terms"] if r["flagged"] or not flagged_only]
    out = [f'<table class="bias"><caption>How this model ({escape(audit["scorer"])}) treats identity and '
           f'political words: mean score difference from the reference terms in identical sentences'
           f'</caption><thead><tr><th>term</th><th>group</th><th>compared with</th><th>difference</th>'
           f'<th>p (Holm)</th><th>flagged</th><th>lexicon</th></tr></thead><tbody>']
    for r in rows:
        diff = "-" if r["mean_difference"] is None else f"{r['mean_difference']:+.3f}"
        p = "-" if r.get("p_adjusted") is None else f"{r['p_adjusted']:.2g}"
        lexicon = ", ".join(f"{e['word']} {e['valence']:+.1f}" for e in r.get("lexicon") or [])
        out.append(f'<tr{" class=flagged" if r["flagged"] else ""}><td>{escape(r["term"])}</td>'
                   f'<td>{escape(GROUP_TITLES.get(r["group"], r["group"].replace("_", " ")))}</td><td>{escape(", ".join(r["reference"]))}</td>'
                   f'<td>{diff}</td><td>{p}</td><td>{"yes" if r["flagged"] else "no"}</td>'
                   f'<td>{escape(lexicon)}</td></tr>')
    out.append(f'</tbody></table><p class="credit">{escape(audit["attribution"])}</p>')
    return "".join(out)
