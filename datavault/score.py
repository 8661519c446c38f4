"""The illustrative 350-950 score: findings in, a number with its whole formula out.

A scorer profile (TOML: ``datavault/scoring/*.toml``, or ``--profile FILE``) gives a base, a factor per
strength and points per finding. The score is ``base + sum(points x factor[strength])`` over the findings that
were found, clamped to the profile's range. Everything is shown; nothing is learned. It is an illustration of
how a scorer could turn the same findings into a number, and different profiles turn them into different
people. It does not read the vault.

Only assessed findings count. A finding reaches the report only when the data met its declared minimum;
below it, it is ``not_assessed`` and adds nothing, whatever a provider could have guessed. A weighted finding
is *assessed* when it was found or checked and not found ("clear": real data showing nothing); it is *not
assessed* when it is in ``not_assessed`` or was not looked at. ``coverage`` says how much of the formula rests
on real data: ``{assessed, weighted, assessed_weight, total_weight, share, not_assessed: [ids], text}``, the
weights being the profile's absolute points, and ``text`` the sentence every rendering shows ("This score rests
on 4 of the profile's 9 weighted findings (38 % of its weight); 5 could not be assessed from your data.").

When no weighted finding could be assessed (a vault of three messages) there is no score: ``value`` is None,
``status`` is ``not scored`` and ``reason`` says why. The base alone is not shown as a result: it would be the
profile's opinion of a person it knows nothing about. Otherwise ``status`` is ``scored``.
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


def _coverage(profile: dict[str, Any], parts: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(abs(w["points"]) for w in profile["weight"])
    assessed = [p for p in parts if p["status"] != "not assessed"]
    missing = [p["finding"] for p in parts if p["status"] == "not assessed"]
    weight = sum(abs(p["weight"]) for p in assessed)
    share = round(weight / total, 2) if total else 0.0
    if not parts:
        text = "This profile weighs no findings: its score is its base."
    elif not assessed:
        text = (f"None of the profile's {len(parts)} weighted findings could be assessed from your data: "
                "there is nothing to score.")
    else:
        text = (f"This score rests on {len(assessed)} of the profile's {len(parts)} weighted findings "
                f"({round(100 * share)} % of its weight)"
                + (f"; {len(missing)} could not be assessed from your data." if missing
                   else "; every one of them could be assessed."))
    return {"assessed": len(assessed), "weighted": len(parts), "assessed_weight": weight, "total_weight": total,
            "share": share, "not_assessed": missing, "text": text}


def compute_score(findings: list[dict[str, Any]], profile: dict[str, Any],
                  not_assessed: list[str] | tuple[str, ...] = (),
                  clear: list[str] | tuple[str, ...] | None = None) -> dict[str, Any]:
    """The score object of the report's JSON: profile, value, parts (one per weighted finding), formula,
    coverage. A part's ``status`` is ``found``, ``not found`` (looked for, nothing there) or ``not assessed``
    (below the finding's minimum, or no data). ``clear``: the ids checked and not found; when given, a weighted
    finding in none of the three lists counts as not assessed (nothing says it was looked for)."""
    by_id = {f["id"]: f for f in findings}
    parts = []
    total = float(profile["base"])
    for w in profile["weight"]:
        f = by_id.get(w["finding"])
        if f is None:
            looked = w["finding"] not in not_assessed and (clear is None or w["finding"] in clear)
            parts.append({"finding": w["finding"], "points": 0, "weight": w["points"], "strength": None,
                          "factor": 0, "why": w.get("why", ""), "found": False,
                          "status": "not found" if looked else "not assessed"})
            continue
        factor = float(profile["strength"][f["strength"]])
        points = round(w["points"] * factor)
        total += points
        parts.append({"finding": w["finding"], "points": points, "weight": w["points"], "strength": f["strength"],
                      "factor": factor, "why": w.get("why", ""), "found": True, "status": "found"})
    coverage = _coverage(profile, parts)
    common = {"profile": profile["name"], "title": profile["title"], "description": profile.get("description", ""),
              "min": profile["min"], "max": profile["max"], "base": profile["base"], "parts": parts,
              "coverage": coverage, "label": LABEL}
    if parts and not coverage["assessed"]:
        return {**common, "value": None, "status": "not scored",
                "reason": ("none of the findings this profile weighs could be assessed: "
                           + ", ".join(coverage["not_assessed"]) + " are below their minimum data or have no "
                           "data (see not_assessed); the base alone would be the profile's opinion of a person it "
                           "knows nothing about"),
                "formula": f"not scored: {coverage['text']}"}
    value = int(max(profile["min"], min(profile["max"], round(total))))
    found = [p for p in parts if p["found"]]
    formula = f"{profile['base']}" + "".join(
        f" {'+' if p['points'] >= 0 else '-'} {abs(p['points'])} ({p['finding']}: {p['weight']} x {p['factor']:g} "
        f"{p['strength']})" for p in found) + f" = {round(total)}"
    if value != round(total):
        formula += f", clamped to {value}"
    return {**common, "value": value, "status": "scored", "reason": None, "formula": formula}
