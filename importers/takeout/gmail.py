"""Gmail ``.mbox`` (``Mail/All mail Including Spam and Trash.mbox``, any language, names cut short): messages.

The file is read line by line. A message starts at a ``From <id>@xxx <ctime date>`` separator line; the pattern is
strict (weekday, month, time, year), so a body line beginning with "From " never splits a mail. Only one message
is held in memory at a time, and at most 64 MB of it (Gmail's own limit is 25 MB plus encoding): a 20 GB mbox
imports in bounded memory.

Each mail becomes a ``messages`` record with platform ``gmail``: ``time`` from ``Date:`` (else the separator's
date), ``sender`` the decoded ``From:``, ``conversation`` the subject without Re:/Fwd: prefixes (the Gmail
thread id ``X-GM-THRID`` is in ``extra``), ``text`` the plain-text body (an HTML-only mail is turned into text),
``from_owner`` true for mails labelled Sent. To, Cc, labels and message id are kept in ``extra``; attachments by
name, type and size only, never their content.
"""

from __future__ import annotations

import datetime as dt
import email
import email.parser
import email.policy
import html
import re
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any, Iterator

from datavault.records import Message, Problem
from datavault.timeutil import iso_utc

# "From 1277085061787347926@xxx Tue Aug 05 08:00:23 +0000 2008": strict enough that a body line starting with
# "From " never matches, so a separator is accepted even without the blank line before it (Gmail omits it)
_SEPARATOR = re.compile(rb"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                        rb" [ \d]?\d \d\d:\d\d:\d\d(?: [+-]\d{4})? \d{4}\s*$")
_MAX_MESSAGE = 64 << 20
_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|tr|rv|sv|vs|antw)(\[\d+\])?\s*:\s*)+", re.I)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)
_BLOCK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.I)


def looks_like_mbox(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    return bool(_SEPARATOR.match(first.rstrip(b"\r")))


def iter_mbox(stream, policy=email.policy.default) -> Iterator[tuple[int, bytes, Any, bytes, bool]]:
    """``(line number, separator line, feed parser, raw header bytes, cut)`` per message.

    Lines go straight into the message's feed parser as they are read (no list of lines, no joined copy); the
    caller closes the parser to get the message, inside its own error handling."""
    feed = None
    separator = b""
    start = 0
    size = 0
    cut = False
    headers: list[bytes] = []
    in_headers = False
    for number, line in enumerate(stream, 1):
        if line.startswith(b"From ") and _SEPARATOR.match(line):
            if feed is not None:
                yield start, separator, feed, b"".join(headers), cut
            feed = email.parser.BytesFeedParser(policy=policy)
            separator, start, size, cut, headers, in_headers = line.strip(), number, 0, False, [], True
        elif feed is not None:
            if in_headers:
                if line.strip():
                    headers.append(line)
                else:
                    in_headers = False
            if size < _MAX_MESSAGE:
                feed.feed(line)
                size += len(line)
            else:
                cut = True
    if feed is not None:
        yield start, separator, feed, b"".join(headers), cut


def _separator_time(separator: bytes) -> dt.datetime | None:
    parts = separator.decode("ascii", "replace").split(None, 2)
    if len(parts) < 3:
        return None
    text = parts[2].strip()
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            moment = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return None


def _html_to_text(markup: str) -> str:
    text = _BLOCK.sub("\n", markup)
    text = _TAGS.sub("", text)
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def _decoded_size(part) -> int:
    """An attachment's size in bytes, worked out from its encoded text without decoding a copy of it."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    if (part.get("Content-Transfer-Encoding") or "").strip().lower() == "base64":
        compact = len(payload) - sum(payload.count(ch) for ch in "\r\n \t")
        padding = payload.rstrip()[-2:].count("=")
        return max(0, compact * 3 // 4 - padding)
    return len(payload.encode("utf-8", "surrogateescape"))


def _body(msg) -> tuple[str | None, list[dict]]:
    attachments = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            attachments.append({"name": filename, "type": part.get_content_type(), "size": _decoded_size(part)})
    text = None
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # a malformed MIME tree: fall back to the first text part below
        body = None
    if body is None:
        for part in msg.walk():
            if part.get_content_maintype() == "text" and not part.get_filename():
                body = part
                break
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError, AssertionError):
            payload = body.get_payload(decode=True) or b""
            content = payload.decode("utf-8", "replace")
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        if body.get_content_subtype() == "html":
            content = _html_to_text(content)
        text = content.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text, attachments


def _header(msg, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # an undecodable header: read it raw below
        value = None
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    if value is None:
        return None
    return " ".join(str(value).split())


def parse_mbox(member, ctx) -> Iterator[Any]:
    occurrences: dict[bytes, int] = {}
    count = 0
    for line, separator, feed, header_bytes, cut in iter_mbox(member.open()):
        locator = f"line {line}"
        count += 1
        if cut:
            yield Problem(f"{locator}: a message larger than 64 MB; its end was not read", locator, "warning")
        try:
            msg = feed.close()
            text, attachments = _body(msg)
        except Exception as exc:  # the email package raises many types on broken MIME; report and go on
            yield Problem(f"{locator}: unreadable mail ({exc.__class__.__name__}: {exc})", locator)
            continue
        sender = _header(msg, "From")
        subject = _header(msg, "Subject")
        labels_text = _header(msg, "X-Gmail-Labels")
        labels = [label.strip().strip('"') for label in re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', labels_text)
                  ] if labels_text else []
        moment = None
        date_text = _header(msg, "Date")
        if date_text:
            try:
                moment = parsedate_to_datetime(date_text)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=dt.timezone.utc)
            except (TypeError, ValueError, IndexError):
                moment = None
        time_basis = "Date header"
        if moment is None:
            moment = _separator_time(separator)
            time_basis = "separator line"
        message_id = _header(msg, "Message-ID")
        if message_id:
            key = ("gmail", message_id.strip("<> "))
        else:
            n = occurrences.get(separator, 0)
            occurrences[separator] = n + 1
            key = ("gmail-separator", separator.decode("utf-8", "replace"), n)
        extra: dict[str, Any] = {"thread_id": _header(msg, "X-GM-THRID"), "labels": labels or None,
                                 "message_id": message_id, "subject": subject, "time_basis": time_basis}
        for name in ("To", "Cc", "Bcc", "Reply-To", "Delivered-To"):
            value = _header(msg, name)
            if value:
                extra[name.lower().replace("-", "_")] = [f"{n} <{a}>" if n else a for n, a in getaddresses([value])]
        if attachments:
            extra["attachments"] = attachments
        from_owner = True if "Sent" in labels else None
        if from_owner is None and ctx.me and sender and ctx.me.casefold() in sender.casefold():
            from_owner = True
        conversation = _PREFIX.sub("", subject or "").strip() or extra["thread_id"]
        yield Message(key=key, locator=locator, raw=header_bytes.decode("utf-8", "replace"),
                      extra={k: v for k, v in extra.items() if v}, time=iso_utc(moment) if moment else None,
                      platform="gmail", conversation=conversation,
                      sender=sender, text=text, kind="text", from_owner=from_owner)
    if count == 0:
        yield Problem("no mails found in this mbox", None, "warning")
