"""The report as one self-contained HTML file that opens offline.

No scripts, no external fonts, styles or images: a Content-Security-Policy meta tag forbids them all (the one
inline style block is allowed by its SHA-256 hash), and charts are inline SVG. Every piece of text that came
from the vault is escaped, bidi overrides are shown as markers, imported text sits in ``<bdi>`` so a
right-to-left name cannot reorder the page, and nothing imported ever becomes a link.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from datavault.findings.model import SENSITIVE_TITLES
from datavault.render import clean, ordered_findings
from datavault.render import sources, svg
from datavault.render.readable import human_time, humanize
from datavault.render.readable import title as title_of
from datavault.findings.model import plural

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:980px;margin:0 auto;padding:1.5em;background:#fafafa}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #b03a2e;padding-bottom:.2em;margin-top:2em}
.muted{color:#666}.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6em .9em;border-radius:6px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1em 1.2em;margin:1em 0}
.badge{display:inline-block;padding:.05em .5em;border-radius:1em;font-size:.8em;margin-right:.3em;border:1px solid #999}
.strong{background:#b03a2e;color:#fff;border-color:#b03a2e}.moderate{background:#e67e22;color:#fff;border-color:#e67e22}
.weak{background:#eee}.art9{background:#4a235a;color:#fff;border-color:#4a235a}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.88em}td,th{border-bottom:1px solid #eee;padding:.25em .4em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.score{font-size:2.4em;font-weight:700;color:#b03a2e}.formula{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-word}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1em}
dt{font-weight:600;margin-top:.4em}dd{margin-left:0}
table.bias tr.flagged td{background:#fdecea}.credit{font-size:.8em;color:#666}.not-assessed{color:#666}
td,th,li,p,dd,code,summary{overflow-wrap:anywhere}svg{max-width:100%;height:auto}
ol.conclusions li{margin:.3em 0}nav ol{columns:2 14em;margin:.3em 0}
@media (max-width:600px){body{padding:.6em;font-size:14px}.card{padding:.7em .6em}td,th{padding:.2em .25em}
.grid{grid-template-columns:1fr}table{font-size:.8em}}
"""
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'none'; font-src 'none'; "
       "script-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")


def e(value: Any, limit: int = 300) -> str:
    """Untrusted text, escaped and isolated."""
    return f"<bdi>{escape(clean(value, limit), quote=True)}</bdi>"


def own(text: str) -> str:
    """Text written by datavault itself (may still embed imported names): escaped, not isolated."""
    return escape(clean(text, 4000), quote=True)


def _value(v: Any, zone: str | None) -> Any:
    """A measure or detail cell: a list joined, an ISO time in the person's zone and a human format."""
    if isinstance(v, list):
        return ", ".join(str(human_time(x, zone)) if isinstance(x, str) else str(x) for x in v)
    return human_time(v, zone) if isinstance(v, str) else v


def _measures(m: dict[str, Any], zone: str | None = None) -> str:
    cells = "".join(f"<tr><th>{own(k.replace('_', ' '))}</th><td>{e(_value(v, zone))}</td></tr>"
                    for k, v in m.items() if v not in (None, [], ""))
    return f"<table>{cells}</table>" if cells else ""


def _evidence_rows(ev: list[dict[str, Any]], zone: str | None = None) -> str:
    return "".join(f"<tr><td>{e(human_time(x['time'], zone), 40)}</td><td>{e(x['table'], 30)}</td><td>{e(x['source_file'], 120)}"
                   f"{(' · ' + e(x['locator'], 60)) if x.get('locator') else ''}</td><td>{e(x['excerpt'], 200)}</td></tr>"
                   for x in ev)


EVIDENCE_HEAD = "<tr><th>time</th><th>table</th><th>source file · locator</th><th>excerpt</th></tr>"


def _evidence(ev: list[dict[str, Any]], total: int, finding_id: str, every: list[dict[str, Any]] | None = None,
              every_total: int = 0, zone: str | None = None) -> str:
    """The records shown; where there are more, the command that lists them all and, when the report carries
    them (``evidence_all``), the full list in a collapsed block (no script needed: <details>)."""
    if not ev:
        return ""
    command = f"<code>datavault evidence {e(finding_id, 60)}</code>"
    more = (f"<p class='muted'>{len(ev)} of {total} records shown; all of them: {command}</p>"
            if total > len(ev) else "")
    if every is not None and every_total <= len(ev) < total:  # it counts hours, events or messages, not records
        more = (f"<p class='muted'>The finding counts {total:,} (its measure: hours, events or messages); these are "
                f"the {plural(len(ev), 'record')} it cites. Its details table is in "
                "<code>datavault report --format json</code>.</p>")
    elif every and every_total > len(ev):
        cap = (f"<p class='muted'>The first {len(every)} of {every_total} records; all of them: {command}</p>"
               if every_total > len(every) else "")
        more += (f"<details class='all-evidence'><summary>"
                 + (f"Show all {every_total} records" if every_total == total
                    else f"Show the {every_total} records <code>datavault evidence</code> lists") + "</summary>"
                 f"{cap}<table>{EVIDENCE_HEAD}{_evidence_rows(every, zone)}</table></details>")
    return f"<table>{EVIDENCE_HEAD}{_evidence_rows(ev, zone)}</table>" + more


def _details(rows: list[dict[str, Any]], zone: str | None = None) -> str:
    if not rows:
        return ""
    keys = [k for k in rows[0] if k not in ("source_file", "rule_source")]
    head = "".join(f"<th>{own(k.replace('_', ' '))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{e(_value(r.get(k), zone), 120)}</td>"
                                    for k in keys) + "</tr>" for r in rows[:25])
    more = f"<p class='muted'>first 25 of {len(rows)} rows</p>" if len(rows) > 25 else ""
    return f"<details><summary>Details</summary><table><tr>{head}</tr>{body}</table>{more}</details>"


def _finding(f: dict[str, Any], zone: str | None = None, refs: list[dict[str, Any]] = ()) -> str:
    badges = f"<span class='badge {own(f['strength'])}'>{own(f['strength'])} evidence</span>" + "".join(
        f"<span class='badge art9'>GDPR Art. 9: {own(SENSITIVE_TITLES.get(s, s))}</span>" for s in f["sensitive"])
    marks = "".join(f"<sup><a href='#source-{n}'>[{n}]</a></sup>" for n in sources.numbers(f, list(refs)))
    context = (f"<dt>Research context (other people's data, not this tool's accuracy)</dt><dd>{own(f['context'])}"
               f"{marks}</dd>" if f.get("context") else "")
    return (f"<div class='card' id='f-{own(f['id'])}'><h3>{own(f['title'])}</h3><p>{badges}</p>"
            f"<p>{own(humanize(f['statement']))}</p>{_measures(f['measures'], zone)}"
            f"<dl><dt>Evidence</dt><dd>{_evidence(f['evidence'], f.get('evidence_total') or len(f['evidence']), f['id'], f.get('evidence_all'), f.get('evidence_all_total') or 0, zone)}</dd>"
            f"<dt>Rule</dt><dd>{own(humanize(f['rule']))}</dd>{context}"
            f"<dt>What weakens it</dt><dd>{own(humanize(f['remedy']))}</dd>{_requests(f.get('requests') or [])}</dl>"
            f"{_details(f.get('details') or [], zone)}</div>")


REQUEST_KINDS = {"objection": "object to this inference (GDPR Art. 21 and 22)",
                 "erasure": "ask for its data to be erased (GDPR Art. 17)"}


def _requests(requests: list[dict[str, str]]) -> str:
    """What the person can ask each controller the finding concerns: the command that writes the letter."""
    if not requests:
        return ""
    items = "".join(f"<li>{own(r['name'])}: {own(REQUEST_KINDS.get(r['kind'], r['kind']))}: "
                    f"<code>{own(r['command'])}</code></li>" for r in requests)
    return (f"<dt>What you can ask</dt><dd>Each command writes the letter offline, filled from your vault (a "
            f"template to read before you send it).<ul>{items}</ul></dd>")


def _expression(section: dict[str, Any]) -> str:
    """The expression work's chart and bias table (datavault/expression/html.py), when it ran."""
    if not section:
        return ""
    from datavault.expression.html import bias_table_html, trajectory_svg

    parts = ["<div class='card'><h3>Mood of your own words, month by month</h3>"]
    if section.get("sentiment_by_month"):
        parts.append(trajectory_svg(section["sentiment_by_month"]))
    if section.get("bias"):
        parts.append("<h3>How the model that read them treats identity words</h3>"
                     + bias_table_html(section["bias"], flagged_only=True))
    return "".join(parts) + "</div>"


def _time_section(report: dict[str, Any]) -> str:
    """The as-of line and the "since your last export" section (datavault/render/changes.py), when there are."""
    from datavault.render.changes import as_of_line, since_lines

    out = f"<p class='banner'>{own(as_of_line(report))}</p>" if as_of_line(report) else ""
    if since_lines(report):
        out += ("<h2>Since your last export</h2><div class='card'><ul>"
                + "".join(f"<li>{own(line)}</li>" for line in since_lines(report)) + "</ul></div>")
    return out


STRENGTH_ORDER = {"strong": 0, "moderate": 1, "weak": 2}


def _conclusions(report: dict[str, Any]) -> str:
    """The findings in plain words, strongest first, each a link to its card: the page's first answer."""
    found = sorted(report["findings"], key=lambda f: STRENGTH_ORDER.get(f["strength"], 3))
    if not found:
        return "<p>Nothing: no finding could be drawn from the records in this vault.</p>"
    items = "".join(
        f"<li><a href='#f-{own(f['id'])}'>{own(f['title'])}</a> "
        f"<span class='badge {own(f['strength'])}'>{own(f['strength'])} evidence</span>"
        + "".join(f"<span class='badge art9'>GDPR Art. 9: {own(SENSITIVE_TITLES.get(x, x))}</span>"
                  for x in f["sensitive"]) + "</li>" for f in found)
    return f"<ol class='conclusions'>{items}</ol>"


def _contents(report: dict[str, Any]) -> str:
    entries = [("conclusions", "What a scorer could conclude"), ("score", "The score"), ("charts", "Charts")]
    entries += [(f"c-{cat}", f"{title} ({len(fs)})") for cat, title, fs in ordered_findings(report)]
    if report["clear"]:
        entries.append(("clear", "Checked, nothing found"))
    entries += [("not-assessed", "Not assessed"), ("formula", "The score's formula")]
    if sources.references(report):
        entries.append(("sources", sources.HEADING))
    return ("<nav id='contents' class='card'><strong>Contents</strong><ol>"
            + "".join(f"<li><a href='#{anchor}'>{own(text)}</a></li>" for anchor, text in entries) + "</ol></nav>")


def _sources(report: dict[str, Any]) -> str:
    """Each cited work once, in full, its number the target of the markers (DOIs as text: no link leaves)."""
    refs = sources.references(report)
    if not refs:
        return ""
    items = "".join(f"<li id='source-{r['number']}' value='{r['number']}'>{own(r['reference'])}</li>" for r in refs)
    return (f"<h2 id='sources'>{own(sources.HEADING)}</h2><div class='card'><p class='muted'>{own(sources.INTRO)}</p>"
            f"<ol class='sources'>{items}</ol></div>")


def render_html(report: dict[str, Any]) -> str:
    s = report["score"]
    summary = report["summary"]
    zone = report.get("timezone")
    refs = sources.references(report)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        "<meta name='referrer' content='no-referrer'><meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>datavault: what a scorer could conclude</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>What a scorer could conclude about you</h1>",
        f"<p class='muted'>datavault report · generated {own(human_time(report['generated'], zone))} · times in "
        f"{own(zone)} · rules {own(report['rules_version'])} · {report['vault']['total']:,} record{'' if report['vault']['total'] == 1 else 's'}"
        + (" · <strong>redacted</strong>" if report.get("redacted") else "") + "</p>",
        "<p class='banner'>" + " ".join(own(c) for c in report["caveats"]) + "</p>",
        _contents(report),
        _time_section(report),
        "<h2 id='conclusions'>What a scorer could conclude</h2>",
        _conclusions(report),
        "<h2 id='score'>The score</h2><div class='grid'>",
        f"<div class='card'><div class='muted'>Illustrative score ({own(s['title'])})</div><div class='score'>{s['value'] if s.get('value') is not None else 'not scored'}</div>"
        f"<div class='muted'>on a {s['min']}-{s['max']} scale</div><p class='formula'>{own(humanize(s['formula']))}</p>"
        f"<p class='muted'>{own(humanize((s.get('coverage') or {}).get('text', '')))}</p></div>",
        "<div class='card'><table>" + "".join(
            f"<tr><th><a href='#c-{own(cat)}'>{own(title)}</a></th><td>{plural(len(fs), 'finding')}</td></tr>"
            for cat, title, fs in ordered_findings(report)) + "</table>"
        + (f"<p>Touches GDPR Art. 9 special categories: {own(', '.join(SENSITIVE_TITLES.get(x, x) for x in summary['sensitive']))}</p>"
           if summary["sensitive"] else "<p>No GDPR Art. 9 special category touched.</p>") + "</div></div>",
        "<h2 id='charts'>Charts</h2><div class='card'><h3>Your own activity by weekday and hour</h3>",
        svg.heatmap(report["charts"]["activity_by_weekday_hour"]),
        "</div><div class='card'><h3>Top contacts (messages)</h3>",
        svg.bars(report["charts"]["top_contacts"], "contact", "messages", "Top contacts"),
        "</div><div class='card'><h3>Timeline of findings (months with evidence shown)</h3>",
        svg.timeline(report["charts"]["timeline"]), "</div>",
        _expression(report.get("expression") or {}),
    ]
    for cat, title, fs in ordered_findings(report):
        parts.append(f"<h2 id='c-{own(cat)}'>{own(title)}</h2>")
        parts.append("".join(_finding(f, zone, refs) for f in fs) if fs
                     else "<p class='muted'>Nothing found in this category.</p>")
    parts.append("<h2 id='clear'>Checked, nothing found</h2><ul>" + "".join(
        f"<li><strong>{own(c['title'])}</strong>: {own(humanize(c['checked']))}</li>" for c in report["clear"]) + "</ul>"
        if report["clear"] else "")
    from datavault.rights.section import html_section

    parts.append(html_section(report))
    parts.append("<h2 id='not-assessed'>Not assessed</h2>" + ("<ul>" + "".join(
        f"<li><strong>{own(title_of(n['id'], report))}</strong>: {own(humanize(n['reason']))}</li>"
        for n in report["not_assessed"]) + "</ul>"
        if report["not_assessed"] else "<p class='muted'>Everything could be assessed.</p>"))
    parts.append("<h2 id='formula'>The score's formula</h2><div class='card'><p>" + own(s["label"]) + "</p><p>"
                 + own(s["description"]) + "</p><table><tr><th>finding</th><th>weight</th><th>strength</th>"
                 "<th>points</th><th>why the scorer cares</th></tr>" + "".join(
                     f"<tr><td>{own(title_of(p['finding'], report))}</td><td>{p['weight']}</td><td>{own(p['strength'] or p.get('status', 'not found'))}</td>"
                     f"<td>{p['points']}</td><td>{own(p['why'])}</td></tr>" for p in s["parts"])
                 + f"</table><p class='formula'>{own(humanize(s['formula']))}</p></div>")
    parts.append(_sources(report))
    parts.append("<p class='muted'>Made offline by datavault from your own exports. Nothing left this computer.</p>"
                 "</body></html>\n")
    return "".join(parts)
