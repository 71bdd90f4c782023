"""`sagwa replay aladin-2008 --format json`: the 2008 incident and the same with sagwa."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sagwa.cli.main import app
from sagwa.config import get_settings

KEYS = {"orders_at_wrong_price", "cancelled_without_consent", "minutes_to_public_notice",
        "minutes_to_first_apology", "customers_affected", "customers_notified_in_contact_hours",
        "messages_failing_check", "threats_sent", "compensation_points"}


def test_replay_shows_the_difference_sagwa_makes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["replay", "aladin-2008", "--format", "json",
                                          "--customers", "120"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "aladin-2008"
    for part in ("as_happened", "with_guard", "with_desk"):
        assert KEYS <= set(data[part])
    before, guard, desk = data["as_happened"], data["with_guard"], data["with_desk"]
    assert before["cancelled_without_consent"] == before["orders_at_wrong_price"] == 120
    assert before["minutes_to_first_apology"] is None and before["threats_sent"] >= 1
    assert before["minutes_to_public_notice"] > 24 * 60
    assert guard["price_change_verdict"] == "hold" and guard["orders_at_wrong_price"] == 0
    assert desk["cancelled_without_consent"] == 0
    assert desk["messages_failing_check"] == 0 and desk["threats_sent"] == 0
    assert desk["minutes_to_public_notice"] <= 60
    assert desk["customers_affected"] >= 1
    assert desk["customers_notified_in_contact_hours"] == desk["customers_affected"]
