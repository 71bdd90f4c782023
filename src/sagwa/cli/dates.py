"""Times and days typed on the command line, read as Korea time (Asia/Seoul): ``--deadline``,
``--window-start`` and the like (:func:`parse_time`), and days like ``--before``,
``--recorded-before`` or ``--asked-on`` (:func:`parse_day`). A malformed one is an InvalidInput
naming the option."""

from __future__ import annotations

from datetime import date, datetime

from sagwa.domain.moments import SEOUL, check_moment
from sagwa.errors import InvalidInput


def parse_time(text: str, field: str) -> datetime:
    """ISO 8601; a time without a zone is Korea time (Asia/Seoul)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} {text!r} is not an ISO date-time like 2008-06-12T14:00",
                           field=field, reason="time_malformed") from None
    return check_moment(moment if moment.tzinfo else moment.replace(tzinfo=SEOUL), field)


def parse_day(text: str, flag: str) -> date:
    """A day as YYYY-MM-DD (Korea time) given to ``flag`` (``--asked-on``); InvalidInput
    ``date_malformed`` naming the flag otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{flag} {text!r}은(는) 2026-12-01 같은 날짜가 아닙니다. {flag} "
                           f"{text!r} is not a day like 2026-12-01",
                           field=flag.removeprefix("--").replace("-", "_"),
                           reason="date_malformed") from None
