"""Bounds the report keeps to, whatever the data holds (a module of its own: the findings and the expression
work both use it, and neither package may import the other at load time)."""

# how much of one record's text the report reads (the word index, the keyword scans, the mood of one's words):
# WhatsApp's own limit for a message, and far above any real post or search. A record longer than this (a
# 64 MB "message" in a damaged or forged export) is kept whole in the vault, but its text would cost the report
# memory in proportion: memory stays bounded whatever one record holds.
READ_CHARS = 65_536


def readable(expr: str) -> str:
    """SQL for the part of ``expr`` the report reads (``READ_CHARS``)."""
    return f"substr({expr}, 1, {READ_CHARS})"
