"""Facebook "Download Your Information" exports, every generation from 2018 to 2026, JSON and (degraded) HTML,
plus Messenger's separate end-to-end-encrypted "secure storage" download.

How a member is read:

1. ``claim`` recognises a file by its JSON: the first top-level key (``friends_v2``, ``participants``,
   ``off_facebook_activity_v2`` ...) wherever the file sits; a bare list or bare ``label_values`` record by its
   logical name (``layout.ALIASES``, matched on the end of the path). Generic keys (``history``, ``profile``)
   are only taken inside something that looks like a Facebook export. Media files are skipped and counted, files
   known to hold nothing a scorer would use are skipped with the reason, anything else is left unclaimed and so
   listed as unknown in the inventory. An Instagram export is left alone (the Instagram importer reads it); a download
   part holding only media is reported with what to do. Claiming also notes
   where the profile and the time-zone file are, because every member is claimed before any is parsed: chats
   are then marked with their owner while they are read, even when the profile comes later in the archive.
2. ``parse`` streams the file (ijson), repairs Facebook's mojibake in every string it keeps, and hands each
   top-level value to the handler of its key (``KEYS``) or of the file's logical name (``LOGICAL``). Keys no
   handler knows are listed in a note. A broken file yields what came before the break and a problem.
3. ``conclude`` decides the export's generation (a note), marks the owner's messages (from the profile's
   current and previous names), and warns when end-to-end-encrypted chats are probably missing.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any, Callable, Iterator

from datavault.importer import PARSE, ImportContext, skip
from datavault.records import Note, OwnerDecision, Problem
from datavault.timeutil import iso_utc, parse_iso

from datavault.importers.facebook import activity, ads, html, messages, profile, social
from datavault.importers.facebook.jsonread import (PLATFORM, READ_ERRORS, Run, Streamed, base_key, is_label_values,
                                         label_language, sniff, top_level)
from datavault.importers.facebook.layout import (GENERATIONS, MEDIA_SUFFIXES, Layout, known_unread, layout_of,
                                       logical_name)

Handler = Callable[[Run, Any], Iterator[Any]]

THREAD_KEYS = {"participants", "messages", "threadName", "thread_path", "is_still_participant"}
PARTICIPANTS_HEAD = re.compile(r'\s*\{\s*"participants"\s*:\s*\[\s*(\{\s*"name"|")')  # a huge group's head
THREAD_SIGNS = ('"sender_name"', '"timestamp_ms"', '"senderName"', '"threadName"', '"thread_path"')


def _handler(read: Callable[..., Iterator[Any]], *args: Any, **kwargs: Any) -> Handler:
    """The handler that calls ``read(run, items, *args, **kwargs)``: one function serving several keys."""
    return lambda run, items: read(run, items, *args, **kwargs)


def _searches(run: Run, items) -> Iterator[Any]:
    kind = "marketplace_search" if "marketplace" in run.name.lower() else "search"
    return activity.searches(run, items, kind)


# top-level key (without _v2/_v3) -> (how its value is handed over, handler). "list": item by item with
# locators key[i]; "whole": the value as one item.
KEYS: dict[str, tuple[str, Handler]] = {
    "friends": ("list", _handler(social.people, "friend")),
    "deleted_friends": ("list", _handler(social.people, "removed_friend")),
    "removed_friends": ("list", _handler(social.people, "removed_friend")),
    "received_requests": ("list", _handler(social.people, "friend_request_received")),
    "sent_requests": ("list", _handler(social.people, "friend_request_sent")),
    "rejected_requests": ("list", _handler(social.people, "friend_request_rejected")),
    "following": ("list", _handler(social.people, "following")),
    "followers": ("list", _handler(social.people, "follower")),
    "address_book": ("whole", social.address_book),
    "groups_joined": ("list", _handler(social.memberships, "Groups", "joined")),
    "groups_admined": ("list", _handler(social.memberships, "Groups", "admin")),
    "group_membership_questions_answers": ("whole", social.membership_answers),
    "group_posts": ("list", _handler(activity.posts, "group_post")),
    "group_comments": ("list", activity.comments),
    "page_likes": ("list", _handler(social.memberships, "Pages", "liked")),
    "other_likes": ("list", _handler(social.memberships, "Pages", "liked")),
    "pages_followed": ("list", _handler(social.memberships, "Pages", "followed")),
    "pages": ("list", _handler(social.memberships, "Pages", "admin")),
    "events_invited": ("list", _handler(social.events, "invited")),
    "event_responses": ("whole", _handler(social.events, None)),
    "your_events": ("list", _handler(social.events, "created")),
    "status_updates": ("list", activity.posts),
    "comments": ("list", activity.comments),
    "reactions": ("list", activity.reactions),
    "searches": ("list", _searches),
    "saves": ("list", activity.saved),
    "poll_votes": ("list", activity.polls),
    "payments": ("whole", activity.payments),
    "installed_apps": ("list", _handler(activity.apps, "installed")),
    "inactive_apps": ("list", _handler(activity.apps, "used")),
    "removed_apps": ("list", _handler(activity.apps, "removed")),
    "recently_viewed": ("list", _handler(activity.viewed, "viewed")),
    "visited_things": ("list", _handler(activity.viewed, "visited")),
    "other_photos": ("list", activity.media_list),
    "videos": ("list", activity.media_list),
    "location_history": ("list", activity.places_list),
    "your_places": ("list", activity.places_list),
    "last_activity": ("whole", activity.last_activity),
    "profile": ("whole", profile.profile),
    "autofill_information": ("whole", profile.autofill),
    "account_activity": ("list", _handler(profile.security, "account_activity")),
    "account_accesses": ("list", _handler(profile.security, "account_accesses")),
    "used_ip_address": ("list", _handler(profile.security, "used_ip_address")),
    "active_sessions": ("list", _handler(profile.security, "active_sessions")),
    "admin_records": ("list", _handler(profile.security, "admin_records")),
    "recognized_devices": ("list", _handler(profile.security, "recognized_devices")),
    "primary_location": ("whole", profile.primary_location),
    "topics": ("list", _handler(ads.string_list, "interest")),
    "inferred_topics": ("list", _handler(ads.string_list, "topic")),
    "custom_audiences": ("list", ads.custom_audiences),
    "custom_audiences_all_types": ("list", ads.custom_audiences),
    "history": ("list", ads.advertisers_interacted),
    "off_facebook_activity": ("list", ads.off_meta),
    "friend_peer_group": ("whole", ads.peer_group),
}

# keys that are Facebook's but hold nothing the vault keeps
IGNORED_KEYS = {"lead_gen_info", "group_badges", "profile_updates", "notifications", "app_posts",
                "news_your_locations", "language_and_locale", "instant_games_played", "stickers_used",
                "people_you_may_know", "suggested_friends", "your_post_audiences", "pokes", "wall_posts_sent_to_you",
                "face_recognition", "controls", "your_address_books"}

# generic words: only claimed inside something that looks like a Facebook export
WEAK_KEYS = {"friends", "following", "followers", "comments", "reactions", "searches", "payments", "videos",
             "pages", "profile", "topics", "history", "saves", "notifications", "other_photos", "controls"}

# logical file name -> handler, for bare lists and bare label_values records
LOGICAL: dict[str, Handler] = {
    "posts": activity.posts,
    "checkins": activity.checkins,
    "tagged_places": _handler(activity.checkins, tagged=True),
    "reactions": activity.reactions,
    "advertisers_interacted": ads.advertisers_interacted,
    "advertisers_with_your_data": ads.custom_audiences,
    "other_categories": _handler(ads.lv_values, "ad_category"),
    "ad_preferences": _handler(ads.lv_values, "interest"),
    "ads_interests": _handler(ads.string_list, "interest"),
    "your_topics": _handler(ads.string_list, "topic"),
    "off_meta": ads.off_meta,
    "registration": _handler(profile.lv_profile, "registered"),
    "devices": _handler(profile.lv_profile, "device"),
    "timezone": _handler(profile.lv_profile, "timezone"),
    "primary_location": profile.primary_location,
    "profile_visits": _handler(activity.viewed_records, "viewed"),
    "group_contributions": social.contributions,
    "album": activity.media_list,
    "search_history": _searches,
    "friends": _handler(social.people, "friend"),
    "followers": _handler(social.people, "follower"),
    "recently_viewed": _handler(activity.viewed, "viewed"),
}

# files that moved from {"..._v2": ...} in G4 to a bare list of label_values records in G5
_G5_SIGNS = {"off_meta", "advertisers_with_your_data", "friends", "search_history", "recently_viewed"}


_SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def guarded(records: Iterator[Any], where: str) -> Iterator[Any]:
    """A handler's records, and a problem instead of a crash when the data has a shape it does not expect:
    what was read before stays, the rest of that part of the file is reported as not read."""
    try:
        yield from records
    except READ_ERRORS:
        raise  # a broken file: reported once, by the caller
    except _SHAPE_ERRORS as exc:
        yield Problem(f"{where}: the rest of this part was not read, its shape is not one Facebook is known to "
                      f"write ({type(exc).__name__}: {exc})", where, "error")


def owner_names(layout: Layout) -> set[str]:
    """The owner's names (current, previous, other; casefolded) from the export's profile, read once per
    archive. Every member is claimed before any is parsed, so the profile is known even when it comes after
    the chats; when it is not (a lone chat file), ``conclude`` decides later or the owner stays unknown."""
    if layout.owner_names is None:
        names: set[str] = set()
        for member in layout.owner_members:
            probe = Run(member, ImportContext(), layout)
            try:
                for key, _, value in top_level(member):
                    entry = KEYS.get(base_key(key or ""))
                    if entry and base_key(key) in ("profile", "autofill_information"):
                        for item in entry[1](probe, iter([(key, value)])):
                            if isinstance(item, Note) and item.name == "facebook_owner":
                                names.update(n.casefold() for n in item.value)
            except READ_ERRORS:
                continue  # the profile's own parse reports the break; here it only means no names from it
        layout.owner_names = names
    return set(layout.owner_names)


class FacebookImporter:
    name = "facebook"

    # ------------------------------------------------------------------------------------------------ claim
    def claim(self, member, ctx: ImportContext):
        layout = layout_of(ctx.names, ctx.archive_name)
        suffix = member.suffix
        if member.basename.lower() in ("timezone.json", "timezone.html") and member not in layout.zone_members:
            layout.zone_members.append(member)
        if layout.instagram:
            return None  # not ours: the Instagram importer reads it
        if suffix == ".json":
            return self._claim_json(member, layout)
        if suffix in (".html", ".htm"):
            if not (layout.facebook or layout.html):
                return None
            if member.name == layout.anchor or html.readable(member.name):
                return PARSE
            return skip("a page of a Facebook HTML export; request the JSON format to import it")
        if layout.media_only and member.name == layout.anchor:
            return PARSE  # only to say what this archive is; the media file itself is not read
        if (layout.facebook or layout.secure_storage) and suffix in MEDIA_SUFFIXES:
            return skip("a photo, video or other attachment (its path is kept with its message or post)")
        return None

    def _claim_json(self, member, layout: Layout):
        shape, key, _ = sniff(member.text_head(1024))
        base = base_key(key) if shape == "dict" and key is not None else None
        if base in THREAD_KEYS:
            # other platforms have {"messages": [...]} files too: only Facebook's message keys count
            head = member.text_head(16384)
            return PARSE if any(k in head for k in THREAD_SIGNS) or PARTICIPANTS_HEAD.match(head) else None
        logical = logical_name(member.name)  # after the thread files, the most of an export: tens of patterns
        if base is not None:
            if base in KEYS or base in IGNORED_KEYS:
                weak = base in WEAK_KEYS and base == key
                if weak and not (layout.facebook or logical or member.basename == "profile_information.json"):
                    return None
                if base in ("profile", "autofill_information") and member not in layout.owner_members:
                    layout.owner_members.append(member)
                if base in IGNORED_KEYS and base not in KEYS:
                    return skip(known_unread(member.name) or "a Facebook file with nothing the vault keeps")
                return PARSE
            if base in ("label_values", "fbid", "timestamp", "title", "media") and logical in LOGICAL:
                return PARSE
        if shape == "list" and logical in LOGICAL and (layout.facebook or logical not in ("friends", "reactions")):
            return PARSE
        if layout.facebook:
            why = known_unread(member.name)
            if why:
                return skip(why)
        return None

    # ------------------------------------------------------------------------------------------------ parse
    def parse(self, member, ctx: ImportContext) -> Iterator[Any]:
        layout = layout_of(ctx.names, ctx.archive_name)
        run = Run(member, ctx, layout)
        if not run.owner and member.suffix in (".json", ".html", ".htm"):
            run.owner = owner_names(layout)
        yield Note("facebook_layout", {
            "generation": layout.generation, "html": layout.html, "cutover": layout.has_cutover,
            "media_only": layout.media_only,
            "evidence": layout.evidence, "created": iso_utc(ctx.created) if ctx.created else None})
        if layout.media_only:
            yield Problem(MEDIA_ONLY, None, "warning")
        elif member.suffix in (".html", ".htm"):
            yield from html.parse(run)
        else:
            yield from self._parse_json(run)
        if run.repaired:
            yield Note("mojibake_repaired", run.repaired)
        if run.unknown_keys:
            yield Note("unknown_keys", sorted(run.unknown_keys))
        if run.unknown_labels:
            yield Note("unknown_labels", sorted(run.unknown_labels))
        if run.shapes:
            yield Note("facebook_shape", run.shapes)
        if run.labels:
            yield Note("labels", dict(run.labels.most_common(40)))

    def _parse_json(self, run: Run) -> Iterator[Any]:
        shape, key, _ = sniff(run.member.text_head(1024))
        if shape == "dict" and key is not None and base_key(key) in THREAD_KEYS:
            run.shapes.append("thread")
            yield from messages.parse_thread(run)
            return
        logical = logical_name(run.name)
        stream = top_level(run.member)
        try:
            first = next(stream, None)
            if first is None:
                yield Problem("the file holds no data", None, "warning")
                return
            if first[0] is None:  # a bare list, or one bare label_values record
                bare = first[1] == 0 and shape != "list"
                is_lv = is_label_values(first[2])
                run.shapes.append(f"{logical}:{'record' if bare else 'list'}{':label_values' if is_lv else ''}")
                handler = LOGICAL.get(logical or "")
                if handler is None:
                    yield Problem("a Facebook file of an unknown shape was not read", None, "warning")
                    return
                items = ((("$" if bare else f"[{index}]"), value)
                         for _, index, value in itertools.chain([first], stream))
                yield from guarded(handler(run, items), logical or "")
                return
            for top_key, _, value in itertools.chain([first], stream):
                yield from self._dispatch_key(run, top_key, value, logical)
        except READ_ERRORS as exc:
            yield Problem(f"the file is cut off or is not valid JSON ({type(exc).__name__}: {exc}); the records "
                          "before the break were imported", None, "error")

    def _dispatch_key(self, run: Run, key: str, value: Any, logical: str | None) -> Iterator[Any]:
        base = base_key(key)
        run.shapes.append(key)
        entry = KEYS.get(base)
        if entry is None:
            if base in IGNORED_KEYS:
                return
            if logical in LOGICAL and base in ("label_values", "fbid", "timestamp", "title", "media"):
                return  # a bare record is read whole elsewhere
            run.unknown_keys[key] += 1
            return
        mode, handler = entry
        if isinstance(value, Streamed) and mode != "list":
            value = list(value)
        if mode == "list" and isinstance(value, (list, Streamed)):
            items = ((f"{key}[{index}]", item) for index, item in enumerate(value))
        elif mode == "list" and is_label_values(value):
            items = iter([(key, value)])
        elif mode == "list" and value in (None, "", {}):
            return
        else:
            items = iter([(key, value)])
        yield from guarded(handler(run, items), key)

    # --------------------------------------------------------------------------------------------- conclude
    def conclude(self, notes, ctx: ImportContext) -> Iterator[Any]:
        """Over every member this command read (possibly several archives): the export's generation, the
        owner's messages, and the warnings a person must see (HTML, Instagram, missing encrypted chats)."""
        owner_names: set[str] = set()
        threads: list[dict] = []
        shapes: list[str] = []
        layouts: list[dict] = []
        labels: Counter[str] = Counter()
        repaired = 0
        for _, note in notes:
            if note.name == "facebook_owner":
                owner_names.update(note.value)
            elif note.name == "facebook_thread":
                threads.append(note.value)
            elif note.name == "facebook_shape":
                shapes.extend(note.value)
            elif note.name == "facebook_layout":
                layouts.append(note.value)
            elif note.name == "mojibake_repaired":
                repaired += note.value
            elif note.name == "labels":
                labels.update(note.value)
        warnings: list[str] = []
        if any(lay.get("media_only") for lay in layouts) and not threads and len(layouts) == \
                sum(1 for lay in layouts if lay.get("media_only")):
            warnings.append(MEDIA_ONLY[0].upper() + MEDIA_ONLY[1:] + ".")
        if any(lay.get("html") for lay in layouts):
            warnings.append(html.WARNING[0].upper() + html.WARNING[1:] + ".")
        # one command may import several downloads (a DYI export and the secure-storage one): name them all
        secure_imported = any(t.get("box") == "secure_storage" for t in threads)
        found = Counter(lay.get("generation") for lay in layouts if lay.get("generation"))
        main = next((g for g, _ in found.most_common() if g not in ("E2EE", "instagram")), None)
        if main is not None:
            if any(s.endswith(("_v2", "_v3")) for s in shapes) and main == "G1":
                main = "G2"
            if any(s.split(":")[0] in _G5_SIGNS and s.endswith(":list:label_values") for s in shapes):
                main = "G5"
        parts = [main] if main else []
        if secure_imported or "E2EE" in found:
            parts.append("E2EE")
        generation = " + ".join(parts) or None
        yield Note("facebook_export", {
            "generation": generation,
            "description": "; ".join(GENERATIONS[p] for p in parts) or "unknown layout",
            "format": "html" if any(lay.get("html") for lay in layouts) else "json",
            "evidence": sorted({e for lay in layouts for e in lay.get("evidence", [])}),
            "mojibake_repaired_strings": repaired, "threads": len(threads),
            "label_language": label_language(labels)})
        yield from owner_decisions(ctx, owner_names, threads)
        created = max((lay["created"] for lay in layouts if lay.get("created")), default=None)
        cutover = any(lay.get("cutover") for lay in layouts)
        warning = None if secure_imported else _e2ee_warning(created, main, cutover, threads)
        if warning:
            warnings.append(warning)
        if warnings:
            yield Note("warnings", warnings)


MEDIA_ONLY = ("this part of the Facebook download holds only photos and videos, so nothing was imported from it: "
              "import it together with the other parts of the same download (all facebook-...-N.zip files in one "
              "command), or request the download again in JSON format")

def owner_decisions(ctx: ImportContext, owner_names: set[str], threads: list[dict], platform: str = PLATFORM,
                    basis: str = "the export's profile names the account owner") -> Iterator[OwnerDecision]:
    """Who the owner is in each thread not marked while parsing: a profile name, else the one name in every
    thread (Instagram's Messenger-shaped threads are decided the same way)."""
    if ctx.me or not threads:
        return
    folded = {n.casefold() for n in owner_names}
    if not folded:
        # no profile in this import: the one name present in every conversation (needs at least two)
        counts = Counter(p.casefold() for t in threads for p in set(t.get("participants") or []))
        everywhere = [name for name, n in counts.items() if n == len(threads)]
        if len(threads) < 2 or len(everywhere) != 1:
            return
        folded = set(everywhere)
        basis = "the only participant present in every conversation"
    done: set[tuple] = set()
    for thread in threads:
        if thread.get("owner_known"):
            continue  # marked while parsing: nothing left to decide (and no UPDATE over the vault)
        for name in list(thread.get("participants") or []) + list(thread.get("senders") or []):
            if name and name.casefold() in folded and (thread["conversation"], name) not in done:
                done.add((thread["conversation"], name))
                yield OwnerDecision(platform=platform, conversation=thread["conversation"], sender=name, basis=basis)


def _e2ee_warning(created: str | None, generation: str | None, cutover: bool, threads: list[dict]) -> str | None:
    if not threads or generation == "E2EE":
        return None
    if cutover or any(t.get("box") == "e2ee_cutover" for t in threads):
        return ("Some chats moved to end-to-end encryption: this download holds their messages only up to the "
                "switch. Download the rest from Messenger's secure storage (Messenger settings > Privacy & safety > "
                "End-to-end encrypted chats > Message storage > Download secure storage data) and import it too.")
    newest = max((t["newest"] for t in threads if t.get("newest")), default=None)
    if generation in ("G4", "G5"):
        return ("This export is from after Messenger moved chats to end-to-end encryption (2024): those chats are "
                "not in it. Download them from Messenger's secure storage and import them too.")
    if created and newest and created[:4] >= "2024":
        gap = (parse_iso(created) - parse_iso(newest)).days
        if gap > 180:
            return (f"The newest message is {gap} days older than the export: chats that moved to end-to-end "
                    "encryption are probably missing. Download them from Messenger's secure storage and import "
                    "them too.")
    return None


IMPORTER = FacebookImporter()
