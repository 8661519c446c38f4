"""What the platforms already concluded: Facebook's interests, ad categories and the advertisers holding the
person's data; Google's labelled places. Each label is tagged with the lexicons it matches (the FDVT idea,
across platforms), so the report can set it beside datavault's own findings. Reads ``platform_inferences`` and
the semantic labels of ``locations``.
"""

from __future__ import annotations

from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Evidence, Finding, NotAssessed

# lexicon -> the datavault finding it corresponds to
LEXICON_FINDING = {
    "parenthood": "parent", "finance_stress": "financial_stress", "health": "health", "religion": "religion",
    "sexuality": "sexual_orientation", "ethnicity": "ethnic_origin", "trade_union": "trade_union",
    "politics": "political_expression", "protest": "political_expression", "gaming": "screen_time",
    "video": "screen_time",
}
ADVERTISERS = ("advertiser_with_your_data", "advertiser_interacted")


def provide(ctx: Ctx):
    from datavault.findings.places import named_places

    labelled_places = [p for p in named_places(ctx) if p["semantic_type"]] if ctx.counts["locations"] else []
    if not ctx.counts["platform_inferences"] and not labelled_places:
        yield NotAssessed("platform_conclusions", "no platform inferences imported (Facebook 'Ads information', "
                          "Google labelled places)")
        return
    rows = ctx.q(
        "SELECT platform, category, value, min(time) AS time, min(source_file) AS source_file, count(*) AS n "
        "FROM platform_inferences GROUP BY platform, category, value ORDER BY platform, category, value"
    ) if ctx.counts["platform_inferences"] else []
    from datavault.changes import removed_labels

    # labels an earlier export of an account held and its latest export no longer does: shown, but not as current
    removed = removed_labels(ctx.conn)
    details = []
    per_category: dict[str, int] = {}
    for r in rows:
        tags = []
        for lex_id, lex in ctx.rules.lexicons.items():
            if lex_id in LEXICON_FINDING and ctx.value_words(lex, r["value"]):
                tags.append(lex_id)
        per_category[r["category"]] = per_category.get(r["category"], 0) + 1
        details.append({"platform": r["platform"], "category": r["category"], "label": r["value"],
                        "tags": tags, "datavault_finding": sorted({LEXICON_FINDING[t] for t in tags}),
                        "time": r["time"], "source_file": r["source_file"]})
    for p in labelled_places:
        per_category["labelled_place"] = per_category.get("labelled_place", 0) + 1
        details.append({"platform": "google", "category": "labelled_place",
                        "label": f"{p['semantic_type']}: {p['place_name'] or '(unnamed)'}", "tags": [],
                        "datavault_finding": ["home_work"], "time": p["last"], "source_file": p["source_file"]})
    if not details:
        yield Clear("platform_conclusions", "What the platforms concluded", "no labels")
        return
    gone = 0
    if removed:  # only then the details gain the column (a vault of one export per account shows none)
        for d in details:
            d["removed_by"] = removed.get((d["platform"], d["category"], d["label"]))
            gone += d["removed_by"] is not None
        details.sort(key=lambda d: d["removed_by"] is not None)  # current labels first, in their order
    # special categories from the labels the platform holds now: one the latest export no longer has is listed
    # (the platform held it then) but does not make the finding one of Art. 9
    sensitive = {ctx.rules.lexicons[t].sensitive for d in details if not d.get("removed_by") for t in d["tags"]} - {
        None, ""}
    advertisers = sum(per_category.get(c, 0) for c in ADVERTISERS)
    tagged = [d for d in details if d["tags"]]
    order = ["health", "religion", "politics", "sexual_orientation", "ethnic_origin", "trade_union"]
    evidence = [Evidence("platform_inferences" if d["category"] != "labelled_place" else "locations",
                         d["time"], d["source_file"], None,
                         f"{d['platform']} {d['category'].replace('_', ' ')}: {d['label']}"
                         + (f" [{', '.join(d['tags'])}]" if d["tags"] else "")
                         + (f" (removed by {d['removed_by']})" if d.get("removed_by") else ""))
                 for d in (tagged + [d for d in details if not d["tags"]])[:12]]
    summary = ", ".join(f"{n} {c.replace('_', ' ')}{'s' if n != 1 and not c.endswith('data') else ''}"
                        for c, n in sorted(per_category.items(), key=lambda kv: (-kv[1], kv[0])))
    yield Finding(
        id="platform_conclusions",
        title="What the platforms already concluded",
        category="behaviour_preference",
        sensitive=[s for s in order if s in sensitive],
        statement=(f"The platforms have already drawn their own conclusions about you: {summary}. "
                   + (f"{advertisers} advertisers hold or used your data. " if advertisers else "")
                   + (f"{len(tagged)} labels touch topics datavault also looks for. " if tagged else "")
                   + (f"{gone} of these labels {'are' if gone != 1 else 'is'} no longer in your latest export "
                      "(marked 'removed by' its date): the platform held "
                      f"{'them' if gone != 1 else 'it'} then. " if gone else "")).strip(),
        strength="strong" if len(details) >= 50 or sensitive else "moderate" if len(details) >= 10 else "weak",
        measures={"labels": len(details), **per_category, "tagged": len(tagged), "advertisers": advertisers,
                  **({"removed": gone} if gone else {})},
        evidence=evidence,
        evidence_total=len(details),
        details=details,
        rule=("Lists the platforms' own labels as exported, tags each with datavault's lexicons and links it to "
              "the matching datavault finding."),
        context=ctx.rules.cite("pew_cabanas"),
        remedy=("Remove interests and categories under Facebook Settings > Ad preferences, ask advertisers holding "
                "your data to delete it (GDPR Art. 17), and turn off Ad personalisation in Google My Ad Center."),
    )
