"""Google Photos in a Takeout: sidecars and album files into records, media skipped by name, never read.

Every sidecar, album file and name below is invented for this project (shapes from shared/formats/
GOOGLE_PHOTOS.md §5-§6, names from its §4 rules). Whole takeouts are zipped on the fly.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from datavault.archive import Member
from datavault.importer import ImportContext
from datavault.records import Activity, Location, Person, Problem
from datavault.importers.takeout import IMPORTER
from datavault.importers.takeout.photos import PhotosIndex

YEAR = "Takeout/Google Photos/Photos from 2023"
ALBUM = "Takeout/Google Photos/Summer in Lisbon"

SIDECAR = {
    "title": "IMG_20230610_191502.jpg",
    "description": "Grandma's 90th",
    "imageViews": "37",
    "creationTime": {"timestamp": "1686500000", "formatted": "11 Jun 2023, 16:13:20 UTC"},
    "photoTakenTime": {"timestamp": "1686417302", "formatted": "10 Jun 2023, 17:15:02 UTC"},
    "geoData": {"latitude": 38.7223, "longitude": -9.1393, "altitude": 0.0, "latitudeSpan": 0.0,
                "longitudeSpan": 0.0},
    "geoDataExif": {"latitude": 38.72231, "longitude": -9.13925, "altitude": 71.4, "latitudeSpan": 0.0,
                    "longitudeSpan": 0.0},
    "people": [{"name": "Ana"}, {"name": " Rui "}, {"name": "Ana"}],
    "url": "https://photos.google.com/photo/AF1QipInvented001",
    "googlePhotosOrigin": {"mobileUpload": {"deviceFolder": {"localFolderName": "Camera"},
                                            "deviceType": "ANDROID_PHONE"}},
    "appSource": {"androidPackageName": "com.google.android.GoogleCamera"},
}
URL = SIDECAR["url"]


def ctx(names=()) -> ImportContext:
    return ImportContext(archive_name="takeout-20251201T120000Z-001.zip", names=frozenset(names))


def member(name: str, data: bytes | str | dict) -> Member:
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return Member(name, len(data), lambda: io.BytesIO(data))


def parse(m: Member, context: ImportContext) -> list:
    claim = IMPORTER.claim(m, context)
    assert claim is not None and claim.parse, f"{m.name} not claimed for parsing: {claim}"
    return list(IMPORTER.parse(m, context))


def no_raw(items: list) -> list:
    for item in items:
        if hasattr(item, "raw"):
            item.raw = None
    return items


def test_sidecar_exact_records():
    name = f"{YEAR}/IMG_20230610_191502.jpg.supplemental-metadata.json"
    c = ctx([name, f"{YEAR}/IMG_20230610_191502.jpg"])
    got = parse(member(name, SIDECAR), c)
    assert json.loads(got[0].raw) == SIDECAR  # the original is kept
    assert no_raw(got) == [
        Activity(key=("photos-item", URL), locator="$", time="2023-06-10T17:15:02Z", platform="google",
                 product="Photos", action="photographed", title="IMG_20230610_191502.jpg", url=None,
                 extra={"uploaded": "2023-06-11T16:13:20Z", "description": "Grandma's 90th", "views": "37",
                        "origin": "mobileUpload", "device_type": "ANDROID_PHONE", "device_folder": "Camera",
                        "app": "com.google.android.GoogleCamera", "people": ["Ana", "Rui"],
                        "geoData": SIDECAR["geoData"], "geoDataExif": SIDECAR["geoDataExif"]}),
        Location(key=("photos-point", URL), locator="geoData", time="2023-06-10T17:15:02Z", lat=38.7223,
                 lon=-9.1393, kind="point", platform="google",
                 extra={"source": "Photos", "title": "IMG_20230610_191502.jpg", "block": "geoData"}),
        Person(key=("photos-person", "tagged", "ana"), locator="people[0]", name="Ana", platform="google",
               relation="tagged", extra={"source": "Photos"}),
        Person(key=("photos-person", "tagged", "rui"), locator="people[1]", name="Rui", platform="google",
               relation="tagged", extra={"source": "Photos"}),
    ]


def test_the_copy_in_an_album_is_the_same_item_and_links_the_album():
    year = f"{YEAR}/IMG_20230610_191502.jpg.json"
    album = f"{ALBUM}/IMG_20230610_191502.jpg.json"
    c = ctx([year, album, f"{ALBUM}/metadata.json", f"{YEAR}/IMG_20230610_191502.jpg",
             f"{ALBUM}/IMG_20230610_191502.jpg"])
    from_year = parse(member(year, SIDECAR), c)
    from_album = parse(member(album, SIDECAR), c)
    assert from_album[:-1] == from_year  # same keys, same records: stored once
    assert no_raw(from_album[-1:]) == [
        Activity(key=("photos-album-item", ALBUM, URL), locator="$", time=None, platform="google",
                 product="Photos", action="added_to_album", title="Summer in Lisbon",
                 extra={"album": "Summer in Lisbon", "item": "IMG_20230610_191502.jpg"})]


def _geo(**blocks) -> dict:
    data = {k: v for k, v in SIDECAR.items() if k not in ("geoData", "geoDataExif", "people")}
    for key, value in blocks.items():
        data[key] = value if not isinstance(value, tuple) else {"latitude": value[0], "longitude": value[1],
                                                                "altitude": 0.0}
    return data


def _records(data: dict) -> list:
    name = f"{YEAR}/IMG_20230610_191502.jpg.json"
    return parse(member(name, data), ctx([name, f"{YEAR}/IMG_20230610_191502.jpg"]))


def test_an_edited_location_keeps_geodata_and_says_so():
    got = _records(_geo(geoData=(41.1496, -8.611), geoDataExif=(38.7223, -9.1393)))
    assert got[0].extra["edited_location"] is True
    loc = [r for r in got if isinstance(r, Location)]
    assert no_raw(loc) == [Location(key=("photos-point", URL), locator="geoData", time="2023-06-10T17:15:02Z",
                                    lat=41.1496, lon=-8.611, kind="point", platform="google",
                                    extra={"source": "Photos", "title": "IMG_20230610_191502.jpg",
                                           "block": "geoData", "edited_location": True,
                                           "exif": [38.7223, -9.1393]})]


def test_zero_zero_is_unknown_per_block_and_one_zero_coordinate_is_real():
    got = _records(_geo(geoData=(0.0, 0.0), geoDataExif=(38.7223, -9.1393)))
    assert [(r.lat, r.lon, r.extra["block"]) for r in got if isinstance(r, Location)] == [
        (38.7223, -9.1393, "geoDataExif")]
    assert not [r for r in _records(_geo(geoData=(0.0, 0.0), geoDataExif=(0.0, 0.0))) if isinstance(r, Location)]
    # a block is taken whole: (0, 12.5) is a real point on the equator, never mixed with the other block
    got = _records(_geo(geoData=(0.0, 12.5), geoDataExif=(38.7223, -9.1393)))
    assert [(r.lat, r.lon) for r in got if isinstance(r, Location)] == [(0.0, 12.5)]


def test_damaged_geo_blocks_are_reported_and_the_other_block_used():
    got = _records(_geo(geoData=(123.0, 500.0), geoDataExif={"latitude": "x", "longitude": 2}))
    assert [r for r in got if isinstance(r, Problem)] == [
        Problem("geoData has coordinates off the globe (123.0, 500.0): that block is ignored", "geoData", "warning"),
        Problem("geoDataExif has coordinates that are not numbers ('x', 2): that block is ignored", "geoDataExif",
                "warning")]
    assert not [r for r in got if isinstance(r, Location)]
    got = _records(_geo(geoData=(123.0, 500.0), geoDataExif=(38.7223, -9.1393)))
    assert [(r.lat, r.extra["block"]) for r in got if isinstance(r, Location)] == [(38.7223, "geoDataExif")]


def test_partner_and_messaging_app_items_are_not_the_users_location():
    partner = _records({**_geo(geoData=(38.7223, -9.1393)), "googlePhotosOrigin": {"fromPartnerSharing": {}}})
    assert [type(r).__name__ for r in partner] == ["Activity"]
    assert partner[0].action == "received"
    assert partner[0].extra["not_the_users"] == "partner sharing"
    assert partner[0].extra["geoData"]["latitude"] == 38.7223  # kept, not a location record
    whatsapp = _records({**_geo(geoData=(38.7223, -9.1393)), "googlePhotosOrigin": {"mobileUpload": {
        "deviceFolder": {"localFolderName": "WhatsApp Images"}, "deviceType": "ANDROID_PHONE"}}})
    assert [type(r).__name__ for r in whatsapp] == ["Activity"]
    assert whatsapp[0].action == "photographed"
    assert whatsapp[0].extra["not_the_users"] == "phone folder WhatsApp Images"


def test_times_null_zero_and_upload_fallback():
    data = _geo()
    data["photoTakenTime"] = {"timestamp": "0", "formatted": "1 Jan 1970, 00:00:00 UTC"}
    got = _records(data)
    assert got[0].time == "2023-06-11T16:13:20Z" and got[0].extra["time_is"] == "upload"
    data["photoTakenTime"] = {"timestamp": "soon"}
    got = _records(data)
    assert Problem("photoTakenTime 'soon' is not a timestamp", "photoTakenTime", "warning") in got
    data["photoTakenTime"] = {"timestamp": 1686417302}  # a number, as older exporters wrote
    assert _records(data)[0].time == "2023-06-10T17:15:02Z"


def test_damaged_sidecar_is_a_problem_not_a_traceback():
    name = f"{YEAR}/IMG_1.jpg.supplemental-metadata.json"
    c = ctx([name, f"{YEAR}/IMG_1.jpg"])
    truncated = json.dumps(SIDECAR)[:40]  # cut before photoTakenTime: recognised by its name
    got = parse(member(name, truncated), c)
    assert len(got) == 1 and got[0].message.startswith("a Google Photos sidecar that cannot be read: not valid JSON")
    got = parse(member(name, b"\xff\xfe{]"), c)
    assert got[0].message.startswith("a Google Photos sidecar that cannot be read")
    got = parse(member(name, "[1, 2]"), c)
    assert got == [Problem("named like a Google Photos sidecar, but holds no photo's metadata (no photoTakenTime "
                           "or title): not imported")]
    got = parse(member(name, {"title": "IMG_1.jpg", "photoTakenTime": "yesterday", "people": "Ana",
                              "geoData": [1, 2], "googlePhotosOrigin": None}), c)
    assert no_raw(got) == [
        Problem("photoTakenTime '\"yesterday\"' is not a timestamp", "photoTakenTime", "warning"),
        Problem("geoData is not an object: that block is ignored", "geoData", "warning"),
        Activity(key=("photos-item", "IMG_1.jpg", '"yesterday"'), locator="$", time=None, platform="google",
                 product="Photos", action="photographed", title="IMG_1.jpg", extra=None)]


def test_sidecar_without_its_photo_is_imported_and_reported():
    name = f"{YEAR}/IMG_20230610_191502.jpg.json"
    got = _records(_geo()) and parse(member(name, _geo()), ctx([name]))
    assert isinstance(got[0], Activity) and got[0].extra["media_in_archive"] is False
    assert got[-1] == Problem("no photo or video of this sidecar's name in the archive (it may be in another part "
                              "of a multi-part Takeout): its metadata was imported", None, "warning")


# ---------------------------------------------------------------------------------------------------------------
# names: every media name pairs with its own sidecar, and only with it

LONG41 = "IMG_20230101_123456789_very_long_name.jpg"  # 41 characters
LONG60 = "PXL_20230101_123456789_a_really_long_descriptive_title_x.jpg"  # 60 characters
SUNSET = "Sunset_over_the_bay_from_the_old_lighthouse_at_dusk.jpg"  # 55

PAIRS = [
    ("IMG_1234.jpg", "IMG_1234.jpg.json"),
    ("IMG_1234.jpg", "IMG_1234.jpg.supplemental-metadata.json"),
    ("IMG_1234.jpg", "IMG_1234.jpg.supplemental-metad.json"),
    ("IMG_1234.jpg", "IMG_1234.jpg.suppl.json"),
    ("IMG_1234.jpg", "IMG_1234.jpg.s.json"),
    ("IMG_1234.jpg", "IMG_1234.json"),
    ("MVIMG_20191230_232926.jpg", "MVIMG_20191230_232926.jpg.supplemental-metadat.json"),
    ("Screenshot_20200301-161151.png", "Screenshot_20200301-161151.png.supplemental-me.json"),
    ("PXL_20230518_103349822.MP", "PXL_20230518_103349822.MP.supplemental-met.json"),
    ("abcdefghijabcdefghijabcdefghijabcdefghijabcd.jpg", "abcdefghijabcdefghijabcdefghijabcdefghijabcd.jpg..json"),
    ("IMG(1).jpg", "IMG.jpg(1).json"),
    ("IMG(1).jpg", "IMG(1).jpg.json"),
    ("DSC_0101(1).JPG", "DSC_0101.JPG(1).json"),
    ("Scan35(1).jpg", "Scan35.jpg.supplemental-metadata(1).json"),
    ("CLIP0001(10).AVI", "CLIP0001.AVI.supplemental-metadata(10).json"),
    ("Screenshot_20231027_123303_Facebook(1).jpg", "Screenshot_20231027_123303_Facebook.jpg.supple(1).json"),
    ("img(18).jpg", "img(18).jpg.supple(18).json"),
    ("skytree (2).jpg", "skytree (2).jpg.supplemental-metadata.json"),
    ("13039_327707840323_537645323_9470255_27214_n(1).jpg", "13039_327707840323_537645323_9470255_27214_n.j(1).json"),
    ("05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg", "05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json"),
    ("IMAG0061-edited.JPG", "IMAG0061.JPG.supplemental-metadata.json"),
    ("PXL_20220405_090123740.PORTRAIT-modifié.jpg", "PXL_20220405_090123740.PORTRAIT.jpg.json"),
    ("2234089303984509579-edited.jpg", "2234089303984509579.supplemental-metadata.json"),
    # long names (§4.2): the 46-character clip leaves any prefix of ".supplemental-metadata", down to the bare dot
    (LONG41, LONG41 + ".suppl.json"),  # 41 + 5 = 46: the rule's own cut
    (LONG41, LONG41 + ".supplemen.json"),  # longer or shorter cuts seen in the wild: still the photo's
    (LONG41, LONG41 + ".supp.json"),
    (LONG41, LONG41 + ".s.json"),
    (LONG41, LONG41 + "..json"),
    (LONG41[:-4] + "(1).jpg", LONG41 + ".suppl(1).json"),  # the counter is never clipped
    ("IMG_1234(1).JPG", "IMG_1234.JPG(1).json"),
    ("IMG_1234(1).JPG", "IMG_1234.JPG.supplemental-metadata(1).json"),
    # a photo name longer than the clip: the whole suffix and the end of the name are cut, the .json name is 51
    (LONG60, LONG60[:46] + ".json"),
    (LONG60[:-4] + "(2).jpg", LONG60[:46] + "(2).json"),
    ("Screenshot_2024-08-31-00-53-48-647_com.snapchat.jpg", "Screenshot_2024-08-31-00-53-48-647_com.snapcha.json"),
    # the media name cut too (a 47-character stem; the full name only in the sidecar's title, §4.4)
    ("15250796_10158125619575157_1421325151866375198_.jpg", "15250796_10158125619575157_1421325151866375198.json"),
    # cut inside the media extension
    ("2019-07-14_Holiday_in_Portugal_with_the_family_DSCN0091.JPG",
     "2019-07-14_Holiday_in_Portugal_with_the_family.json"),
    ("Sunset_over_the_bay_from_the_old_lighthouse_DSCN0091.JPG",
     "Sunset_over_the_bay_from_the_old_lighthouse_DSCN0091.JP.supplemental-meta.json"),
    # the clip counts UTF-16 code units: an emoji is two (§4.2)
    ("\U0001F600" * 24 + ".jpg", "\U0001F600" * 23 + ".json"),
    ("\U0001F600" * 10 + ".jpg", "\U0001F600" * 10 + ".jpg.supplemental-me.json"),
]


@pytest.mark.parametrize("media,sidecar", PAIRS)
def test_media_pairs_with_its_sidecar(media, sidecar):
    index = PhotosIndex(frozenset({f"{YEAR}/{media}", f"{YEAR}/{sidecar}"}))
    assert index.media_sidecar == {f"{YEAR}/{media}": f"{YEAR}/{sidecar}"}


def test_counters_must_match_exactly():
    names = {f"{YEAR}/{n}" for n in ("DSC_0102(1).JPG", "DSC_0102.JPG(2).json", "DSC_0104(1).JPG",
                                     "DSC_0104.JPG.json", "IMG_10.jpg", "IMG_1.jpg.json")}
    index = PhotosIndex(frozenset(names))
    assert index.media_sidecar == {f"{YEAR}/DSC_0102(1).JPG": None, f"{YEAR}/DSC_0104(1).JPG": None,
                                   f"{YEAR}/IMG_10.jpg": None}


def test_media_claims_say_what_is_known_without_reading_them():
    names = [f"{YEAR}/{n}" for n in ("a.jpg", "a.jpg.json", "a-edited.jpg", "alone.heic", "b.MP~2")]
    c = ctx(names + [f"{YEAR}/b.MP~2.supplemental-metadata.json"])

    def unreadable(name):
        def boom():
            raise AssertionError(f"{name} was opened")
        return Member(name, 10 ** 10, boom)

    reasons = {n.rsplit("/", 1)[1]: IMPORTER.claim(unreadable(n), c) for n in names if not n.endswith(".json")}
    assert {k: (v.parse, v.reason) for k, v in reasons.items()} == {
        "a.jpg": (False, "Google Photos media: image bytes not read (its sidecar is)"),
        "a-edited.jpg": (False, "Google Photos edited copy: image bytes not read (its original's sidecar describes it)"),
        "alone.heic": (False, "Google Photos media without a sidecar: image bytes not read, nothing else is known "
                              "about it"),
        "b.MP~2": (False, "Google Photos media: image bytes not read (its sidecar is)"),
    }


# ---------------------------------------------------------------------------------------------------------------
# albums

@pytest.mark.parametrize("data,title,time,extra", [
    ({"albumData": {"title": "Summer in Lisbon", "description": "", "access": "protected", "location": "",
                    "date": {"timestamp": "1686000000", "formatted": "5 Jun 2023"}}},
     "Summer in Lisbon", "2023-06-05T21:20:00Z", {"folder": "Summer in Lisbon", "access": "protected"}),
    ({"title": "Summer in Lisbon", "description": "with the cousins", "date": {"timestamp": "1686000000"},
      "geoData": {"latitude": 0.0, "longitude": 0.0}},
     "Summer in Lisbon", "2023-06-05T21:20:00Z", {"folder": "Summer in Lisbon", "description": "with the cousins"}),
    ({"title": "Фокус"}, "Фокус", None, {"folder": "Summer in Lisbon"}),
])
def test_album_generations(data, title, time, extra):
    name = f"{ALBUM}/metadata.json"
    got = no_raw(parse(member(name, data), ctx([name])))
    assert got == [Activity(key=("photos-album", ALBUM, (data.get("albumData") or data).get("date", {})
                                 .get("timestamp", "")), locator="$", time=time, platform="google",
                            product="Photos", action="created", title=title, extra=extra)]


def test_shared_album_pins_and_commenters():
    name = f"{ALBUM}/metadata.json"
    data = {"title": "Trip", "enrichments": [
        {"narrativeEnrichment": {"text": "Day one"}},
        {"locationEnrichment": {"location": [{"name": "Belém", "latitudeE7": 386916000, "longitudeE7": -92160000}]}}],
        "sharedAlbumComments": [{"text": "lovely", "contentOwnerName": "Jordan Lee"},
                                {"liked": True, "contentOwnerName": "jordan lee"}, "junk"]}
    got = no_raw(parse(member(name, data), ctx([name])))
    assert got == [
        Activity(key=("photos-album", ALBUM, ""), locator="$", time=None, platform="google", product="Photos",
                 action="created", title="Trip",
                 extra={"folder": "Summer in Lisbon", "texts": ["Day one"],
                        "pinned_places": [{"name": "Belém", "lat": 38.6916, "lon": -9.216}], "comments": 3}),
        Person(key=("photos-person", "shared_album", "jordan lee"), locator="sharedAlbumComments[0]",
               name="Jordan Lee", platform="google", relation="shared_album",
               extra={"source": "Photos", "album": "Trip"}),
    ]
    assert parse(member(name, "{oops"), ctx([name]))[0].message.startswith(
        "a Google Photos album file that cannot be read")


def test_other_photos_json_is_skipped_with_its_reason():
    name = "Takeout/Google Photos/print-subscriptions.json"
    c = ctx([name, f"{YEAR}/a.jpg.json"])
    assert IMPORTER.claim(member(name, "{}"), c).reason == "Google Photos print subscriptions: not read"


# ---------------------------------------------------------------------------------------------------------------
# a whole Photos takeout through the pipeline: the image members are never inflated


def _broken_zip(path: Path, files: dict[str, bytes], images: dict[str, int]) -> Path:
    """A zip with ``files`` and, for each image, ``size`` bytes of zeros whose deflate stream is then damaged:
    inflating any of them fails, so a passing import proves no image member was read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for name, size in images.items():
            zf.writestr(name, b"\0" * size)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        for name in images:
            info = zf.getinfo(name)
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            for at in range(start, start + info.compress_size):
                raw[at] = 0xFF  # no longer a deflate stream
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf, pytest.raises(Exception):
        zf.read(next(iter(images)))
    return path


def test_pipeline_imports_sidecars_and_never_inflates_an_image(tmp_path):
    from datavault.inventory import read_inventory
    from datavault.pipeline import import_paths
    other = {**SIDECAR, "url": "https://photos.google.com/photo/AF1QipInvented002", "title": "IMG(1).jpg",
             "people": [], "geoData": {"latitude": 0.0, "longitude": 0.0}}
    files = {
        f"{YEAR}/IMG_20230610_191502.jpg.supplemental-metadata.json": json.dumps(SIDECAR).encode(),
        f"{ALBUM}/IMG_20230610_191502.jpg.supplemental-met.json": json.dumps(SIDECAR).encode(),
        f"{ALBUM}/metadata.json": json.dumps({"title": "Summer in Lisbon"}).encode(),
        f"{YEAR}/IMG.jpg(1).json": json.dumps(other).encode(),
        f"{YEAR}/broken.jpg.json": b'{"title": "broken.jpg", "photoTakenTime": {"timestamp": "1686417000"',
        f"{YEAR}/orphan.jpg.json": b'{"title": "orphan.jpg", "photoTakenTime": {"timestamp": "1686417000"}}',
    }
    images = {f"{YEAR}/broken.jpg": 1 << 20, f"{YEAR}/IMG_20230610_191502.jpg": 64 << 20, f"{ALBUM}/IMG_20230610_191502.jpg": 1 << 20,
              f"{YEAR}/IMG(1).jpg": 1 << 20, f"{YEAR}/IMG_20230610_191502-edited.jpg": 1 << 20,
              f"{YEAR}/VID_0001.mp4": 1 << 20, f"{YEAR}/PXL_0002.MP": 1 << 20}
    path = _broken_zip(tmp_path / "takeout-20251201T120000Z-001.zip", files, images)
    vault = tmp_path / "v.sqlite"
    result = import_paths(vault, [path])
    source = result.sources[0] if hasattr(result, "sources") else result
    inventory = read_inventory(vault)["sources"][0]
    rows = {f["member"].rsplit("/", 2)[-2][:6] + "/" + f["member"].rsplit("/", 1)[1]: (f["status"],
            f["detail"].get("reason")) for f in inventory["files"]}
    assert rows == {
        "Photos/IMG_20230610_191502.jpg.supplemental-metadata.json": ("parsed", None),
        "Summer/IMG_20230610_191502.jpg.supplemental-met.json": ("parsed", None),
        "Summer/metadata.json": ("parsed", None),
        "Photos/IMG.jpg(1).json": ("parsed", None),
        "Photos/broken.jpg.json": ("parsed", None),
        "Photos/orphan.jpg.json": ("parsed", None),
        "Photos/IMG_20230610_191502.jpg": ("skipped", "Google Photos media: image bytes not read (its sidecar is)"),
        "Summer/IMG_20230610_191502.jpg": ("skipped", "Google Photos media: image bytes not read (its sidecar is)"),
        "Photos/broken.jpg": ("skipped", "Google Photos media: image bytes not read (its sidecar is)"),
        "Photos/IMG(1).jpg": ("skipped", "Google Photos media: image bytes not read (its sidecar is)"),
        "Photos/IMG_20230610_191502-edited.jpg": (
            "skipped", "Google Photos edited copy: image bytes not read (its original's sidecar describes it)"),
        "Photos/VID_0001.mp4": ("skipped", "Google Photos media without a sidecar: image bytes not read, nothing "
                                           "else is known about it"),
        "Photos/PXL_0002.MP": ("skipped", "Google Photos media without a sidecar: image bytes not read, nothing "
                                          "else is known about it"),
    }
    # per file: the year and album copies each count their records; in the vault they are one item
    assert inventory["records"] == {"activities": 6, "locations": 3, "people": 4}
    totals = read_inventory(vault)["totals"]
    assert (totals["activities"], totals["locations"], totals["people"]) == (5, 2, 2)
    assert [p["message"][:40] for p in inventory["problems"]] == [
        "a Google Photos sidecar that cannot be r", "no photo or video of this sidecar's name"]
    assert source is not None


MEDIA = ("IMG_20230610_191502.jpg", "IMG_20230610_191502-edited.jpg", "PXL_0002.MP", "VID_0001.mp4", "b.MP~2",
         "c.HEIC", "d.png", "e.gif", "f.webp", "g.mov", "h.jpeg", "i.3gp", "j.m4v", "k.dng", "l.avi", "m.mkv")


def test_a_folder_takeout_never_opens_an_image_file(tmp_path, monkeypatch):
    """Issue 17.3: a 50 GB Photos takeout unpacked into a folder costs only its sidecars: no image or video file
    is opened, not even for its first bytes (recognising formats, fingerprinting the export)."""
    import builtins

    from typer.testing import CliRunner

    from datavault.cli import app

    root = tmp_path / "Takeout-folder"
    year = root / YEAR
    year.mkdir(parents=True)
    (year / "IMG_20230610_191502.jpg.supplemental-metadata.json").write_text(json.dumps(SIDECAR))
    for name in MEDIA:
        (year / name).write_bytes(b"\xff\xd8\xff\xe0 not an image, and never to be read" * 100)
    opened: list[str] = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setenv("DATAVAULT_READER", "inline")
    vault = tmp_path / "v.sqlite"
    for attempt in (1, 2):  # the first import and the same folder again
        r = CliRunner().invoke(app, ["--vault", str(vault), "import", str(root), "--format", "json"])
        assert r.exit_code == 0, r.output
        assert [p for p in opened if p.rsplit("/", 1)[-1] in MEDIA] == []
        assert any(p.endswith(".supplemental-metadata.json") for p in opened)
    source = json.loads(r.stdout)["sources"][0]
    assert source["statuses"] == {"parsed": 1, "skipped": len(MEDIA)} and source["already_imported"] is True


def test_long_names_that_agree_in_their_first_characters_pair_by_counter():
    stem = "15250796_10158125619575157_1421325151866375198_"  # 47: the media stem Google keeps
    names = [f"{stem}.jpg", f"{stem}(1).jpg", f"{stem}(2).jpg", f"{stem[:46]}.json", f"{stem[:46]}(1).json",
             f"{stem[:46]}(2).json"]
    index = PhotosIndex(frozenset(f"{YEAR}/{n}" for n in names))
    assert index.media_sidecar == {f"{YEAR}/{stem}.jpg": f"{YEAR}/{stem[:46]}.json",
                                   f"{YEAR}/{stem}(1).jpg": f"{YEAR}/{stem[:46]}(1).json",
                                   f"{YEAR}/{stem}(2).jpg": f"{YEAR}/{stem[:46]}(2).json"}
    assert index.ambiguous == {}


def test_long_named_sidecars_through_the_pipeline_exact_records(tmp_path):
    """A photo name too long for the clip: its sidecar's name is cut to 51 characters with no media extension
    left, so only the pairing tells it is a sidecar. Read with its photo's counter, and a damaged one is still
    claimed as a sidecar (a problem), never left unknown."""
    from datavault.exporting import export_table
    from datavault.inventory import read_inventory
    from datavault.pipeline import import_paths

    data = {**SIDECAR, "title": LONG60, "url": "https://photos.google.com/photo/AF1QipInvented060", "people": [],
            "geoDataExif": {"latitude": 0.0, "longitude": 0.0}}
    second = {**data, "url": "https://photos.google.com/photo/AF1QipInvented061",
              "photoTakenTime": {"timestamp": "1686417400"}, "geoData": {"latitude": 0.0, "longitude": 0.0}}
    files = {f"{YEAR}/{LONG60[:46]}.json": json.dumps(data).encode(),
             f"{YEAR}/{LONG60[:46]}(2).json": json.dumps(second).encode(),
             f"{YEAR}/{SUNSET[:46]}.json": b'{"title": "' + SUNSET.encode() + b'", "url": "https://photos.goo'}
    images = {f"{YEAR}/{LONG60}": 1 << 16, f"{YEAR}/{LONG60[:-4]}(2).jpg": 1 << 16, f"{YEAR}/{SUNSET}": 1 << 16}
    path = _broken_zip(tmp_path / "takeout-20251201T120000Z-001.zip", files, images)
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [path])
    inventory = read_inventory(vault)["sources"][0]
    assert {f["member"].rsplit("/", 1)[1]: (f["status"], f["importer"]) for f in inventory["files"]} == {
        f"{LONG60[:46]}.json": ("parsed", "takeout"), f"{LONG60[:46]}(2).json": ("parsed", "takeout"),
        f"{SUNSET[:46]}.json": ("parsed", "takeout"), LONG60: ("skipped", "takeout"),
        f"{LONG60[:-4]}(2).jpg": ("skipped", "takeout"), SUNSET: ("skipped", "takeout")}
    # the damaged one is reported; none is "without its photo"
    assert [(p["member"].rsplit("/", 1)[1], p["message"][:40]) for p in inventory["problems"]] == [
        (f"{SUNSET[:46]}.json", "a Google Photos sidecar that cannot be r")]
    out = io.StringIO()
    export_table(vault, "activities", "jsonl", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["time"], r["product"], r["action"], r["title"], r["url"], r["source_file"], r["locator"])
            for r in rows] == [
        ("2023-06-10T17:15:02Z", "Photos", "photographed", LONG60, None, f"{YEAR}/{LONG60[:46]}.json", "$"),
        ("2023-06-10T17:16:40Z", "Photos", "photographed", LONG60, None, f"{YEAR}/{LONG60[:46]}(2).json", "$")]
    out = io.StringIO()
    export_table(vault, "locations", "jsonl", out)
    assert [(r["time"], r["lat"], r["lon"], r["source_file"]) for r in map(json.loads, out.getvalue().splitlines())
            ] == [("2023-06-10T17:15:02Z", 38.7223, -9.1393, f"{YEAR}/{LONG60[:46]}.json")]


def test_bad_photos_input_is_imported_as_far_as_possible_and_counted(tmp_path):
    """Issue 17's bad input, through the pipeline: contradictory geo fields (a latitude without its longitude,
    a block off the globe beside a good one, two blocks far apart), a sidecar without its photo, a photo without
    a sidecar: every record that can be read is, each problem is counted on its file's inventory row."""
    from datavault.exporting import export_table
    from datavault.inventory import read_inventory
    from datavault.pipeline import import_paths

    def item(n, **geo):
        return json.dumps({"title": f"IMG_{n}.jpg", "url": f"https://photos.google.com/photo/AF1QipBad{n}",
                           "photoTakenTime": {"timestamp": str(1686417302 + n)}, **geo}).encode()

    files = {f"{YEAR}/IMG_1.jpg.json": item(1, geoData={"latitude": 38.7223},
                                            geoDataExif={"latitude": 38.72231, "longitude": -9.13925}),
             f"{YEAR}/IMG_2.jpg.json": item(2, geoData={"latitude": 123.0, "longitude": 500.0},
                                            geoDataExif={"latitude": 41.1496, "longitude": -8.611}),
             f"{YEAR}/IMG_3.jpg.json": item(3, geoData={"latitude": 41.1496, "longitude": -8.611},
                                            geoDataExif={"latitude": 38.7223, "longitude": -9.1393}),
             f"{YEAR}/IMG_4.jpg.json": item(4, geoData={"latitude": "north", "longitude": None})}
    images = {f"{YEAR}/IMG_1.jpg": 1024, f"{YEAR}/IMG_2.jpg": 1024, f"{YEAR}/IMG_3.jpg": 1024,
              f"{YEAR}/IMG_5.jpg": 1024}
    path = _broken_zip(tmp_path / "takeout-20251201T120000Z-001.zip", files, images)
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [path])
    inventory = read_inventory(vault)["sources"][0]
    assert {f["member"].rsplit("/", 1)[1]: (f["status"], f["records"], f["problems"]) for f in inventory["files"]} \
        == {"IMG_1.jpg.json": ("parsed", 2, 1), "IMG_2.jpg.json": ("parsed", 2, 1), "IMG_3.jpg.json": ("parsed", 2, 0),
            "IMG_4.jpg.json": ("parsed", 1, 2), "IMG_1.jpg": ("skipped", 0, 0), "IMG_2.jpg": ("skipped", 0, 0),
            "IMG_3.jpg": ("skipped", 0, 0), "IMG_5.jpg": ("skipped", 0, 0)}
    assert sorted((p["member"].rsplit("/", 1)[1], p["message"]) for p in inventory["problems"]) == [
        ("IMG_1.jpg.json", "geoData has coordinates that are not numbers (38.7223, None): that block is ignored"),
        ("IMG_2.jpg.json", "geoData has coordinates off the globe (123.0, 500.0): that block is ignored"),
        ("IMG_4.jpg.json", "geoData has coordinates that are not numbers ('north', None): that block is ignored"),
        ("IMG_4.jpg.json", "no photo or video of this sidecar's name in the archive (it may be in another part of "
                           "a multi-part Takeout): its metadata was imported")]
    out = io.StringIO()
    export_table(vault, "locations", "jsonl", out)
    assert [(r["source_file"].rsplit("/", 1)[1], r["lat"], r["lon"]) for r in map(json.loads, out.getvalue().splitlines())
            ] == [("IMG_1.jpg.json", 38.72231, -9.13925), ("IMG_2.jpg.json", 41.1496, -8.611),
                  ("IMG_3.jpg.json", 41.1496, -8.611)]
