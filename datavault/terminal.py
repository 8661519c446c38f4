"""Imported text never reaches a terminal as control codes.

A sender called ``\\x1b]8;;https://evil.example\\x1b\\\\bank\\x1b]8;;\\x1b\\\\``, a message carrying ``\\x1b[2J`` or a
window title sequence would, printed as written, plant a link, clear the screen or retitle the window. Everything
datavault prints for people goes through ``SafeConsole`` (rich, for the text report, the inventory, the score,
the summaries and progress on standard error): escape sequences and C0/C1 control characters in the text are
removed, tab and newline kept; rich's own styling, added after that, is untouched. A document written to a
terminal (``report --format md``, ``export``, ``bias``, JSON) goes through ``terminal_stream``, which does the same
when standard output is a terminal and nothing otherwise, so a file or a pipe gets the data exactly as stored.
"""

from __future__ import annotations

import re
from typing import Iterable, TextIO

from rich.console import Console
from rich.segment import Segment

# ESC sequences as terminals read them: CSI (ESC [ ... final byte), OSC/DCS/APC/PM/SOS strings up to their
# terminator (BEL or ESC \\; an unterminated one is only its ESC), and two-byte escapes; then any C0 control but
# tab and newline, DEL and the C1 controls (U+009B is CSI on terminals that read 8-bit controls)
_ESCAPES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    "|\x1b[\\]PX^_][^\x07\x1b]{0,4096}(?:\x07|\x1b\\\\)"
    "|\x1b[ -/]*[0-~]"
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and newline kept)."""
    return _ESCAPES.sub("", text) if _has_control(text) else text


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


class SafeConsole(Console):
    """A rich Console that prints text without the control codes it holds (see the module's docstring)."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control or not _has_control(segment.text)
            else Segment(strip_controls(segment.text), segment.style, segment.control)
            for segment in buffer)


class _TerminalWriter:
    """A text stream that strips control codes from what is written to it, for a terminal."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(strip_controls(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def terminal_stream(stream: TextIO) -> TextIO:
    """``stream`` itself, or, when it is a terminal, a stream that strips control codes on the way."""
    return _TerminalWriter(stream) if is_terminal(stream) else stream
