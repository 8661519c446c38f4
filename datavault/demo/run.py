"""Running the demo: write the persona's exports, import them into a fresh demo vault (never the user's own),
and show what the vault now holds."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from datavault.demo import build_exports
from datavault.errors import UserError
from datavault.forgetting import remember_written
from datavault.inventory import read_inventory, render_inventory
from datavault.pipeline import import_paths
from datavault.layout import default_vault_path

DEMO_VAULT = "demo-vault.sqlite"


def default_demo_dir() -> Path:
    return default_vault_path().parent / "demo"


def build_demo_vault(out_dir: Path, seed: int = 7, scale: int = 1, progress=None) -> tuple[Path, list[Path]]:
    """The demo exports under ``out_dir/exports`` and a freshly built demo vault beside them."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        (out_dir / "exports").mkdir(exist_ok=True, mode=0o700)
    except OSError as exc:  # a file of that name, a read-only place, a name too long
        raise UserError(f"Cannot write the demo to {out_dir}: {exc.strerror or exc}.") from None
    paths = build_exports(out_dir / "exports", seed=seed, scale=scale)
    vault = out_dir / DEMO_VAULT
    for suffix in ("", "-wal", "-shm"):
        Path(str(vault) + suffix).unlink(missing_ok=True)
    import_paths(vault, paths, progress=progress)
    remember_written(vault, out_dir / "exports", "the demo's exports")
    return vault, paths


def run_demo(out_dir: Path | None, seed: int, scale: int, out: Console, err: Console, progress=None) -> Path:
    out_dir = out_dir or default_demo_dir()
    err.print(Text(f"Writing the demo persona's exports to {out_dir / 'exports'} ..."))
    vault, paths = build_demo_vault(out_dir, seed, scale, progress)
    render_inventory(read_inventory(vault), out)
    show_demo_report(vault, out_dir, out, err)
    err.print(Text(f"Demo vault: {vault}\nLook around with: datavault --vault '{vault}' inventory   "
                   f"(or export messages, report, score)"))
    return vault


def show_demo_report(vault: Path, out_dir: Path, out: Console, err: Console) -> Path:
    """The point of the tool, at once: the scorer's-eye report in the terminal, and as an HTML file."""
    from datavault.demo.persona import PERSONA
    from datavault.render import render
    from datavault.render.text import render_text
    from datavault.report import build_report, write_private

    report = build_report(vault, tz=PERSONA.timezone, all_evidence=True)  # the web page lists every record
    render_text(report, out)
    html_path = out_dir / "demo-report.html"
    write_private(html_path, render(report, "html"))
    remember_written(vault, html_path, "the demo's report")
    err.print(Text(f"The same report as a web page (opens offline): {html_path}"))
    return html_path

