"""The report as Markdown: the same sections as the HTML. Imported text is escaped for Markdown and for the
HTML most Markdown viewers allow (``<`` and ``&`` become entities), and table cells cannot break the table."""

from __future__ import annotations

import re
from typing import Any

from datavault.findings.model import SENSITIVE_TITLES
from datavault.render import clean, ordered_findings, sources
from datavault.render.readable import human_time, humanize
from datavault.render.readable import title as title_of

_MD = re.compile(r"([\\`*_\[\]|~#])")


def m(value: Any, limit: int = 300) -> str:
    s = _MD.sub(r"\\\1", clean(value, limit))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def render_md(report: dict[str, Any]) -> str:
    s = report["score"]
    refs = sources.references(report)
    out = ["# What a scorer could conclude about you", "",
           f"datavault report, generated {m(human_time(report['generated'], report['timezone']))}, times in {m(report['timezone'])}, "
           f"{report['vault']['total']} records" + (", **redacted**" if report.get("redacted") else "") + ".", ""]
    out += [f"> {m(c, 1000)}" for c in report["caveats"]] + [""]
    from datavault.render.changes import as_of_line, since_lines

    if as_of_line(report):
        out += [f"**{m(as_of_line(report), 1000)}**", ""]
    out += ["## Summary", "", f"**Illustrative score ({m(s['title'])}): "
            + (f"{s['value']}** on {s['min']}-{s['max']}." if s.get("value") is not None else "not scored**."),
            "", m((s.get("coverage") or {}).get("text", ""), 1000), "", f"Formula: `{clean(s['formula'], 2000).replace('`', chr(39))}`", "",
            "| category | findings |", "| --- | --- |"]
    for _, title, fs in ordered_findings(report):
        out.append(f"| {m(title)} | {m(', '.join(f['title'] + ' (' + f['strength'] + ')' for f in fs) or '-', 1000)} |")
    if report["summary"]["sensitive"]:
        out += ["", "GDPR Art. 9 special categories touched: "
                + m(", ".join(SENSITIVE_TITLES.get(x, x) for x in report["summary"]["sensitive"]))]
    if since_lines(report):
        out += ["", "## Since your last export", ""] + [f"- {m(line, 1000)}" for line in since_lines(report)]
    for _, title, fs in ordered_findings(report):
        out += ["", f"## {m(title)}", ""]
        if not fs:
            out.append("Nothing found in this category.")
        for f in fs:
            flags = f" · Art. 9: {m(', '.join(f['sensitive']))}" if f["sensitive"] else ""
            out += [f"### {m(f['title'])}", "", f"*{f['strength']} evidence*{flags}", "", m(f["statement"], 4000), ""]
            nums = "; ".join(f"{k.replace('_', ' ')}: {human_time(v, report['timezone']) if isinstance(v, str) else v if not isinstance(v, list) else ', '.join(map(str, v))}"
                             for k, v in f["measures"].items() if v not in (None, [], ""))
            out += [f"Numbers: {m(nums, 2000)}", "", "| time | table | source file | locator | excerpt |",
                    "| --- | --- | --- | --- | --- |"]
            for ev in f["evidence"]:
                out.append(f"| {m(human_time(ev['time'], report['timezone']), 40)} | {m(ev['table'], 30)} | {m(ev['source_file'], 120)} | "
                           f"{m(ev['locator'], 60)} | {m(ev['excerpt'], 200)} |")
            total = f.get("evidence_total") or len(f["evidence"])
            if total > len(f["evidence"]):
                out += ["", f"{len(f['evidence'])} of {total} records shown; all of them: "
                            f"`datavault evidence {m(f['id'], 60)}`."]
            out += ["", f"**Rule:** {m(f['rule'], 2000)}", ""]
            if f.get("context"):
                out += [f"**Research context** (other people's data, not this tool's accuracy): {m(f['context'], 2000)}"
                        + m(sources.marker(f, refs)), ""]
            out += [f"**What weakens it:** {m(f['remedy'], 2000)}", ""]
    if report["clear"]:
        out += ["", "## Checked, nothing found", ""] + [f"- **{m(c['title'])}**: {m(c['checked'], 1000)}" for c in report["clear"]]
    bias = (report.get("expression") or {}).get("bias")
    if bias:
        from datavault.bias.render import summary_lines

        out += ["", "## The model that read your words", ""] + [f"- {m(line.strip(), 1000)}" for line in summary_lines(bias)]
    from datavault.rights.section import md_section

    out += md_section(report, m)
    out += ["", "## Not assessed", ""]
    out += [f"- **{m(title_of(n['id'], report))}**: {m(humanize(n['reason']), 1000)}"
            for n in report["not_assessed"]] or ["Everything could be assessed."]
    out += ["", "## The score's formula", "", m(s["label"], 1000), "", "| finding | weight | strength | points | why |",
            "| --- | --- | --- | --- | --- |"]
    out += [f"| {m(title_of(p['finding'], report))} | {p['weight']} | {m(p['strength'] or p.get('status', 'not found'))} | {p['points']} | {m(p['why'])} |"
            for p in s["parts"]]
    if refs:
        out += ["", f"## {sources.HEADING}", "", m(sources.INTRO, 1000), ""]
        out += [f"{r['number']}. {m(r['reference'], 1000)}" for r in refs]
    return "\n".join(out) + "\n"
