"""Inference quality of the report, measured on invented personas with known true traits (issue 13, item 8).

For each persona of ``tests/personas``: write its exports into a temporary folder, run the real CLI in a
subprocess (``datavault --vault V import PATHS --me NAME --tz ZONE``, then ``datavault --vault V report --format
json --tz ZONE``), and compare the report's ``findings`` and ``not_assessed`` with the persona's truth
(``tests/personas/judge.py`` says how each case counts). Prints precision and recall per finding id, per language
and overall as Markdown tables ready for the README, every error (persona, finding, expected, got, the finding's
statement and strength), and the sufficiency checks with their violations (a finding stated on a persona whose
data is below any minimum). Always exits 0: it measures, it does not judge.

    .venv/bin/python benchmarks/inference_quality.py [--persona NAME ...] [--json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.personas import BY_NAME, EVALUATED, PERSONAS, write_exports  # noqa: E402
from tests.personas.judge import evaluate, summarise  # noqa: E402


def datavault_command() -> list[str]:
    for candidate in (ROOT / ".venv" / "bin" / "datavault", Path(sys.executable).parent / "datavault"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("datavault")
    return [found] if found else [sys.executable, "-m", "datavault"]


def run_persona(persona, workdir: Path) -> tuple[dict, dict]:
    """Exports written, imported and reported through the CLI; returns (report, timings)."""
    exports = workdir / "exports"
    vault = workdir / "vault.sqlite"
    paths = write_exports(persona, exports)
    cli = datavault_command()
    env = {**os.environ, "DATAVAULT_DEBUG": "1"}
    started = time.perf_counter()
    imported = subprocess.run([*cli, "--vault", str(vault), "import", *map(str, paths), "--me", persona.me,
                               "--tz", persona.tz], capture_output=True, text=True, env=env)
    if imported.returncode != 0:
        raise RuntimeError(f"import failed ({imported.returncode}): {imported.stderr.strip()[-2000:]}")
    middle = time.perf_counter()
    reported = subprocess.run([*cli, "--vault", str(vault), "report", "--format", "json", "--tz", persona.tz],
                              capture_output=True, text=True, env=env)
    if reported.returncode != 0:
        raise RuntimeError(f"report failed ({reported.returncode}): {reported.stderr.strip()[-2000:]}")
    ended = time.perf_counter()
    return json.loads(reported.stdout), {"import_s": round(middle - started, 2), "report_s": round(ended - middle, 2)}


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(summary: dict, personas: list) -> str:
    lines = ["| finding | TP | FP | FN | TN | precision | recall | sufficiency (passed/checks) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for fid, t in summary["by_finding"].items():
        lines.append(f"| `{fid}` | {t['tp']} | {t['fp']} | {t['fn']} | {t['tn']} | {_fmt(t['precision'])} | "
                     f"{_fmt(t['recall'])} | {t['sufficiency_passed']}/{t['sufficiency_checks']} |")
    o = summary["overall"]
    lines.append(f"| **overall** | {o['tp']} | {o['fp']} | {o['fn']} | {o['tn']} | **{_fmt(o['precision'])}** | "
                 f"**{_fmt(o['recall'])}** | {o['sufficiency_passed']}/{o['sufficiency_checks']} |")
    lines += ["", "| language | personas | TP | FP | FN | precision | recall | sufficiency | violations |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lang, t in summary["by_language"].items():
        n = sum(1 for p in personas if p.language == lang)
        lines.append(f"| {lang} | {n} | {t['tp']} | {t['fp']} | {t['fn']} | {_fmt(t['precision'])} | "
                     f"{_fmt(t['recall'])} | {t['sufficiency_passed']}/{t['sufficiency_checks']} | {t['violations']} |")
    return "\n".join(lines)


def error_lines(summary: dict) -> list[str]:
    out = []
    for e in summary["errors"]:
        statement = (e["statement"] or "").replace("\n", " ")
        if len(statement) > 220:
            statement = statement[:217] + "..."
        out.append(f"- {e['persona']} / `{e['finding']}`: expected {e['expected']}, got {e['got']}"
                   f"{' [' + e['strength'] + ']' if e['strength'] else ''}: {e['reason']}"
                   + (f"\n  > {statement}" if statement else ""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persona", action="append", help="run only this persona (repeatable)",
                        choices=sorted(BY_NAME))
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of Markdown")
    parser.add_argument("--keep", type=Path, help="keep each persona's exports and vault under this folder")
    args = parser.parse_args(argv)
    personas = [BY_NAME[n] for n in args.persona] if args.persona else list(PERSONAS)
    outcomes, runs, failures = [], {}, {}
    base = args.keep or Path(tempfile.mkdtemp(prefix="dv-personas-"))
    try:
        for persona in personas:
            workdir = base / persona.name
            if workdir.exists():
                shutil.rmtree(workdir)
            workdir.mkdir(parents=True)
            try:
                report, timing = run_persona(persona, workdir)
            except Exception as exc:  # a crash is measured too: every id of the persona counts as wrong
                failures[persona.name] = str(exc)
                report, timing = {"findings": [], "not_assessed": [], "clear": []}, {}
            found = evaluate(persona, report)
            outcomes += found
            runs[persona.name] = {"language": persona.language, **timing,
                                  "findings": sorted(f["id"] for f in report.get("findings", [])),
                                  "not_assessed": sorted(n["id"] for n in report.get("not_assessed", [])),
                                  "wrong": sorted(o.finding for o in found if not o.correct)}
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    summary = summarise(outcomes)
    if args.json:
        print(json.dumps({"evaluated": list(EVALUATED), "personas": runs, "failures": failures, **summary},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"# Inference quality: {len(personas)} personas, {len(outcomes)} judgements\n")
    print(markdown(summary, personas))
    print(f"\nErrors: {len(summary['errors'])} of {len(outcomes)} judgements; violations (a finding stated on data "
          f"below any minimum): {len(summary['violations'])}.\n")
    print("## Per persona\n")
    for name, run in runs.items():
        print(f"- {name} ({run['language']}): wrong {', '.join(run['wrong']) or 'nothing'}; findings "
              f"{', '.join(run['findings']) or 'none'}"
              + (f"; import {run['import_s']} s, report {run['report_s']} s" if "import_s" in run else ""))
    if failures:
        print("\n## Failed runs\n")
        for name, why in failures.items():
            print(f"- {name}: {why}")
    print("\n## Errors\n")
    print("\n".join(error_lines(summary)) or "none")
    print("\n## Violations of the sufficiency rule\n")
    print("\n".join(f"- {v['persona']} / `{v['finding']}` stated {v['got']}: {v['statement'][:200]}"
                    for v in summary["violations"]) or "none")
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
