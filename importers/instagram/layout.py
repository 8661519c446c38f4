"""What kind of Instagram export an archive is, from its member paths (file contents refine it in ``conclude``).

Generations (INSTAGRAM.md section 3): IG-A the 2018-2020 standalone download (flat ``media.json``,
``connections.json``... at the root), IG-A' the same files with Messenger-shaped ``messages.json`` (from December
2020, told by content), IG-B 2021-2022 topic folders (``account_information/``, ``ads_and_content/``), IG-C
2022-2023 (``personal_information/``, ``ads_and_topics/``, ``followers_1.json``), IG-D the Accounts Center grouping
(``your_instagram_activity/content/``), IG-E 2025-2026 (``your_instagram_activity/media/``, ``label_values``
lists). An Instagram archive none of these fits is read by content and its generation is "unknown".

Files are found by *logical name* through ``ALIASES``, matched on the end of the path, so a wrapping top folder
and multi-part downloads do not matter; most files are recognised by their wrapper key in the first place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datavault.importers.meta_products import flat_instagram_root, instagram_evidence, per_archive

# logical name -> path endings; used for files a wrapper key cannot name (bare lists, label_values records)
ALIASES: dict[str, tuple[str, ...]] = {
    "followers": (r"(^|/)followers(_\d+)?\.json$",),
    "following": (r"(^|/)following\.json$",),
    "close_friends": (r"(^|/)close_friends\.json$",),
    "blocked": (r"(^|/)blocked_(accounts|profiles)\.json$",),
    "restricted": (r"(^|/)restricted_(accounts|profiles)\.json$",),
    "unfollowed": (r"(^|/)recently_unfollowed_(accounts|profiles)\.json$",),
    "posts": (r"(^|/)(content|media|your_instagram_activity)/posts(_\d+)?\.json$",),
    "stories": (r"(^|/)stories\.json$",),
    "reels": (r"(^|/)reels\.json$",),
    "comments": (r"(^|/)post_comments(_\d+)?\.json$", r"(^|/)reels_comments\.json$"),
    "liked_posts": (r"(^|/)liked_posts\.json$",),
    "liked_comments": (r"(^|/)liked_comments\.json$",),
    "story_likes": (r"(^|/)story_likes\.json$",),
    "saved": (r"(^|/)saved_posts\.json$",),
    "searches": (r"(^|/)(account|word_or_phrase|tag|profile)_searches\.json$",),
    "link_history": (r"(^|/)link_history\.json$",),
    "posts_viewed": (r"(^|/)posts_viewed\.json$",),
    "videos_watched": (r"(^|/)videos_watched\.json$",),
    "ads_viewed": (r"(^|/)ads_viewed\.json$",),
    "ads_clicked": (r"(^|/)ads_clicked\.json$",),
    "ads_interests": (r"(^|/)ads_interests\.json$",),
    "topics": (r"(^|/)(your_topics|recommended_topics|your_reels?_topics)\.json$",),
    "advertisers": (r"(^|/)advertisers_using_your_activity_or_information\.json$",),
    "other_categories": (r"(^|/)other_categories_used_to_reach_you\.json$",),
    "off_meta": (r"(^|/)your_activity_off_meta_technologies\.json$",),
    "based_in": (r"(^|/)(account|profile)_based_in\.json$",),
    "locations_of_interest": (r"(^|/)locations_of_interest\.json$",),
    "possible_emails": (r"(^|/)possible_emails\.json$",),
    "logins": (r"(^|/)login_activity\.json$",),
    "logouts": (r"(^|/)logout_activity\.json$",),
    "signup": (r"(^|/)signup_(information|details)\.json$",),
    "last_location": (r"(^|/)last_known_location\.json$",),
    "devices": (r"(^|/)devices\.json$",),
    "profile": (r"(^|/)personal_information\.json$", r"(^|/)instagram_profile_information\.json$"),
}
_ALIAS_RE = {logical: tuple(re.compile(p, re.I) for p in patterns) for logical, patterns in ALIASES.items()}
_NOT = re.compile(r"(^|/)past_instagram_insights/", re.I)  # its posts.json is per-post statistics, not posts

# files known and deliberately not read: pattern -> reason shown in the inventory
KNOWN_UNREAD: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), why) for p, why in (
    (r"(^|/)no-data\.txt$", "an empty category: Instagram exported it with no data"),
    (r"(^|/)past_instagram_insights/", "statistics of the account's own posts (impressions, reach)"),
    (r"(^|/)(settings|.*_settings|notification_of_privacy_policy_updates|subscription_for_no_ads|"
     r"your_information_download_requests|camera_information|password_change_activity|"
     r"account_privacy_changes|professional_information)\.json$", "a settings or account-housekeeping file"),
    (r"(^|/)(polls|quizzes|emoji_sliders|questions|countdowns)\.json$", "story sticker answers"),
    (r"(^|/)(suggested_(accounts|profiles)_viewed|(accounts|profiles|posts)_you're_not_interested_in|"
     r"music_heard_in_stories)\.json$", "what Instagram suggested (not something the person did)"),
    (r"(^|/)(autofill|checkout|stories_activities|seen_content|information_you've_submitted_to_advertisers)"
     r"\.json$", "a file with nothing the vault keeps"),
    (r"(^|/)secret_conversations\.json$", "end-to-end encrypted chats: only their metadata is exported"),
))

MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".m4a", ".aac", ".mp3", ".wav",
                  ".ogg", ".opus", ".webm", ".3gp", ".bmp", ".srt", ".css", ".js", ".woff", ".woff2", ".ttf", ".svg"}
_MEDIA_FOLDER = re.compile(r"(^|/)(media|photos|videos|stories|direct|profile)/(\d{6}/)?[^/]+$", re.I)
# a thread's folder: messages/inbox/<thread>/ in every known generation; an export of a layout not known yet may
# name the parent otherwise (dms/inbox/<thread>/): the claim checks the thread's shape in its first bytes anyway
_THREAD = re.compile(r"(^|/)(inbox|message_requests|archived_threads|filtered_threads)/[^/]+/message_\d+\.json$",
                     re.I)

GENERATIONS = {
    "IG-A": "2018-2020 standalone download: flat files (media.json, connections.json ...)",
    "IG-A'": "December 2020 - early 2021: flat files, Messenger-shaped messages.json",
    "IG-B": "2021-2022 layout: one folder per topic (account_information/, ads_and_content/ ...)",
    "IG-C": "2022-2023 layout: personal_information/, ads_and_topics/, followers_1.json",
    "IG-D": "Accounts Center layout (late 2023-2024): your_instagram_activity/content/",
    "IG-E": "Accounts Center layout (2025-2026): your_instagram_activity/media/, label_values lists",
}


def logical_name(path: str) -> str | None:
    if _NOT.search(path):
        return None
    for logical, patterns in _ALIAS_RE.items():
        if any(p.search(path) for p in patterns):
            return logical
    return None


def known_unread(path: str) -> str | None:
    for pattern, why in KNOWN_UNREAD:
        if pattern.search(path):
            return why
    return None


def is_media(path: str) -> bool:
    lower = path.lower()
    return any(lower.endswith(s) for s in MEDIA_SUFFIXES) or bool(_MEDIA_FOLDER.search(path)) and "." not in \
        lower.rsplit("/", 1)[-1]


def is_thread(path: str) -> bool:
    return bool(_THREAD.search(path))


@dataclass
class Layout:
    instagram: bool = False
    html: bool = False
    generation: str | None = None
    evidence: list[str] = field(default_factory=list)
    flat_root: str | None = None  # IG-A: the folder holding the flat files
    anchor: str | None = None  # the member that carries whole-export notes
    owner_members: list = field(default_factory=list)  # profile files, seen while claiming
    owner: dict | None = None  # {"names": set of casefolded names and usernames}, read once on first need
    noted: bool = False  # the layout note was given (once per archive)

    def describe(self) -> str:
        return GENERATIONS.get(self.generation or "", "unknown layout")


def _any(pattern: str, names) -> bool:
    compiled = re.compile(pattern, re.I)
    return any(compiled.search(n) for n in names)


def _detect(names: frozenset[str], archive_name: str) -> Layout:
    layout = Layout()
    evidence = instagram_evidence(names, archive_name)
    if not evidence:
        return layout
    layout.instagram = True
    layout.evidence.extend(evidence)
    jsons = [n for n in names if n.lower().endswith(".json")]
    htmls = [n for n in names if n.lower().endswith((".html", ".htm"))]
    if htmls and not jsons:
        layout.html = True
        layout.evidence.append(f"{len(htmls)} HTML pages and no JSON files")
    layout.flat_root = flat_instagram_root(names)
    if _any(r"(^|/)your_instagram_activity/media/[^/]+\.json$", names):
        layout.generation = "IG-E"
    elif _any(r"(^|/)your_instagram_activity/", names):
        layout.generation = "IG-D"
    elif _any(r"(^|/)(account_information|ads_and_content|login_and_account_creation)/", names) or \
            _any(r"(^|/)followers_and_following/followers\.json$", names):
        layout.generation = "IG-B"
    elif _any(r"(^|/)(personal_information|ads_and_topics)/|(^|/)followers_\d+\.json$", names):
        layout.generation = "IG-C"
    elif layout.flat_root is not None:
        layout.generation = "IG-A"
    pages = sorted(jsons or htmls or names, key=lambda n: (n.count("/"), n))
    layout.anchor = pages[0] if pages else None
    return layout


layout_of = per_archive(_detect)  # the layout of an archive from its member paths and file name
