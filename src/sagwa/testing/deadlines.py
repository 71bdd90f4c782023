"""Answer deadlines for tests that run at any hour: a plan's deadline is refused when the
contact centre is closed at it (night, weekend, public holiday), so a test that plans "three
weeks from now" takes the centre's closing time on the first open day from then."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.contact_hours import ContactSchedule


def closing_time_after(moment: datetime, schedule: ContactSchedule | None = None) -> datetime:
    """The contact centre's closing time on the first open day whose closing is at or after
    ``moment`` (the packaged desk policy's hours unless ``schedule`` is given), in ``moment``'s
    time zone."""
    if schedule is None:
        from sagwa.services.desk_policy import load_desk_policy

        schedule = load_desk_policy().schedule
    day = moment.astimezone(schedule.zone).date()
    for offset in range(60):
        hours = schedule.opening(day + timedelta(days=offset))
        if hours is not None and hours[1] >= moment:
            return hours[1].astimezone(moment.tzinfo)
    raise ValueError(f"the contact centre does not open within 60 days of {moment}")
