"""Which Meta product an archive's paths belong to: Facebook and Instagram downloads come from the same vendor
pipeline (the same Messenger thread files, mojibake and ``label_values`` records), so each importer must leave the
other's exports alone. Only paths are looked at here; both importers refine by content.

Instagram markers (INSTAGRAM.md section 3): the Accounts Center groups (``your_instagram_activity/``,
``apps_and_websites_off_of_instagram/``, ``instagram_ads_and_businesses/``), the 2021-2023 topic folders that
Facebook never had (``followers_and_following/``, ``ads_and_content/``, ``ads_and_topics/``,
``login_and_account_creation/``, ``recent_searches/``), the profile files, and the flat files of the 2018-2020
standalone download (``media.json`` beside ``connections.json`` at the root, or below one wrapping folder).
"""

from __future__ import annotations

import re
from typing import Callable, TypeVar

L = TypeVar("L")

INSTAGRAM_PATHS = re.compile(
    r"(^|/)(your_instagram_activity|instagram_ads_and_businesses|apps_and_websites_off_of_instagram|"
    r"followers_and_following|ads_and_content|ads_and_topics|login_and_account_creation|recent_searches|"
    r"personal_information/instagram_profile_information|media/posts)/|"
    r"(^|/)(account_information|personal_information)/personal_information\.json$|"
    r"instagram_profile_information", re.I)
_FLAT = ("media.json", "connections.json", "messages.json", "profile.json", "comments.json", "likes.json",
         "saved.json", "searches.json", "seen_content.json", "account_history.json", "stories_activities.json")


def flat_instagram_root(names) -> str | None:
    """The folder ('' for the root) holding the 2018-2020 standalone download's flat files, or None: at least
    ``media.json`` or ``connections.json`` and two more of its file names side by side, at most one folder deep."""
    by_folder: dict[str, set[str]] = {}
    for name in names:
        folder, _, base = name.rpartition("/")
        if folder.count("/") == 0 and base.lower() in _FLAT:
            by_folder.setdefault(folder, set()).add(base.lower())
    for folder, found in sorted(by_folder.items()):
        if ({"media.json", "connections.json"} & found) and len(found) >= 3:
            return folder
    return None


# Meta names the downloads "instagram-<username>-<date>-<id>.zip" and "facebook-...": the name decides an archive
# whose paths are both products' (a download of messages alone holds only messages/inbox/<thread>/ folders)
_INSTAGRAM_ZIP = re.compile(r"^instagram-.+\.zip$", re.I)


def instagram_evidence(names, archive_name: str = "") -> list[str]:
    """Why these paths (and the archive's file name) are an Instagram export (empty: they are not, as far as
    they tell)."""
    evidence = []
    if _INSTAGRAM_ZIP.match(archive_name):
        evidence.append("the archive's name (instagram-USERNAME-DATE-....zip, as Instagram names its downloads)")
    if any(INSTAGRAM_PATHS.search(n) for n in names):
        evidence.append("Instagram folders (your_instagram_activity/, followers_and_following/ ...) or profile files")
    if flat_instagram_root(names) is not None:
        evidence.append("the flat files of the 2018-2020 Instagram download (media.json, connections.json ...)")
    return evidence


def per_archive(detect: Callable[[frozenset[str], str], L]) -> Callable[[frozenset[str], str], L]:
    """``layout_of(names, archive_name)`` for a layout ``detect``: worked out once per archive (the claim and the
    parse of every member ask again), recognised by its names object and its file name, which both decide it."""
    cache: dict[tuple[int, str], tuple[frozenset[str], L]] = {}

    def layout_of(names: frozenset[str], archive_name: str = "") -> L:
        cached = cache.get((id(names), archive_name))
        if cached is not None and cached[0] is names:
            return cached[1]
        layout = detect(names, archive_name)
        if len(cache) > 64:
            cache.clear()
        cache[(id(names), archive_name)] = (names, layout)
        return layout

    return layout_of
