"""`sagwa replay aladin-2008 --format json`: the 2008 incident and the same with sagwa."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import pytest
from click.testing import Result
from rich.console import Console
from typer.testing import CliRunner

from sagwa.cli.main import app
from sagwa.cli.replay import format_table
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


# A small replay, run once for the tests below (the figures' sources: --customers 10).
SMALL = 10


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SAGWA_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, ["replay", "aladin-2008", "--format", "json",
                                            "--customers", str(SMALL)])
        finally:
            get_settings.cache_clear()


def _parts(run: Result) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    return data["as_happened"], data["with_guard"], data["with_desk"]


def _table(run: Result) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(format_table(json.loads(run.stdout)))
    return console.export_text()


def _row(table: str, label: str) -> list[str]:
    """The three cells of the table's row ``label``."""
    line = next(line for line in table.splitlines() if line.startswith(f"│ {label} "))
    return [cell.strip() for cell in line.strip("│").split("│")[1:]]


def test_a_replay_of_ten_customers_runs_and_the_tripwire_pauses_the_listing(small_run) -> None:
    """--customers 10 crashed: ten customers spread over four hours ordered at 2.5 an hour, not
    2008's 75, which the tripwire rightly took for an ordinary promotion; the rush now keeps
    2008's pace, so it is paused after 5 orders and the other 5 are refused."""
    before, _, desk = _parts(small_run)
    assert before["orders_at_wrong_price"] == SMALL
    assert desk["orders_at_wrong_price"] == 5
    assert desk["orders_refused_after_pause"] == SMALL - 5


def test_minutes_to_the_public_notice_count_from_the_wrong_price_going_live(small_run) -> None:
    before, guard, desk = _parts(small_run)
    assert before["wrong_price_live_at"] == "2008-06-12T14:00:00+09:00"
    assert before["public_notice_at"] == "2008-06-14T18:30:00+09:00"
    assert before["minutes_from_wrong_price_to_public_notice"] == 2 * 24 * 60 + 4 * 60 + 30
    # the old key keeps its meaning: from the platform's first mass message (18:30's text), not
    # the seller's own calls at 18:00
    assert before["minutes_to_public_notice"] == 2 * 24 * 60
    live = datetime.fromisoformat(desk["wrong_price_live_at"])
    notice = datetime.fromisoformat(desk["public_notice_at"])
    assert live == datetime.fromisoformat("2008-06-12T14:05:00+09:00")  # the approval
    assert desk["minutes_from_wrong_price_to_public_notice"] == round(
        (notice - live).total_seconds() / 60, 1)
    assert guard["wrong_price_live_at"] is None
    table = _table(small_run)
    assert _row(table, "minutes: live → public notice") == [
        "3,150.0", "—", f"{desk['minutes_from_wrong_price_to_public_notice']:,.1f}"]
    assert _row(table, "wrong price live (KST)") == ["06-12 14:00", "—", "06-12 14:05"]


def test_the_table_shows_refused_orders_units_and_every_choice(small_run) -> None:
    before, guard, desk = _parts(small_run)
    choices = ("customers_kept", "customers_cancelled_with_compensation",
               "customers_asked_for_a_person", "customers_defaulted")
    assert sum(desk[k] for k in choices) == desk["customers_affected"]
    assert desk["customers_asked_for_a_person"] >= 1
    assert all(before[k] == 0 for k in choices)  # 2008 asked nobody
    assert desk["compensation_points"] == (desk["customers_cancelled_with_compensation"]
                                           * desk["compensation_points_per_cancellation"])
    assert desk["units_at_wrong_price"] >= desk["orders_at_wrong_price"]
    assert (before["orders_refused_after_pause"], guard["orders_refused_after_pause"]) == (None, 0)
    table = _table(small_run)
    assert _row(table, "orders refused after pause") == ["—", "0", str(SMALL - 5)]
    for label, key in (("units at wrong price", "units_at_wrong_price"),
                       ("chose: keep the order", "customers_kept"),
                       ("chose: cancel + compensation", "customers_cancelled_with_compensation"),
                       ("chose: talk to a person", "customers_asked_for_a_person"),
                       ("no answer: took the default", "customers_defaulted")):
        assert _row(table, label) == [str(before[key]), str(guard[key]), str(desk[key])]
    assert _row(table, "points per cancellation")[2] == "10,000"


def test_the_table_and_the_json_carry_the_same_price_change_facts(small_run) -> None:
    before, guard, desk = _parts(small_run)
    assert [p["price_change_verdict"] for p in (before, guard, desk)] == [None, "hold", "hold"]
    assert [p["price_change_status"] for p in (before, guard, desk)] == [
        "applied", "held", "approved"]
    assert desk["price_change_decided_by"] == "reviewer:by-mistake"
    assert guard["price_change_reason"] and desk["price_change_reason"]
    table = _table(small_run)
    assert _row(table, "price change verdict") == ["(no guard)", "hold", "hold"]
    assert _row(table, "the wrong price was") == ["applied", "held", "approved"]
    words = " ".join(table.split())
    assert guard["price_change_reason"] in words
    assert f"approved by reviewer:by-mistake: {desk['price_change_decision_reason']}" in words


def test_notices_failing_the_check_are_counted_apart_from_messages(small_run) -> None:
    before, _, _ = _parts(small_run)
    # 10 one-line cancellation texts and the seller's 5 calls; the late notice on its own
    assert before["customer_messages_failing_check"] == SMALL + 5
    assert before["notices_failing_check"] == 1
    assert before["messages_failing_check"] == SMALL + 5 + 1  # the old key: both, as before
    table = _table(small_run)
    assert _row(table, "texts, calls failing check")[0] == str(SMALL + 5)
    assert _row(table, "notices failing check")[0] == "1"


def test_the_replay_does_not_announce_its_scratch_databases(small_run) -> None:
    assert small_run.exit_code == 0, small_run.output
    assert "no database in" not in small_run.stderr
