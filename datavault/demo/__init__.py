"""``datavault demo``: a synthetic persona's exports in the real formats, imported into a separate demo vault.

Each writer module produces one platform's export for the persona of ``persona.py``; all of them are
deterministic for a given seed, and ``scale`` multiplies the volume (for benchmarks).
"""

from __future__ import annotations

import random
from pathlib import Path

from datavault.demo import facebook, instagram, location, takeout, whatsapp

# (name, writer): writer(out_dir, rng, scale) -> list of paths to import.
WRITERS = [
    ("whatsapp", whatsapp.write),
    ("location", location.write),
    ("takeout", takeout.write),
    ("facebook", facebook.write),
    ("instagram", instagram.write),
]


def build_exports(out_dir: Path, seed: int = 7, scale: int = 1) -> list[Path]:
    """Write every demo export under ``out_dir``; the paths to import, in a stable order."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    paths: list[Path] = []
    for name, writer in WRITERS:
        rng = random.Random(f"{seed}:{name}")
        paths.extend(writer(out_dir, rng, scale))
    return paths
