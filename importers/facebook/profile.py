"""Profile and security: the ``profile``/``profile_v2`` object (names, previous names, e-mails, phones, birthday,
gender, city, hometown, relationship, family, education, work, websites), autofill data, and login and account
activity with IP addresses, IP-derived cities, devices and sessions. All of it becomes ``profile`` facts; family
members and partners also become people. The owner's names (current, previous, other) are yielded as a note so
``conclude`` can mark the owner's messages.

Deliberately ignored: browser cookies (``datr_cookie`` stays only in ``extra``) and ports.
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.records import Note, Person, PlatformInference, ProfileFact, Problem

from datavault.importers.facebook.jsonread import (PLATFORM, Items, Run, dumps, first_string, is_label_values, labels,
                                         read_label_values, when)


def _fact(run: Run, field: str, value: Any, locator: str, time=None, key_extra: Any = "", extra=None):
    if value is None or value == "" or value == []:
        return None
    raw_value = value if isinstance(value, str) else dumps(value)
    return ProfileFact(platform=PLATFORM, field=field, value=run.fix(raw_value), time=time,
                       key=("fb-profile", field, raw_value, str(key_extra)), locator=locator, extra=extra)


def birthday_text(birthday: Any) -> str | None:
    if not isinstance(birthday, dict):
        return None
    year, month, day = birthday.get("year"), birthday.get("month"), birthday.get("day")
    if not month or not day:
        return str(year) if year else None
    return f"{year:04d}-{int(month):02d}-{int(day):02d}" if year else f"--{int(month):02d}-{int(day):02d}"


def profile(run: Run, items: Items) -> Iterator[Any]:
    for locator, value in items:
        if not isinstance(value, dict):
            yield Problem("the profile is not an object", locator, "error")
            continue
        yield from _profile(run, value, locator)


def _profile(run: Run, p: dict, loc: str) -> Iterator[Any]:
    facts: list[Any] = []
    owner_names: list[str] = []
    name = p.get("name")
    if isinstance(name, dict):
        full = name.get("full_name") or " ".join(x for x in (name.get("first_name"), name.get("middle_name"),
                                                                name.get("last_name")) if x)
        facts.append(_fact(run, "name", full, f"{loc}.name"))
        if full:
            owner_names.append(run.fix(full))
    elif isinstance(name, str):
        facts.append(_fact(run, "name", name, f"{loc}.name"))
        owner_names.append(run.fix(name))
    for index, prev in enumerate(p.get("previous_names") or []):
        if isinstance(prev, dict) and prev.get("name"):
            facts.append(_fact(run, "previous_name", prev["name"], f"{loc}.previous_names[{index}]",
                               when(prev.get("timestamp"))))
            owner_names.append(run.fix(prev["name"]))
    for index, other in enumerate(p.get("other_names") or []):
        if isinstance(other, dict) and other.get("name"):
            facts.append(_fact(run, "other_name", other["name"], f"{loc}.other_names[{index}]",
                               when(other.get("timestamp")), extra={"type": run.fix(other.get("type"))}))
            owner_names.append(run.fix(other["name"]))
    emails = p.get("emails")
    if isinstance(emails, dict):
        for sub, field in (("emails", "email"), ("previous_emails", "previous_email"),
                           ("pending_emails", "pending_email"), ("ad_account_emails", "ad_account_email")):
            for index, email in enumerate(emails.get(sub) or []):
                facts.append(_fact(run, field, email, f"{loc}.emails.{sub}[{index}]"))
    for index, phone in enumerate(p.get("phone_numbers") or []):
        if isinstance(phone, dict):
            facts.append(_fact(run, "phone", phone.get("phone_number"), f"{loc}.phone_numbers[{index}]",
                               extra={k: phone[k] for k in ("phone_type", "verified") if k in phone} or None))
    facts.append(_fact(run, "birthday", birthday_text(p.get("birthday")), f"{loc}.birthday"))
    gender = p.get("gender")
    if isinstance(gender, dict):
        value = gender.get("gender_option") or gender.get("custom_gender") or \
            ", ".join(gender.get("custom_genders") or [])
        facts.append(_fact(run, "gender", value, f"{loc}.gender",
                           extra={"pronoun": gender["pronoun"]} if gender.get("pronoun") else None))
    elif isinstance(gender, str):
        facts.append(_fact(run, "gender", gender, f"{loc}.gender"))
    for key, field in (("current_city", "city"), ("hometown", "hometown")):
        value = p.get(key)
        if isinstance(value, dict):
            facts.append(_fact(run, field, value.get("name"), f"{loc}.{key}", when(value.get("timestamp"))))
        elif isinstance(value, str):
            facts.append(_fact(run, field, value, f"{loc}.{key}"))
    relationship = p.get("relationship")
    if isinstance(relationship, dict):
        facts.append(_fact(run, "relationship", relationship.get("status"), f"{loc}.relationship",
                           when(relationship.get("timestamp")),
                           extra={k: run.fix_tree(relationship[k]) for k in ("partner", "anniversary")
                                  if relationship.get(k)} or None))
        if relationship.get("partner"):
            facts.append(Person(name=run.fix(relationship["partner"]), platform=PLATFORM, relation="partner",
                                since=when(relationship.get("timestamp")),
                                key=("fb-person", "partner", run.fix(relationship["partner"])),
                                locator=f"{loc}.relationship"))
    for index, member in enumerate(p.get("family_members") or []):
        if not isinstance(member, dict) or not member.get("name"):
            continue
        facts.append(Person(name=run.fix(member["name"]), platform=PLATFORM, relation="family",
                            since=when(member.get("timestamp")), key=("fb-person", "family", run.fix(member["name"])),
                            locator=f"{loc}.family_members[{index}]", raw=dumps(member),
                            extra={"family_relation": run.fix(member.get("relation"))}))
        facts.append(_fact(run, "family", f"{member['name']} ({member.get('relation') or '?'})",
                           f"{loc}.family_members[{index}]", when(member.get("timestamp"))))
    for index, edu in enumerate(p.get("education_experiences") or []):
        if isinstance(edu, dict) and edu.get("name"):
            facts.append(_fact(run, "education", edu["name"], f"{loc}.education_experiences[{index}]",
                               when(edu.get("start_timestamp")),
                               extra={k: run.fix_tree(edu[k]) for k in ("degree", "concentrations", "school_type",
                                                                        "graduated", "end_timestamp")
                                      if edu.get(k) not in (None, [], "")} or None))
    for index, work in enumerate(p.get("work_experiences") or []):
        if isinstance(work, dict) and (work.get("employer") or work.get("name")):
            facts.append(_fact(run, "work", work.get("employer") or work.get("name"),
                               f"{loc}.work_experiences[{index}]", when(work.get("start_timestamp")),
                               extra={k: run.fix_tree(work[k]) for k in ("title", "location", "description",
                                                                         "end_timestamp") if work.get(k)} or None))
    for index, site in enumerate(p.get("websites") or []):
        if isinstance(site, dict):
            facts.append(_fact(run, "website", site.get("address"), f"{loc}.websites[{index}]"))
    for key, field in (("religious_view", "religion"), ("political_view", "politics"),
                       ("interested_in", "interested_in"), ("blood_info", "blood_donor"),
                       ("username", "username"), ("profile_uri", "profile_url")):
        value = p.get(key)
        if isinstance(value, dict):
            value = value.get("name") or value.get("blood_donor_status") or dumps(value)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or None
        facts.append(_fact(run, field, value, f"{loc}.{key}"))
    if p.get("registration_timestamp"):
        facts.append(_fact(run, "registered", when(p["registration_timestamp"]), f"{loc}.registration_timestamp",
                           when(p["registration_timestamp"])))
    for index, place in enumerate(p.get("places_lived") or []):
        if isinstance(place, dict):
            facts.append(_fact(run, "city_lived", place.get("place"), f"{loc}.places_lived[{index}]",
                               when(place.get("start_timestamp"))))
    known = {"name", "previous_names", "other_names", "emails", "phone_numbers", "birthday", "gender", "current_city",
             "hometown", "relationship", "family_members", "education_experiences", "work_experiences", "websites",
             "religious_view", "political_view", "interested_in", "blood_info", "username", "profile_uri",
             "registration_timestamp", "places_lived", "previous_relationships", "pages", "groups_admined"}
    for key in p:
        if key not in known:
            run.unknown_keys[f"{loc}.{key}"] += 1
    yield from (f for f in facts if f is not None)
    if owner_names:
        yield Note("facebook_owner", sorted(set(owner_names)))


_AUTOFILL = {"FULL_NAME": "name", "FIRST_NAME": "first_name", "LAST_NAME": "last_name", "EMAIL": "email",
             "PHONE": "phone", "CITY": "city", "COUNTRY": "country", "STREET_ADDRESS": "address",
             "POSTAL_CODE": "postal_code", "GENDER": "gender", "BIRTHDAY": "birthday", "STATE": "region",
             "JOB_TITLE": "work", "COMPANY_NAME": "work"}


def autofill(run: Run, items: Items) -> Iterator[Any]:
    for locator, value in items:
        if not isinstance(value, dict):
            continue
        names = []
        for key, entries in value.items():
            field = _AUTOFILL.get(key, key.lower())
            for index, entry in enumerate(entries if isinstance(entries, list) else [entries]):
                if isinstance(entry, (str, int, float)):
                    fact = _fact(run, field, str(entry), f"{locator}.{key}[{index}]",
                                 extra={"source": "autofill"})
                    if fact:
                        yield fact
                        if key == "FULL_NAME":
                            names.append(fact.value)
        if names:
            yield Note("facebook_owner", sorted(set(names)))


# ------------------------------------------------------------------------------------------------------ security

def _ip_fact(run: Run, ip, time, locator, extra, source):
    if not ip:
        return None
    return ProfileFact(platform=PLATFORM, field="ip_address", value=str(ip), time=time,
                       key=("fb-ip", source, str(ip), str(time)), locator=locator,
                       extra={"source": source, **{k: v for k, v in extra.items() if v not in (None, "")}})


def security(run: Run, items: Items, kind: str) -> Iterator[Any]:
    """account_activity, account_accesses, used_ip_address, active_sessions, admin_records, recognized devices."""
    for locator, item in items:
        if not isinstance(item, dict):
            yield Problem("a security entry that is not an object was skipped", locator, "warning")
            continue
        if kind == "admin_records":
            session = item.get("session") if isinstance(item.get("session"), dict) else {}
            time = when(session.get("created_timestamp") or item.get("timestamp"))
            fact = _fact(run, "account_change", item.get("event"), locator, time, key_extra=time,
                         extra=run.fix_tree(item.get("extra_info")) or None)
            if fact:
                yield fact
            ip = _ip_fact(run, session.get("ip_address"), time, locator,
                          {"action": run.fix(item.get("event")), "user_agent": session.get("user_agent")}, kind)
            if ip:
                yield ip
            continue
        if kind in ("active_sessions", "recognized_devices"):
            time = when(item.get("created_timestamp") or item.get("timestamp"))
            device = item.get("device") or item.get("name") or item.get("user_agent")
            fact = _fact(run, "device", device, locator, time, key_extra=time,
                         extra={k: run.fix_tree(item[k]) for k in ("user_agent", "app", "session_type", "location",
                                                                  "updated_timestamp") if item.get(k)} or None)
            if fact:
                yield fact
            ip = _ip_fact(run, item.get("ip_address"), time, locator,
                          {"location": run.fix(item.get("location")), "device": run.fix(device)}, kind)
            if ip:
                yield ip
            continue
        time = when(item.get("timestamp"))
        city = ", ".join(run.fix(item[k]) for k in ("city", "region", "country") if item.get(k))
        ip = _ip_fact(run, item.get("ip_address") or item.get("ip"), time, locator,
                      {"action": run.fix(item.get("action")), "city": city or None,
                       "user_agent": item.get("user_agent"), "site": item.get("site") or item.get("site_name")}, kind)
        if ip:
            yield ip
        if city:
            yield ProfileFact(platform=PLATFORM, field="login_city", value=city, time=time,
                              key=("fb-login-city", kind, city, str(time)), locator=locator,
                              extra={"ip_address": item.get("ip_address") or item.get("ip")})


_DEVICE = labels("Device", "Apparaat", "Gerät", "Enhed", "Appareil", "Dispositivo", "Device name", "Name")


def lv_profile(run: Run, items: Items, field: str) -> Iterator[Any]:
    """label_values files that state one profile fact each: registration, devices, time zone."""
    for locator, item in items:
        lv = yield from read_label_values(run, locator, item)
        if lv is None:
            continue
        time = when(lv.timestamp_or_first_time())
        if field == "registered":
            found = [_fact(run, "registered", time, locator, time)] if time else []
            for label, value in lv.pairs:
                if isinstance(value, str) and label and "ip" in label.casefold().replace("-", " ").split():
                    found.append(_ip_fact(run, value, time, locator, {"action": "registration"}, "registration"))
            yield from (f for f in found if f is not None)
            continue
        value = lv.get(_DEVICE) if field == "device" else None
        value = value or first_string(lv.pairs)
        if value is None:
            yield Problem(f"a {field} record without a value was skipped", locator, "warning")
            continue
        fact = _fact(run, field, value, locator, time, key_extra=lv.fbid or "")
        if fact:
            yield fact


def primary_location(run: Run, items: Items) -> Iterator[Any]:
    """Facebook's own idea of where the person lives: ``primary_location_v2`` or label_values records."""
    for locator, item in items:
        values: list[str] = []
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            values = [v for v in (first_string(v) for _, v in lv.pairs) if v]
        elif isinstance(item, dict):
            for pair in item.get("city_region_pairs") or []:
                if isinstance(pair, list):
                    values.append(", ".join(run.fix(x) for x in pair if x))
            for code in item.get("zipcode") or []:
                values.append(run.fix(str(code)))
        for value in values[:4]:
            yield PlatformInference(platform=PLATFORM, category="primary_location", value=value,
                                    key=("fb-inf", "primary_location", value), locator=locator, raw=dumps(item))
