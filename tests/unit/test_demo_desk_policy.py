"""The demo's desk policy (README, "The incident desk on the demo") loads, and keeps the contact
centre open at any hour, so the desk can be walked on the demo on a Saturday night."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sagwa.domain.contact_hours import may_contact
from sagwa.services.desk_policy import load_desk_policy

DEMO = Path(__file__).resolve().parents[2] / "docs" / "demo-desk.toml"
SEOUL = ZoneInfo("Asia/Seoul")


def test_the_demo_policy_sends_at_any_hour_and_the_packaged_one_waits() -> None:
    saturday_night = datetime(2026, 12, 5, 22, 30, tzinfo=SEOUL)
    new_year = datetime(2027, 1, 1, 3, 0, tzinfo=SEOUL)  # a holiday, at night
    demo = load_desk_policy(DEMO)
    for moment in (saturday_night, new_year):
        assert may_contact(demo.schedule, moment)
    packaged = load_desk_policy()
    assert not may_contact(packaged.schedule, saturday_night)
