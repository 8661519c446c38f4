"""What the person posted and did on Instagram, in every generation's shapes:

- posts (``posts_N.json``), stories, reels, profile photos, archived and recently deleted media -> ``posts``
  (kinds ``post``, ``story``, ``reel``, ``profile_photo``, ``archived``, ``deleted``), the caption as text, the media
  paths in ``extra``; EXIF coordinates of the person's own photos -> ``locations`` (the Facebook reader's media
  signals, the same vendor format)
- comments -> ``posts`` kind ``comment`` (target: the post's owner)
- liked posts and comments, story likes -> ``posts`` kind ``reaction``; saved posts -> kind ``saved``
- searches (accounts, words, tags) -> ``posts`` kind ``search``, as Facebook's (contract)
- link history (pages opened in Instagram's browser) -> ``activities`` ``visited``
- posts and videos seen, ads seen and clicked -> ``activities`` (what the feed served: exposure, not choice)

Not read: the media bytes themselves (only their paths), ``backup_uri`` links (signed CDN links, never fetched).
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.records import Activity, Post, Problem

from datavault.importers.facebook.activity import media_signals
from datavault.importers.facebook.jsonread import Items, Run, dumps, labels, when
from datavault.importers.instagram.shapes import (COMMENT, OWNER, PAGE_TITLE, SEARCH, URL, USERNAME, account_of, entries,
                                        username)

_CAPTION = labels("Caption", "Bijschrift", "Bildunterschrift", "Légende")


def _media_items(post: dict) -> list[dict]:
    media = post.get("media")
    if isinstance(media, dict):
        media = [media]
    if isinstance(media, list):
        return [m for m in media if isinstance(m, dict)]
    return [post] if "uri" in post else []


def media_posts(run: Run, items: Items, kind: str) -> Iterator[Any]:
    """POST records (``{media: [...], title, creation_timestamp}``) or bare MEDIA records (stories)."""
    for locator, item in items:
        if not isinstance(item, dict):
            yield Problem(f"a {kind} entry that is not an object was skipped", locator, "warning")
            continue
        media = _media_items(item)
        if not media and not item.get("title"):
            yield Problem(f"a {kind} entry without media or caption was skipped", locator, "warning")
            continue
        timestamp = item.get("creation_timestamp") or next(
            (m.get("creation_timestamp") for m in media if m.get("creation_timestamp")), None)
        captions: list[str] = []
        for text in [item.get("title")] + [m.get("title") for m in media]:
            if isinstance(text, str) and text and run.fix(text) not in captions:
                captions.append(run.fix(text))
        uris = [m.get("uri") for m in media if m.get("uri")]
        extra: dict[str, Any] = {}
        if uris:
            extra["media"] = uris
        sources = {str((m.get("cross_post_source") or {}).get("source_app")) for m in media
                   if isinstance(m.get("cross_post_source"), dict) and (m["cross_post_source"]).get("source_app")}
        if sources:
            extra["cross_post_source"] = sorted(sources)
        yield Post(time=when(timestamp), platform=run.platform, kind=kind, text="\n".join(captions) or None,
                   target=None, key=("ig-post", kind, str(timestamp), uris[0] if uris else ""), locator=locator,
                   raw=dumps({k: v for k, v in item.items() if k != "media"} | {"media": len(media)}),
                   extra=extra or None)
        for index, m in enumerate(media):
            yield from media_signals(run, m, f"{locator}.media[{index}]" if m is not item else locator)


def comments(run: Run, items: Items, what: str = "post") -> Iterator[Any]:
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a comment of an unknown shape was skipped", locator, "warning")
            continue
        text = e.value(COMMENT) or next((f.value for f in e.fields if f.label is None and f.value), None)
        if not text:
            yield Problem("a comment without text was skipped", locator, "warning")
            continue
        owner = e.value(OWNER) or e.title
        timestamp = e.time()
        yield Post(time=when(timestamp), platform=run.platform, kind="comment", text=text,
                   target=username(owner) if owner else None, key=("ig-comment", str(timestamp), text),
                   locator=locator, raw=dumps(item), extra={"on": what})


def likes(run: Run, items: Items, what: str) -> Iterator[Any]:
    """Liked posts and comments, story likes: the account behind each, the link, the time."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem(f"a liked {what} of an unknown shape was skipped", locator, "warning")
            continue
        owner = account_of(e)
        url = e.value(URL) or e.first_href()
        timestamp = e.time()
        extra = {"liked": what, **({"url": url} if url else {})}
        if e.shape == "sld":
            value = next((f.value for f in e.fields if f.label is None and f.value), None)
            if value and value != owner:
                extra["value"] = value  # the link text: an emoji on liked comments
        yield Post(time=when(timestamp), platform=run.platform, kind="reaction", text="like", target=owner,
                   key=("ig-like", what, str(timestamp), url or owner or ""), locator=locator, raw=dumps(item),
                   extra=extra)


def saved(run: Run, items: Items) -> Iterator[Any]:
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a saved item of an unknown shape was skipped", locator, "warning")
            continue
        owner = account_of(e)
        url = e.value(URL) or e.first_href()
        caption = e.value(_CAPTION)
        timestamp = e.time()
        yield Post(time=when(timestamp), platform=run.platform, kind="saved", text=caption, target=owner,
                   key=("ig-saved", str(timestamp), url or owner or ""), locator=locator, raw=dumps(item),
                   extra={"url": url} if url else None)


def searches(run: Run, items: Items, search_type: str) -> Iterator[Any]:
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a search of an unknown shape was skipped", locator, "warning")
            continue
        query = e.value(SEARCH) or e.value(USERNAME) or e.title or e.first_value()
        if not query:
            yield Problem("a search without its words was skipped", locator, "warning")
            continue
        timestamp = e.time()
        yield Post(time=when(timestamp), platform=run.platform, kind="search", text=query, target=None,
                   key=("ig-search", search_type, str(timestamp), query), locator=locator, raw=dumps(item),
                   extra={"search_type": search_type})


def link_history(run: Run, items: Items) -> Iterator[Any]:
    """Pages opened in Instagram's in-app browser: an external browsing history."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a link-history entry of an unknown shape was skipped", locator, "warning")
            continue
        url = e.value(URL) or e.first_href()
        if not url:
            yield Problem("a link-history entry without a link was skipped", locator, "warning")
            continue
        title = e.value(PAGE_TITLE)
        timestamp = e.time()
        yield Activity(time=when(timestamp), platform=run.platform, product="Instagram browser", action="visited",
                       title=title or url, url=url, key=("ig-link", str(timestamp), url), locator=locator,
                       raw=dumps(item))


EXPOSURE = {"posts_viewed": ("viewed", "post"), "videos_watched": ("watched", "video"),
            "ads_viewed": ("viewed", "ad"), "ads_clicked": ("clicked", "ad")}


def exposure(run: Run, items: Items, logical: str) -> Iterator[Any]:
    action, what = EXPOSURE[logical]
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem(f"a {what} entry of an unknown shape was skipped", locator, "warning")
            continue
        author = account_of(e) if what != "ad" else (e.value(OWNER) or e.title or e.first_value())
        timestamp = e.time()
        url = e.value(URL) or e.first_href()
        yield Activity(time=when(timestamp), platform=run.platform, product="Instagram", action=action,
                       title=f"{what} by {author}" if author and what != "ad" else (author or what), url=url,
                       key=("ig-seen", logical, str(timestamp), author or "", url or ""), locator=locator,
                       raw=dumps(item), extra={"item": what, **({"author": author} if author else {})})
