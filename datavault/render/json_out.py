"""The report as JSON (schema ``datavault-report/1``): the contract's keys (generated, findings, not_assessed,
score) plus schema, timezone, rules_version, vault, summary, clear, charts, redacted, caveats. Keys are
stable; new keys may be added, none removed or renamed without a new schema version."""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
