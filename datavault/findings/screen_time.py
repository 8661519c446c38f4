"""Idleness and screen time: Sesame's "ten hours of video games a day" example. Idleness evidence only.

Games are activities whose title, address or channel matches the gaming lexicon, and Play Games; video is
YouTube watches and anything matching the video lexicon (games first). Exports hold when something started,
not how long it ran, so each event counts ``session_gap_minutes`` (one video, one round), at most 60 minutes
per clock hour: an estimate, shown as such. Counts come from the hourly rollup and the word index.

The finding fires only on gaming/video evidence above its thresholds (hours per day with any, on enough days)
or on late nights of gaming/video; late-night activity of any other kind is a schedule (``daily_schedule`` in
rhythm.py), never idleness. Below ``min_days`` days or ``min_actions`` own actions it is not assessed.
"""

from __future__ import annotations

from datavault.findings import textindex
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Evidence, Finding, NotAssessed, excerpt, plural
from datavault.findings.rhythm import days_per_weekday, own_activity, own_hours
from datavault.findings.rollup import INSTANT
from datavault.layout import FILE_NAME

YOUTUBE = "(product = 'YouTube' AND action = 'watched')"


def _buckets(ctx: Ctx) -> tuple[dict[str, dict[tuple[int, int], int]], list, list]:
    """Per class, {(instant, hour bucket): events}; the top game titles; the latest videos."""
    phys = textindex.physical(ctx.conn, "activities")
    classes: dict[str, dict[tuple[int, int], int]] = {"gaming": {}, "video": {}}
    if not ctx.counts["activities"] or phys is None:
        return classes, [], []
    gq = ctx.rules.lexicon("gaming").fts_query() or '"no-such-word"'
    vq = ctx.rules.lexicon("video").fts_query() or '"no-such-word"'
    ctx.conn.execute("DROP TABLE IF EXISTS temp.dv_games")
    # one pass over the game events' records; everything else about games is counted from this narrow table
    ctx.conn.execute(
        f"CREATE TEMP TABLE dv_games AS SELECT rowid AS r, {INSTANT} AS inst, CAST(ts AS INTEGER) / 3600 AS hb, "
        f"{YOUTUBE} AS yt, title, time FROM {phys} WHERE rowid IN (SELECT rowid FROM {phys} WHERE rowid IN "
        f"({ctx.hits('activities')}) UNION SELECT rowid FROM {phys} WHERE product = 'Play Games')",
        (gq,))
    games = "rowid IN (SELECT r FROM temp.dv_games)"
    youtube_games: dict[tuple[int, int], int] = {}
    for inst, hb, yt, n in ctx.q("SELECT inst, hb, yt, count(*) FROM temp.dv_games WHERE hb IS NOT NULL "
                                 "GROUP BY 1, 2, 3"):
        classes["gaming"][(inst, hb)] = classes["gaming"].get((inst, hb), 0) + n
        if yt:
            youtube_games[(inst, hb)] = n
    youtube_videos = 0  # YouTube watches that are no game: without any, there are no latest videos to find
    for inst, hb, n in ctx.q(f"SELECT instant, hb, n FROM {ctx.roll('dv_roll_activities')} "
                             "WHERE product = 'YouTube' AND action = 'watched'"):
        n -= youtube_games.get((inst, hb), 0)
        if n > 0:
            classes["video"][(inst, hb)] = classes["video"].get((inst, hb), 0) + n
            youtube_videos += n
    for inst, hb, n in ctx.q(
            f"SELECT {INSTANT}, CAST(ts AS INTEGER) / 3600, count(*) FROM {phys} WHERE rowid IN "
            f"({ctx.hits('activities')}) AND NOT {YOUTUBE} AND NOT {games} AND ts IS NOT NULL "
            "GROUP BY 1, 2", (vq,)):
        classes["video"][(inst, hb)] = classes["video"].get((inst, hb), 0) + n
    top_games = ctx.q("SELECT title, count(*) AS n, max(time) AS last, max(r) AS r FROM temp.dv_games "
                      "GROUP BY title ORDER BY n DESC, title LIMIT 8")
    games_evidence = [dict(r) | dict(ctx.q(f"SELECT {FILE_NAME} AS source_file, locator FROM {phys} WHERE rowid = ?",
                                           (r["r"],))[0]) for r in top_games]
    # "+product": walk the time index backwards instead of sorting every YouTube watch (with none, the walk
    # would read every record: it is not made then)
    latest_videos = ctx.q(f"SELECT time, title, {FILE_NAME} AS source_file, locator FROM {phys} "
                          f"WHERE +product = 'YouTube' AND action = 'watched' AND NOT {games} AND ts IS NOT NULL "
                          "ORDER BY ts DESC LIMIT 4") if youtube_videos else []
    return classes, games_evidence, latest_videos


def _title(title: str | None) -> str:
    return excerpt((title or "").removeprefix("Watched ").removeprefix("Played "), 80) or "(untitled)"


def provide(ctx: Ctx):
    if not ctx.counts["activities"]:
        yield NotAssessed("screen_time", "no activity history imported (Google My Activity: YouTube, Play Games, "
                                         "app use): games and video cannot be read from chats alone")
        return
    t = ctx.rules.thresholds["screen_time"]
    own = own_hours(ctx)
    days, actions = len(own["days"]), own["actions"]
    if days < t["min_days"] or actions < t["min_actions"]:
        yield NotAssessed("screen_time", f"own activity on {plural(days, 'day')} ({plural(actions, 'action')}); "
                                         f"at least {t['min_days']} days and {t['min_actions']} actions needed")
        return
    per_event = int(t["session_gap_minutes"])
    classes, games, videos = _buckets(ctx)
    minutes: dict[str, float] = {}
    screen: dict[str, set[int]] = {}
    events: dict[str, int] = {}
    late: dict[int, int] = {}
    for cls, buckets in classes.items():
        minutes[cls] = sum(min(60, n * per_event) for n in buckets.values())
        events[cls] = sum(buckets.values())
        screen[cls] = set()
        for (inst, hb), n in buckets.items():
            local = ctx.clock.local_epoch(hb * 3600, bool(inst)) // 3600
            screen[cls].add(local // 24)
            if local % 24 < 5:
                late[local // 24] = late.get(local // 24, 0) + n
    screen_days = len(screen["gaming"] | screen["video"])
    hours_per_day = round((minutes["gaming"] + minutes["video"]) / 60 / screen_days, 1) if screen_days else 0.0
    late_nights = sum(1 for n in late.values() if n >= t["late_night_event_min"])
    by_hours = ("strong" if hours_per_day >= t["hours_strong"] and screen_days >= t["screen_days_strong"] else
                "moderate" if hours_per_day >= t["hours_moderate"] and screen_days >= t["screen_days_moderate"]
                else None)
    by_nights = ("strong" if late_nights >= t["late_nights_strong"] else
                 "moderate" if late_nights >= t["late_nights_moderate"] else None)
    summary = (f"about {hours_per_day} hours of games and video a day on the {plural(screen_days, 'day')} with any "
               f"(games {round(minutes['gaming'] / 60, 1)} h in all, video {round(minutes['video'] / 60, 1)} h); "
               f"{plural(late_nights, 'late night')} of games or video")
    if not screen_days:
        summary = "no games or video in your activity history"
    if not by_hours and not by_nights:
        yield Clear("screen_time", "Idleness and screen time",
                    f"{summary}: below {t['hours_moderate']} hours a day on {t['screen_days_moderate']} days and "
                    f"{t['late_nights_moderate']} late nights")
        return
    strength = "strong" if "strong" in (by_hours, by_nights) else "moderate"
    grid = own_activity(ctx)
    total = sum(map(sum, grid))
    per_weekday = days_per_weekday(ctx)
    weekday_rate = sum(sum(grid[d]) for d in range(5)) / max(1, sum(per_weekday[:5]))
    weekend_rate = sum(sum(grid[d]) for d in range(5, 7)) / max(1, sum(per_weekday[5:]))
    parts = []
    if by_hours:
        parts.append(f"about {hours_per_day} hours of games and video a day on the {plural(screen_days, 'day')} "
                     f"with any (games {round(minutes['gaming'] / 60, 1)} h in all, video "
                     f"{round(minutes['video'] / 60, 1)} h)")
    if by_nights:
        parts.append(f"games or video between 00:00 and 05:00 on {plural(late_nights, 'night')}")
    evidence = [Evidence("activities", g["last"], g["source_file"], g["locator"],
                         f"game: {excerpt(g['title'], 100) or '(untitled)'} ({plural(g['n'], 'time')})") for g in games]
    evidence += [Evidence("activities", v["time"], v["source_file"], v["locator"],
                          f"video: {excerpt(v['title'], 120)}") for v in videos]
    where = []
    if games:
        where.append("YouTube › History and My Activity: delete the entries of " + ", ".join(
            f"'{_title(g['title'])}' ({g['n']})" for g in games[:3]) + " and pause YouTube watch history")
    if events["video"]:
        where.append(f"YouTube › History: delete the {events['video']} other watches and pause watch history")
    where.append("set My Activity to auto-delete after 3 months and turn off 'Usage & diagnostics' app-use "
                 "reporting on Android")
    yield Finding(
        id="screen_time",
        title="Idleness and screen time",
        category="behaviour_preference",
        statement="A scorer could judge you idle: " + "; ".join(parts) + ".",
        strength=strength,
        measures={
            "hours_per_screen_day": hours_per_day, "screen_days": screen_days,
            "gaming_hours": round(minutes["gaming"] / 60, 1), "gaming_events": events["gaming"],
            "video_hours": round(minutes["video"] / 60, 1), "video_events": events["video"],
            "late_nights": late_nights, "actions": actions, "activity_days": days,
            "late_night_share": round(sum(grid[d][h] for d in range(7) for h in range(0, 5)) / total, 3) if total else 0.0,
            "weekday_actions_per_day": round(weekday_rate, 1), "weekend_actions_per_day": round(weekend_rate, 1),
        },
        evidence=evidence,
        evidence_total=events["gaming"] + events["video"],
        details=[{"kind": "game", "title": g["title"], "events": g["n"], "last": g["last"]} for g in games],
        rule=("Games are activities matching the gaming lexicon and Play Games; video is YouTube watches and the "
              f"video lexicon. Each event counts {per_event} minutes, at most 60 per clock hour; hours are summed per "
              f"local day with any. Moderate from {t['hours_moderate']} h a day on {t['screen_days_moderate']} days "
              f"or {t['late_nights_moderate']} late nights (an hour or more of games or video between 00:00 and "
              f"05:00), strong from {t['hours_strong']} h a day on {t['screen_days_strong']} days or "
              f"{t['late_nights_strong']} late nights. Night activity of other kinds is a schedule, not idleness."),
        context=ctx.rules.cite("sesame"),
        remedy="; ".join(where) + ".",
    )
