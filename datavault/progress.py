"""What long work tells a progress display: one phase at a time, each with a total, advanced as it goes.

The core (the import pipeline, the report's derived data and findings) reports through a ``Progress`` and knows
nothing of terminals; the CLI passes one drawn with rich (datavault/cli.py), tests pass a recording one, and
everything else gets this class itself, which ignores it all. A phase ends when the next one starts or at
``end()``. Totals are in the phase's ``unit``: bytes (reading an export), records (the word index, the rollups)
or providers (the findings); ``None`` when it cannot be known beforehand.
"""

from __future__ import annotations

READING = "reading"
STORING = "storing"
WORD_INDEX = "preparing the report: word index"
ROLLUPS = "preparing the report: rollups"
FINDINGS = "preparing the report: findings"


class Progress:
    """The progress interface, and the display that shows nothing (the default everywhere)."""

    def phase(self, name: str, total: int | None = None, unit: str = "records", item: str | None = None) -> None:
        """A new phase begins (ending the one before): ``name`` is one of the names above, ``item`` what it
        works on (an export's name: the person's own text, to be shown as plain text)."""

    def advance(self, n: int = 1) -> None:
        """``n`` more units of the current phase are done."""

    def end(self) -> None:
        """The current phase is over (nothing more to show for it)."""


NO_PROGRESS = Progress()
