"""What this person's exports leave out: per platform, what the controller is known to hold and an export should
contain (``data/gaps_PLATFORM.toml``), checked against the vault.

Each catalogue item says how to tell from the vault whether the export holds it: rows of a contract table
(optionally of a platform and a category, field, kind, product or relation), or a file the inventory lists
(its path containing a text, whatever its status: a file datavault does not read still shows it was exported).
An item with no test is never part of an export (most Art. 15(1) information: purposes, recipients, retention,
automated decisions): it is always missing, and only a request obtains it. Only platforms with an imported
export are checked: a platform never imported says nothing about what its export lacks.

Works on a ``sqlite3`` connection (the report) or a SQLAlchemy connection (the inventory); reads the contract's
views and the bookkeeping tables ``sources`` and ``files`` only.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from datavault.errors import UserError

PLATFORMS = ("google", "facebook", "instagram", "whatsapp")
TABLES = ("messages", "activities", "locations", "people", "purchases", "platform_inferences", "profile", "posts")
FILTERS = ("category", "field", "kind", "product", "relation")  # the columns a test may name
PLATFORM_TITLES = {"google": "Google", "facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}


@lru_cache(maxsize=None)
def catalogue(platform: str) -> dict[str, Any]:
    """The catalogue of one platform, checked: every test names a known table and column."""
    name = f"gaps_{platform}.toml"
    try:
        data = tomllib.loads(resources.files("datavault.rights.data").joinpath(name).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:  # a broken installation, not the user's doing
        raise UserError(f"The gaps catalogue {name} cannot be read ({exc}); reinstall datavault.") from None
    for item in data["item"]:
        for test in item.get("present_if", []):
            if "member" in test:
                continue
            if test.get("table") not in TABLES or not set(test) <= {"table", "platform", *FILTERS}:
                raise UserError(f"The gaps catalogue {name} has a test datavault cannot run: {test}.")
    return data


def _rows(conn, sql: str, params: list[Any]) -> list[tuple]:
    if hasattr(conn, "exec_driver_sql"):  # SQLAlchemy
        return [tuple(r) for r in conn.exec_driver_sql(sql, tuple(params)).fetchall()]
    return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _holds(conn, test: dict[str, Any]) -> bool:
    if "member" in test:
        return bool(_rows(conn, "SELECT 1 FROM files WHERE instr(lower(member), lower(?)) > 0 LIMIT 1",
                          [test["member"]]))
    where, params = [], []
    for column in ("platform", *FILTERS):
        if column in test:
            values = _as_list(test[column])
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += values
    sql = f"SELECT 1 FROM {test['table']}" + (f" WHERE {' AND '.join(where)}" if where else "") + " LIMIT 1"
    return bool(_rows(conn, sql, params))


def imported_platforms(conn) -> dict[str, list[int]]:
    """{platform: [source ids]} of the imports in the vault."""
    found: dict[str, list[int]] = {}
    for source_id, platform in _rows(conn, "SELECT id, platform FROM sources ORDER BY id", []):
        found.setdefault(platform, []).append(source_id)
    return found


def export_gaps(conn, platforms: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Per imported platform (in PLATFORMS' order): ``{platform, title, controller, export, sources, missing,
    present}``; ``missing`` items are ``{id, title, article, why, held, in_exports}`` (``in_exports`` false: no
    export ever holds it), ``present`` lists the ids of the items the export holds."""
    imported = imported_platforms(conn)
    result = []
    for platform in platforms or PLATFORMS:
        if platform not in imported:
            continue
        data = catalogue(platform)
        missing, present = [], []
        for item in data["item"]:
            tests = item.get("present_if", [])
            if tests and any(_holds(conn, t) for t in tests):
                present.append(item["id"])
                continue
            missing.append({"id": item["id"], "title": item["title"], "article": item["article"],
                            "why": item["missing"], "held": item["held"], "in_exports": bool(tests)})
        result.append({"platform": platform, "title": PLATFORM_TITLES[platform], "controller": data["controller"],
                       "export": data["export"], "sources": imported[platform], "missing": missing,
                       "present": present})
    return result


HEADING = "What your export leaves out"
INTRO = ("What the platform is known to hold, or must tell you under GDPR Art. 15(1), and your export does not "
         "contain.")


def section_lines(gaps: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The section as (kind, text) lines for every renderer: ``platform`` headings and ``item`` bullets; all
    the text comes from the catalogues, none from the exports."""
    lines: list[tuple[str, str]] = []
    for g in gaps:
        lines.append(("platform", f"{g['title']} ({g['export']}): {len(g['missing'])} of "
                                  f"{len(g['missing']) + len(g['present'])} items missing; ask for them with "
                                  f"'datavault request --controller {g['controller']} --kind access'"))
        for item in g["missing"]:
            lines.append(("item", f"{item['title']} (Art. {item['article']}): {item['why']}"))
    return lines
