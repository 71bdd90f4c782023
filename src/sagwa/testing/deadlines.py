"""Answer deadlines and open days for tests that run at any hour: a plan's deadline is refused
when the contact centre is closed at it (night, weekend, public holiday), so a test that plans
"three weeks from now" takes the centre's closing time on the first open day from then; and a
test that wants "a Monday, when the centre is open" takes the first Monday that is no public
holiday (a Monday may be 설날, 추석 or an alternative holiday)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sagwa.domain.contact_hours import ContactSchedule, is_open


def _packaged(schedule: ContactSchedule | None) -> ContactSchedule:
    if schedule is not None:
        return schedule
    from sagwa.services.desk_policy import load_desk_policy

    return load_desk_policy().schedule


def closing_time_after(moment: datetime, schedule: ContactSchedule | None = None) -> datetime:
    """The contact centre's closing time on the first open day whose closing is at or after
    ``moment`` (the packaged desk policy's hours unless ``schedule`` is given), in ``moment``'s
    time zone."""
    schedule = _packaged(schedule)
    day = moment.astimezone(schedule.zone).date()
    for offset in range(60):
        hours = schedule.opening(day + timedelta(days=offset))
        if hours is not None and hours[1] >= moment:
            return hours[1].astimezone(moment.tzinfo)
    raise ValueError(f"the contact centre does not open within 60 days of {moment}")


def open_day_after(moment: datetime, *, weekday: int | None = None,
                   schedule: ContactSchedule | None = None) -> date:
    """The first day after ``moment``'s day (in the centre's zone) on which the centre opens —
    the first such ``weekday`` (Monday 0 … Sunday 6) when one is given — by the packaged desk
    policy's hours unless ``schedule`` is given."""
    schedule = _packaged(schedule)
    day = moment.astimezone(schedule.zone).date()
    for offset in range(1, 120):
        candidate = day + timedelta(days=offset)
        if (weekday is None or candidate.weekday() == weekday) and schedule.opening(candidate):
            return candidate
    raise ValueError(f"the contact centre does not open within 120 days of {moment}")


def open_hour_after(moment: datetime, hour: int, *,
                    schedule: ContactSchedule | None = None) -> datetime:
    """``hour``:00 in the centre's zone on the first day after ``moment``'s day when the centre
    is open at that hour (not a Sunday, a holiday, or a Saturday after its early closing)."""
    schedule = _packaged(schedule)
    day = moment.astimezone(schedule.zone).date()
    for offset in range(1, 120):
        at = datetime.combine(day + timedelta(days=offset), time(hour), tzinfo=schedule.zone)
        if is_open(schedule, at):
            return at
    raise ValueError(f"the contact centre is not open at {hour}:00 within 120 days of {moment}")
