"""Inline SVG charts for the HTML report: activity by weekday and hour, top contacts, a timeline of findings.

Plain SVG with presentation attributes (no style attributes, no scripts, no external references), every label
escaped, so they pass the report's Content-Security-Policy and render offline.
"""

from __future__ import annotations

from html import escape
from typing import Any

from datavault.render import clean

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _t(s: Any, limit: int = 40) -> str:
    return escape(clean(s, limit), quote=True)


def heatmap(grid: list[list[int]]) -> str:
    if not grid or not any(map(any, grid)):
        return '<p class="muted">No timed activity to chart.</p>'
    cw, ch, left, top = 22, 20, 40, 22
    peak = max(map(max, grid)) or 1
    out = [f'<svg role="img" aria-label="Your own activity by weekday and hour" viewBox="0 0 {left + 24 * cw + 10} '
           f'{top + 7 * ch + 30}" width="100%" xmlns="http://www.w3.org/2000/svg">']
    for h in range(0, 24, 3):
        out.append(f'<text x="{left + h * cw + 2}" y="14" font-size="10" fill="#555">{h:02d}h</text>')
    for d, row in enumerate(grid):
        y = top + d * ch
        out.append(f'<text x="0" y="{y + 14}" font-size="11" fill="#333">{DAYS[d]}</text>')
        for h, n in enumerate(row):
            shade = 0.06 + 0.94 * (n / peak) if n else 0.0
            out.append(f'<rect x="{left + h * cw}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="#b03a2e" '
                       f'fill-opacity="{shade:.2f}"><title>{DAYS[d]} {h:02d}:00: {n}</title></rect>')
    out.append(f'<text x="{left}" y="{top + 7 * ch + 18}" font-size="10" fill="#555">darker = more of your own '
               f'messages, searches, watches and posts (busiest cell: {peak})</text></svg>')
    return "".join(out)


def bars(rows: list[dict[str, Any]], label_key: str, value_key: str, title: str) -> str:
    rows = [r for r in rows if r.get(value_key)][:10]
    if not rows:
        return '<p class="muted">Nothing to chart.</p>'
    bh, left, width = 22, 160, 420
    peak = max(r[value_key] for r in rows) or 1
    out = [f'<svg role="img" aria-label="{_t(title)}" viewBox="0 0 {left + width + 60} {len(rows) * bh + 10}" '
           f'width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, r in enumerate(rows):
        y = 5 + i * bh
        w = max(2, int(width * r[value_key] / peak))
        out.append(f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end" fill="#333">'
                   f'{_t(r[label_key], 24)}</text>')
        out.append(f'<rect x="{left}" y="{y + 2}" width="{w}" height="{bh - 6}" fill="#1f618d"></rect>')
        out.append(f'<text x="{left + w + 4}" y="{y + 14}" font-size="11" fill="#333">{int(r[value_key])}</text>')
    out.append("</svg>")
    return "".join(out)


def timeline(items: list[dict[str, Any]]) -> str:
    months = sorted({m for it in items for m in it["months"]})
    if not months:
        return '<p class="muted">No dated evidence to chart.</p>'
    first, last = months[0], months[-1]
    def idx(m: str) -> int:
        return (int(m[:4]) - int(first[:4])) * 12 + int(m[5:7]) - int(first[5:7])
    span = max(1, idx(last))
    left, width, rh = 215, 440, 20
    out = [f'<svg role="img" aria-label="Timeline of findings" viewBox="0 0 {left + width + 20} '
           f'{len(items) * rh + 30}" width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, it in enumerate(items):
        y = 5 + i * rh
        out.append(f'<text x="{left - 8}" y="{y + 13}" font-size="11" text-anchor="end" fill="#333">'
                   f'{_t(it["title"], 28)}</text>')
        out.append(f'<line x1="{left}" y1="{y + 9}" x2="{left + width}" y2="{y + 9}" stroke="#ddd"></line>')
        for m, n in it["months"].items():
            x = left + int(width * idx(m) / span)
            out.append(f'<circle cx="{x}" cy="{y + 9}" r="{min(8, 3 + n)}" fill="#7d3c98" fill-opacity="0.7">'
                       f'<title>{_t(m)}: {n}</title></circle>')
    y = len(items) * rh + 20
    out.append(f'<text x="{left}" y="{y}" font-size="10" fill="#555">{_t(first)}</text>'
               f'<text x="{left + width}" y="{y}" font-size="10" text-anchor="end" fill="#555">{_t(last)}</text></svg>')
    return "".join(out)
