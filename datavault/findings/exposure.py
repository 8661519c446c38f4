"""Personal information exposure: every identifier the exports hold about the person, and where.

Reads the ``profile`` view (phone, e-mail, address, birthday, IP address, device, name, ...) grouped by value:
in how many files and platforms each appears; then looks up each phone number and e-mail address in the
person's messages, posts and activities through the text index. Contacts' own numbers (``people``) are counted,
never listed.
"""

from __future__ import annotations

from datavault.findings import textindex
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Evidence, Finding, NotAssessed, plural
from datavault.findings.ruleset import tokens

KEY_FIELDS = ("phone", "email", "address", "birthday", "ip_address", "device", "name", "city", "hometown")
# identifiers and identity attributes; account settings (location_history_enabled, ...) are not exposure
IDENTIFYING = KEY_FIELDS + ("username", "gender", "relationship", "work", "education", "website", "account_id",
                            "home_address", "street_address", "current_city", "language")


def provide(ctx: Ctx):
    if not ctx.has("profile", "people"):
        yield NotAssessed("personal_exposure", "no profile information imported (Facebook profile, Google account)")
        return
    rows = ctx.q(
        "SELECT field, value, count(*) AS n, count(DISTINCT source_file) AS files, count(DISTINCT platform) AS "
        "platforms, group_concat(DISTINCT platform) AS platform_list, max(time) AS last, min(source_file) AS "
        f"source_file FROM profile WHERE value IS NOT NULL AND value != '' AND field IN ({', '.join('?' * len(IDENTIFYING))}) "
        "GROUP BY field, value "
        "ORDER BY field, value", IDENTIFYING) if ctx.counts["profile"] else []
    details = []
    evidence = []
    for r in rows:
        mentions = 0
        if r["field"] in ("phone", "email") and ctx.has("messages", "posts", "activities"):
            words = tokens(r["value"])
            if words:
                query = '"' + " ".join(words) + '"'
                for table in ("messages", "posts", "activities"):
                    phys = textindex.physical(ctx.conn, table)
                    if phys and ctx.counts[table]:
                        mentions += ctx.conn.execute(
                            f"SELECT count(*) FROM ({ctx.hits(table)})", (query,)
                        ).fetchone()[0]
        details.append({"field": r["field"], "value": r["value"], "records": r["n"], "files": r["files"],
                        "platforms": (r["platform_list"] or "").split(","), "mentions_in_text": mentions})
        evidence.append(Evidence("profile", r["last"], r["source_file"], None,
                                 f"{r['field']}: {r['value']} (in {r['files']} file{'s' if r['files'] != 1 else ''}"
                                 + (f", and in {mentions} messages or posts" if mentions else "") + ")"))
    contacts_with_numbers = ctx.q(
        "SELECT count(*) FROM people WHERE (phones IS NOT NULL AND phones NOT IN ('', '[]')) "
        "OR (emails IS NOT NULL AND emails NOT IN ('', '[]'))")[0][0] if ctx.counts["people"] else 0
    if not details and not contacts_with_numbers:
        yield Clear("personal_exposure", "Personal information exposure", "no identifiers found in profile data")
        return
    fields = sorted({d["field"] for d in details})
    key = [f for f in fields if f in KEY_FIELDS]
    most = max(details, key=lambda d: (d["files"] + d["mentions_in_text"], d["field"]), default=None)
    statement = (f"Your exports hold {plural(len(details), 'personal identifier')} ({', '.join(fields) or 'none'})")
    if most:
        statement += (f"; the most widespread, your {most['field']}, appears in {most['files']} "
                      f"file{'s' if most['files'] != 1 else ''}" + (f" and {most['mentions_in_text']} messages or posts"
                                                                    if most["mentions_in_text"] else ""))
    statement += (f". You also hold phone numbers or e-mail addresses of {contacts_with_numbers} contacts."
                  if contacts_with_numbers else ".")
    yield Finding(
        id="personal_exposure",
        title="Your identifiers, and where they are",
        category="personal_information",
        statement=statement,
        strength="strong" if len(key) >= 5 else "moderate" if len(key) >= 3 else "weak",
        measures={"identifiers": len(details), "fields": fields, "contacts_with_numbers": contacts_with_numbers},
        evidence=evidence[:16],
        evidence_total=len(details),
        details=details,
        rule=("Lists every profile value (phone, e-mail, address, birthday, IP address, device, ...) with the number "
              "of files and platforms holding it, and counts phone numbers and e-mails found in your own texts."),
        context=ctx.rules.cite("sweeney"),
        remedy=("Remove the phone number from accounts that only need it for login (use an app for two-factor codes), "
                "hide your birthday and phone on Facebook, and delete old devices from your Google account."),
    )
