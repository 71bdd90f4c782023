"""When someone can be reached: the contact centre's hours and when a message may go out.

A message that asks a customer to act is sent only while the contact centre is open (so a
customer who calls back gets a person) and with at least ``min_time_left`` before it closes;
otherwise it waits for the next opening. Hours are per weekday in the centre's own time zone
(Asia/Seoul by default); Korean public holidays (``holidays.KR``, which includes alternative
holidays) are closed days unless ``holidays_closed=False``.

Everything here is pure: ``now`` is always passed in and must be timezone-aware. Results are
returned in the time zone of ``now`` (so UTC in, UTC out), but computed in the centre's zone.

An operator writes the hours as data (TOML or a dict)::

    ContactSchedule.from_mapping({
        "mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00",
        "thu": "09:00-18:00", "fri": "09:00-18:00", "sat": "10:00-14:00", "sun": None,
        "min_time_left_minutes": 120, "holidays_closed": True,
    })
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from sagwa.errors import InvalidInput

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_MIN_TIME_LEFT = timedelta(hours=2)
#: How far ahead next_contact_time looks before declaring the schedule unusable.
SEARCH_DAYS = 400
#: The moments any time zone can still show as a date (a day's margin at each end of the
#: calendar): counting contact time stops there instead of overflowing.
_FIRST_MOMENT = datetime.min.replace(tzinfo=UTC) + timedelta(days=2)
_LAST_MOMENT = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)

Window = tuple[time, time]


def require_aware(moment: datetime, name: str = "time") -> datetime:
    """Return ``moment`` if it carries a time zone, else raise :class:`InvalidInput`."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise InvalidInput(f"{name} must be a timezone-aware datetime, got {moment!r}", field=name,
                           reason="time_without_zone")
    return moment


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year).keys())


def is_korean_holiday(day: date) -> bool:
    """True on a South Korean public holiday (alternative holidays included)."""
    return day in _korean_holidays(day.year)


def _parse_window(day: str, text: object) -> Window | None:
    if text is None:
        return None
    if not isinstance(text, str) or text.count("-") != 1:
        raise InvalidInput(
            f"hours for {day} must look like '09:00-18:00' or be null (closed), got {text!r}",
            field=day, reason="hours_malformed",
        )
    start_text, end_text = (part.strip() for part in text.split("-"))
    try:
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    except ValueError:
        raise InvalidInput(f"hours for {day}: {text!r} is not 'HH:MM-HH:MM'", field=day,
                           reason="hours_malformed") from None
    return start, end


def _parse_dates(raw: object) -> frozenset[date]:
    if isinstance(raw, str) or not hasattr(raw, "__iter__"):
        raise InvalidInput("closed_dates must be a list of dates", field="closed_dates",
                           reason="closed_dates_malformed")
    try:
        return frozenset(d if type(d) is date else date.fromisoformat(str(d)) for d in raw)
    except ValueError as exc:
        raise InvalidInput(f"closed_dates: {exc}", field="closed_dates",
                           reason="closed_dates_malformed") from None


@dataclass(frozen=True)
class ContactSchedule:
    """Opening hours per weekday (index 0 = Monday; ``None`` = closed) and the rules around them."""

    hours: tuple[Window | None, ...]
    min_time_left: timedelta = DEFAULT_MIN_TIME_LEFT
    holidays_closed: bool = True
    timezone: str = DEFAULT_TIMEZONE
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if len(self.hours) != 7:
            raise InvalidInput("hours needs exactly seven entries, Monday first", field="hours",
                               reason="hours_not_seven_days")
        for name, window in zip(WEEKDAYS, self.hours, strict=True):
            if window is not None and not window[0] < window[1]:
                raise InvalidInput(
                    f"hours for {name} close before they open: {window[0]}-{window[1]}", field=name,
                    reason="hours_close_before_open"
                )
        if self.min_time_left < timedelta(0):
            raise InvalidInput("min_time_left cannot be negative", field="min_time_left",
                               reason="min_time_left_negative")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"unknown time zone {self.timezone!r}", field="timezone",
                               reason="timezone_unknown") from None
        if not any(w and _length(w) >= self.min_time_left for w in self.hours):
            raise InvalidInput(
                "no weekday is open long enough to leave min_time_left before closing; "
                "messages could never be sent",
                field="hours", reason="hours_never_long_enough",
            )

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, Any],
        *,
        min_time_left: timedelta | None = None,
        holidays_closed: bool | None = None,
        timezone: str | None = None,
    ) -> ContactSchedule:
        """Build from ``{"mon": "09:00-18:00", ..., "sun": None}``; every weekday must be given.

        Optional keys: ``min_time_left_minutes`` (int), ``holidays_closed`` (bool),
        ``timezone`` (str), ``closed_dates`` (ISO dates). Keyword arguments win over keys.
        """
        optional = {"min_time_left_minutes", "holidays_closed", "timezone", "closed_dates"}
        unknown = set(mapping) - set(WEEKDAYS) - optional
        if unknown:
            raise InvalidInput(f"unknown keys in contact hours: {sorted(unknown)}", field="hours",
                               reason="hours_unknown_keys")
        missing = [day for day in WEEKDAYS if day not in mapping]
        if missing:
            raise InvalidInput(
                f"contact hours must name every weekday (null = closed); missing {missing}",
                field="hours", reason="hours_weekday_missing",
            )
        minutes = mapping.get("min_time_left_minutes", 120)
        closes_on_holidays = mapping.get("holidays_closed", True)
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise InvalidInput(
                f"min_time_left_minutes must be whole minutes, got {minutes!r}",
                field="min_time_left_minutes", reason="min_time_left_not_whole",
            )
        if not isinstance(closes_on_holidays, bool):
            raise InvalidInput(
                f"holidays_closed must be true or false, got {closes_on_holidays!r}",
                field="holidays_closed", reason="holidays_closed_not_bool",
            )
        return cls(
            hours=tuple(_parse_window(day, mapping[day]) for day in WEEKDAYS),
            min_time_left=timedelta(minutes=minutes) if min_time_left is None else min_time_left,
            holidays_closed=closes_on_holidays if holidays_closed is None else holidays_closed,
            timezone=timezone or str(mapping.get("timezone", DEFAULT_TIMEZONE)),
            closed_dates=_parse_dates(mapping.get("closed_dates", ())),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_closed_day(self, day: date) -> bool:
        """Closed all day: no hours that weekday, a listed closed date, or a public holiday."""
        if self.hours[day.weekday()] is None or day in self.closed_dates:
            return True
        return self.holidays_closed and is_korean_holiday(day)

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        """The aware (open, close) datetimes of ``day`` in the centre's zone, or None if closed."""
        window = self.hours[day.weekday()]
        if window is None or self.is_closed_day(day):
            return None
        zone = self.zone
        return (
            datetime.combine(day, window[0], tzinfo=zone),
            datetime.combine(day, window[1], tzinfo=zone),
        )


def _length(window: Window) -> timedelta:
    ref = date(2000, 1, 3)
    return datetime.combine(ref, window[1]) - datetime.combine(ref, window[0])


def may_contact(schedule: ContactSchedule, now: datetime) -> bool:
    """True if a message asking the customer to act may go out at ``now``."""
    local = require_aware(now, "now").astimezone(schedule.zone)
    hours = schedule.opening(local.date())
    if hours is None:
        return False
    opens, closes = hours
    return opens <= local and local + schedule.min_time_left <= closes


def within_hours(schedule: ContactSchedule, moment: datetime) -> bool:
    """True if the centre has been open for a while at ``moment``: after its opening, up to
    and including its closing minute (an answer deadline at 18:00 on an open day lets a
    customer call until then; one at 09:00, the opening minute, leaves them nobody to call
    since the evening before)."""
    local = require_aware(moment, "moment").astimezone(schedule.zone)
    hours = schedule.opening(local.date())
    return hours is not None and hours[0] < local <= hours[1]


def is_open(schedule: ContactSchedule, moment: datetime) -> bool:
    """True if someone is there to take or make a call at ``moment``: from the opening minute,
    before the closing one (a call-back asked for at 09:00 on an open day is in the hours; one
    at 18:00, the closing minute, is not). Not :func:`within_hours`, which is about deadlines."""
    local = require_aware(moment, "moment").astimezone(schedule.zone)
    hours = schedule.opening(local.date())
    return hours is not None and hours[0] <= local < hours[1]


def next_opening(schedule: ContactSchedule, now: datetime) -> datetime:
    """The first moment from ``now`` at which the centre is open (``now`` itself when it is),
    in ``now``'s time zone: when a person can next be reached (not when a message may go out:
    :func:`next_contact_time` also wants time left before closing)."""
    local = require_aware(now, "now").astimezone(schedule.zone)
    for offset in range(SEARCH_DAYS):
        hours = schedule.opening(local.date() + timedelta(days=offset))
        if hours is not None and local < hours[1]:
            return max(hours[0], local).astimezone(now.tzinfo)
    raise InvalidInput(
        f"the contact centre does not open within {SEARCH_DAYS} days of {now.isoformat()}",
        field="hours", reason="centre_never_opens",
    )


def replies_recorded_by(schedule: ContactSchedule, deadline: datetime) -> datetime:
    """Until when a reply by email or text that reached us by ``deadline`` may still be
    recorded as in time: the close of the first open day after the deadline's own day (a whole
    day of staff at the inbox: a deadline on Tuesday at 18:00, until Wednesday's closing; on
    Friday, until the next open day's — Saturday's where the centre opens on Saturdays, else
    Monday's), in ``deadline``'s time zone. After it the deadline's default
    stands, and the seller may send what it kept (``seller_orders``)."""
    local = require_aware(deadline, "deadline").astimezone(schedule.zone)
    next_day = datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=schedule.zone)
    opens = next_opening(schedule, next_day)  # refuses a centre that never opens
    hours = schedule.opening(opens.date())
    assert hours is not None  # it opens that day
    return hours[1].astimezone(deadline.tzinfo)


def last_closing_before(schedule: ContactSchedule, moment: datetime) -> datetime | None:
    """The latest closing time of an open day at or before ``moment`` (searching back
    ``SEARCH_DAYS``), in ``moment``'s time zone; None if there is none."""
    local = require_aware(moment, "moment").astimezone(schedule.zone)
    for offset in range(SEARCH_DAYS):
        hours = schedule.opening(local.date() - timedelta(days=offset))
        if hours is not None and hours[1] <= local:
            return hours[1].astimezone(moment.tzinfo)
    return None


def next_contact_time(schedule: ContactSchedule, now: datetime) -> datetime:
    """``now`` if contact is allowed now, else the next opening, in ``now``'s time zone.

    "Next opening" is the first moment, not earlier than now, at which the centre is open and at
    least ``min_time_left`` remains before it closes.
    """
    require_aware(now, "now")
    if may_contact(schedule, now):
        return now
    local = now.astimezone(schedule.zone)
    for offset in range(SEARCH_DAYS):
        hours = schedule.opening(local.date() + timedelta(days=offset))
        if hours is None:
            continue
        opens, closes = hours
        start = max(opens, local)
        if start + schedule.min_time_left <= closes:
            return start.astimezone(now.tzinfo)
    raise InvalidInput(
        f"the contact centre does not open within {SEARCH_DAYS} days of {now.isoformat()}",
        field="hours", reason="centre_never_opens",
    )


def contact_time_between(schedule: ContactSchedule, start: datetime, end: datetime) -> timedelta:
    """How much open contact-centre time lies between ``start`` and ``end`` (zero if end <= start).

    Used to ask "does the customer get at least 24 contact hours to answer?". Moments within two
    days of the ends of the calendar (year 1, year 9999) count as those two days' edge, so any
    datetime gives an answer, never an ``OverflowError``; the time taken grows with the days
    between ``start`` and ``end``.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    start, end = max(start, _FIRST_MOMENT), min(end, _LAST_MOMENT)
    if end <= start:
        return timedelta(0)
    zone = schedule.zone
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = timedelta(0)
    for offset in range((last - first).days + 1):
        hours = schedule.opening(first + timedelta(days=offset))
        if hours is None:
            continue
        overlap = min(hours[1], end) - max(hours[0], start)
        if overlap > timedelta(0):
            total += overlap
    return total


def contact_time_before(
    schedule: ContactSchedule, deadline: datetime, amount: timedelta
) -> datetime:
    """The latest moment from which ``amount`` of contact time remains before ``deadline``.

    Walks back over open hours; if the hours before the deadline hold less than ``amount``
    (searching back ``SEARCH_DAYS``), returns the earliest opening found.
    """
    require_aware(deadline, "deadline")
    if amount <= timedelta(0):
        return deadline
    zone = schedule.zone
    remaining = amount
    cursor = deadline.astimezone(zone)
    earliest = cursor
    for offset in range(SEARCH_DAYS):
        hours = schedule.opening(cursor.date() - timedelta(days=offset))
        if hours is None:
            continue
        opens, closes = hours
        stop = min(closes, cursor)
        if stop <= opens:
            continue
        if stop - opens >= remaining:
            return (stop - remaining).astimezone(deadline.tzinfo)
        remaining -= stop - opens
        earliest = opens
    return earliest.astimezone(deadline.tzinfo)
