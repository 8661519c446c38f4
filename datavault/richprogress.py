"""The CLI's progress display: the core's phases (datavault/progress.py) as one transient rich bar on stderr.

Each phase is a bar with its name (and the export it reads, as plain text: a file name is the person's own
text, never markup), its count (bytes as sizes, records or providers as done/total) and the time left. It is
drawn only on a terminal, and only once the phase has lasted ``SHOW_AFTER`` seconds, so short phases never
flicker; it is gone when its phase ends.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, ProgressColumn, Task, TextColumn
from rich.progress import Progress as Bars
from rich.text import Text

from datavault.progress import Progress

SHOW_AFTER = 2.0  # seconds a phase runs before its bar appears


class _Delayed(Bars):
    """Rich's Progress, drawing only the phases that have lasted ``show_after`` seconds."""

    def __init__(self, *columns, show_after: float, **kwargs):
        super().__init__(*columns, **kwargs)
        self.show_after = show_after

    def get_renderables(self):
        yield self.make_tasks_table([t for t in self.tasks if t.visible and t.elapsed is not None
                                     and t.elapsed >= self.show_after])


class CountColumn(ProgressColumn):
    """Bytes as sizes (12.0/58.3 MB), other units as counts (3/11 providers, 250,000/1,000,000 records)."""

    def __init__(self):
        super().__init__()
        self.download = DownloadColumn()

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if unit == "bytes":
            return self.download.render(task) if task.total else Text("")
        done = f"{int(task.completed):,}"
        return Text(f"{done}/{int(task.total):,} {unit}" if task.total is not None else f"{done} {unit}".strip(),
                    style="progress.download")


class TimeLeftColumn(ProgressColumn):
    """About how long is left at the phase's pace so far (steps as uneven as the findings' providers make a
    short window's pace jump); the time so far when there is no total."""

    max_refresh = 0.5  # an estimate redrawn ten times a second only jitters

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if task.total is None:
            return Text(f"{clock(elapsed)} so far", style="progress.elapsed")
        if not task.completed:
            return Text("")
        left = elapsed / task.completed * max(task.total - task.completed, 0)
        return Text(f"about {clock(left)} left", style="progress.remaining")


def clock(seconds: float | None) -> str:
    seconds = int(seconds or 0)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class RichProgress(Progress):
    """One bar at a time on ``console`` (a stderr Console); ``progress.start()`` / ``stop()`` around the work."""

    def __init__(self, console: Console, show_after: float | None = None):
        self.progress = _Delayed(TextColumn("{task.description}", markup=False), BarColumn(), CountColumn(),
                                 TimeLeftColumn(), console=console, transient=True,
                                 disable=not console.is_terminal,
                                 show_after=SHOW_AFTER if show_after is None else show_after)
        self.task = None
        self.pending = 0
        self.batch = 1

    def phase(self, name: str, total: int | None = None, unit: str = "records", item: str | None = None) -> None:
        self.end()
        self.task = self.progress.add_task(f"{name} {item}" if item else name, total=total, unit=unit)
        self.batch = 1 << 20 if unit == "bytes" else 1  # bytes come 64 KB at a time: a redraw per megabyte

    def advance(self, n: int = 1) -> None:
        self.pending += n
        if self.task is not None and self.pending >= self.batch:
            self.progress.advance(self.task, self.pending)
            self.pending = 0

    def end(self) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
        self.pending = 0
