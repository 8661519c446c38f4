"""``datavault owner``: who the owner of each imported WhatsApp chat is, and changing it without reading the
export again (issue 19.2).

A WhatsApp export does not say whose phone it came from: the owner is ``--me``, or the importer's guess (the
other person of a one-to-one chat is named in the file name). A wrong decision turns your own words into a
contact's. ``set_owner`` decides the chats of one import anew, in one transaction, with the pipeline's own
machinery (``pipeline.apply_owner`` with ``redecide``, as a later ``import --me`` does), after refusing a name
that is no sender of them (``pipeline._refuse_unknown_me``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from datavault import records as R
from datavault.errors import UserError
from datavault.pipeline import CHAT_PLATFORM, _refuse_unknown_me, apply_owner, bump_data_version
from datavault.store import Vault

BASIS = "datavault owner --me"


def _in_source(source_id: int) -> str:
    return f"sources LIKE '% {int(source_id)} %'"


def list_owners(vault_path: Path) -> list[dict[str, Any]]:
    """Each import holding WhatsApp chats: ``{id, label, owner: [names], basis, undecided, senders: [[name, n]]}``
    (``owner`` from the messages themselves: the senders marked as you; ``basis`` from the import's notes)."""
    out = []
    with Vault.open(vault_path, create=False, writable=False) as vault, vault.reading() as conn:
        for source_id, label, notes in conn.exec_driver_sql("SELECT id, label, notes FROM sources ORDER BY id").all():
            senders = conn.exec_driver_sql(
                f"SELECT sender, count(*), max(from_owner = 1) FROM rec_messages WHERE platform = ? "
                f"AND kind != 'system' AND sender IS NOT NULL AND {_in_source(source_id)} "
                "GROUP BY sender ORDER BY 2 DESC, 1", (CHAT_PLATFORM,)).all()
            if not senders:
                continue
            notes = json.loads(notes or "{}")
            owner = [s for s, _, mine in senders if mine]
            bases = [o.get("basis") for o in notes.get("owner", []) if o.get("sender") in owner and o.get("basis")]
            out.append({"id": source_id, "label": label, "owner": owner,
                        "basis": bases[-1] if bases else ("--me or the chat's file name" if owner else None),
                        "undecided": None if owner else notes.get("owner_unknown") or "no sender is marked as you",
                        "senders": [[s, n] for s, n, _ in senders]})
    return out


def set_owner(vault_path: Path, source_id: int, me: str) -> int:
    """Make ``me`` the owner of every WhatsApp chat of import ``source_id``; returns how many messages changed.
    Refuses an unknown import, one without WhatsApp chats, and a name that is no sender of its chats (nothing
    changes then)."""
    with Vault.open(vault_path, create=False) as vault, vault.transaction() as conn:
        row = conn.exec_driver_sql("SELECT label, notes FROM sources WHERE id = ?", (source_id,)).first()
        if row is None:
            raise UserError(f"There is no source {source_id} in the vault: `datavault owner` lists the imports "
                            "of WhatsApp chats with their ids.")
        label, notes = row
        if not conn.exec_driver_sql(f"SELECT 1 FROM rec_messages WHERE platform = ? AND {_in_source(source_id)} "
                                    "LIMIT 1", (CHAT_PLATFORM,)).first():
            raise UserError(f"Source {source_id} ({label}) holds no WhatsApp chat: only a WhatsApp chat's owner is "
                            "decided by a name (the other exports say whose they are).")
        _refuse_unknown_me(conn, me, [source_id], anywhere=False,
                           nothing="Nothing was changed: give --me your name exactly as the chat writes it.")
        conn.info["rewritten"] = 0
        today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
        apply_owner(conn, R.OwnerDecision(CHAT_PLATFORM, None, me, f"{BASIS}, {today}"), [source_id],
                    redecide=True)
        changed = conn.info.pop("rewritten", 0)
        notes = json.loads(notes or "{}")
        notes["owner"] = [{"platform": CHAT_PLATFORM, "conversation": None, "sender": me,
                           "basis": f"{BASIS}, {today}"}]
        notes.pop("owner_unknown", None)
        conn.exec_driver_sql("UPDATE sources SET notes = ? WHERE id = ?",
                             (json.dumps(notes, ensure_ascii=False, default=str), source_id))
        if changed:
            bump_data_version(conn, rewritten=True)  # the report's cache and rollups are computed anew
        return changed
