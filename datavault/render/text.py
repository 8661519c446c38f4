"""The report in the terminal, with rich: a summary first (score, findings per category, Art. 9 flags), then
one section per category with each finding's statement, numbers, evidence, rule, context and remedy. Imported
text goes in as ``Text`` objects, never as markup, so square brackets in a message cannot restyle the output."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from datavault.render.readable import human_time, humanize
from datavault.render.readable import title as title_of
from datavault.findings.model import SENSITIVE_TITLES
from datavault.render import clean, ordered_findings, sources
from datavault.terminal import SafeConsole

STYLE = {"strong": "bold red", "moderate": "bold yellow", "weak": "dim"}


def render_text(report: dict[str, Any], console: Console) -> None:
    s = report["score"]
    refs = sources.references(report)
    summary = report["summary"]
    console.print(Text("What a scorer could conclude about you", style="bold"))
    console.print(Text(f"generated {human_time(report['generated'], report['timezone'])} · times in {report['timezone']} · "
                       f"{report['vault']['total']} records" + (" · redacted" if report.get("redacted") else ""),
                       style="dim"))
    for c in report["caveats"]:
        console.print(Text("! " + c, style="yellow"))
    from datavault.render.changes import as_of_line, since_lines

    if as_of_line(report):
        console.print(Text(clean(as_of_line(report), 1000), style="bold yellow"))
    overview = Table(title="Summary", show_header=True, expand=False)
    overview.add_column("category")
    overview.add_column("findings")
    for _, title, fs in ordered_findings(report):
        overview.add_row(Text(title), Text(", ".join(f"{f['title']} ({f['strength']})" for f in fs) or "-"))
    console.print(overview, soft_wrap=False)
    if summary["sensitive"]:
        console.print(Text("GDPR Art. 9 special categories touched: "
                           + ", ".join(SENSITIVE_TITLES.get(x, x) for x in summary["sensitive"]), style="magenta"))
    console.print(Text(f"Illustrative score ({s['title']}): "
                       + (f"{s['value']} on {s['min']}-{s['max']}" if s.get("value") is not None else "not scored"),
                       style="bold") + Text(f"   {s['formula']}", style="dim"))
    if s.get("coverage") and s.get("value") is not None:
        console.print(Text(s["coverage"]["text"], style="dim"))
    if since_lines(report):
        console.rule(Text("Since your last export", style="bold"))
        for line in since_lines(report):
            console.print(Text("- " + clean(line, 1000)))
    for _, title, fs in ordered_findings(report):
        console.rule(Text(title, style="bold"))
        if not fs:
            console.print(Text("Nothing found in this category.", style="dim"))
        for f in fs:
            head = Text(f["title"], style="bold") + Text(f"  [{f['strength']}]", style=STYLE[f["strength"]])
            if f["sensitive"]:
                head += Text("  Art. 9: " + ", ".join(f["sensitive"]), style="magenta")
            body = Text()
            body.append(clean(f["statement"], 4000) + "\n")
            nums = ", ".join(f"{k.replace('_', ' ')} {human_time(v, report['timezone']) if isinstance(v, str) else v if not isinstance(v, list) else '/'.join(map(str, v))}"
                             for k, v in f["measures"].items() if v not in (None, [], ""))
            body.append("numbers: " + clean(nums, 2000) + "\n", style="cyan")
            total = f.get("evidence_total") or len(f["evidence"])
            body.append(f"evidence ({len(f['evidence'][:5])} of {total}):\n", style="bold")
            for ev in f["evidence"][:5]:
                body.append(f"  {clean(human_time(ev['time'], report['timezone']), 30) or '-'}  {clean(ev['source_file'], 80)}"
                            f"{' ' + clean(ev['locator'], 40) if ev.get('locator') else ''}\n", style="dim")
                body.append(f"    {clean(ev['excerpt'], 160)}\n")
            body.append("rule: " + clean(f["rule"], 2000) + "\n", style="dim")
            if f.get("context"):
                body.append("context (research on others, not this tool's accuracy): " + clean(f["context"], 2000)
                            + sources.marker(f, refs) + "\n", style="dim")
            body.append("what weakens it: " + clean(f["remedy"], 2000), style="green")
            console.print(Panel(body, title=head, title_align="left"), soft_wrap=False)
    if report["clear"]:
        console.rule(Text("Checked, nothing found", style="bold"))
        for c in report["clear"]:
            console.print(Text(f"- {c['title']}: {c['checked']}"))
    bias = (report.get("expression") or {}).get("bias")
    if bias:
        from datavault.bias.render import summary_lines

        console.rule(Text("The model that read your words", style="bold"))
        for line in summary_lines(bias):
            console.print(Text(line))
    from datavault.rights.section import text_section

    text_section(report, console)
    console.rule(Text("Not assessed", style="bold"))
    if not report["not_assessed"]:
        console.print(Text("Everything could be assessed.", style="dim"))
    for n in report["not_assessed"]:
        console.print(Text(f"- {title_of(n['id'], report)}: {humanize(n['reason'])}"))
    if refs:
        console.rule(Text(sources.HEADING, style="bold"))
        console.print(Text(sources.INTRO, style="dim"))
        for r in refs:
            console.print(Text(f"[{r['number']}] {clean(r['reference'], 1000)}"))


def render_text_string(report: dict[str, Any], width: int = 100) -> str:
    buf = io.StringIO()
    render_text(report, SafeConsole(file=buf, width=width, force_terminal=False, color_system=None))
    return buf.getvalue()


def render_score_text(result: dict[str, Any], console: Console) -> None:
    s = result["score"]
    if s.get("value") is None:  # nothing assessed: no number (datavault/score.py)
        console.print(Text(f"{s['title']}: not scored", style="bold") + Text(f"  (scale {s['min']}-{s['max']})"))
        console.print(Text(f"No score: {s.get('reason') or 'nothing could be assessed'}."))
    else:
        console.print(Text(f"{s['title']}: {s['value']}", style="bold") + Text(f"  (scale {s['min']}-{s['max']})"))
    if s.get("coverage"):
        console.print(Text(s["coverage"]["text"]))
    console.print(Text(s["label"], style="yellow"))
    if s.get("description"):
        console.print(Text(s["description"], style="dim"))
    table = Table(show_header=True)
    for col in ("finding", "weight", "strength", "factor", "points", "why the scorer cares"):
        table.add_column(col)
    for p in s["parts"]:
        table.add_row(Text(str(p["finding"])), str(p["weight"]), Text(str(p["strength"] or p.get("status", "not found"))),
                      f"{p['factor']:g}", str(p["points"]), Text(str(p["why"])))
    console.print(table, soft_wrap=False)
    console.print(Text("formula: " + s["formula"]))
    for n in result.get("not_assessed") or []:
        console.print(Text(f"not assessed: {n['id']}: {n['reason']}", style="dim"))
