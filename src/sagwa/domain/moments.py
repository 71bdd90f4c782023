"""The times people type (a promotion's window, an incident's window, an answer deadline): from
1970 to 2199. A time outside that range is a typo, and some cannot even be shown: the last
hour of 9999 in UTC is the year 10000 in Korea time, past what Python's dates hold (a seller's
promotion ending "9999-12-31T23:59:59Z" took the review page down for every reviewer)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sagwa.errors import InvalidInput

#: Korea time, in which people read and type every time sagwa shows (KST, UTC+9, no DST).
SEOUL = ZoneInfo("Asia/Seoul")
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # not included
OUT_OF_RANGE = "moment_out_of_range"


def out_of_range(moment: datetime) -> bool:
    """Whether ``moment`` (with its zone) lies outside 1970-01-01 to 2199-12-31 in UTC."""
    try:
        return not EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:  # year 1 or 9999 with an offset that takes it past the range
        return True


def check_moment(moment: datetime, field: str) -> datetime:
    """``moment``, or :class:`InvalidInput` (reason ``moment_out_of_range``) saying the range."""
    if out_of_range(moment):
        raise InvalidInput(f"{field} {moment.isoformat()} is out of range: give a time from "
                           f"1970 to 2199", field=field, reason=OUT_OF_RANGE)
    return moment


def day_start(day: date) -> datetime:
    """The instant the Korean day ``day`` begins (its 00:00 in Korea time)."""
    return datetime.combine(day, time(), SEOUL)


def day_end(day: date) -> datetime:
    """The instant the Korean day ``day`` ends: the next day's 00:00 in Korea time (a time
    before it is still on ``day``)."""
    return day_start(day + timedelta(days=1))


def korean_days(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The moments from the start of ``since`` (inclusive) to the end of ``until`` (exclusive),
    both Korean days; either None: open on that side."""
    return (day_start(since) if since else None, day_end(until) if until else None)
