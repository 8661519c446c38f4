"""Google Play Store files, Google Pay transactions and Chrome history.

Play Store (``Google Play Store/*.json``, each a list of one-key objects, recognised by that key):
``install`` -> activities ``installed`` (and the device as a profile fact); ``libraryDoc`` -> activities
``acquired``; ``purchaseHistory`` and ``orderHistory`` -> purchases; an order's billing name, address, phone,
IP address and card class are also profile facts, because that is exactly the personal data a scorer reads;
``mobileDevice`` / ``device`` -> profile ``device``; ``review`` -> posts ``review``; ``subscription`` ->
activities ``subscribed``. Other Play files (promotions, redemptions, settings) are recognised and skipped.

Google Pay ``transactions_*.csv``: seven columns (time, id, description, product, payment method, status,
amount) in the account's language; dates such as ``12 mar 2021, 14:03`` are local wall-clock times without a
zone (kept so, or read in ``--tz``); amounts such as ``1,99 €`` or ``EUR 1.99``. -> purchases.

Chrome ``BrowserHistory.json`` / ``History.json`` / ``Verlauf.json`` (``{"Browser History": [...]}``,
``time_usec`` since the Unix epoch) -> activities ``visited``; ``Extensions.json`` -> profile
``browser_extension``; ``Device Information.json`` -> profile ``device``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from datavault.records import Activity, ProfileFact, Post, Problem, Purchase
from datavault.timeutil import from_epoch_us, iso_local, iso_utc, normalise_iso

from .common import PLATFORM, csv_raw, csv_rows, parse_money, squash, unwrap_url
from .htmltime import parse_wall, resolve
from .jsonstream import JsonTrouble, iter_array, load_small

PLAY_KEYS = ("install", "libraryDoc", "purchaseHistory", "orderHistory", "mobileDevice", "review",
             "subscription", "device")
PLAY_SKIPPED = {"promotionHistory": "Play promotions: not read", "redemptionHistory": "Play redemptions: not read",
                "userSettings": "Play settings: not read", "playSettings": "Play settings: not read"}


def _iso(text: Any) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return normalise_iso(text)
    except ValueError:
        return None


def _title(doc: Any) -> str | None:
    return doc.get("title") if isinstance(doc, dict) else None


PLAY_FIELDS = {
    "install": {"doc", "firstInstallationTime", "deviceAttribute", "lastUpdateTime"},
    "libraryDoc": {"doc", "acquisitionTime"},
    "purchaseHistory": {"invoicePrice", "paymentMethodTitle", "userLanguageCode", "userCountry", "doc",
                        "purchaseTime"},
    "orderHistory": {"orderId", "creationTime", "billingInstrument", "billingContact", "associatedContact",
                     "ipAddress", "ipCountry", "totalPrice", "tax", "refundAmount", "preorder", "lineItem",
                     "userLocale"},
}


def parse_play(member, ctx) -> Iterator[Any]:
    seen_facts: set[tuple] = set()
    unknown: set[str] = set()

    def fact(field: str, value: Any, locator: str, time: str | None = None, extra=None):
        if not value:
            return None
        value = squash(str(value))
        if (field, value) in seen_facts:
            return None
        seen_facts.add((field, value))
        return ProfileFact(key=("play", field, value), locator=locator, platform=PLATFORM, field=field, value=value,
                           time=time, extra=extra)

    try:
        for i, wrapper, raw in iter_array(member.open()):
            locator = f"[{i}]"
            if not isinstance(wrapper, dict) or len(wrapper) != 1:
                yield Problem(f"item {locator} is not a Play Store record", locator, "warning")
                continue
            (kind, item), = wrapper.items()
            if not isinstance(item, dict):
                continue
            if kind in PLAY_FIELDS:
                unknown.update(f"{kind}.{k}" for k in item if k not in PLAY_FIELDS[kind])
            if kind == "install":
                device = item.get("deviceAttribute") or {}
                first = item.get("firstInstallationTime")
                title = _title(item.get("doc"))
                yield Activity(key=("play-install", title, device.get("deviceDisplayName") or device.get("model"),
                                    first or item.get("lastUpdateTime")), locator=locator, raw=raw,
                               extra={"lastUpdateTime": item.get("lastUpdateTime"), "device": device or None,
                                      "documentType": (item.get("doc") or {}).get("documentType")},
                               time=_iso(first) or _iso(item.get("lastUpdateTime")), platform=PLATFORM,
                               product="Play Store", action="installed", title=title)
                name = device.get("deviceDisplayName") or " ".join(
                    filter(None, (device.get("manufacturer"), device.get("model"))))
                f = fact("device", name, locator, extra={"carrier": device.get("carrier")} if device.get("carrier") else None)
                if f:
                    yield f
            elif kind == "libraryDoc":
                title = _title(item.get("doc"))
                yield Activity(key=("play-library", title, item.get("acquisitionTime")), locator=locator, raw=raw,
                               extra={"documentType": (item.get("doc") or {}).get("documentType")},
                               time=_iso(item.get("acquisitionTime")), platform=PLATFORM, product="Play Store",
                               action="acquired", title=title)
            elif kind == "purchaseHistory":
                amount, currency = parse_money(item.get("invoicePrice"))
                title = _title(item.get("doc"))
                yield Purchase(key=("play-purchase", item.get("purchaseTime"), title), locator=locator, raw=raw,
                               extra={k: item.get(k) for k in ("invoicePrice", "userCountry", "userLanguageCode")
                                      if item.get(k)} or None,
                               time=_iso(item.get("purchaseTime")), platform=PLATFORM, item=title,
                               merchant="Google Play", amount=amount, currency=currency,
                               payment_method=item.get("paymentMethodTitle"))
            elif kind == "orderHistory":
                yield from _order(item, locator, raw, fact)
            elif kind in ("mobileDevice", "device"):
                spec = item.get("deviceAttribute") or item
                name = spec.get("deviceDisplayName") or " ".join(
                    filter(None, (spec.get("manufacturer"), spec.get("model"))))
                f = fact("device", name, locator, _iso(spec.get("deviceRegistrationTime")),
                         {k: v for k, v in spec.items() if isinstance(v, (str, int, float))} or None)
                if f:
                    yield f
            elif kind == "review":
                doc = item.get("document") or item.get("doc") or {}
                yield Post(key=("play-review", _title(doc), item.get("creationTime")), locator=locator, raw=raw,
                           extra={"rating": item.get("starRating")} if item.get("starRating") else None,
                           time=_iso(item.get("creationTime")), platform=PLATFORM, kind="review",
                           text=item.get("comment") or item.get("title"), target=_title(doc))
            elif kind == "subscription":
                title = _title(item.get("doc"))
                yield Activity(key=("play-subscription", title), locator=locator, raw=raw, extra=item,
                               time=_iso(item.get("creationTime") or item.get("renewalDate")), platform=PLATFORM,
                               product="Play Store", action="subscribed", title=title)
            else:
                unknown.add(kind)
    except JsonTrouble as trouble:
        yield Problem(str(trouble), f"[{trouble.index}]")
    if unknown:
        yield Problem("keys not understood (kept in raw): " + ", ".join(sorted(unknown)), None, "warning")


def _order(item: dict, locator: str, raw: str, fact) -> Iterator[Any]:
    amount, currency = parse_money(item.get("totalPrice"))
    lines = item.get("lineItem") or []
    titles = [_title(line.get("doc")) for line in lines if isinstance(line, dict)]
    card = item.get("billingInstrument") or {}
    contact = item.get("billingContact") or {}
    time = _iso(item.get("creationTime"))
    yield Purchase(key=("play-order", item.get("orderId") or item.get("creationTime")), locator=locator, raw=raw,
                   extra={k: item.get(k) for k in ("orderId", "tax", "refundAmount", "ipCountry", "userLocale",
                                                    "preorder") if item.get(k) not in (None, "")} or None,
                   time=time, platform=PLATFORM, item="; ".join(t for t in titles if t) or None,
                   merchant="Google Play", amount=amount, currency=currency,
                   payment_method=card.get("displayName") or card.get("cardType"))
    address = ", ".join(str(contact[k]) for k in ("addressLine", "city", "state", "postalCode", "countryCode")
                        if contact.get(k) and not isinstance(contact.get(k), list))
    if isinstance(contact.get("addressLine"), list):
        address = ", ".join([*map(str, contact["addressLine"]), *(str(contact[k]) for k in
                             ("city", "state", "postalCode", "countryCode") if contact.get(k))])
    for field, value in (("name", contact.get("name")), ("address", address), ("phone", contact.get("phoneNumber")),
                         ("ip_address", item.get("ipAddress")),
                         ("payment_card", " ".join(filter(None, (card.get("cardClass"), card.get("cardType"),
                                                                  card.get("displayName")))))):
        f = fact(field, value, locator, time, {"from": "Play order billing"})
        if f:
            yield f


# ---------------------------------------------------------------------------------------------------------------
# Google Pay

def parse_pay(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    # the seven columns keep their order in every language while their names are translated: read by position
    positional = len(header) >= 7
    for line, cells in rows:
        locator = f"line {line}"
        if positional and len(cells) >= 7:
            when, ident, description, product, method, status, amount_text = (c.strip() for c in cells[:7])
        else:
            yield Problem(f"{locator}: expected seven columns, found {len(cells)}", locator, "warning")
            continue
        time = _pay_time(when, ctx)
        if time is None and when:
            yield Problem(f"{locator}: unreadable date {when!r}", locator, "warning")
        amount, currency = parse_money(amount_text)
        yield Purchase(key=("pay", ident) if ident else ("pay", when, description, amount_text),
                       locator=locator, raw=csv_raw(header, cells),
                       extra={"transaction_id": ident, "product": product, "status": status,
                              "amount_text": amount_text, "time_text": when},
                       time=time, platform=PLATFORM, item=description or None, merchant=product or None,
                       amount=amount, currency=currency, payment_method=method or None)


def _pay_time(text: str, ctx) -> str | None:
    wall = parse_wall(text)
    if wall is None:
        try:
            return normalise_iso(text)
        except ValueError:
            return None
    moment, zone = wall
    if zone is not None:
        return iso_utc(resolve(moment, zone, ctx.created, ctx.tz).moment)
    if ctx.tz is not None:
        return iso_utc(moment.replace(tzinfo=ctx.tz))
    return iso_local(moment)


# ---------------------------------------------------------------------------------------------------------------
# Chrome

CHROME_KEYS = frozenset({"page_transition", "title", "url", "client_id", "time_usec", "favicon_url", "ptoken"})


def parse_chrome_history(member, ctx) -> Iterator[Any]:
    unknown: set[str] = set()
    try:
        for i, item, raw in iter_array(member.open(), after="Browser History"):
            if not isinstance(item, dict):
                continue
            unknown.update(k for k in item if k not in CHROME_KEYS)
            usec = item.get("time_usec")
            try:
                time = from_epoch_us(usec) if usec is not None else None
            except (TypeError, ValueError, OverflowError):
                time = None
                yield Problem(f"item [{i}]: unreadable time_usec {usec!r}", f"Browser History[{i}]", "warning")
            url = item.get("url")
            extra = {k: v for k, v in item.items() if k not in ("title", "url", "time_usec")}
            target = unwrap_url(url)
            if target != url:
                extra["original_url"] = url
            yield Activity(key=("chrome", usec, url), key_time=time, locator=f"Browser History[{i}]", raw=raw,
                           extra=extra or None, time=time, platform=PLATFORM, product="Chrome", action="visited",
                           title=item.get("title"), url=target)
    except JsonTrouble as trouble:
        yield Problem(str(trouble), f"Browser History[{trouble.index}]")
    if unknown:
        yield Problem("keys not understood (kept in raw): " + ", ".join(sorted(unknown)), None, "warning")


def parse_chrome_extensions(member, ctx) -> Iterator[Any]:
    try:
        data = load_small(member.open())
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    for i, ext in enumerate(data.get("Extensions") or [] if isinstance(data, dict) else []):
        if isinstance(ext, dict) and ext.get("name"):
            yield ProfileFact(key=("chrome-extension", ext.get("id") or ext["name"]), locator=f"Extensions[{i}]",
                              platform=PLATFORM, field="browser_extension", value=ext["name"],
                              extra={k: v for k, v in ext.items() if k != "name"} or None)


def parse_chrome_devices(member, ctx) -> Iterator[Any]:
    try:
        data = load_small(member.open())
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    devices = []
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                devices.extend(value)
    for i, dev in enumerate(devices):
        if not isinstance(dev, dict):
            continue
        name = dev.get("name") or dev.get("client_name") or dev.get("device_name") or " ".join(
            filter(None, (dev.get("manufacturer"), dev.get("model"))))
        if name:
            yield ProfileFact(key=("chrome-device", name), locator=f"[{i}]", platform=PLATFORM, field="device",
                              value=str(name), extra={k: v for k, v in dev.items() if isinstance(v, (str, int))})


def webkit_us(value: int | str) -> str:
    """Chrome's other timestamps: microseconds since 1601-01-01 (the WebKit epoch)."""
    return iso_utc(dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=int(value)))
