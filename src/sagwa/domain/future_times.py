"""Times someone asks for ahead of now: a call-back time a customer names on a call
(``call_attempts.check_callback_at``), the time an agent sets for a note's follow-up
(``note_follow_ups.check_follow_up``), the time a customer picks for a call
(``call_times.check_call_time``). All are refused the same three ways by
:func:`check_future_time`; each keeps its own field, reasons and words, which the pages'
sentences follow."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.errors import InvalidInput


def check_future_time(at: datetime, now: datetime, *, max_ahead: timedelta, what: str,
                      field: str, zone_reason: str, past_reason: str,
                      too_far_reason: str, passed: str = "is not in the future") -> None:
    """``at`` with a time zone, after ``now`` and at most ``max_ahead`` ahead; otherwise
    InvalidInput on ``field`` with ``zone_reason``, ``past_reason`` or ``too_far_reason`` (this
    one with ``max_days``). ``what`` names the time in the message: "the call-back time";
    ``passed`` says what is wrong with a time at or before ``now``."""
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidInput(f"{what} needs a time zone offset, e.g. 2026-12-07T10:00:00+09:00",
                           field=field, reason=zone_reason)
    if at <= now:
        raise InvalidInput(f"{what} {at.isoformat()} {passed} "
                           f"(now {now.isoformat()})", field=field, reason=past_reason)
    if at - now > max_ahead:
        raise InvalidInput(f"{what} {at.isoformat()} is more than {max_ahead.days} days ahead",
                           field=field, reason=too_far_reason, max_days=max_ahead.days)
