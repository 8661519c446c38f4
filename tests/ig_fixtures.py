"""Instagram exports of each generation, written for these tests the way Instagram writes them (INSTAGRAM.md:
every non-ASCII character as one \\u00XX escape per UTF-8 byte, Unix-second times, the wrapper keys and record
shapes of each generation). The people, messages and places are invented."""

from __future__ import annotations

ANA = "Ana Pérez"  # a display name that Meta's mojibake breaks
ME = "Sam Rivera"


def sld(value: str, timestamp: int, href: str | None = None, title: str = "") -> dict:
    return {"title": title, "media_list_data": [],
            "string_list_data": [{"href": href if href is not None else f"https://www.instagram.com/{value}",
                                  "value": value, "timestamp": timestamp}]}


def smd(title: str = "", **fields) -> dict:
    data = {}
    for label, value in fields.items():
        label = label.replace("_", " ")
        if isinstance(value, int):
            data[label] = {"href": "", "value": "", "timestamp": value}
        else:
            data[label] = {"href": "", "value": value, "timestamp": 0}
    return {"title": title, "media_map_data": {}, "string_map_data": data}


def thread(title: str, participants: list[str], messages: list[dict], path: str) -> dict:
    return {"participants": [{"name": p} for p in participants], "messages": messages, "title": title,
            "is_still_participant": True, "thread_path": path, "magic_words": []}


# ---------------------------------------------------------------------------------------- IG-E (2025-2026)
PROFILE_E = {"profile_user": [{"title": "", "media_map_data": {"Profile photo": {
    "uri": "media/profile/202401/p.jpg", "creation_timestamp": 1704067200, "title": ""}},
    "string_map_data": {
        "Email": {"href": "", "value": "sam@example.org", "timestamp": 0},
        "Phone Number": {"href": "", "value": "+15550100", "timestamp": 0},
        "Username": {"href": "", "value": "sam.rivera", "timestamp": 0},
        "Name": {"href": "", "value": ME, "timestamp": 0},
        "Gender": {"href": "", "value": "female", "timestamp": 0},
        "Date of birth": {"href": "", "value": "1919-01-01", "timestamp": 0},
        "Bio": {"href": "", "value": "Café lover ☕", "timestamp": 0}}}]}

IG_E = {
    "personal_information/personal_information/personal_information.json": PROFILE_E,
    "connections/followers_and_following/followers_1.json": [sld("ana.perez", 1700000000),
                                                             sld("jo_lee", 1700000500)],
    "connections/followers_and_following/following.json": {"relationships_following": [
        {"title": "ana.perez", "string_list_data": [{"href": "https://www.instagram.com/_u/ana.perez",
                                                      "timestamp": 1699990000}]}]},
    "connections/followers_and_following/close_friends.json": {"relationships_close_friends": [
        sld("ana.perez", 1701000000)]},
    "your_instagram_activity/messages/inbox/anaperez_17845000000000000/message_1.json": thread(
        ANA, [ANA, ME], [
            {"sender_name": ME, "timestamp_ms": 1700000200000, "content": "¡Hola! 😀"},
            {"sender_name": ANA, "timestamp_ms": 1700000100000,
             "share": {"link": "https://www.instagram.com/reel/abc/", "original_content_owner": "some.creator"}},
        ], "inbox/anaperez_17845000000000000"),
    "your_instagram_activity/media/posts_1.json": [
        {"media": [{"uri": "media/posts/202409/1_179.heic", "creation_timestamp": 1726000000,
                    "title": "Día de playa 🌊",
                    "media_metadata": {"photo_metadata": {"exif_data": [
                        {"latitude": 36.72, "longitude": -4.42, "date_time_original": "2024:09:10 18:02:11"}]}},
                    "cross_post_source": {"source_app": "FB"}, "backup_uri": "https://interncache.example/x"}]}],
    "your_instagram_activity/media/stories.json": {"ig_stories": [
        {"uri": "media/stories/202409/s1", "creation_timestamp": 1726100000, "title": ""}]},
    "your_instagram_activity/comments/post_comments_1.json": [
        {"media_list_data": [], "string_map_data": {
            "Comment": {"value": "Qué bonito"}, "Media Owner": {"value": "ana.perez"},
            "Time": {"timestamp": 1726200000}}}],
    "your_instagram_activity/likes/liked_posts.json": [
        {"timestamp": 1726300000, "media": [], "label_values": [
            {"label": "URL", "value": "https://www.instagram.com/p/XYZ/", "href": "https://www.instagram.com/p/XYZ/"},
            {"title": "Owner", "dict": [{"dict": [{"label": "URL", "value": "https://www.instagram.com/jo_lee"},
                                                  {"label": "Name", "value": "Jo Lee"},
                                                  {"label": "Username", "value": "jo_lee"}]}]}],
         "fbid": "1790"}],
    "your_instagram_activity/saved/saved_posts.json": {"saved_saved_media": [
        {"title": "recipes.daily", "string_map_data": {"Saved on": {
            "href": "https://www.instagram.com/p/SAV/", "timestamp": 1726400000}}}]},
    "logged_information/recent_searches/word_or_phrase_searches.json": {"searches_keyword": [
        smd(Search="baby stroller", Time=1726500000)]},
    "logged_information/link_history/link_history.json": [
        {"timestamp": 1726600000, "fbid": "555", "label_values": [
            {"label": "Website link you visited", "value": "https://shop.example.com/pram"},
            {"label": "Title of website page you visited", "value": "Prams – Shop"},
            {"label": "Website session start time", "timestamp_value": 1726600000}]}],
    "security_and_login_information/login_and_profile_creation/login_activity.json": {
        "account_history_login_history": [
            {"title": "2024-09-20T08:00:00+00:00", "media_map_data": {}, "string_map_data": {
                "Cookie Name": {"value": "abc"}, "IP Address": {"value": "203.0.113.7"},
                "Language Code": {"value": "en"}, "Time": {"timestamp": 1726819200},
                "User Agent": {"value": "Instagram 300.0 Android"}}}]},
    "ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json": {
        "ig_custom_audiences_all_types": [{"advertiser_name": "BabyShop", "has_data_file_custom_audience": True,
                                           "has_remarketing_custom_audience": False,
                                           "has_in_person_store_visit": False}]},
    "preferences/your_topics/recommended_topics.json": {"topics_your_topics": [smd(Name="Parenting")]},
    "apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json": {
        "apps_and_websites_off_meta_activity": [{"name": "Pram Shop", "events": [
            {"id": 42, "type": "PURCHASE", "timestamp": 1726700000}]}]},
    "personal_information/information_about_you/profile_based_in.json": {"inferred_data_primary_location": [
        smd(City_Name="Málaga")]},
    "ads_information/ads_and_topics/posts_viewed.json": [
        {"timestamp": 1726800000, "label_values": [{"title": "Owner", "dict": [{"dict": [
            {"label": "Username", "value": "jo_lee"}]}]}]}],
    "logged_information/policy_updates_and_permissions/no-data.txt": "",
    "media/posts/202409/1_179.heic": b"\x00\x00\x00\x18ftypheic",
    "your_instagram_activity/shopping/recently_viewed_items.json": {"checkout_saved_recently_viewed_products": []},
}

# ------------------------------------------------------------------------------- IG-A (2018-2020 standalone)
IG_A = {
    "sam.rivera_20200316/profile.json": {"username": "sam.rivera", "name": ME, "email": "sam@example.org",
                                         "date_joined": "2016-02-01T10:00:00+00:00", "gender": "female"},
    "sam.rivera_20200316/connections.json": {
        "followers": {"ana.perez": "2019-03-01T12:00:00+00:00"},
        "following": {"ana.perez": "2019-02-28T09:30:00+00:00"},
        "following_hashtags": {"running": "2019-05-05T05:05:05+00:00"}},
    "sam.rivera_20200316/media.json": {"photos": [
        {"caption": "Mañana 🌞", "taken_at": "2019-06-01T07:00:00+00:00", "path": "photos/201906/a.jpg"}]},
    "sam.rivera_20200316/comments.json": {"media_comments": [
        ["2019-06-02T08:00:00+00:00", "Guapa!", "ana.perez"]]},
    "sam.rivera_20200316/messages.json": [
        {"participants": ["sam.rivera", "ana.perez"], "conversation": [
            {"sender": "ana.perez", "created_at": "2019-06-03T20:00:00.123456+00:00", "text": "Cena mañana?"},
            {"sender": "sam.rivera", "created_at": "2019-06-03T20:05:00+00:00", "text": "Sí"},
            {"sender": "ana.perez", "created_at": "2019-06-03T20:06:00+00:00",
             "media_share_url": "https://example.invalid/p.jpg"}]}],
    "sam.rivera_20200316/searches.json": {"main_search_history": [
        {"search_click": "kids yoga", "time": "2019-07-01T10:00:00+00:00", "type": "hashtag"}]},
    "sam.rivera_20200316/photos/201906/a.jpg": b"\xff\xd8\xff",
    "sam.rivera_20200316/settings.json": {"allow_comments_from": "everyone"},
}
