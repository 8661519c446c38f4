"""Social ties: closest contacts, the metadata-only mirror, and guilt by association.

Closest ties and the mirror use only who, when and how often (conversation, sender side, time), never the
words. Association reads group names and counts contacts' messages carrying flagged words per category, and
shows only categories and counts: never which contact, never their words. E-mail threads are not ties.

Each finding declares its minimum data in ``thresholds.toml`` ([threshold.ties]); below it the finding is not
assessed, with the numbers (``NotAssessed("closest_ties", "6 one-to-one messages over 2 days: ...")``), and
each strength threshold carries its reason there. Every evidence line is a real record: a ranked contact is cited
by the first and the latest message of its chat (their own source file and locator), a group by a message of
that group. Remedies name the chats and groups the evidence lives in.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from datavault import people
from datavault.findings import textindex
from datavault.findings.engine import Clear, Ctx, Scan, Source
from datavault.findings.model import Evidence, Finding, NotAssessed, plural
from datavault.findings.rhythm import EMAIL, conv_hours
from datavault.layout import FILE_NAME

NO_CHATS = "no chats imported (WhatsApp chat exports, Facebook Messenger)"
# latency buckets (seconds): how fast the person answers
BUCKETS = (60, 300, 900, 3600, 6 * 3600, 12 * 3600)


def _night(hour: int, start: int, end: int) -> bool:
    return hour >= start or hour < end


def one_to_one(ctx: Ctx) -> list[dict[str, Any]]:
    """One-to-one chats grouped by the person on the other side (people linking, datavault/people.py): the same
    friend on WhatsApp and in Messenger is one tie. Each row: the person's name as ``conversation``, the platforms,
    the summed counts, the first and last time, and ``chats`` [(conversation, platform, source_file, n)],
    biggest first; rows biggest first."""
    def compute() -> list[dict[str, Any]]:
        convs = [c for c in ctx.conversations() if c["others"] == 1 and c["platform"] != "gmail"]
        if not convs:
            return []
        schema = ctx.text_schema
        who = people.sender_person(ctx.conn, schema)
        names = dict(ctx.q(f"SELECT person, name FROM {schema}.{people.IDENTITIES} WHERE name != '' "
                           "ORDER BY kind = 'card', records + messages"))  # the last wins: a card's name first
        other = {(conv, platform): sender for conv, platform, sender in ctx.q(
            f"SELECT conv, platform, max(sender) FROM {ctx.roll('dv_roll_senders')} WHERE from_owner != 1 "
            "AND sender != '' GROUP BY conv, platform")}
        persons: dict[Any, dict[str, Any]] = {}
        for c in convs:
            pid = who.get((c["platform"], other.get((c["conversation"], c["platform"]))))
            row = persons.get(pid or (c["conversation"], c["platform"]))
            if row is None:
                row = persons[pid or (c["conversation"], c["platform"])] = {
                    "person": pid, "conversation": c["conversation"], "platform": c["platform"], "n": 0, "own": 0,
                    "other": 0, "first": None, "last": None, "source_file": c["source_file"], "chats": []}
            row["chats"].append((c["conversation"], c["platform"], c["source_file"], c["n"]))
            for k in ("n", "own", "other"):
                row[k] += c[k] or 0
            if c["first"] and (row["first"] is None or c["first"] < row["first"]):
                row["first"] = c["first"]
            if c["last"] and (row["last"] is None or c["last"] > row["last"]):
                row["last"] = c["last"]
        for row in persons.values():
            if len(row["chats"]) > 1:  # one person on several chats: named as the linking names them
                row["conversation"] = names.get(row["person"], row["conversation"])
                row["platform"] = ", ".join(dict.fromkeys(p for _, p, _, _ in row["chats"]))
        return sorted(persons.values(), key=lambda r: (-r["n"], r["conversation"]))
    return ctx.cached("one_to_one", compute)


RECENT_MESSAGES = 2000  # reply times are measured over each contact's most recent messages


def latency(ctx: Ctx, conversations: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (conversation, platform): how many of the person's replies came within each bucket after the other's
    message, over the most recent ``RECENT_MESSAGES`` messages (read backwards through an index on conversation,
    time). A chat of the same name on two platforms is two chats (one person's, once linked, or two people's)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for conv, platform in dict.fromkeys(conversations):
        rows = ctx.q("SELECT from_owner, CAST(ts AS INTEGER) FROM rec_messages WHERE conversation = ? "
                     "AND coalesce(platform, '') = ? AND ts IS NOT NULL AND from_owner IS NOT NULL "
                     "ORDER BY ts DESC LIMIT ?", (conv, platform or "", RECENT_MESSAGES))
        d = {"replies": 0, "buckets": {}}
        for (owner, ts), (prev_owner, prev_ts) in zip(rows, rows[1:]):  # newest first: prev is the earlier one
            if owner == 1 and prev_owner == 0:
                gap = ts - prev_ts
                bucket = next((b for b in BUCKETS if gap <= b), None)
                d["replies"] += 1
                d["buckets"][bucket] = d["buckets"].get(bucket, 0) + 1
        if d["replies"]:
            out[conv, platform] = d
    for d in out.values():
        running, half = 0, d["replies"] / 2
        d["median_within_s"] = None
        for b in BUCKETS:
            running += d["buckets"].get(b, 0)
            if running >= half and d["median_within_s"] is None:
                d["median_within_s"] = b
    return out


def _merge_latency(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One person's reply times over several chats: the buckets added, the median taken again."""
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    d: dict[str, Any] = {"replies": sum(p["replies"] for p in parts), "buckets": {}}
    for p in parts:
        for b, n in p["buckets"].items():
            d["buckets"][b] = d["buckets"].get(b, 0) + n
    running, d["median_within_s"] = 0, None
    for b in BUCKETS:
        running += d["buckets"].get(b, 0)
        if running >= d["replies"] / 2:
            d["median_within_s"] = b
            break
    return d


def _say_seconds(s: int | None) -> str:
    if s is None:
        return "over 12 hours"
    return f"{s // 60} minute{'s' if s != 60 else ''}" if s < 3600 else f"{s // 3600} hour{'s' if s != 3600 else ''}"


def contact_table(ctx: Ctx) -> list[dict[str, Any]]:
    def compute() -> list[dict[str, Any]]:
        t = ctx.rules.thresholds["ties"]
        convs = one_to_one(ctx)
        top = convs[: int(t["top_k"])]
        hours = {conv: d["all"] for conv, d in conv_hours(ctx).items() if conv != EMAIL}
        lat = latency(ctx, [(conv, p) for c in top for conv, p, _, _ in c["chats"]])
        rows = []
        for c in top:
            # hours are kept per chat name: a name on two platforms counts once
            names = dict.fromkeys(conv for conv, _, _, _ in c["chats"])
            h = [sum(col) for col in zip(*(hours.get(conv, [0] * 24) for conv in names))]
            night = sum(n for hr, n in enumerate(h) if _night(hr, t["night_start_hour"], t["night_end_hour"]))
            timed = sum(h)
            l = _merge_latency([lat[conv, p] for conv, p, _, _ in c["chats"] if (conv, p) in lat])
            rows.append({
                "contact": c["conversation"], "platform": c["platform"], "messages": c["n"],
                "from_you": c["own"] or 0, "to_you": c["other"] or 0,
                "reciprocity": round((c["own"] or 0) / c["other"], 2) if c["other"] else None,
                "night_share": round(night / timed, 2) if timed else None,
                "reply_median_within": _say_seconds(l.get("median_within_s")) if l else None,
                "replies": l.get("replies", 0), "first": c["first"], "last": c["last"],
                "source_file": c["source_file"], "person": c["person"],
                "chats": [{"conversation": conv, "platform": p, "source_file": f, "messages": n}
                          for conv, p, f, n in c["chats"]],
            })
        return rows
    return ctx.cached("contact_table", compute)


def _days(first: str | None, last: str | None) -> int:
    """Days from ``first`` to ``last`` (ISO times), counting both ends; 0 without both."""
    try:
        return (dt.date.fromisoformat(last[:10]) - dt.date.fromisoformat(first[:10])).days + 1
    except (TypeError, ValueError):
        return 0


def _span(convs: list[Any]) -> tuple[str | None, str | None, int]:
    firsts = [c["first"] for c in convs if c["first"]]
    lasts = [c["last"] for c in convs if c["last"]]
    first, last = (min(firsts), max(lasts)) if firsts and lasts else (None, None)
    return first, last, _days(first, last)


def chat_samples(ctx: Ctx, conversation: str, platform: str) -> list[tuple[str, Any]]:
    """The first and the latest message of one chat: ("first" | "latest", row of time, source_file, locator).
    One record when the chat holds one; read through the (conversation, ts) index."""
    def compute() -> list[tuple[str, Any]]:
        where = "conversation = ? AND coalesce(platform, '') = ? AND ts IS NOT NULL"
        args = (conversation, platform or "")
        row = f"SELECT rowid AS rid, time, {FILE_NAME} AS source_file, locator FROM rec_messages"
        first = ctx.q(f"{row} WHERE {where} ORDER BY ts, rowid LIMIT 1", args)
        latest = ctx.q(f"{row} WHERE {where} ORDER BY ts DESC, rowid DESC LIMIT 1", args)
        if not first:  # a chat without times: its first and last rows as stored
            stored = "conversation = ? AND coalesce(platform, '') = ?"
            first = ctx.q(f"{row} WHERE {stored} ORDER BY rowid LIMIT 1", args)
            latest = ctx.q(f"{row} WHERE {stored} ORDER BY rowid DESC LIMIT 1", args)
        out = [("first", first[0])] if first else []
        if latest and (not first or latest[0]["rid"] != first[0]["rid"]):
            out.append(("latest", latest[0]))
        return out
    return ctx.cached(f"chat_samples:{platform}:{conversation}", compute)


def _chat_evidence(ctx: Ctx, conversation: str, platform: str, summary: str) -> list[Evidence]:
    """A chat's aggregate line, cited by the records it was computed from (its first and latest message)."""
    return [Evidence("messages", r["time"], r["source_file"], r["locator"], f"{summary} [{which} message]")
            for which, r in chat_samples(ctx, conversation, platform)]


def _person_evidence(ctx: Ctx, row: dict[str, Any], summary: str) -> list[Evidence]:
    """A person's line, cited by the first and latest message of each of their chats (up to three chats)."""
    return [e for chat in row["chats"][:3] for e in _chat_evidence(
        ctx, chat["conversation"], chat["platform"],
        summary if len(row["chats"]) == 1 else f"{summary}; {chat['platform']} chat \"{chat['conversation']}\"")]


def _files(rows: list[dict[str, Any]]) -> str:
    return "; ".join(f"\"{r['contact']}\" ({chat['platform']}, {chat['source_file']})"
                     for r in rows for chat in r["chats"])


def provide(ctx: Ctx):
    if not ctx.counts["messages"]:
        for fid in ("closest_ties", "metadata_mirror", "association"):
            yield NotAssessed(fid, NO_CHATS)
        return
    yield from closest_ties(ctx)
    yield from metadata_mirror(ctx)
    yield from association(ctx)


def closest_ties(ctx: Ctx):
    t = ctx.rules.thresholds["ties"]
    convs = one_to_one(ctx)
    if not convs:
        yield Clear("closest_ties", "Closest ties", "no one-to-one chats (only group chats or e-mail)")
        return
    total = sum(c["n"] for c in convs)
    first_t, last_t, days = _span(convs)
    if total < t["min_messages"] or days < t["min_days"]:
        yield NotAssessed("closest_ties", (
            f"{plural(total, 'one-to-one message')} over {plural(days, 'day')}"
            + (f" ({first_t[:10]} to {last_t[:10]})" if first_t and last_t else "")
            + f": ranking your ties needs at least {t['min_messages']} over {t['min_days']} days ({t['min_why']})"))
        return
    rows = contact_table(ctx)
    top3 = sum(c["n"] for c in convs[:3])
    concentration = round(top3 / total, 2) if total else 0
    first = rows[0]
    # the top 3's share says something only when there are more than a handful of contacts to share with
    spread = len(convs) >= t["concentration_min_contacts"]
    if (spread and concentration >= t["concentration_strong"]) or first["messages"] >= t["closest_strong_messages"]:
        strength = "strong"
    elif spread and concentration >= t["concentration_moderate"]:
        strength = "moderate"
    else:
        strength = "weak"
    shown = rows[: int(t["shown_contacts"])]
    evidence = [e for r in shown for e in _person_evidence(
        ctx, r,
        f"{r['contact']}: {plural(r['messages'], 'message')} ({r['from_you']} from you, {r['to_you']} to you)"
        + (f", {round(100 * r['night_share'])} % at night" if r["night_share"] is not None else ""))]
    night_top = max(rows, key=lambda r: (r["night_share"] or 0, r["messages"]))
    top = rows[:3]
    yield Finding(
        id="closest_ties",
        title="Your closest ties",
        category="interpersonal_relationships",
        statement=(f"A scorer could rank the people you depend on: {first['contact']} comes first with "
                   f"{plural(first['messages'], 'message')}; your top 3 contacts take {round(100 * concentration)} % of your "
                   f"one-to-one messages. Night-time messages point to a partner or a close relative "
                   f"({night_top['contact']}: {round(100 * (night_top['night_share'] or 0))} % at night)."),
        strength=strength,
        measures={"contacts": len(convs), "one_to_one_messages": total, "days": days, "top3_share": concentration,
                  "closest_messages": first["messages"], "closest_reciprocity": first["reciprocity"]},
        evidence=evidence,
        evidence_total=total,
        details=rows,
        rule=("Ranks one-to-one chats by number of messages; reciprocity is your messages divided by theirs; "
              f"night share counts messages {t['night_start_hour']:02d}:00-{t['night_end_hour']:02d}:00 local; "
              "reply time is the median delay of your answers; concentration is the top 3 contacts' share. "
              f"Needs {t['min_messages']} one-to-one messages over {t['min_days']} days. Strong: the top 3 take "
              f"{round(100 * t['concentration_strong'])} % or more, or one contact has "
              f"{t['closest_strong_messages']} messages ({t['closest_strong_why']}); moderate from "
              f"{round(100 * t['concentration_moderate'])} % ({t['concentration_why']}); the share counts from "
              f"{t['concentration_min_contacts']} contacts ({t['concentration_min_contacts_why']})."),
        context=ctx.rules.cite("backstrom"),
        remedy=(f"The ranking comes from your one-to-one chats, above all with {_files(top)}. Deleting or archiving "
                "such a chat, and the exported file, removes it from a copy of your data; a chat export is a file "
                "you made, so delete it when you are done. On the platforms the pattern stays visible from metadata "
                "(end-to-end encryption hides the words, not who and when), and the contact upload (WhatsApp and "
                "Messenger: Settings, Contacts, turn off 'Upload contacts' / 'Continuous contact upload') gives "
                "them your address book to match it against."),
    )


def metadata_mirror(ctx: Ctx):
    hours = {conv: d for conv, d in conv_hours(ctx).items() if conv != EMAIL}
    convs = [c for c in ctx.conversations() if c["platform"] != "gmail"]
    if not hours or not convs:
        yield Clear("metadata_mirror", "Without reading a word", "no timed chat messages")
        return
    t = ctx.rules.thresholds["ties"]
    own = [sum(d["own"][h] for d in hours.values()) for h in range(24)]
    lines: list[str] = []
    people = one_to_one(ctx)
    groups = ctx.groups()
    first_t, last_t, days = _span(convs)
    if sum(own) < t["mirror_min_own"] or days < t["mirror_min_days"]:
        yield NotAssessed("metadata_mirror", (
            f"{plural(sum(own), 'timed message')} of your own over {plural(days, 'day')}: the rhythm of your chats "
            f"needs at least {t['mirror_min_own']} over {t['mirror_min_days']} days ({t['mirror_min_why']})"))
        return
    lines.append(f"You chatted with {plural(len(people), 'person', 'people')} one-to-one and in {plural(len(groups), 'group')}"
                 + (f" between {first_t[:10]} and {last_t[:10]}." if first_t and last_t else "."))
    quiet = None
    if sum(own):
        # the quietest 6-hour window of your own messages: when you sleep
        windows = [(sum(own[(s + k) % 24] for k in range(6)), s) for s in range(24)]
        _, quiet = min(windows)
        window = f"{quiet:02d}:00 and {(quiet + 6) % 24:02d}:00"
        if quiet >= 21 or quiet <= 4:
            lines.append(f"You rarely write between {window}: that is when you sleep.")
        else:
            lines.append(f"Your quietest hours are between {window}, not at night: a scorer could guess shift "
                         "work or an irregular sleep pattern.")
    rows = contact_table(ctx)
    if rows:
        r = rows[0]
        lines.append(f"Your most intense tie is {r['contact']} ({r['messages']} messages).")
        night = [r for r in rows if (r["night_share"] or 0) >= 0.25]
        if night:
            lines.append("Late-night conversations: " + ", ".join(
                f"{r['contact']} ({round(100 * r['night_share'])} %)" for r in night[:3]) + ".")
        fast = [r for r in rows if r["reply_median_within"] in ("1 minute", "5 minutes")]
        if fast:
            lines.append("You answer within minutes: " + ", ".join(r["contact"] for r in fast[:3]) + ".")
    if last_t and people:
        cutoff = last_t[:7]
        silent = [c for c in people[:10] if c["last"] and c["last"][:7] < _months_before(cutoff, 3)]
        if silent:
            c = silent[0]
            lines.append(f"You stopped talking to {c['conversation']} after {c['last'][:10]} "
                         f"({c['n']} messages before that).")
    shown = convs[: max(1, int(t["shown_contacts"]) - 2)]
    evidence = [e for c in shown for e in _chat_evidence(
        ctx, c["conversation"], c["platform"],
        f"{c['conversation']}: {plural(c['n'], 'message')}, {c['first'][:10] if c['first'] else '?'} to "
        f"{c['last'][:10] if c['last'] else '?'}")]
    strength = ("strong" if sum(own) >= t["mirror_strong_own"] and len(lines) >= 3
                else "moderate" if sum(own) >= t["mirror_moderate_own"] else "weak")
    chats = "; ".join(f"\"{c['conversation']}\" ({c['platform']}, {c['source_file']})" for c in convs[:3])
    yield Finding(
        id="metadata_mirror",
        title="Without reading a word",
        category="interpersonal_relationships",
        statement="Without reading a single message, only who, when and how often, this is visible: " + " ".join(lines),
        strength=strength,
        measures={"people": len(people), "groups": len(groups), "own_messages": sum(own), "days": days,
                  "quiet_hours_start": quiet, "first": first_t, "last": last_t},
        evidence=evidence,
        evidence_total=sum(c["n"] for c in convs),
        details=[{"observation": line} for line in lines],
        rule=("Uses only the conversation, whether you or the other side wrote, and the time of each message; the "
              f"text is never read. Needs {t['mirror_min_own']} of your own timed messages over "
              f"{t['mirror_min_days']} days; moderate from {t['mirror_moderate_own']}, strong from "
              f"{t['mirror_strong_own']} with three observations or more ({t['mirror_strength_why']})."),
        context=ctx.rules.cite("mayer"),
        remedy=(f"The pattern is read from the times of your chats, most of all {chats}. Deleting or archiving a "
                "chat, and its exported file, removes its part from a copy; disappearing messages keep fewer "
                "times to read. Metadata is the part encryption does not hide: the platform itself still sees the "
                "pattern."),
    )


def _months_before(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7]) - n
    while m <= 0:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


ASSOCIATION_LEXICONS = ("politics", "protest", "religion", "sexuality", "health", "ethnicity", "trade_union",
                        "finance_stress")


def association(ctx: Ctx):
    t = ctx.rules.thresholds["ties"]
    groups = ctx.groups()
    # a group is cited by a message of that group (the latest): a real record with its own locator
    rows = [(g["conversation"], 1, g["first"], g["last"], g["source_file"], g["locator"]) for g in groups]
    # contacts' messages are read only above their minimum; group names and followed pages always
    contact_n, contact_first, contact_last = 0, None, None
    if ctx.counts["messages"]:  # from the senders rollup (its platform is never NULL), not a walk of the records
        got = ctx.q(f"SELECT coalesce(sum(n), 0), min(first), max(last) FROM {ctx.roll('dv_roll_senders')} "
                    "WHERE from_owner = 0 AND platform != 'gmail'")[0]
        contact_n, contact_first, contact_last = got[0], got[1], got[2]
    contact_days = _days(contact_first, contact_last)
    read_contacts = (contact_n >= t["association_min_contact_messages"]
                     and contact_days >= t["association_min_contact_days"])
    page_n = ctx.q("SELECT count(*) FROM activities WHERE action IN ('liked', 'followed', 'joined')")[0][0] \
        if ctx.counts["activities"] else 0
    details: list[dict[str, Any]] = []
    evidence: list[Evidence] = []
    sensitive: set[str] = set()
    total = 0
    contacts_msgs = Source("messages from contacts", "messages",
                           "from_owner = 0 AND coalesce(platform, '') != 'gmail'", "text", hide_text=True)
    pages = Source("pages and groups followed", "activities", "action IN ('liked', 'followed', 'joined')", "title")
    for lex_id in ASSOCIATION_LEXICONS:
        lex = ctx.rules.lexicon(lex_id)
        group_scan = ctx.scan_values(lex, "group chats", "messages", rows, Scan())
        page_scan = ctx.scan(lex, [pages])
        contact_scan = ctx.scan(lex, [contacts_msgs]) if read_contacts else Scan()
        senders = 0
        if contact_scan.total:
            phys = textindex.physical(ctx.conn, "messages")
            senders = ctx.conn.execute(  # the hits the scan just read (kept by hit_ids), not the index again
                f"SELECT count(DISTINCT sender) FROM {phys} WHERE rowid IN (SELECT value FROM json_each(?)) "
                f"AND {contacts_msgs.where}", (json.dumps(ctx.hit_ids("messages", lex.fts_query())),)).fetchone()[0]
        n_groups = group_scan.total
        if not (group_scan.total or page_scan.total or contact_scan.total):
            continue
        total += group_scan.total + page_scan.total + contact_scan.total
        if lex.sensitive:
            sensitive.add(lex.sensitive)
        details.append({"category": lex.title, "art9": lex.sensitive, "groups": n_groups,
                        "pages": page_scan.total,
                        "contact_messages": contact_scan.total, "contacts": senders,
                        "group_names": sorted({v for (label, v), _ in group_scan.where.items()}),
                        "page_names": sorted({e.excerpt for e in page_scan.evidence})})
        evidence.extend(group_scan.evidence[:3] + page_scan.evidence[:3] + contact_scan.evidence[:2])
    if not ctx.has("messages", "activities"):
        yield NotAssessed("association", NO_CHATS)
        return
    contacts_note = (f"contacts' messages not read: {plural(contact_n, 'message')} over {plural(contact_days, 'day')}, "
                     f"under the minimum of {t['association_min_contact_messages']} over "
                     f"{t['association_min_contact_days']} days")
    if not groups and not page_n and not read_contacts:
        yield NotAssessed("association", (
            f"no group chats or followed pages, and {contacts_note} ({t['association_min_why']})"))
        return
    if not details:
        yield Clear("association", "Guilt by association", (
            f"none of {plural(len(groups), 'group name')}, {plural(page_n, 'followed page')}"
            + (f" or {plural(contact_n, 'message')} from contacts" if read_contacts else f" ({contacts_note})")
            + " matched a sensitive category"))
        return
    order = ["politics", "religion", "sexual_orientation", "health", "ethnic_origin", "trade_union"]
    parts = []
    for d in details:
        bits = []
        if d["groups"]:
            bits.append(f"{d['groups']} group{'s' if d['groups'] != 1 else ''}")
        if d["pages"]:
            bits.append(f"{d['pages']} page{'s' if d['pages'] != 1 else ''} followed")
        if d["contacts"]:
            bits.append(f"{plural(d['contacts'], 'contact')} writing about it "
                        f"({plural(d['contact_messages'], 'message')})")
        parts.append(f"{d['category']}: " + ", ".join(bits))
    most = max(d["groups"] + d["pages"] + d["contacts"] for d in details)
    named_groups = sorted({g for d in details for g in d["group_names"]})
    named_pages = sorted({p for d in details for p in d["page_names"]})
    contact_total = sum(d["contact_messages"] for d in details)
    contact_people = sum(d["contacts"] for d in details)
    remedy = []
    if named_groups:
        remedy.append("Leave the group chats " + ", ".join(f"\"{g}\"" for g in named_groups[:8])
                      + " (or archive them and delete their exports): a group's name travels with every export of "
                      "every member.")
    if named_pages:
        remedy.append("Unfollow or unlike " + ", ".join(f"\"{p}\"" for p in named_pages[:8])
                      + " (Facebook: Pages, Liked pages; your followed groups: Groups, Leave group).")
    if contact_total:
        remedy.append(f"{plural(contact_total, 'message')} from {plural(contact_people, 'contact')} (not named here: "
                      "their words are theirs) carry the categories' words; only deleting or archiving those chats "
                      "removes them from a copy, and turning off contact upload keeps the platform from linking "
                      "these people to you by your address book.")
    if not read_contacts and contact_n:
        remedy.append(f"({contacts_note[0].upper() + contacts_note[1:]}.)")
    yield Finding(
        id="association",
        title="Guilt by association",
        category="interpersonal_relationships",
        sensitive=[s for s in order if s in sensitive],
        statement=("A scorer could judge you by the company you keep, even where you said nothing yourself: "
                   + "; ".join(parts) + ". Only categories and counts are shown, never who."),
        strength=("strong" if most >= t["association_strong"] else "moderate" if most >= t["association_moderate"]
                  else "weak"),
        measures={"categories": len(details), "records": total, "groups_read": len(groups), "pages_read": page_n,
                  "contact_messages_read": contact_n if read_contacts else 0},
        evidence=sorted(evidence, key=lambda e: (e.time or "", e.source_file or ""), reverse=True)[:12],
        evidence_total=total,
        details=details,
        rule=("Matches group names, pages you follow and the words of messages contacts sent you against the "
              "sensitive lexicons; counts groups and distinct contacts per category. Contacts' words are never shown. "
              f"Contacts' messages are read from {t['association_min_contact_messages']} over "
              f"{t['association_min_contact_days']} days ({t['association_min_why']}). Moderate from "
              f"{t['association_moderate']} groups, pages or contacts in one category, strong from "
              f"{t['association_strong']} ({t['association_strength_why']})."),
        context=ctx.rules.cite("jernigan"),
        remedy=" ".join(remedy),
    )
