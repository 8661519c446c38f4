"""Invented personas with known true traits and traps, for measuring the report's inferences (issue 13, item 8).

``PERSONAS`` lists them; ``write_exports(persona, folder)`` (``build.py``) writes their exports in the real formats;
``benchmarks/inference_quality.py`` and ``tests/test_personas.py`` compare the report with each persona's truth.
"""

from tests.personas.catalog_a import PERSONAS_A
from tests.personas.catalog_b import PERSONAS_B
from tests.personas.model import EVALUATED, NOT_ASSESSED, Persona

PERSONAS: tuple[Persona, ...] = PERSONAS_A + PERSONAS_B
BY_NAME = {p.name: p for p in PERSONAS}

__all__ = ["PERSONAS", "BY_NAME", "EVALUATED", "NOT_ASSESSED", "Persona", "write_exports"]


def write_exports(persona, folder):
    from tests.personas.build import write_exports as write
    return write(persona, folder)
