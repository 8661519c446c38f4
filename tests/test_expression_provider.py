"""The report provider against the report's real Finding model (skipped until the report work is merged)."""

import sqlite3

import pytest

from tests.test_expression import make_vault, msg

model = pytest.importorskip("datavault.findings.model", reason="the report's findings engine is not merged yet")


class _Ctx:
    """The two things the provider uses of the report's Ctx: its connection and its cache."""

    def __init__(self, conn):
        self.conn = conn
        self._cache = {}

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def test_provider_yields_report_findings(tmp_path):
    from datavault.expression.provider import provide

    vault = make_vault(tmp_path / "v.sqlite", messages=[
        msg("2024-01-05T09:00:00", "I hate this traffic, so annoying!!", locator="line 3"),
        msg("2024-02-01T20:00:00", "Going to the protest tomorrow, the union called a strike", locator="line 9"),
        msg("2024-02-02T20:00:00", "Obrigado, até amanhã!", locator="line 10"),
        msg("2024-02-03T20:00:00", "The strike ballot closes on Friday", locator="line 11"),
        msg("2024-02-04T20:00:00", "Picket line at six, bring a protest sign", locator="line 12")]
        # enough of the person's own texts for a mood (expression.findings.MIN_TEXTS)
        + [msg(f"2024-01-{day:02d}T1{k}:00:00", "See you at the station", locator=f"line {100 + 3 * day + k}")
           for day in range(6, 26) for k in range(3)])
    conn = sqlite3.connect(vault)
    conn.row_factory = sqlite3.Row  # as the report opens it
    ctx = _Ctx(conn)
    outcomes = list(provide(ctx))
    findings = [o for o in outcomes if isinstance(o, model.Finding)]
    assert [f.id for f in findings] == ["mood_trajectory", "protest_vocabulary"]
    assert findings[0].evidence[0] == model.Evidence("messages", "2024-01-05T09:00:00",
                                                     "WhatsApp Chat with Jordan Lee.txt", "line 3",
                                                     "I hate this traffic, so annoying!!")
    assert findings[1].sensitive == ["politics", "trade_union"]
    assert [o.as_dict() for o in outcomes if isinstance(o, model.NotAssessed)] == [
        {"id": "mood_trajectory_languages", "reason": "1 texts not scored: the model reads English only (pt 1)"}]
    assert ctx.cached("expression", lambda: None)["bias"]["scorer"].startswith("vader")
    from datavault.expression.html import bias_table_html, trajectory_svg
    from datavault.expression.provider import report_additions

    extras = report_additions(ctx._cache)
    assert [m["month"] for m in extras["sentiment_by_month"]] == ["2024-01", "2024-02"]
    assert trajectory_svg(extras["sentiment_by_month"]) == trajectory_svg(findings[0].details)
    assert "<td>gay</td>" in bias_table_html(extras["bias"])
    assert report_additions({}) == {}
