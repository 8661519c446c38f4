"""Running the demo: write the persona's exports, import them into a fresh demo vault (never the user's own),
and show what the vault now holds."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from datavault.demo import build_exports
from datavault.inventory import read_inventory, render_inventory
from datavault.pipeline import import_paths
from datavault.store import default_vault_path

DEMO_VAULT = "demo-vault.sqlite"


def default_demo_dir() -> Path:
    return default_vault_path().parent / "demo"


def build_demo_vault(out_dir: Path, seed: int = 7, scale: int = 1) -> tuple[Path, list[Path]]:
    """The demo exports under ``out_dir/exports`` and a freshly built demo vault beside them."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    paths = build_exports(out_dir / "exports", seed=seed, scale=scale)
    vault = out_dir / DEMO_VAULT
    for suffix in ("", "-wal", "-shm"):
        Path(str(vault) + suffix).unlink(missing_ok=True)
    import_paths(vault, paths)
    return vault, paths


def run_demo(out_dir: Path | None, seed: int, scale: int, out: Console, err: Console) -> Path:
    out_dir = out_dir or default_demo_dir()
    err.print(f"Writing the demo persona's exports to {out_dir / 'exports'} ...")
    vault, paths = build_demo_vault(out_dir, seed, scale)
    render_inventory(read_inventory(vault), out)
    err.print(f"Demo vault: {vault}\nLook around with: datavault --vault '{vault}' inventory   "
              f"(or export messages, report, score)")
    return vault
