"""Instagram "Download your information", every generation (INSTAGRAM.md): the 2018-2020 standalone download
(flat ``media.json``, ``connections.json`` ...), the 2021-2023 topic folders and the Accounts Center exports of
late 2023-2026, JSON. Platform ``instagram``.

How a member is read:

1. ``claim`` recognises a file by its wrapper key (``relationships_following``, ``inferred_data_ig_interest``,
   ``account_history_login_history`` ... wherever it sits: these keys are Instagram's own), inside an archive
   whose paths look like Instagram (``importers.meta_products``) also by the Messenger thread shape, IG-A's flat
   file names, or the logical name of a bare list or ``label_values`` file (``layout.ALIASES``, on the end of
   the path). Media and ``no-data.txt`` placeholders are skipped and counted, known files with nothing to keep
   are skipped with the reason, anything else stays unclaimed and is listed as unknown in the inventory. An
   Instagram export requested as HTML is not read at all: the import says, in one line, to request JSON.
2. ``parse`` streams the file with the Facebook reader (same vendor: ijson, the lossless mojibake repair, the
   ``label_values`` flattening, the Messenger thread reader) and hands each wrapper's records or the bare list to
   its handler (``social``, ``content``, ``account``, ``flat``). Keys no handler knows are listed in a note.
3. ``conclude`` decides the generation (IG-A' and IG-E are told by content), marks the owner's messages (from
   the profile's name and username; else the one participant who is not a 1:1 thread's title, in every such
   thread; else the one participant present in every thread) and warns about a layout it does not know.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any, Callable, Iterator

from datavault.importer import PARSE, ImportContext, skip
from datavault.records import Note, Problem

from datavault.importers.facebook import THREAD_KEYS, PARTICIPANTS_HEAD, THREAD_SIGNS, guarded, ads, messages, owner_decisions
from datavault.importers.facebook.jsonread import READ_ERRORS, Run, Streamed, is_label_values, sniff, top_level
from datavault.importers.instagram import account, content, flat, social
from datavault.importers.instagram.layout import GENERATIONS, Layout, is_media, is_thread, known_unread, layout_of, logical_name

PLATFORM = "instagram"
Handler = Callable[[Run, Any], Iterator[Any]]


def _h(read: Callable[..., Iterator[Any]], *args: Any, **kwargs: Any) -> Handler:
    return lambda run, items: read(run, items, *args, **kwargs)


# wrapper key -> handler of its records
WRAPPERS: dict[str, Handler] = {
    **{key: _h(social.people, relation) for key, relation in social.RELATION_OF_KEY.items()},
    "relationships_following_hashtags": social.hashtags,
    "contacts_contact_info": social.contacts,
    "inferred_data_ig_interest": _h(account.inferences, "interest"),
    "topics_your_topics": _h(account.inferences, "topic"),
    "topics_your_reels_topics": _h(account.inferences, "topic"),
    "topics_your_reel_topics": _h(account.inferences, "topic"),
    "inferred_data_primary_location": _h(account.inferences, "primary_location"),
    "inferred_data_inferred_emails": _h(account.inferences, "inferred_email"),
    "ig_custom_audiences_all_types": ads.custom_audiences,
    "apps_and_websites_off_meta_activity": _h(ads.off_meta, product="Off-Meta"),
    "account_history_login_history": _h(account.logins, "login"),
    "account_history_logout_history": _h(account.logins, "logout"),
    "account_history_registration_info": _h(account.logins, "sign-up"),
    "account_history_imprecise_last_known_location": account.last_location,
    "devices_devices": account.devices,
    "profile_user": account.profile,
    "profile_account_insights": account.account_information,
    "profile_profile_change": account.profile_changes,
    "likes_media_likes": _h(content.likes, "post"),
    "likes_comment_likes": _h(content.likes, "comment"),
    "story_activities_story_likes": _h(content.likes, "story"),
    "saved_saved_media": content.saved,
    "saved_saved_collections": content.saved,
    "searches_user": _h(content.searches, "profile"),
    "searches_keyword": _h(content.searches, "keyword"),
    "searches_hashtag": _h(content.searches, "tag"),
    "comments_media_comments": _h(content.comments, "post"),
    "comments_reels_comments": _h(content.comments, "reel"),
    "comments_story_comments": _h(content.comments, "story"),
    "ig_stories": _h(content.media_posts, "story"),
    "ig_reels_media": _h(content.media_posts, "reel"),
    "ig_profile_picture": _h(content.media_posts, "profile_photo"),
    "ig_archived_post_media": _h(content.media_posts, "archived"),
    "ig_recently_deleted_media": _h(content.media_posts, "deleted"),
    "impressions_history_posts_seen": _h(content.exposure, "posts_viewed"),
    "impressions_history_videos_watched": _h(content.exposure, "videos_watched"),
    "impressions_history_ads_seen": _h(content.exposure, "ads_viewed"),
    "impressions_history_ads_clicked": _h(content.exposure, "ads_clicked"),
}

# Instagram's wrapper keys of files with nothing the vault keeps -> why
IGNORED_WRAPPERS = {
    "account_history_password_change_history": "password changes (times only)",
    "account_history_account_privacy_history": "privacy-setting changes",
    "devices_camera": "camera-effect capabilities of the phone",
    "story_activities_polls": "story sticker answers", "story_activities_quizzes": "story sticker answers",
    "story_activities_emoji_sliders": "story sticker answers", "story_activities_questions": "story sticker answers",
    "impressions_history_chaining_seen": "accounts Instagram suggested",
    "impressions_history_recs_hidden_authors": "accounts hidden from suggestions",
    "impressions_history_music_heard_in_stories": "music heard in stories",
    "ig_lead_gen_info": "answers given in advertisers' forms (kept by the advertiser)",
    "organic_insights_posts": "statistics of the account's own posts",
}

# logical name (bare lists and label_values records) -> handler
LOGICAL: dict[str, Handler] = {
    **{logical: _h(social.people, relation) for logical, relation in social.RELATION_OF_LOGICAL.items()},
    "posts": _h(content.media_posts, "post"),
    "stories": _h(content.media_posts, "story"),
    "reels": _h(content.media_posts, "reel"),
    "comments": content.comments,
    "liked_posts": _h(content.likes, "post"),
    "liked_comments": _h(content.likes, "comment"),
    "story_likes": _h(content.likes, "story"),
    "saved": content.saved,
    "link_history": content.link_history,
    **{logical: _h(content.exposure, logical) for logical in content.EXPOSURE},
    "ads_interests": _h(account.inferences, "interest"),
    "topics": _h(account.inferences, "topic"),
    "advertisers": ads.custom_audiences,
    "other_categories": _h(ads.lv_values, "ad_category"),
    "off_meta": _h(ads.off_meta, product="Off-Meta"),
    "based_in": _h(account.inferences, "primary_location"),
    "locations_of_interest": _h(account.inferences, "location_of_interest"),
    "possible_emails": _h(account.inferences, "inferred_email"),
    "logins": _h(account.logins, "login"),
    "logouts": _h(account.logins, "logout"),
    "signup": _h(account.logins, "sign-up"),
    "last_location": account.last_location,
    "devices": account.devices,
    "profile": account.profile,
}
_SEARCH_TYPES = {"account": "profile", "profile": "profile", "word_or_phrase": "keyword", "tag": "tag"}
_SEARCH_FILE = re.compile(r"(account|word_or_phrase|tag|profile)_searches\.json$", re.I)

# IG-A flat files -> how each top-level key is read ("whole": the file's whole value, for bare lists)
FLAT: dict[str, Callable[..., Iterator[Any]]] = {
    "connections.json": flat.connections, "media.json": flat.media, "comments.json": flat.comments,
    "likes.json": flat.likes_or_saved, "saved.json": flat.likes_or_saved, "searches.json": flat.searches,
    "account_history.json": flat.account_history, "devices.json": flat.account_history,
}
_FLAT_OTHER = {"messages.json", "profile.json"}

HTML_MESSAGE = ("This Instagram export is in HTML format, which datavault cannot read: request a new download in "
                "JSON format (Accounts Center > Your information and permissions > Download your information > "
                "Format: JSON) and import that; nothing was imported from this one.")
UNKNOWN_LAYOUT = ("this Instagram export's folder layout is not one datavault knows (a newer or older generation): "
                  "its files were read by their content as far as possible; files not understood are listed as "
                  "unknown")


def owner_of(layout: Layout) -> set[str]:
    """The owner's display names and usernames (casefolded) from the export's profile files, read once per
    archive: every member is claimed before any is parsed, so the profile is known even when it comes after the
    chats."""
    if layout.owner is None:
        found: set[str] = set()
        for member in layout.owner_members:
            probe = Run(member, ImportContext(), layout, platform=PLATFORM)
            try:
                for item in account.profile(probe, _profile_items(member)):
                    if isinstance(item, Note):
                        found.update(n.casefold() for n in item.value["names"] + item.value["usernames"])
            except READ_ERRORS:
                continue  # the profile's own parse reports the break
        layout.owner = {"names": found}
    return set(layout.owner["names"])


def _profile_items(member) -> list[tuple[str, Any]]:
    """A profile file's records: ``profile_user``'s list, a bare list, or IG-A's flat object as one record."""
    flat_object: dict[str, Any] = {}
    items: list[tuple[str, Any]] = []
    for key, index, value in top_level(member):
        if key is None:
            items.append((f"[{index}]", value))
        elif key == "profile_user":
            items.extend((f"profile_user[{i}]", v) for i, v in enumerate(value if isinstance(value, list) else [value]))
        else:
            flat_object[key] = value
    if flat_object:
        items.append(("$", flat_object))
    return items


def _flat_name(member, layout: Layout) -> str | None:
    if layout.flat_root is None:
        return None
    folder, _, base = member.name.rpartition("/")
    return base.lower() if folder == layout.flat_root and (base.lower() in FLAT or base.lower() in _FLAT_OTHER) \
        else None


class InstagramImporter:
    name = "instagram"

    # ------------------------------------------------------------------------------------------------ claim
    def claim(self, member, ctx: ImportContext):
        layout = layout_of(ctx.names, ctx.archive_name)
        if layout.html:
            return None  # nothing of an HTML export is read: explain_unreadable says what to do
        suffix = member.suffix
        if suffix == ".json":
            return self._claim_json(member, layout)
        if not layout.instagram:
            return None
        if suffix in (".html", ".htm"):
            return skip("a page of an Instagram HTML export; request the JSON format to import it")
        why = known_unread(member.name)
        if why:
            return skip(why)
        if is_media(member.name):
            return skip("a photo, video or other media file (its path is kept with its post or message)")
        return None

    def _claim_json(self, member, layout: Layout):
        shape, key, _ = sniff(member.text_head(1024))
        if shape == "dict" and key in WRAPPERS:
            if key == "profile_user" and member not in layout.owner_members:
                layout.owner_members.append(member)
            return PARSE
        if shape == "dict" and key in IGNORED_WRAPPERS:
            return skip(IGNORED_WRAPPERS[key])
        if not layout.instagram:
            return None
        flat_name = _flat_name(member, layout)
        if flat_name:
            if flat_name == "profile.json" and member not in layout.owner_members:
                layout.owner_members.append(member)
            return PARSE
        if is_thread(member.name) and shape == "dict" and key in THREAD_KEYS:
            head = member.text_head(16384)
            if any(k in head for k in THREAD_SIGNS) or PARTICIPANTS_HEAD.match(head):
                return PARSE
        why = known_unread(member.name)
        if why:
            return skip(why)
        logical = logical_name(member.name)
        if logical in LOGICAL and (shape == "list" or (shape == "dict" and key in ("label_values", "timestamp",
                                                                                 "fbid", "title", "media"))):
            if logical == "profile" and member not in layout.owner_members:
                layout.owner_members.append(member)
            return PARSE
        return None

    def explain_unreadable(self, ctx: ImportContext) -> str | None:
        """Why nothing of an archive could be read, when it is an Instagram export we can tell about (HTML)."""
        if layout_of(ctx.names, ctx.archive_name).html:
            return HTML_MESSAGE
        return None

    # ------------------------------------------------------------------------------------------------ parse
    def parse(self, member, ctx: ImportContext) -> Iterator[Any]:
        layout = layout_of(ctx.names, ctx.archive_name)
        run = Run(member, ctx, layout, platform=PLATFORM)
        if not run.owner:
            run.owner = owner_of(layout)
        if not layout.noted:
            layout.noted = True
            yield Note("instagram_layout", {"generation": layout.generation, "evidence": layout.evidence,
                                            "instagram": layout.instagram})
        flat_name = _flat_name(member, layout)
        if is_thread(member.name) and not flat_name:
            run.shapes.append("thread")
            yield from messages.parse_thread(run)
        else:
            yield from self._parse_json(run, flat_name)
        if run.repaired:
            yield Note("mojibake_repaired", run.repaired)
        if run.unknown_keys:
            yield Note("unknown_keys", sorted(run.unknown_keys))
        if run.shapes:
            yield Note("instagram_shape", run.shapes)

    def _parse_json(self, run: Run, flat_name: str | None) -> Iterator[Any]:
        logical = None if flat_name else logical_name(run.name)
        stream = top_level(run.member)
        try:
            first = next(stream, None)
            if first is None:
                yield Problem("the file holds no data", None, "warning")
                return
            if flat_name == "profile.json" or logical == "profile":
                yield from guarded(account.profile(run, _profile_items(run.member)), "profile")
                return
            if flat_name == "messages.json":
                threads = [item for _, _, item in itertools.chain([first], stream)] if first[0] is None else []
                yield from guarded(flat.messages(run, threads), "messages.json")
                return
            if first[0] is None:  # a bare list, or one bare record
                shape, _, _ = sniff(run.member.text_head(64))
                bare = shape != "list"
                items = (("$" if bare else f"[{index}]", value) for _, index, value in itertools.chain([first], stream))
                if flat_name == "searches.json":
                    yield from guarded(flat.searches(run, None, [v for _, v in items]), "searches")
                    return
                handler = self._logical_handler(run, logical)
                run.shapes.append(f"{logical}:{'record' if bare else 'list'}"
                                  f"{':label_values' if is_label_values(first[2]) else ''}")
                if handler is None:
                    yield Problem("an Instagram file of an unknown shape was not read", None, "warning")
                    return
                yield from guarded(handler(run, items), logical or "")
                return
            for key, _, value in itertools.chain([first], stream):
                yield from self._dispatch(run, key, value, flat_name, logical)
        except READ_ERRORS as exc:
            yield Problem(f"the file is cut off or is not valid JSON ({type(exc).__name__}: {exc}); the records "
                          "before the break were imported", None, "error")

    @staticmethod
    def _logical_handler(run: Run, logical: str | None) -> Handler | None:
        if logical == "searches":
            match = _SEARCH_FILE.search(run.name)
            return _h(content.searches, _SEARCH_TYPES.get(match.group(1).lower(), "keyword") if match else "keyword")
        if logical == "comments" and "reels_comments" in run.name.lower():
            return _h(content.comments, "reel")
        return LOGICAL.get(logical or "")

    def _dispatch(self, run: Run, key: str, value: Any, flat_name: str | None, logical: str | None):
        run.shapes.append(key)
        if isinstance(value, Streamed):
            value = list(value)
        if flat_name:
            yield from guarded(FLAT[flat_name](run, key, value), key)
            return
        handler = WRAPPERS.get(key)
        if handler is None:
            if key in IGNORED_WRAPPERS:
                return
            if logical in LOGICAL and key in ("label_values", "timestamp", "fbid", "title", "media"):
                return  # a bare record, read whole by the caller
            run.unknown_keys[key] += 1
            return
        if isinstance(value, list):
            items = ((f"{key}[{index}]", item) for index, item in enumerate(value))
        elif value in (None, "", {}):
            return
        else:
            items = iter([(key, value)])
        yield from guarded(handler(run, items), key)

    # --------------------------------------------------------------------------------------------- conclude
    def conclude(self, notes, ctx: ImportContext) -> Iterator[Any]:
        owners: set[str] = set()
        threads: list[dict] = []
        shapes: list[str] = []
        layouts: list[dict] = []
        repaired = 0
        for _, note in notes:
            if note.name == "instagram_owner":
                owners.update(note.value["names"] + note.value["usernames"])
            elif note.name == "facebook_thread":
                threads.append(note.value)
            elif note.name == "instagram_shape":
                shapes.extend(note.value)
            elif note.name == "instagram_layout":
                layouts.append(note.value)
            elif note.name == "mojibake_repaired":
                repaired += note.value
        found = Counter(lay.get("generation") for lay in layouts)
        generation = next((g for g, _ in found.most_common() if g), None)
        if generation == "IG-A" and "messages:messenger" in shapes:
            generation = "IG-A'"
        if generation == "IG-D" and any(s.endswith(":list:label_values") for s in shapes):
            generation = "IG-E"
        yield Note("instagram_export", {
            "generation": generation, "description": GENERATIONS.get(generation or "", "unknown layout"),
            "format": "json", "parts": len(layouts),
            "evidence": sorted({e for lay in layouts for e in lay.get("evidence", [])}),
            "mojibake_repaired_strings": repaired, "threads": len(threads)})
        if generation is None:
            yield Note("warnings", [UNKNOWN_LAYOUT[0].upper() + UNKNOWN_LAYOUT[1:] + "."])
        if owners:
            yield from owner_decisions(ctx, owners, threads, platform=PLATFORM)
        else:
            titled = _owner_from_titles(threads)
            if titled:
                yield from owner_decisions(ctx, {titled}, threads, platform=PLATFORM,
                                           basis="the participant who is not the title of every one-to-one chat")
            else:
                yield from owner_decisions(ctx, set(), threads, platform=PLATFORM)


def _owner_from_titles(threads: list[dict]) -> str | None:
    """In a one-to-one chat the thread's title is the other person (HPI): the one name that is, in every such
    chat, the participant who is not the title; None when they disagree or there is no such chat."""
    candidates: set[str] = set()
    for thread in threads:
        participants = thread.get("participants") or []
        title = thread.get("conversation")
        if len(participants) == 2 and title in participants:
            candidates.update(p.casefold() for p in participants if p != title)
            if len(candidates) > 1:
                return None
    return next(iter(candidates), None)


IMPORTER = InstagramImporter()
