"""The figures a "deadline too close" refusal gives (``desk_notify.require_time_to_answer``):
the contact-centre hours left are rounded down, so a refusal never says it leaves as many
hours as it says are needed ("leaving 24.0 h … need at least 24 h", for 23 h 58 min)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from sagwa.errors import Conflict
from sagwa.services.desk_notify import require_time_to_answer
from sagwa.services.desk_policy import load_desk_policy

#: The demo's policy: the contact centre open 00:00-23:59 every day (a minute closed each
#: night), 24 hours to answer.
ALWAYS_OPEN = load_desk_policy(Path(__file__).resolve().parents[2] / "docs" / "demo-desk.toml")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.mark.parametrize(("after", "said"), [
    (timedelta(hours=24), "23.9"),  # 23 h 59 min of contact hours: not "24.0"
    (timedelta(hours=23, minutes=31), "23.5"),  # 23 h 30 min
    (timedelta(hours=23, minutes=1), "23"),  # 23 h exactly
    (timedelta(minutes=5), "0"),  # 5 minutes: not "0.1"
])
def test_the_hours_left_are_rounded_down(after: timedelta, said: str) -> None:
    with pytest.raises(Conflict) as refused:
        require_time_to_answer(SimpleNamespace(deadline=NOW + after), ALWAYS_OPEN, NOW)  # type: ignore[arg-type]
    details = refused.value.details
    assert (details["contact_hours_left"], details["min_answer_hours"]) == (said, "24")
    assert f"leaving {said} h of contact-centre hours" in refused.value.message


def test_a_deadline_with_the_minimum_left_is_not_refused() -> None:
    deadline = NOW + timedelta(hours=24, minutes=1)  # 24 h of contact hours
    assert require_time_to_answer(SimpleNamespace(deadline=deadline), ALWAYS_OPEN,  # type: ignore[arg-type]
                                  NOW) == NOW
