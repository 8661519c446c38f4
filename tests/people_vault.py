"""A small multi-platform vault for people linking: the same friend Jordan Lee as a WhatsApp number (international
format), a Google contact card (national format, mixed-case e-mail), a Facebook friend and Messenger chat partner
(by name, backed by the group chat "Climbing" on both platforms), a Gmail correspondent (the card's e-mail in other
case); a same-name stranger on Gmail who must stay apart; Priya Shah on WhatsApp and Facebook (name + group);
Alex Kim as a card and a WhatsApp sender of the same name. Written for this project: no real person."""

from __future__ import annotations

import datetime as dt

from datavault.records import Message, Person, ProfileFact

ME = "Sam Rivera"
JORDAN_WA = "+49 151 23456789"


def _chat(platform, conv, file, senders, n, start, hours=5):
    out = []
    for i in range(n):
        who = senders[i % len(senders)]
        t = start + dt.timedelta(hours=hours * i)
        out.append(Message(time=t.strftime("%Y-%m-%dT%H:%M:%S"), platform=platform, conversation=conv,
                           sender=who, text=f"message {i}", from_owner=who == ME, source_file=file,
                           locator=f"line {i + 1}", key=(file, conv, i)))
    return out


def people_records():
    start = dt.datetime(2024, 3, 1, 8, 0)
    out = [ProfileFact(platform="facebook", field="phone", value="+49 170 1111111", key=("phone",))]
    # WhatsApp: Jordan unsaved (a number), Priya and Alex saved by name
    out += _chat("whatsapp", JORDAN_WA, f"WhatsApp Chat with {JORDAN_WA}.txt", [ME, JORDAN_WA], 80, start)
    out += _chat("whatsapp", "Alex Kim", "WhatsApp Chat with Alex Kim.txt", [ME, "Alex Kim"], 20, start)
    out += _chat("whatsapp", "Climbing", "WhatsApp Chat with Climbing.txt", [JORDAN_WA, "Priya Shah", ME], 9, start)
    out.append(Person(name=JORDAN_WA, platform="whatsapp", relation="chat_participant", phones=["+4915123456789"],
                      key=(JORDAN_WA,)))
    for name in ("Priya Shah", "Alex Kim"):
        out.append(Person(name=name, platform="whatsapp", relation="chat_participant", key=(name,)))
    # Facebook: Jordan as a friend and in Messenger, one-to-one and in the group "Climbing"
    out += _chat("facebook", "Jordan Lee", "messages/inbox/jordanlee_1/message_1.json", [ME, "Jordan Lee"], 40,
                 start + dt.timedelta(minutes=30))
    out += _chat("facebook", "Climbing", "messages/inbox/climbing_2/message_1.json",
                 ["Jördan Lee", "Priya Shah", ME], 6, start)
    out.append(Person(name="Jordan Lee", platform="facebook", relation="friend", since="2019-05-01",
                      key=("friend", "Jordan Lee")))
    out.append(Person(name="Priya Shah", platform="facebook", relation="friend", key=("friend", "Priya Shah")))
    # Google: Jordan's card (national format, mixed-case address), Alex's card; Gmail from Jordan and a stranger
    out.append(Person(name="Jordan Lee", platform="google", relation="contact", phones=["0151 23456789"],
                      emails=["Jordan.Lee@Example.org"], key=("card", "jordan")))
    out.append(Person(name="Alex Kim", platform="google", relation="contact", phones=["+1 415 555 0100"],
                      key=("card", "alex")))
    out += _chat("gmail", "Trip photos", "Takeout/Mail/All mail.mbox", [ME, "Jordan Lee <JORDAN.LEE@example.org>"], 4,
                 start)
    out += _chat("gmail", "Invoice 2291", "Takeout/Mail/All mail.mbox", ["Jordan Lee <jlee@bigcorp.example>"], 2,
                 start + dt.timedelta(days=3))
    return out
