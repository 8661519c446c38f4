"""Demo Google Takeout for the persona: one zip in the real layout, JSON for most products, HTML for YouTube.

What it plants for the report: searches that reveal parenthood (nappies, nursery, toddler sleep), health (a
pharmacy, a sexual-health clinic, antidepressant side effects), politics (party membership, a union) and debt
(consolidation loans, payday loans); a job search; late-night gaming videos on YouTube (HTML, export-zone
timestamps); a political channel subscription; Play Store installs (a baby monitor app, a loan app); a Google Pay
purchase of nappies; contacts listed twice (All Contacts and Starred), a profile with birthday and gender, and a
Gmail order confirmation. Deterministic for a seed; ``scale`` repeats the everyday searches and watches.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import zipfile
from pathlib import Path
from urllib.parse import quote_plus

from datavault.demo.persona import PERSONA

EXPORT = dt.datetime(2026, 3, 1, 10, 15, 0, tzinfo=dt.timezone.utc)
ARCHIVE = "takeout-20260301T101500Z-001.zip"
START = dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc)
DAYS = 180

SEARCHES = [
    # (query, theme)
    ("nappies size 4 offers", "parent"), ("toddler sleep regression 2 years", "parent"),
    ("little acorns nursery fees leeds", "parent"), ("calpol dosage 2 year old", "parent"),
    ("best toddler car seat", "parent"), ("pharmacy near me open late", "health"),
    ("sertraline side effects tiredness", "health"), ("sexual health clinic leeds opening times", "health"),
    ("labour party membership cost", "politics"), ("gmb union join online", "politics"),
    ("debt consolidation loan bad credit", "debt"), ("payday loan same day payout", "debt"),
    ("stepchange debt advice phone number", "debt"), ("warehouse manager jobs leeds", "job"),
    ("logistics coordinator vacancies yorkshire", "job"), ("weather leeds", "everyday"),
    ("bus times headingley", "everyday"), ("easy pasta bake recipe", "everyday"),
]
VISITS = [("https://www.stepchange.org/", "StepChange Debt Charity"),
          ("https://www.nhs.uk/medicines/sertraline/", "Sertraline - NHS"),
          ("https://www.indeed.co.uk/jobs?q=warehouse+manager&l=Leeds", "Warehouse Manager jobs in Leeds")]
GAMING = [("Speedrun Any% World Record attempt", "PixelRush Gaming"),
          ("Ranked grind until sunrise", "NightOwl Plays"), ("Top 10 boss fights ever", "PixelRush Gaming")]
DAYTIME = [("Toddler sensory play ideas", "Tiny Steps"), ("15 minute dinners", "Kitchen Quick"),
           ("Peppa Pig full episodes", "Peppa Pig - Official Channel")]
INSTALLS = ["Baby Monitor 3G", "Cash Advance - Instant Loans", "Indeed Job Search", "NHS App", "Subway Surfers"]


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _moment(rng: random.Random, night: bool = False) -> dt.datetime:
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    hour = rng.choice([23, 0, 1, 2, 3]) if night else rng.randrange(7, 22)
    return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60),
                       microsecond=rng.randrange(1000) * 1000)


def _us_stamp(moment: dt.datetime) -> str:
    """``Feb 8, 2017, 12:32:36 AM`` as My Activity HTML writes it (built by hand: ``%-d`` is not portable)."""
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


def _pay_stamp(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def _search_records(rng: random.Random, scale: int) -> list[dict]:
    records = []
    for query, theme in SEARCHES:
        repeats = (3 if theme != "everyday" else 2) * scale
        for _ in range(repeats):
            records.append({
                "header": "Search", "title": f"Searched for {query}",
                "titleUrl": f"https://www.google.com/search?q={quote_plus(query)}", "time": _iso(_moment(rng)),
                "products": ["Search"], "activityControls": ["Web & App Activity"]})
    for url, title in VISITS:
        records.append({
            "header": "Search", "title": f"Visited {title}",
            "titleUrl": f"https://www.google.com/url?q={quote_plus(url)}&usg=AOvVaw0demo",
            "time": _iso(_moment(rng)), "products": ["Search"], "activityControls": ["Web & App Activity"]})
    records.append({"header": "Search", "title": "Searched for cheap flights lisbon", "time": _iso(_moment(rng)),
                    "titleUrl": "https://www.google.com/search?q=cheap+flights+lisbon", "products": ["Search"],
                    "details": [{"name": "From Google Ads"}], "activityControls": ["Web & App Activity"]})
    records.sort(key=lambda r: r["time"], reverse=True)  # Google writes newest first
    return records


def _youtube_html(rng: random.Random, scale: int) -> str:
    cells = []
    watches = []
    for _ in range(12 * scale):
        title, channel = rng.choice(GAMING)
        watches.append((_moment(rng, night=True), title, channel))
    for _ in range(6 * scale):
        title, channel = rng.choice(DAYTIME)
        watches.append((_moment(rng), title, channel))
    watches.sort(reverse=True)
    for n, (moment, title, channel) in enumerate(watches):
        # the export was made in winter: every time is written in GMT, the export zone's name then
        stamp = _us_stamp(moment) + " GMT"
        video = f"https://www.youtube.com/watch?v=demo{n:05d}"
        cells.append(
            '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid">'
            '<div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div>'
            '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">'
            f'Watched\u00a0<a href="{video}">{html.escape(title)}</a><br>'
            f'<a href="https://www.youtube.com/channel/UCdemo{_channel_id(channel)}">{html.escape(channel)}</a><br>'
            f'{stamp}</div>'
            '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>'
            '<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>'
            '&emsp;YouTube<br><b>Why is this here?</b><br>&emsp;This activity was saved to your Google Account '
            'because the following settings were on:&nbsp;YouTube watch history.</div></div></div>')
    return ('<!DOCTYPE html><html><head><meta charset="UTF-8"><title>My Activity</title></head><body>'
            '<div class="mdl-grid">' + "".join(cells) + "</div></body></html>")


def _channel_id(channel: str) -> str:
    return "".join(ch for ch in channel if ch.isalnum())[:12]


def _vcard(contact) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{contact.name}", f"N:{contact.name.split(' ')[-1]};"
             f"{contact.name.split(' ')[0]};;;", f"TEL;TYPE=CELL:{contact.phone}"]
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{contact.email}")
    if contact.relation == "family":
        lines.append("CATEGORIES:Family,myContacts")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def write(out_dir: Path, rng: random.Random, scale: int) -> list[Path]:
    persona = PERSONA
    folder = out_dir / "takeout"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ARCHIVE
    root = "Takeout/"
    files: dict[str, str] = {}
    files["My Activity/Search/MyActivity.json"] = json.dumps(_search_records(rng, scale), indent=2)
    files["My Activity/YouTube/MyActivity.html"] = _youtube_html(rng, scale)
    files["YouTube and YouTube Music/subscriptions/subscriptions.csv"] = (
        "Channel Id,Channel Url,Channel Title\n"
        "UCdemoPolitics01,http://www.youtube.com/channel/UCdemoPolitics01,Red Rose Politics Weekly\n"
        "UCdemoGaming0001,http://www.youtube.com/channel/UCdemoGaming0001,PixelRush Gaming\n"
        "UCdemoToddler001,http://www.youtube.com/channel/UCdemoToddler001,Tiny Steps\n")
    files["Google Play Store/Installs.json"] = json.dumps([
        {"install": {"doc": {"documentType": "Android Apps", "title": title},
                     "firstInstallationTime": _iso(_moment(rng)),
                     "deviceAttribute": {"manufacturer": "samsung", "model": "SM-A546B", "carrier": "EE",
                                         "deviceDisplayName": "samsung SM-A546B"},
                     "lastUpdateTime": _iso(_moment(rng))}} for title in INSTALLS], indent=2)
    files["Google Play Store/Order History.json"] = json.dumps([{"orderHistory": {
        "orderId": "GPA.3301-0000-0000-00001", "creationTime": _iso(_moment(rng)),
        "billingInstrument": {"cardClass": "DEBIT", "cardType": "VISA", "displayName": "Visa-1234"},
        "billingContact": {"name": persona.name, "addressLine": ["12 Demo Terrace"], "city": persona.city,
                           "postalCode": "LS6 1AA", "countryCode": "GB", "phoneNumber": persona.phone},
        "ipAddress": "203.0.113.24", "ipCountry": "GB", "totalPrice": "£2.99",
        "lineItem": [{"doc": {"documentType": "Android Apps", "title": "Baby Monitor 3G"}, "quantity": 1}]}}],
        indent=2)
    nappies = _moment(rng)
    files["Google Pay/Google transactions/transactions_demo.csv"] = (
        "Time,Transaction ID,Description,Product,Payment method,Status,Amount\n"
        f"\"{_pay_stamp(nappies)}\",GPAY.0001,Pampers Baby-Dry Nappies Size 4 (x90),Google Pay,"
        "Visa •••• 1234,Complete,£24.00\n"
        f"\"{_pay_stamp(_moment(rng))}\",GPAY.0002,Cash Advance Pro subscription,Google Play,"
        "Visa •••• 1234,Complete,£4.99\n")
    cards = "".join(_vcard(c) for c in persona.contacts)
    files["Contacts/All Contacts/All Contacts.vcf"] = cards
    files["Contacts/Starred in Android/Starred in Android.vcf"] = "".join(
        _vcard(c) for c in persona.contacts if c.relation == "family" or c.name.startswith("Jordan"))
    first, last = persona.name.split(" ", 1)
    files["Profile/Profile.json"] = json.dumps({
        "name": {"givenName": first, "familyName": last, "formattedName": persona.name},
        "displayName": persona.name, "emails": [{"value": persona.email}], "birthday": persona.birthday,
        "gender": {"type": persona.gender}}, indent=2)
    files["Chrome/History.json"] = json.dumps({"Browser History": [
        {"page_transition": "LINK", "title": "Nappy deals - Boots", "url": "https://www.boots.com/nappies",
         "client_id": "demo", "time_usec": int(_moment(rng).timestamp() * 1_000_000)},
        {"page_transition": "TYPED", "title": "Payday loans compared", "url": "https://loans.example.com/payday",
         "client_id": "demo", "time_usec": int(_moment(rng).timestamp() * 1_000_000)}]}, indent=2)
    order_time = nappies + dt.timedelta(minutes=2)
    files["Mail/All mail Including Spam and Trash.mbox"] = (
        f"From 1790000000000000001@xxx {order_time.strftime('%a %b %d %H:%M:%S +0000 %Y')}\r\n"
        "X-GM-THRID: 1790000000000000001\r\nX-Gmail-Labels: Inbox,Category Purchases\r\n"
        "From: Baby Shop Orders <orders@babyshop.example>\r\n"
        f"To: {persona.name} <{persona.email}>\r\nSubject: Your order of Pampers Baby-Dry Nappies\r\n"
        f"Date: {order_time.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\n"
        "Message-ID: <order-0001@babyshop.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hi {persona.first_name}, thanks for your order: Pampers Baby-Dry Nappies Size 4 (x90), £24.00.\r\n\r\n")
    files.update(_photos(persona))
    files["archive_browser.html"] = "<html><body><h1>Archive overview</h1></body></html>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            info = zipfile.ZipInfo(root + name, date_time=EXPORT.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text if isinstance(text, bytes) else text.encode("utf-8"))
    return [path]


def _photos(persona) -> dict[str, str | bytes]:
    """Google Photos: three photos with their JSON sidecars (the image bytes are a stand-in, never read): one at
    home with Jordan tagged, one of the climbing wall's Saturday session, one saved from WhatsApp (where the
    sender was, not the person: no location)."""
    home = next(p for p in persona.places if p.category == "home")
    shots = [("PXL_20240907_101500123.jpg", dt.datetime(2024, 9, 7, 10, 15), (home.lat, home.lon), ["Jordan Lee"],
              {"mobileUpload": {"deviceType": "ANDROID_PHONE"}}),
             ("PXL_20240914_160233456.jpg", dt.datetime(2024, 9, 14, 16, 2), (53.79512, -1.53977), ["Jordan Lee"],
              {"mobileUpload": {"deviceType": "ANDROID_PHONE"}}),
             ("IMG-20240921-WA0003.jpg", dt.datetime(2024, 9, 21, 19, 40), (0.0, 0.0), [],
              {"mobileUpload": {"deviceFolder": {"localFolderName": "WhatsApp Images"},
                                "deviceType": "ANDROID_PHONE"}})]
    files: dict[str, str | bytes] = {}
    for name, moment, (lat, lon), people, origin in shots:
        stamp = str(int(moment.replace(tzinfo=dt.timezone.utc).timestamp()))
        geo = {"latitude": lat, "longitude": lon, "altitude": 0.0, "latitudeSpan": 0.0, "longitudeSpan": 0.0}
        files[f"Google Photos/Photos from 2024/{name}"] = b"\xff\xd8\xff\xe0 demo photo \xff\xd9"
        files[f"Google Photos/Photos from 2024/{name}.supplemental-metadata.json"] = json.dumps({
            "title": name, "description": "", "imageViews": "3",
            "creationTime": {"timestamp": stamp, "formatted": moment.strftime("%d %b %Y, %H:%M:%S UTC")},
            "photoTakenTime": {"timestamp": stamp, "formatted": moment.strftime("%d %b %Y, %H:%M:%S UTC")},
            "geoData": geo, "geoDataExif": geo, "people": [{"name": n} for n in people],
            "url": f"https://photos.google.com/photo/AF1Qip{stamp}", "googlePhotosOrigin": origin}, indent=2)
    return files
