"""What Facebook itself concluded about the person, in every generation, as ``platform_inferences``:

- ad interests (``topics`` -> ``topics_v2`` -> label_values) -> ``interest``
- "your topics" / inferred topics -> ``topic``
- other categories used to reach you -> ``ad_category``
- advertisers using your activity or information, with the custom-audience flags (contact-list upload,
  remarketing, store visit) -> ``advertiser_with_your_data``
- advertisers you interacted with -> ``advertiser_interacted``
- off-Facebook / off-Meta activity (three file generations) -> ``off_facebook_activity`` per business, and each
  event also as an ``activities`` row with product ``Off-Facebook``
- the G1 friend peer group ("Starting adult life") -> ``friend_peer_group``

Deliberately ignored: lead-generation forms (an empty list in every export seen) and ad-settings files.
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.records import Activity, PlatformInference, Problem

from datavault.importers.facebook.jsonread import (Items, Run, dumps, first_string, is_label_values, labels, pair_get,
                                         read_label_values, when)

_FLAGS = {"has_data_file_custom_audience": "uploaded_list",
          "has_remarketing_custom_audience": "remarketing",
          "has_in_person_store_visit": "store_visit"}


def _inference(run: Run, category: str, value_raw: str, locator: str, time=None, extra=None, raw=None,
               key_extra: Any = ""):
    return PlatformInference(platform=run.platform, category=category, value=run.fix(value_raw), time=time,
                             key=("fb-inf", category, value_raw, str(key_extra)), locator=locator,
                             raw=raw, extra=extra)


def string_list(run: Run, items: Items, category: str) -> Iterator[Any]:
    """A plain list of names (``topics``, ``inferred_topics``, G1 ``custom_audiences``), or label_values."""
    for locator, item in items:
        if isinstance(item, str):
            extra = {"uploaded_list": True} if category == "advertiser_with_your_data" else None
            yield _inference(run, category, item, locator, extra=extra)
        elif isinstance(item, dict) and ("label_values" in item or "vec" in item):
            yield from lv_values(run, [(locator, item if "label_values" in item else {"label_values": [item]})],
                                 category)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            yield _inference(run, category, item["name"], locator, raw=dumps(item))
        elif isinstance(item, list):  # G1 quirk: {"topics": [...]} as a whole value
            yield from string_list(run, ((f"{locator}[{i}]", v) for i, v in enumerate(item)), category)
        else:
            yield Problem(f"an entry of an unknown shape was skipped ({category})", locator, "warning")


def _all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple) and len(value) == 2 and (value[0] is None or isinstance(value[0], str)) \
            and value[0] != "time":
        yield from _all_strings(value[1])
    elif isinstance(value, list):
        for entry in value:
            yield from _all_strings(entry)


def lv_values(run: Run, items: Items, category: str) -> Iterator[Any]:
    """A label_values record whose values are the inferences (other categories, ad preferences, G4 interests):
    every string value, each under its label (kept in ``extra``)."""
    for locator, item in items:
        lv = yield from read_label_values(run, locator, item)
        if lv is None:
            continue
        count = 0
        for label, value in lv.pairs:
            for text in _all_strings(value):
                count += 1
                yield PlatformInference(platform=run.platform, category=category, value=text, time=when(lv.timestamp),
                                        key=("fb-inf", category, text, ""), locator=locator,
                                        extra={"label": label} if label else None)
        if not count:
            yield Problem(f"a label_values record without values ({category})", locator, "warning")


def custom_audiences(run: Run, items: Items) -> Iterator[Any]:
    """G2/G3 ``custom_audiences_all_types_v2`` objects, or G4 label_values (a bare record or a list)."""
    for locator, item in items:
        if isinstance(item, dict) and "advertiser_name" in item:
            flags = {name: bool(item[key]) for key, name in _FLAGS.items() if key in item}
            yield _inference(run, "advertiser_with_your_data", item["advertiser_name"], locator, extra=flags or None,
                             raw=dumps(item))
        elif is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            yield from _lv_advertisers(run, lv, locator)
        elif isinstance(item, str):  # G1: the file is the list of advertisers who uploaded a contact list
            yield _inference(run, "advertiser_with_your_data", item, locator, extra={"uploaded_list": True})
        else:
            yield Problem("an advertiser entry of an unknown shape was skipped", locator, "warning")


_FLAG_LABELS = {
    "uploaded_list": labels("Uploaded a list or used a list with your information", "Data file custom audience",
                            "Has data file custom audience", "Heeft een lijst geüpload"),
    "remarketing": labels("Used your activity on their website or app", "Remarketing custom audience",
                          "Has remarketing custom audience"),
    "store_visit": labels("In-person store visit", "Has in-person store visit"),
}


def _lv_advertisers(run: Run, lv, locator: str) -> Iterator[Any]:
    for label, value in lv.pairs:
        entries = value if isinstance(value, list) else [value]
        for index, entry in enumerate(entries):
            if isinstance(entry, str):
                yield _inference(run, "advertiser_with_your_data", entry, f"{locator}[{index}]",
                                 extra={"label": label} if label else None)
            elif isinstance(entry, list):  # a dict: the advertiser's name and its flags
                name = pair_get(entry, labels("Advertiser", "Adverteerder", "Werbetreibender", "Name", "Naam")) \
                    or first_string(entry)
                if not name:
                    continue
                flags = {}
                for flag, flag_labels in _FLAG_LABELS.items():
                    flag_value = pair_get(entry, flag_labels)
                    if flag_value is not None:
                        flags[flag] = str(flag_value).casefold() in ("true", "yes", "ja", "1")
                yield _inference(run, "advertiser_with_your_data", name, f"{locator}[{index}]",
                                 extra={"label": label, **flags} if label or flags else None)


_ACTION = labels("Action", "Actie", "Handling", "Aktion", "Acción", "Ação")
_TITLE = labels("Title", "Titel", "Titre", "Título", "Name", "Naam", "Advertiser", "Adverteerder")


def advertisers_interacted(run: Run, items: Items) -> Iterator[Any]:
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            title = lv.get(_TITLE) or lv.title
            action = lv.get(_ACTION)
            strings = lv.strings()
            if title is None and strings:
                title = strings[-1] if len(strings) > 1 else strings[0]
                action = action or (strings[0] if len(strings) > 1 else None)
            if not title:
                yield Problem("an advertiser interaction without a name was skipped", locator, "warning")
                continue
            timestamp = lv.timestamp_or_first_time()
            yield PlatformInference(platform=run.platform, category="advertiser_interacted", value=title,
                                    time=when(timestamp), key=("fb-inf", "advertiser_interacted", title,
                                                               str(timestamp)),
                                    locator=locator, raw=dumps(item),
                                    extra={"action": action, "url": lv.first_href()})
        elif isinstance(item, dict) and item.get("title"):
            yield _inference(run, "advertiser_interacted", item["title"], locator, when(item.get("timestamp")),
                             extra={"action": run.fix(item.get("action"))} if item.get("action") else None,
                             raw=dumps(item), key_extra=item.get("timestamp"))
        else:
            yield Problem("an advertiser interaction of an unknown shape was skipped", locator, "warning")


# ------------------------------------------------------------------------------------------------ off-Meta activity

_ACTIONS = {"PAGE_VIEW": "viewed", "VIEW_CONTENT": "viewed", "SEARCH": "searched", "PURCHASE": "purchased",
            "ADD_TO_CART": "added to cart", "ACTIVATE_APP": "used", "LOGIN": "logged in", "CUSTOM": "other",
            "COMPLETE_REGISTRATION": "registered", "LEAD": "gave contact details", "INITIATE_CHECKOUT": "checkout",
            "ADD_PAYMENT_INFO": "added payment info", "SUBSCRIBE": "subscribed", "START_TRIAL": "started trial",
            "ADD_TO_WISHLIST": "added to wishlist", "SCHEDULE": "scheduled", "CONTACT": "contacted",
            "DONATE": "donated", "FIND_LOCATION": "found location", "SUBMIT_APPLICATION": "applied"}
_EVENT = labels("Event", "Gebeurtenis", "Begivenhed", "Ereignis", "Événement", "Evento", "Type")
_ID = labels("ID")
_RECEIVED = labels("Received on", "Ontvangen op", "Modtaget", "Erhalten am", "Reçu le", "Recibido el")


def off_meta(run: Run, items: Items, product: str = "Off-Facebook") -> Iterator[Any]:
    """G2-G4 ``{name, events:[{id, type, timestamp}]}`` or G5 label_values records (title = business). Each event
    is an activity of ``product`` (Instagram's export says "off-Meta": ``Off-Meta`` there)."""
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            business_raw = lv.title or first_string(lv.pairs)
            events = []
            for label, value in lv.pairs:
                if isinstance(value, list):
                    for entry in value:
                        if isinstance(entry, list):
                            received = pair_get(entry, _RECEIVED)
                            if received is None:
                                received = next((v for _, v in entry if isinstance(v, tuple)), None)
                            events.append({"id": pair_get(entry, _ID), "type": pair_get(entry, _EVENT),
                                           "timestamp": received[1] if isinstance(received, tuple) else None})
            business = business_raw
            raw_item = item
        elif isinstance(item, dict) and item.get("name"):
            business_raw = item["name"]
            business = run.fix(business_raw)
            events = [e for e in item.get("events") or [] if isinstance(e, dict)]
            raw_item = {k: v for k, v in item.items() if k != "events"}
        else:
            yield Problem("an off-Facebook entry of an unknown shape was skipped", locator, "warning")
            continue
        if not business:
            yield Problem("an off-Facebook entry without a business name was skipped", locator, "warning")
            continue
        times = [e.get("timestamp") for e in events if e.get("timestamp")]
        types = sorted({str(e.get("type")) for e in events if e.get("type")})
        yield PlatformInference(platform=run.platform, category="off_facebook_activity", value=business,
                                time=when(max(times)) if times else None,
                                key=("fb-inf", "off_facebook_activity", business_raw, ""), locator=locator,
                                raw=dumps(raw_item), extra={"events": len(events), "event_types": types})
        for index, event in enumerate(events):
            kind = str(event.get("type") or "")
            yield Activity(time=when(event.get("timestamp")), platform=run.platform, product=product,
                           action=_ACTIONS.get(kind, kind.lower().replace("_", " ") or "other"), title=business,
                           key=("fb-offmeta", business_raw, str(event.get("id")), kind, str(event.get("timestamp"))),
                           locator=f"{locator}.events[{index}]", raw=dumps(event),
                           extra={"event": kind, "id": event.get("id")})


def peer_group(run: Run, items: Items) -> Iterator[Any]:
    for locator, value in items:
        if isinstance(value, str) and value:
            yield _inference(run, "friend_peer_group", value, locator)
