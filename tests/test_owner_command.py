"""Issue 19.2: who the owner of an imported WhatsApp chat is can be changed without reading the export again
(`datavault owner`), and correcting it by a re-import with --me leaves no stale warning behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from datavault.cli import app
from tests.conftest import exported, write_text

runner = CliRunner()
CHAT = "12/03/2023, 10:00 - Ana: hi\n13/03/2023, 10:01 - Sam: hello\n14/03/2023, 22:30 - Ana: night\n"
GROUP = ("12/03/2024, 09:00 - Ana: hello there\n12/03/2024, 09:01 - Sam: hi Ana\n"
         "12/03/2024, 09:02 - Bo: how are you\n12/03/2024, 09:03 - Sam: fine\n")


def run(vault: Path, *args: str):
    return runner.invoke(app, ["--vault", str(vault), *args])


def plain(result) -> str:
    return " ".join((result.stdout + result.stderr).split())


def owners(vault: Path) -> list[tuple[str, bool]]:
    return [(m["sender"], m["from_owner"]) for m in exported(vault, "messages")]


def inventory(vault: Path) -> dict:
    result = run(vault, "inventory", "--format", "json")
    assert result.exit_code == 0, plain(result)
    return json.loads(result.stdout)


def test_owner_changes_the_decision_without_reading_the_export(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    imported = run(vault, "import", str(chat), "--me", "Ana")  # the wrong one of the two senders
    assert imported.exit_code == 0
    assert "Owner in Ana: Ana (--me)" in plain(imported)  # the import says whose word decided it
    assert "owner: Ana (--me) ·" in plain(run(vault, "owner"))
    chat.unlink()  # the export is gone: the decision changes all the same
    result = run(vault, "owner", "1", "--me", "Sam")
    assert result.exit_code == 0, plain(result)
    assert owners(vault) == [("Ana", False), ("Sam", True), ("Ana", False)]
    assert "Owner of source 1 is now Sam: 3 message(s) decided again." in plain(result)
    notes = inventory(vault)["sources"][0]["notes"]
    assert [(o["sender"], o["conversation"]) for o in notes["owner"]] == [("Sam", None)]
    assert notes["owner"][0]["basis"].startswith("datavault owner --me")
    listing = run(vault, "owner")
    assert listing.exit_code == 0, plain(listing)
    assert "Source 1 · WhatsApp Chat with Ana.txt · owner: Sam (datavault owner --me" in plain(listing)
    assert "senders: Ana (2), Sam (1)" in plain(listing)


def test_owner_refuses_a_name_that_is_no_sender_and_changes_nothing(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    assert run(vault, "import", str(chat), "--me", "Sam").exit_code == 0
    result = run(vault, "owner", "1", "--me", "Sma")
    assert result.exit_code == 1
    assert ("--me 'Sma' is not a sender in these chats, so every message would count as someone else's. Senders "
            "(messages): 'Ana' (2), 'Sam' (1). Nothing was changed") in plain(result), plain(result)
    assert owners(vault) == [("Ana", False), ("Sam", True), ("Ana", False)]


def test_owner_of_an_unknown_or_non_chat_source_says_so(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    assert run(vault, "import", str(chat)).exit_code == 0
    unknown = run(vault, "owner", "7", "--me", "Sam")
    assert unknown.exit_code == 1 and "There is no source 7 in the vault" in plain(unknown), plain(unknown)
    missing_me = run(vault, "owner", "1")
    assert missing_me.exit_code == 2 and "--me" in plain(missing_me)


def test_owner_decides_a_group_chat_left_undecided(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Climbing.txt", GROUP)
    assert run(vault, "import", str(chat)).exit_code == 0
    assert inventory(vault)["sources"][0]["notes"].get("owner_unknown")
    assert "owner: not decided" in plain(run(vault, "owner"))
    assert run(vault, "owner", "1", "--me", "Sam").exit_code == 0
    assert owners(vault) == [("Ana", False), ("Sam", True), ("Bo", False), ("Sam", True)]
    assert "owner_unknown" not in inventory(vault)["sources"][0]["notes"]


def test_re_import_with_me_after_an_undecided_group_leaves_no_stale_warning(tmp_path, vault):
    """Reading a group chat again with --me gives one people row fewer (you are no contact of yours): that is no
    worse reading, and the earlier 'use --me NAME' is answered."""
    chat = write_text(tmp_path, "WhatsApp Chat with Climbing.txt", GROUP)
    assert run(vault, "import", str(chat)).exit_code == 0
    again = run(vault, "import", str(chat), "--me", "Sam")
    assert again.exit_code == 0, plain(again)
    assert "could not read" not in plain(again) and "Owner not decided" not in plain(again), plain(again)
    source = inventory(vault)["sources"][0]
    assert not source["notes"].get("warnings") and "owner_unknown" not in source["notes"]
    assert owners(vault) == [("Ana", False), ("Sam", True), ("Bo", False), ("Sam", True)]
    text = plain(run(vault, "inventory"))
    assert not re.search("could not read|Owner not decided", text), text


def test_a_damaged_copy_read_with_me_still_keeps_the_better_inventory(tmp_path, vault):
    """The fix above must not hide a reading that really is worse."""
    from tests.conftest import write_zip
    from tests.test_bad_input import _damage

    good = write_zip(tmp_path / "WhatsApp Chat with Climbing.zip", {"WhatsApp Chat with Climbing.txt": GROUP * 30,
                                                                   "IMG-20240312-WA0001.jpg": b"\xff\xd8\xff" * 50})
    assert run(vault, "import", str(good)).exit_code == 0
    again = run(vault, "import", str(_damage(good, tmp_path / "copy" / good.name)), "--me", "Sam")
    assert "could not read 1 file(s) as well as the earlier import did" in plain(again), plain(again)
