"""A small seeded vault: one person (Sam), every kind of record, each planted to trigger one finding."""

from __future__ import annotations

from pathlib import Path

from datavault.records import (
    Activity, Location, Message, Person, PlatformInference, Post, ProfileFact, Purchase,
)
from tests.vaultkit import make_vault

WA_J = "WhatsApp Chat with Jordan Lee.txt"
WA_P = "WhatsApp Chat with Priya Shah.txt"
WA_G = "WhatsApp Chat with Parents of Room 3.txt"
MA_YT = "Takeout/My Activity/YouTube/MyActivity.json"
MA_S = "Takeout/My Activity/Search/MyActivity.json"
MA_M = "Takeout/My Activity/Maps/MyActivity.json"
REC = "Takeout/Location History/Records.json"
SEM = "Takeout/Location History/Semantic Location History/2024/2024_JANUARY.json"


def msg(time, conv, sender, text, owner, file, line, platform="whatsapp"):
    return Message(time=time, platform=platform, conversation=conv, sender=sender, text=text, from_owner=owner,
                   source_file=file, locator=f"line {line}", key=(file, line))


def records():
    out = [
        msg("2024-01-10T23:30:00", "Jordan Lee", "Sam Rivera", "Do we have nappies left?", True, WA_J, 1),
        msg("2024-01-10T23:31:00", "Jordan Lee", "Jordan Lee", "yes, and the protest is on Saturday", False, WA_J, 2),
        msg("2024-01-11T08:00:00", "Jordan Lee", "Sam Rivera", "Union meeting tonight", True, WA_J, 3),
        msg("2024-01-11T08:02:00", "Jordan Lee", "Jordan Lee", "ok, call me on +44 7700 900201", False, WA_J, 4),
        msg("2024-02-01T12:00:00", "Priya Shah", "Priya Shah", "hi", False, WA_P, 1),
        msg("2024-02-01T12:03:00", "Priya Shah", "Sam Rivera", "hi! church on sunday?", True, WA_P, 2),
        msg("2024-02-02T09:00:00", "Parents of Room 3", "Priya Shah", "Parents evening on the 14th", False, WA_G, 1),
        msg("2024-02-02T09:05:00", "Parents of Room 3", "Tom Okafor", "ok", False, WA_G, 2),
        msg("2024-02-02T09:06:00", "Parents of Room 3", "Sam Rivera", "thanks", True, WA_G, 3),
        Message(time="2024-03-01T10:00:00Z", platform="gmail", conversation="Final reminder: your account is overdrawn",
                sender="bank@example.com", text="Please pay the balance.", from_owner=False,
                source_file="Takeout/Mail/All mail.mbox", locator="line 120", key=("mail", 1)),
        Activity(time="2024-01-12T01:00:00Z", platform="google", product="YouTube", action="watched",
                 title="Watched Minecraft lets play", url="https://www.youtube.com/watch?v=a1",
                 source_file=MA_YT, locator="[0]", key=("yt", 0)),
        Activity(time="2024-01-12T01:10:00Z", platform="google", product="YouTube", action="watched",
                 title="Watched Cocomelon nursery rhymes", url="https://www.youtube.com/watch?v=a2",
                 source_file=MA_YT, locator="[1]", key=("yt", 1)),
        Activity(time="2024-01-13T10:00:00Z", platform="google", product="Search", action="searched",
                 title="Searched for payday loan near me", source_file=MA_S, locator="[0]", key=("s", 0)),
        Activity(time="2024-01-14T10:00:00Z", platform="google", product="Search", action="searched",
                 title="Searched for diabetes symptoms", source_file=MA_S, locator="[1]", key=("s", 1)),
        Activity(time="2024-01-15T10:00:00Z", platform="google", product="Maps", action="searched",
                 title="Searched for St Anne's Cathedral", source_file=MA_M, locator="[0]", key=("m", 0)),
        Location(time="2024-01-10T23:00:00Z", lat=53.80756, lon=-1.55232, source_file=REC, locator="locations[0]", key=(0,)),
        Location(time="2024-01-11T23:00:00Z", lat=53.80751, lon=-1.55230, source_file=REC, locator="locations[1]", key=(1,)),
        Location(time="2024-01-12T02:00:00Z", lat=53.80759, lon=-1.55236, source_file=REC, locator="locations[2]", key=(2,)),
        Location(time="2024-01-11T10:00:00Z", lat=53.79572, lon=-1.54388, source_file=REC, locator="locations[3]", key=(3,)),
        Location(time="2024-01-12T11:00:00Z", lat=53.79570, lon=-1.54391, source_file=REC, locator="locations[4]", key=(4,)),
        Location(time="2024-01-14T10:00:00Z", end_time="2024-01-14T11:30:00Z", lat=53.80038, lon=-1.54753,
                 kind="visit", place_name="St Anne's Cathedral", source_file=SEM, locator="timelineObjects[3]", key=(5,)),
        Location(time="2024-01-13T20:00:00Z", end_time="2024-01-14T07:00:00Z", lat=53.80756, lon=-1.55232,
                 kind="visit", place_name="Home", semantic_type="TYPE_HOME", source_file=SEM,
                 locator="timelineObjects[2]", key=(6,)),
        Purchase(time="2024-01-20T12:00:00Z", platform="google", item="Pampers nappies size 4", merchant="Boots",
                 amount=9.5, currency="GBP", source_file="Takeout/Google Pay/transactions.csv", locator="line 2", key=(1,)),
        Post(time="2024-01-21T12:00:00Z", platform="facebook", kind="post", text="Vote Green party on Thursday!",
             source_file="your_activity_across_facebook/posts/your_posts_1.json", locator="[0]", key=(1,)),
        PlatformInference(platform="facebook", category="interest", value="Parenting",
                          source_file="ads_information/ad_preferences.json", key=("i", 1)),
        PlatformInference(platform="facebook", category="ad_category", value="Lives abroad",
                          source_file="ads_information/other_categories_used_to_reach_you.json", key=("c", 1)),
        PlatformInference(platform="facebook", category="advertiser_with_your_data", value="Acme Insurance",
                          source_file="ads_information/advertisers_using_your_activity_or_information.json", key=("a", 1)),
        ProfileFact(platform="facebook", field="phone", value="+44 7700 900123",
                    source_file="personal_information/profile_information.json", key=("phone",)),
        ProfileFact(platform="facebook", field="email", value="sam.rivera@example.org",
                    source_file="personal_information/profile_information.json", key=("email",)),
        ProfileFact(platform="google", field="email", value="sam.rivera@example.org",
                    source_file="Takeout/Profile/Profile.json", key=("gemail",)),
        ProfileFact(platform="facebook", field="birthday", value="1988-04-17",
                    source_file="personal_information/profile_information.json", key=("birthday",)),
        Person(name="Ana Costa", platform="facebook", relation="friend", emails=["ana.costa@example.pt"],
               source_file="connections/friends/your_friends.json", key=("Ana Costa",)),
    ]
    return out


def seeded_vault(path: Path) -> Path:
    return make_vault(path, records())


PLANTED = ["Picked my daughter up from nursery, she was exhausted", "Nappies again, size 4 this time",
           "My diabetes check went fine, blood sugar is back to normal"]


def rich_records():
    """The seed, plus what a month of ordinary chats with Jordan and Priya adds: enough of Sam's own texts
    (issue 13's minimums: 50 over 14 days; 100 one-to-one messages) for the report to conclude things, with
    a parenthood and a health line every few days and her diabetes searches."""
    out = records()
    line = 100
    for day in range(40):
        when = f"2024-03-{1 + day % 30:02d}" if day < 30 else f"2024-04-{day - 29:02d}"
        for conv, file in (("Jordan Lee", WA_J), ("Priya Shah", WA_P)):
            own = PLANTED[day % 3] if day % 4 == 0 else "See you at the station later, the usual time"
            for minute, (sender, owner, text) in enumerate((("Sam Rivera", True, own),
                                                            (conv, False, "Sounds good, see you then"))):
                line += 1
                out.append(msg(f"{when}T{18 + minute % 2}:{10 + minute:02d}:00", conv, sender, text, owner, file,
                               line))
    for day in range(1, 6):
        out.append(Activity(time=f"2024-03-{day * 5:02d}T09:00:00Z", platform="google", product="Search",
                            action="searched", title="Searched for diabetes type 2 diet", source_file=MA_S,
                            locator=f"[{10 + day}]", key=("rich-s", day)))
    return out


def rich_vault(path: Path) -> Path:
    return make_vault(path, rich_records())
