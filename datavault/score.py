"""The illustrative 350-950 score: findings in, a number with its whole formula out.

A scorer profile (TOML: ``datavault/scoring/*.toml``, or ``--profile FILE``) gives a base, a factor per
strength and points per finding. The score is ``base + sum(points x factor[strength])`` over the findings that
were found, clamped to the profile's range. Everything is shown; nothing is learned. It is an illustration of
how a scorer could turn the same findings into a number, and different profiles turn them into different
people. It does not read the vault.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from datavault.errors import UserError

DEFAULT_PROFILE = "sesame-like"
LABEL = ("ILLUSTRATION ONLY: a toy formula applied to your findings. No real scorer's model is public; "
         "this shows how one could work, not what any company computes.")


def shipped_profiles() -> list[str]:
    base = resources.files("datavault") / "scoring"
    return sorted(p.name[:-5] for p in base.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str | Path | None = None) -> dict[str, Any]:
    """A shipped profile by name (``sesame-like``, ``landlord``, ``insurer``) or a TOML file."""
    name_or_path = name_or_path or DEFAULT_PROFILE
    path = Path(name_or_path)
    try:
        exists = path.exists()
    except OSError as exc:  # a name too long to be a file name
        raise UserError(f"--profile {path}: cannot read it ({exc.strerror})") from None
    if path.suffix == ".toml" or exists:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"--profile {path}: cannot read it ({exc.strerror})") from None
        label = str(path)
    else:
        res = resources.files("datavault") / "scoring" / f"{name_or_path}.toml"
        if not res.is_file():
            raise UserError(f"--profile {name_or_path}: no such profile (shipped: {', '.join(shipped_profiles())}; "
                            "or give a .toml file)")
        text = res.read_text(encoding="utf-8")
        label = str(name_or_path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"--profile {label}: not valid TOML ({exc})") from None
    for key in ("name", "base", "strength", "weight"):
        if key not in data:
            raise UserError(f"--profile {label}: missing '{key}'")
    data.setdefault("min", 350)
    data.setdefault("max", 950)
    data.setdefault("title", data["name"])
    return data


def compute_score(findings: list[dict[str, Any]], profile: dict[str, Any],
                  not_assessed: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The score object of the report's JSON: profile, value, parts (one per weighted finding), formula.
    A part's ``status`` is ``found``, ``not found`` (looked for, nothing there) or ``not assessed`` (no data)."""
    by_id = {f["id"]: f for f in findings}
    parts = []
    total = float(profile["base"])
    for w in profile["weight"]:
        f = by_id.get(w["finding"])
        if f is None:
            parts.append({"finding": w["finding"], "points": 0, "weight": w["points"], "strength": None,
                          "factor": 0, "why": w.get("why", ""), "found": False,
                          "status": "not assessed" if w["finding"] in not_assessed else "not found"})
            continue
        factor = float(profile["strength"][f["strength"]])
        points = round(w["points"] * factor)
        total += points
        parts.append({"finding": w["finding"], "points": points, "weight": w["points"], "strength": f["strength"],
                      "factor": factor, "why": w.get("why", ""), "found": True, "status": "found"})
    value = int(max(profile["min"], min(profile["max"], round(total))))
    found = [p for p in parts if p["found"]]
    formula = f"{profile['base']}" + "".join(
        f" {'+' if p['points'] >= 0 else '-'} {abs(p['points'])} ({p['finding']}: {p['weight']} x {p['factor']:g} "
        f"{p['strength']})" for p in found) + f" = {round(total)}"
    if value != round(total):
        formula += f", clamped to {value}"
    return {"profile": profile["name"], "title": profile["title"], "description": profile.get("description", ""),
            "value": value, "min": profile["min"], "max": profile["max"], "base": profile["base"],
            "parts": parts, "formula": formula, "label": LABEL}
