"""Idleness and screen time: Sesame's "ten hours of video games a day" example.

Reads ``activities``: YouTube watches, app use, Play Games and anything whose title, address or channel
matches the gaming or video lexicons. Each such event counts as screen time until the next event of the same
kind, at most ``session_gap_minutes`` (one video, one round), summed per local day. Late-night share and the
weekday/weekend pattern use all the person's own actions (rhythm.py). Watch time is an estimate: exports hold
when something started, not how long it ran.
"""

from __future__ import annotations

from datavault.findings import textindex
from datavault.findings.clock import DAY
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Evidence, Finding, NotAssessed, plural
from datavault.findings.rhythm import days_per_weekday, own_activity


def provide(ctx: Ctx):
    if not ctx.has("activities", "messages", "posts"):
        yield NotAssessed("screen_time", "no activity history (Google My Activity, YouTube) or chats imported")
        return
    t = ctx.rules.thresholds["screen_time"]
    cap = int(t["session_gap_minutes"]) * 60
    per_class: dict[str, dict] = {}
    top: list = []
    phys = textindex.physical(ctx.conn, "activities")
    if ctx.counts["activities"] and phys:
        gq = ctx.rules.lexicon("gaming").fts_query()
        vq = ctx.rules.lexicon("video").fts_query()
        schema = ctx.text_schema
        cls = ("CASE WHEN product = 'Play Games' OR rowid IN (" + textindex.hits_sql(schema, "activities")
               + ") THEN 'gaming' WHEN (product = 'YouTube' AND action = 'watched') OR rowid IN ("
               + textindex.hits_sql(schema, "activities") + ") THEN 'video' END")
        events = ctx.local_rows(phys, f"{cls} AS cls, title, time, source_file, locator", "1")
        sessions = (f"SELECT cls, {DAY} AS day, title, time, source_file, locator, "
                    f"min(coalesce(lead(e) OVER (PARTITION BY cls ORDER BY e) - e, {cap}), {cap}) AS secs "
                    f"FROM {events} WHERE cls IS NOT NULL")
        params = (gq or '"no-such-word"', vq or '"no-such-word"')
        for r in ctx.q(f"SELECT cls, count(*) AS events, count(DISTINCT day) AS days, sum(secs) AS secs, "
                       f"min(time) AS first, max(time) AS last FROM ({sessions}) GROUP BY cls", params):
            per_class[r["cls"]] = dict(r)
        top = ctx.q(f"SELECT cls, title, count(*) AS events, sum(secs) AS secs, max(time) AS last, "
                    f"max(source_file) AS source_file FROM ({sessions}) GROUP BY cls, title "
                    f"ORDER BY secs DESC, title LIMIT 10", params)
    grid = own_activity(ctx)
    total = sum(map(sum, grid))
    if not total:
        yield Clear("screen_time", "Idleness and screen time", "no timed activity")
        return
    late = sum(grid[d][h] for d in range(7) for h in range(0, 5))
    late_share = round(late / total, 3)
    days = days_per_weekday(ctx)
    weekday_rate = sum(sum(grid[d]) for d in range(5)) / max(1, sum(days[:5]))
    weekend_rate = sum(sum(grid[d]) for d in range(5, 7)) / max(1, sum(days[5:]))
    screen_secs = sum(c["secs"] or 0 for c in per_class.values())
    screen_days = max((c["days"] for c in per_class.values()), default=0)
    hours_per_day = round(screen_secs / 3600 / screen_days, 1) if screen_days else 0.0
    gaming = per_class.get("gaming", {})
    video = per_class.get("video", {})
    if total < t["min_actions"]:  # a handful of actions says nothing about habits
        strength = "weak"
    else:
        strength = ("strong" if hours_per_day >= t["hours_strong"] or late_share >= t["late_night_strong"] else
                    "moderate" if hours_per_day >= t["hours_moderate"] or late_share >= t["late_night_moderate"]
                    else "weak")
    parts = []
    if screen_days:
        parts.append(f"about {hours_per_day} hours of games and video on the {plural(screen_days, 'day')} with any "
                     f"(games {round((gaming.get('secs') or 0) / 3600, 1)} h in all, video "
                     f"{round((video.get('secs') or 0) / 3600, 1)} h)")
    parts.append(f"{round(100 * late_share)} % of your activity between 00:00 and 05:00")
    parts.append(f"{weekday_rate:.0f} actions per weekday against {weekend_rate:.0f} per weekend day")
    evidence = [Evidence("activities", r["last"], r["source_file"], None,
                         f"{r['cls']}: {r['title'] or '(untitled)'}: {plural(r['events'], 'time')}, about "
                         f"{round((r['secs'] or 0) / 3600, 1)} h") for r in top[:8]]
    yield Finding(
        id="screen_time",
        title="Idleness, sleep and screen time",
        category="behaviour_preference",
        statement=("A scorer could judge you idle or a night owl: " + "; ".join(parts) + "."),
        strength=strength,
        measures={
            "hours_per_screen_day": hours_per_day, "screen_days": screen_days,
            "gaming_hours": round((gaming.get("secs") or 0) / 3600, 1), "gaming_events": gaming.get("events", 0),
            "video_hours": round((video.get("secs") or 0) / 3600, 1), "video_events": video.get("events", 0),
            "late_night_share": late_share, "actions": total,
            "weekday_actions_per_day": round(weekday_rate, 1), "weekend_actions_per_day": round(weekend_rate, 1),
        },
        evidence=evidence,
        evidence_total=sum(c["events"] for c in per_class.values()),
        details=[{"kind": r["cls"], "title": r["title"], "events": r["events"],
                  "hours": round((r["secs"] or 0) / 3600, 1)} for r in top],
        rule=("Games and video are YouTube watches, Play Games and anything matching the gaming or video lexicons; "
              f"each counts until the next one of its kind, at most {t['session_gap_minutes']} minutes; hours are "
              "summed per local day. Late night is 00:00-05:00 local over all your own actions."),
        context=ctx.rules.cite("sesame"),
        remedy=("Pause and delete YouTube watch history and Web & App Activity (myactivity.google.com), set "
                "auto-delete to 3 months, and turn off 'Usage & diagnostics' app-use reporting on Android."),
    )
