"""The plan form's default deadline: closing time of an open day five days on, in the contact
centre's time zone (it was 09:00 UTC — 18:00 in Seoul — whatever the day)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.incident_context import default_deadline

SEOUL = ZoneInfo("Asia/Seoul")
SCHEDULE = load_desk_policy().schedule


def test_five_days_on_at_closing_time_in_seoul() -> None:
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # Tuesday 1 December, 08:30 in Seoul
    deadline = default_deadline(now, SCHEDULE).astimezone(SEOUL)
    close = SCHEDULE.opening(deadline.date())
    assert deadline.date().isoformat() == "2026-12-07"  # Sunday the 6th is closed: Monday
    assert close is not None and deadline == close[1]


def test_a_closed_day_moves_the_deadline_to_the_next_open_one() -> None:
    now = datetime(2026, 9, 19, 3, 0, tzinfo=UTC)  # five days on is 24 Sep, Chuseok
    deadline = default_deadline(now, SCHEDULE).astimezone(SEOUL)
    assert SCHEDULE.opening(deadline.date()) is not None
    assert deadline.date() > datetime(2026, 9, 24).date()
