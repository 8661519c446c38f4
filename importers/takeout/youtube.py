"""YouTube files other than watch/search history (those are My Activity records, see ``activity.py``).

- ``comments/comments.csv`` and ``live chats/live chats.csv``: read by header name, case-insensitively, so the
  three header generations (v1 2023, v2 reordered June 2024, v3 lower-cased 2025) all work. The text cell is
  one ``{"takeoutSegments": [...]}`` object (2023) or, since late 2024, a comma-separated run of JSON objects
  with raw newlines inside; both become plain text (links keep their visible text). -> ``posts``.
- legacy ``my-comments/*.html`` and ``my-live-chat-messages/*.html`` (``<li>Sent at ... while watching``). -> posts.
- ``subscriptions/subscriptions.csv`` (``Channel Id, Channel Url, Channel Title``) -> activities ``subscribed``.
- ``playlists/likes.json`` (API ``playlistItem`` objects) and the newer playlist CSVs (``Video ID, Playlist Video
  Creation Timestamp``; the liked-videos playlist by its name) -> activities ``liked`` / ``added``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterator

from datavault.records import Activity, Post, Problem
from datavault.timeutil import normalise_iso

from .common import PLATFORM, cell, csv_raw, csv_rows, header_index, squash, text_chunks
from .jsonstream import JsonTrouble, iter_array

_LIKED_NAMES = ("like", "mag ich", "j’aime", "j'aime", "me gusta", "gefällt mir", "mi piace")


def _time(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return normalise_iso(text.replace(" UTC", "Z").replace(" ", "T", 1) if " UTC" in text else text)
    except ValueError:
        return None


def comment_text(value: str | None) -> str | None:
    """The visible text of a comment cell: JSON segments joined, or the cell itself when it is plain text."""
    if value is None:
        return None
    stripped = value.strip()
    if not stripped.startswith("{"):
        return value
    try:
        parsed = json.loads("[" + stripped + "]", strict=False)
    except json.JSONDecodeError:
        return value
    segments: list = []
    for obj in parsed:
        if isinstance(obj, dict) and isinstance(obj.get("takeoutSegments"), list):
            segments.extend(obj["takeoutSegments"])
        else:
            segments.append(obj)
    return "".join(seg.get("text", "") for seg in segments if isinstance(seg, dict))


def parse_comments_csv(member, ctx, live: bool) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    kind = "live_chat" if live else "comment"
    for line, cells in rows:
        locator = f"line {line}"
        ident = cell(cells, index, "live chat id" if live else "comment id")
        raw_time = cell(cells, index, "live chat create timestamp" if live else "comment create timestamp")
        video = cell(cells, index, "video id")
        text_cell = cell(cells, index, "live chat text" if live else "comment text")
        time = _time(raw_time)
        if time is None:
            yield Problem(f"{locator}: unreadable time {raw_time!r}", locator, "warning")
        extra = {"channel_id": cell(cells, index, "channel id"), "video_id": video, "id": ident,
                 "price": cell(cells, index, "price")}
        if not live:
            extra["parent_comment_id"] = cell(cells, index, "parent comment id")
        yield Post(key=(kind, ident) if ident else (kind, raw_time, video, line), locator=locator,
                   raw=csv_raw(header, cells), extra={k: v for k, v in extra.items() if v},
                   time=time, platform=PLATFORM, kind=kind, text=comment_text(text_cell),
                   target=f"https://www.youtube.com/watch?v={video}" if video else None)


_LEGACY_ITEM = re.compile(r"<li>(.*?)</li>", re.S | re.I)
_LEGACY_SENT = re.compile(r"Sent at (?P<t>.+?) while watching (?:<a href=\"(?P<u>[^\"]*)\">(?P<v>.*?)</a>)?", re.S)
_TAGS = re.compile(r"<[^>]+>")


def parse_comments_html(member, ctx, live: bool) -> Iterator[Any]:
    text = "".join(text_chunks(member.open()))  # legacy comment pages are small (one per year at most)
    kind = "live_chat" if live else "comment"
    found = 0
    for n, match in enumerate(_LEGACY_ITEM.finditer(text), 1):
        item = match.group(1)
        sent = _LEGACY_SENT.search(item)
        if not sent:
            continue
        found += 1
        body = item.split("<br/>", 1)[1] if "<br/>" in item else item.split("<br>", 1)[-1]
        time = _time(sent.group("t").strip())
        yield Post(key=(kind, "html", sent.group("t").strip(), sent.group("u")), locator=f"item {n}",
                   raw=match.group(0), time=time, platform=PLATFORM, kind=kind,
                   text=html.unescape(_TAGS.sub("", body)).strip(), target=sent.group("u"),
                   extra={"video_title": html.unescape(sent.group("v") or "")} if sent.group("v") else None)
    if not found:
        yield Problem("no comments found in this page", None, "warning")


def parse_subscriptions(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    for line, cells in rows:
        channel = cell(cells, index, "channel id")
        title = cell(cells, index, "channel title")
        yield Activity(key=("yt-subscription", channel or title), locator=f"line {line}",
                       raw=csv_raw(header, cells), extra={"channel_id": channel} if channel else None,
                       time=None, platform=PLATFORM, product="YouTube", action="subscribed", title=title,
                       url=cell(cells, index, "channel url"))


def parse_likes_json(member, ctx) -> Iterator[Any]:
    try:
        for i, item, raw in iter_array(member.open()):
            snippet = item.get("snippet") or {} if isinstance(item, dict) else {}
            details = item.get("contentDetails") or {} if isinstance(item, dict) else {}
            video = details.get("videoId") or (snippet.get("resourceId") or {}).get("videoId")
            published = snippet.get("publishedAt")
            yield Activity(key=("yt-like", video, published), locator=f"[{i}]", raw=raw,
                           extra={"video_id": video, "video_published": details.get("videoPublishedAt"),
                                  "channel_id": snippet.get("channelId"), "playlist_id": snippet.get("playlistId")},
                           time=_time(published), platform=PLATFORM, product="YouTube", action="liked",
                           title=snippet.get("title"),
                           url=f"https://www.youtube.com/watch?v={video}" if video else None)
    except JsonTrouble as trouble:
        yield Problem(str(trouble), f"[{trouble.index}]")


def parse_playlist_csv(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    playlist = member.basename.rsplit(".", 1)[0]
    liked = any(word in playlist.lower() for word in _LIKED_NAMES)
    for line, cells in rows:
        video = cell(cells, index, "video id")
        raw_time = cell(cells, index, "playlist video creation timestamp")
        yield Activity(key=("yt-like" if liked else "yt-playlist", video, raw_time, None if liked else playlist),
                       locator=f"line {line}", raw=csv_raw(header, cells),
                       extra={"video_id": video, "playlist": playlist}, time=_time(raw_time), platform=PLATFORM,
                       product="YouTube", action="liked" if liked else "added",
                       title=squash(playlist) if not liked else None,
                       url=f"https://www.youtube.com/watch?v={video}" if video else None)
