"""How many cores this process may use, and whether a second process may be forked: the import's reading
process and the report's helper both ask (a module of its own, so the report does not load the import's)."""

from __future__ import annotations

import multiprocessing
import os
import sys


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: macOS lists fork too, but its system libraries are not safe to use in a forked child
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
