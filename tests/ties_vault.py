"""A chat vault above the interpersonal findings' minimum: 120 messages with Jordan Lee and 30 with Priya Shah over
a month, and a group named "Green Party Leeds" (four messages; contacts' messages stay under their minimum)."""

from __future__ import annotations

from datavault.records import Message
import datetime as dt

def chat_records(me="Sam Rivera"):
    out = []
    start = dt.datetime(2024, 3, 1, 8, 0)
    f_j = "WhatsApp Chat with Jordan Lee.txt"
    for i in range(120):  # 120 messages over 30 days, every 4th at night
        t = start + dt.timedelta(hours=6 * i)
        own = i % 2 == 0
        out.append(Message(time=t.strftime("%Y-%m-%dT%H:%M:%S"), platform="whatsapp", conversation="Jordan Lee",
                           sender=me if own else "Jordan Lee", text=f"message {i}", from_owner=own,
                           source_file=f_j, locator=f"line {i + 1}", key=(f_j, i)))
    f_p = "WhatsApp Chat with Priya Shah.txt"
    for i in range(30):
        t = start + dt.timedelta(days=i, hours=5)
        own = i % 3 == 0
        out.append(Message(time=t.strftime("%Y-%m-%dT%H:%M:%S"), platform="whatsapp", conversation="Priya Shah",
                           sender=me if own else "Priya Shah", text=f"hello {i}", from_owner=own,
                           source_file=f_p, locator=f"line {i + 1}", key=(f_p, i)))
    f_g = "WhatsApp Chat with Green Party Leeds.txt"
    for i, who in enumerate(["Ana", "Ben", me, "Ana"]):
        t = start + dt.timedelta(days=2 * i, hours=3)
        out.append(Message(time=t.strftime("%Y-%m-%dT%H:%M:%S"), platform="whatsapp", conversation="Green Party Leeds",
                           sender=who, text="see you there", from_owner=who == me,
                           source_file=f_g, locator=f"line {i + 1}", key=(f_g, i)))
    return out
