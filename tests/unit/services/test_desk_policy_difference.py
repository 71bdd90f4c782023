"""The desk policy's ``[difference] reminder_after_days`` (when a difference still unpaid after
the discount choice is recalled to the customer) is read strictly; 0 turns the reminder off."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
LINE = "reminder_after_days = 3"
FOLLOW_UP = "follow_up_after_days = 7"


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_policy_reminds_three_days_after_the_choice() -> None:
    assert "[difference]\n" in SHIPPED and LINE in SHIPPED
    assert load_desk_policy().difference_reminder_after == timedelta(days=3)


@pytest.mark.parametrize(("days", "after"), [(1, timedelta(days=1)), (30, timedelta(days=30)),
                                             (0, None)])
def test_the_days_in_the_file_are_used_and_zero_sends_none(
        tmp_path: Path, days: int, after: timedelta | None) -> None:
    # without the follow-up's own line, which must come later than the reminder
    text = SHIPPED.replace(LINE, f"reminder_after_days = {days}").replace(FOLLOW_UP, "")
    assert load_desk_policy(_policy_file(tmp_path, text)).difference_reminder_after == after


def test_a_file_without_the_table_reminds_after_three_days(tmp_path: Path) -> None:
    text = SHIPPED.split("[difference]")[0]
    assert "reminder_after_days" not in text
    assert load_desk_policy(_policy_file(tmp_path, text)).difference_reminder_after == (
        timedelta(days=3))


@pytest.mark.parametrize("bad", ["-1", "31", '"3"', "3.5", "true", "[3]"])
def test_days_outside_zero_to_thirty_or_not_whole_are_refused(tmp_path: Path, bad: str) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace(LINE, f"reminder_after_days = {bad}"))
    with pytest.raises(InvalidInput) as refused:
        load_desk_policy(path)
    assert (refused.value.details["table"], refused.value.details["key"]) == (
        "difference", "reminder_after_days")
    assert (f"{path}: [difference] reminder_after_days must be a whole number of days from 0 "
            "(no reminder) to 30") in refused.value.message


def test_an_unknown_key_in_difference_is_refused(tmp_path: Path) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace(LINE, "remind_after_days = 3"))
    with pytest.raises(InvalidInput) as refused:
        load_desk_policy(path)
    assert "[difference] remind_after_days is not a known setting; known: reminder_after_days" in (
        refused.value.message)
