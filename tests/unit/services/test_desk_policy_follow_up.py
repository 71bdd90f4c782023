"""The desk policy's ``[difference] follow_up_after_days`` (when a difference still unpaid is
listed for an agent to follow up) is read strictly: a whole number of days up to 60, 0 keeps no
list, and it must come after the reminder; a file that leaves it out follows up 4 days after
its own reminder, so a file that only moved the reminder still loads."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
REMINDER = "reminder_after_days = 3"
LINE = "follow_up_after_days = 7"


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return load_desk_policy(path)


def _refused(tmp_path: Path, text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, text)
    assert refused.value.details["reason"] == "policy_value_invalid"
    assert (refused.value.details["table"], refused.value.details["key"]) == (
        "difference", "follow_up_after_days")
    return refused.value


def test_the_shipped_policy_follows_up_a_week_after_the_choice() -> None:
    assert LINE in SHIPPED
    assert load_desk_policy().difference_follow_up_after == timedelta(days=7)


@pytest.mark.parametrize(("days", "after"), [(4, timedelta(days=4)), (60, timedelta(days=60)),
                                             (0, None)])
def test_the_days_in_the_file_are_used_and_zero_keeps_no_list(
        tmp_path: Path, days: int, after: timedelta | None) -> None:
    text = SHIPPED.replace(LINE, f"follow_up_after_days = {days}")
    assert _load(tmp_path, text).difference_follow_up_after == after


@pytest.mark.parametrize(("reminder", "after"), [(3, 7), (10, 14), (30, 34), (0, 7), (1, 7)])
def test_left_out_it_comes_four_days_after_the_files_reminder(
        tmp_path: Path, reminder: int, after: int) -> None:
    text = SHIPPED.replace(LINE, "").replace(REMINDER, f"reminder_after_days = {reminder}")
    assert _load(tmp_path, text).difference_follow_up_after == timedelta(days=after)


def test_a_file_without_the_table_follows_up_after_a_week(tmp_path: Path) -> None:
    text = SHIPPED.split("[difference]")[0]
    assert _load(tmp_path, text).difference_follow_up_after == timedelta(days=7)


@pytest.mark.parametrize("days", [3, 2])
def test_a_follow_up_not_after_the_reminder_is_refused(tmp_path: Path, days: int) -> None:
    refused = _refused(tmp_path, SHIPPED.replace(LINE, f"follow_up_after_days = {days}"))
    assert (f"[difference] follow_up_after_days must be later than reminder_after_days (3), "
            f"or 0 (got {days})") in refused.message


def test_without_a_reminder_any_follow_up_day_will_do(tmp_path: Path) -> None:
    text = SHIPPED.replace(REMINDER, "reminder_after_days = 0").replace(
        LINE, "follow_up_after_days = 1")
    policy = _load(tmp_path, text)
    assert (policy.difference_reminder_after, policy.difference_follow_up_after) == (
        None, timedelta(days=1))


@pytest.mark.parametrize("bad", ["-1", "61", '"7"', "7.5", "true", "[7]"])
def test_days_outside_zero_to_sixty_or_not_whole_are_refused(tmp_path: Path, bad: str) -> None:
    refused = _refused(tmp_path, SHIPPED.replace(LINE, f"follow_up_after_days = {bad}"))
    assert ("[difference] follow_up_after_days must be a whole number of days from 0 "
            "(no follow-up list) to 60") in refused.message
