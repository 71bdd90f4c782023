"""Until when a reply that reached us by the answer deadline may still be recorded
(``contact_hours.replies_recorded_by``): the close of the contact centre's first open day
after the deadline's own day, in the deadline's zone — with the built-in hours (weekdays 9–18,
Saturday 10–14, closed Sundays and Korean holidays)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sagwa.domain.contact_hours import replies_recorded_by
from sagwa.domain.moments import SEOUL
from sagwa.services.desk_policy import load_desk_policy

SCHEDULE = load_desk_policy().schedule


@pytest.mark.parametrize(("deadline", "until"), [
    # Tuesday 18:00 -> Wednesday's closing
    (datetime(2026, 12, 8, 18, 0, tzinfo=SEOUL), datetime(2026, 12, 9, 18, 0, tzinfo=SEOUL)),
    # Friday 18:00 -> Saturday's closing (the centre opens on Saturdays, 10-14)
    (datetime(2026, 12, 11, 18, 0, tzinfo=SEOUL), datetime(2026, 12, 12, 14, 0, tzinfo=SEOUL)),
    # Saturday -> Monday (closed on Sunday)
    (datetime(2026, 12, 12, 14, 0, tzinfo=SEOUL), datetime(2026, 12, 14, 18, 0, tzinfo=SEOUL)),
    # Thursday 24 December -> Christmas is a holiday: Saturday's closing
    (datetime(2026, 12, 24, 18, 0, tzinfo=SEOUL), datetime(2026, 12, 26, 14, 0, tzinfo=SEOUL)),
    # a morning deadline still gives the whole next open day, not the rest of its own
    (datetime(2026, 12, 8, 11, 0, tzinfo=SEOUL), datetime(2026, 12, 9, 18, 0, tzinfo=SEOUL)),
])
def test_the_close_of_the_next_open_day(deadline: datetime, until: datetime) -> None:
    assert replies_recorded_by(SCHEDULE, deadline) == until


def test_a_deadline_read_in_utc_is_answered_in_utc_for_the_same_korean_day() -> None:
    """Tuesday 18:00 in Seoul is 09:00 UTC: the answer is Wednesday 18:00 Seoul, in UTC."""
    deadline = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    until = replies_recorded_by(SCHEDULE, deadline)
    assert until == datetime(2026, 12, 9, 9, 0, tzinfo=UTC) and until.tzinfo is UTC


def test_a_plans_window_is_the_one_fixed_at_the_default_else_the_hours_of_now() -> None:
    """``IncidentPlan.replies_recorded_by``: the deadline job writes the window it applied the
    default under (``replies_until``), and hours changed after it do not move it."""
    import dataclasses

    from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
    from sagwa.domain.money import Money

    tuesday = datetime(2026, 12, 8, 18, 0, tzinfo=SEOUL)
    plan = IncidentPlan(7, frozenset({CustomerOption.KEEP}), tuesday, DefaultAction.KEEP, 100, 0,
                        datetime(2026, 12, 5, 22, 0, tzinfo=SEOUL), Money(185_000, "KRW"))
    wednesday_off = dataclasses.replace(SCHEDULE, closed_dates=frozenset({
        datetime(2026, 12, 9).date()}))
    assert plan.replies_recorded_by(SCHEDULE) == datetime(2026, 12, 9, 18, 0, tzinfo=SEOUL)
    assert plan.replies_recorded_by(wednesday_off) == datetime(2026, 12, 10, 18, 0, tzinfo=SEOUL)
    fixed = dataclasses.replace(plan, replies_until=datetime(2026, 12, 9, 18, 0, tzinfo=SEOUL))
    assert fixed.replies_recorded_by(wednesday_off) == datetime(2026, 12, 9, 18, 0, tzinfo=SEOUL)
