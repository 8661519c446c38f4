"""What kind of Facebook export an archive is, decided from its member paths (key shapes refine it later).

Meta has reorganised "Download Your Information" at least five times. Paths are only hints: every file is found
by its *logical name* through the alias table below (matched on the end of the path, so wrapper folders added
by a Drive delivery, multi-part downloads and moved parent folders do not matter), and most files are
recognised by their JSON keys in the first place. This module also tells apart an Instagram export (same
vendor, same message format) and the separate end-to-end-encrypted "secure storage" Messenger download, and
whether the export was requested as HTML.

Generations (FACEBOOK.md section 3): G1 2018 flat folders, keys without ``_v2``; G2 same folders with ``_v2``
keys; G3 2022 regrouping (``your_activity_across_facebook/``, ``connections/``, ``logged_information/``); G4 2024
``your_facebook_activity/``; G5 2026 files that became bare lists of ``label_values`` records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datavault.importers.meta_products import instagram_evidence, per_archive

# logical name -> path endings (oldest -> newest). Only used for files a handler cannot recognise by a key
# (bare lists and label_values records); dict files are dispatched on their top-level key wherever they are.
ALIASES: dict[str, tuple[str, ...]] = {
    "posts": (r"(^|/)your_posts(_\d+)?\.json$", r"(^|/)your_posts__check_ins__photos_and_videos(_\d+)?\.json$"),
    "checkins": (r"(^|/)check-ins\.json$", r"(^|/)your_check-ins\.json$"),
    "tagged_places": (r"(^|/)places_you_have_been_tagged_in\.json$", r"(^|/)places_you've_been_tagged_in\.json$"),
    "reactions": (r"(^|/)likes_and_reactions(_\d+)?\.json$", r"(^|/)posts_and_comments\.json$"),
    "advertisers_interacted": (r"(^|/)advertisers_you've_interacted_with\.json$",
                               r"(^|/)advertisers_you_have_interacted_with\.json$"),
    "advertisers_with_your_data": (r"(^|/)advertisers_using_your_activity_or_information\.json$",
                                   r"(^|/)advertisers_who_uploaded_a_contact_list_with_your_information\.json$"),
    "other_categories": (r"(^|/)other_categories_used_to_reach_you\.json$",),
    "ad_preferences": (r"(^|/)ad_preferences\.json$",),
    "ads_interests": (r"(^|/)ads_interests\.json$",),
    "your_topics": (r"(^|/)your_topics\.json$", r"(^|/)inferred_topics\.json$"),
    "off_meta": (r"(^|/)your_off-facebook_activity\.json$", r"(^|/)your_activity_off_meta_technologies\.json$"),
    "registration": (r"(^|/)registration_information\.json$",),
    "devices": (r"(^|/)your_devices\.json$", r"(^|/)recognized_devices\.json$"),
    "primary_location": (r"(^|/)primary_location\.json$", r"(^|/)primary_public_location\.json$"),
    "timezone": (r"(^|/)timezone\.json$",),
    "profile_visits": (r"(^|/)profile_visits\.json$", r"(^|/)items_viewed\.json$"),
    "group_contributions": (r"(^|/)your_contributions\.json$",),
    "album": (r"(^|/)album/\d+\.json$",),
    "search_history": (r"(^|/)your_search_history\.json$",),
    "friends": (r"(^|/)friends\.json$", r"(^|/)your_friends\.json$"),
    "followers": (r"(^|/)people_who_followed_you\.json$", r"(^|/)followers\.json$"),
    "logins": (r"(^|/)logins_and_logouts\.json$", r"(^|/)account_activity\.json$", r"(^|/)ip_address_activity\.json$",
               r"(^|/)where_you(_|')re_logged_in\.json$", r"(^|/)your_facebook_activity_history\.json$"),
    "recently_viewed": (r"(^|/)recently_viewed\.json$", r"(^|/)recently_visited\.json$"),
}
_ALIAS_RE = {logical: tuple(re.compile(p, re.I) for p in patterns) for logical, patterns in ALIASES.items()}

# files we know and deliberately do not read: basename pattern -> reason shown in the inventory
KNOWN_UNREAD: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), why) for p, why in (
    (r"(^|/)notifications\.json$", "notifications Facebook sent (not something the person did)"),
    (r"(^|/)(language_and_locale|feed|controls|reels_preferences|.*_settings?)\.json$", "a settings file"),
    (r"(^|/)face_recognition\.json$", "face-recognition setting"),
    (r"(^|/)(stickers_used|avatar.*)\.json$", "stickers and avatars"),
    (r"(^|/)(subscription_for_no_ads|ads_feedback_activity)\.json$", "ads settings"),
    (r"(^|/)instant_games\.json$", "games played"),
    (r"(^|/)your_video_consumption_summary\.json$", "a video-consumption summary without items"),
))

MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".m4a", ".aac", ".mp3", ".wav",
                  ".ogg", ".opus", ".pdf", ".txt", ".zip", ".docx", ".webm", ".3gp", ".bmp", ".svg", ".ico", ".css",
                  ".js", ".woff", ".woff2", ".ttf"}

# paths only a Facebook export has (generic folder names such as groups/ or posts/ alone prove nothing: a Google
# Takeout has "Google Chat/Groups/")
_FB_FOLDERS = re.compile(
    r"(^|/)(your_facebook_activity|your_activity_across_facebook|logged_information|ads_information|"
    r"security_and_login_information|apps_and_websites_off_of_facebook|ads_and_businesses|comments_and_reactions|"
    r"friends_and_followers|following_and_followers|likes_and_reactions|your_interactions_on_facebook|"
    r"your_topics|about_you)/|"
    r"(^|/)messages/(inbox|archived_threads|filtered_threads|message_requests|e2ee_cutover|legacy_threads)/|"
    r"(^|/)(connections/(friends|followers)|personal_information/profile_information|profile_information|"
    r"friends|search_history|location_history)/[^/]+\.(json|html)$|"
    r"(^|/)(posts/your_posts(_\d+)?|ads/ads_interests|start_here)\.(json|html)$", re.I)
_G1G2_FOLDERS = re.compile(r"(^|/)(about_you|friends|posts|likes_and_reactions|profile_information|comments|"
                           r"following_and_followers|search_history|location|ads|comments_and_reactions|"
                           r"friends_and_followers|your_topics|ads_and_businesses)/", re.I)
_G2_ONLY = re.compile(r"(^|/)(comments_and_reactions|friends_and_followers|your_topics|ads_and_businesses|"
                      r"your_interactions_on_facebook)/", re.I)
_G3 = re.compile(r"(^|/)(your_activity_across_facebook|connections|logged_information|personal_information)/", re.I)
_G4 = re.compile(r"(^|/)your_facebook_activity/|your_posts__check_ins__photos_and_videos|/e2ee_cutover/|"
                 r"your_activity_off_meta_technologies", re.I)
_THREAD = re.compile(r"(^|/)messages/(inbox|archived_threads|filtered_threads|message_requests|e2ee_cutover|"
                     r"legacy_threads)/[^/]+/message_\d+\.(json|html)$", re.I)
_SECURE = re.compile(r"(^|/)messages/[^/]+\.json$", re.I)
_FB_ZIP = re.compile(r"^facebook-.+\.zip$", re.I)


def logical_name(path: str) -> str | None:
    """The logical file a path is, by its ending, or None."""
    for logical, patterns in _ALIAS_RE.items():
        for pattern in patterns:
            if pattern.search(path):
                return logical
    return None


def known_unread(path: str) -> str | None:
    for pattern, why in KNOWN_UNREAD:
        if pattern.search(path):
            return why
    return None


@dataclass
class Layout:
    facebook: bool = False  # the paths look like a Facebook export (or a part of one)
    instagram: bool = False
    secure_storage: bool = False  # the separate E2EE Messenger download
    html: bool = False  # requested as HTML: .html pages, no JSON data files
    generation: str | None = None
    evidence: list[str] = field(default_factory=list)
    anchor: str | None = None  # the one member that carries whole-export warnings (HTML, Instagram)
    threads: int = 0
    has_cutover: bool = False
    media_only: bool = False  # a part of a multi-part download that holds only photos and videos
    # the members that name the owner (profile, autofill), seen while claiming; read once, on first need
    owner_members: list = field(default_factory=list)
    owner_names: set[str] | None = None
    # the account's time zone file (HTML display times carry none), seen while claiming
    zone_members: list = field(default_factory=list)
    zone: object = None  # False once looked for and not found

    def describe(self) -> str:
        return GENERATIONS.get(self.generation or "", "unknown layout")


GENERATIONS = {
    "G1": "2018-2019 layout: flat topic folders, keys without _v2",
    "G2": "2020-2022 layout: flat topic folders, _v2 keys",
    "G3": "2022-2023 layout: your_activity_across_facebook/, connections/, logged_information/",
    "G4": "2024-2026 layout: your_facebook_activity/",
    "G5": "2026 layout: your_facebook_activity/ with label_values record lists",
    "E2EE": "Messenger secure-storage download (end-to-end encrypted chats)",
    "instagram": "an Instagram export",
}

def _detect(names: frozenset[str], archive_name: str) -> Layout:
    layout = Layout()
    instagram = instagram_evidence(names, archive_name)
    if instagram:
        layout.instagram = True
        layout.generation = "instagram"
        layout.evidence.extend(instagram)
        jsons = sorted(n for n in names if n.lower().endswith((".json", ".html")))
        layout.anchor = jsons[0] if jsons else None
        return layout
    fb_paths = [n for n in names if _FB_FOLDERS.search(n) and not _SECURE.search(n)]
    layout.facebook = bool(fb_paths) or bool(_FB_ZIP.match(archive_name))
    layout.threads = sum(1 for n in names if _THREAD.search(n))
    layout.has_cutover = any("/e2ee_cutover/" in n.lower() for n in names)
    jsons = [n for n in names if n.lower().endswith(".json")]
    htmls = [n for n in names if n.lower().endswith((".html", ".htm"))]
    if layout.facebook and not jsons and not htmls:
        layout.media_only = True
        layout.anchor = min(names) if names else None
        layout.evidence.append("only media files")
    starts = [n for n in htmls if n.lower().rsplit("/", 1)[-1] == "start_here.html"]
    if htmls and (layout.facebook or starts) and not any(_FB_FOLDERS.search(n) for n in jsons):
        # a Facebook export requested as HTML (a Takeout "My Activity.html" is not: no Facebook paths)
        layout.html = True
        layout.facebook = True
        layout.evidence.append(f"{len(htmls)} HTML pages and no JSON data files")
        layout.anchor = sorted(starts or htmls, key=lambda n: (n.count("/"), n))[0]
    if jsons and all(_SECURE.search(n) for n in jsons) and not layout.threads:
        layout.secure_storage = True
        layout.generation = "E2EE"
        layout.evidence.append("flat messages/ folder beside media/")
        return layout
    if any(_G4.search(n) for n in names):
        layout.generation = "G4"
        layout.evidence.append("your_facebook_activity/ or 2024 file names")
    elif any(_G3.search(n) for n in names):
        layout.generation = "G3"
        layout.evidence.append("regrouped top folders (connections/, logged_information/ ...)")
    elif any(_G2_ONLY.search(n) for n in names):
        layout.generation = "G2"
        layout.evidence.append("2020-era folders (comments_and_reactions/, friends_and_followers/ ...)")
    elif any(_G1G2_FOLDERS.search(n) for n in names) or layout.threads:
        layout.generation = "G1"  # refined to G2 when _v2 keys are seen
        layout.evidence.append("flat topic folders")
    return layout


layout_of = per_archive(_detect)  # the layout of an archive from its member paths and file name
