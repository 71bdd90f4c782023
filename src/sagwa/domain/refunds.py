"""Refunds the desk owes: each refund it records when it cancels an order (or lowers its
quantity) with the customer's consent is owed until finance pays it and someone marks it paid.

The customer is told the refund is made within 3 business days of the cancellation
(전자상거래법 제18조; ``desk_policy.REFUND_DAYS_BY_LAW``), or fewer where the desk policy's
sentence promises fewer (``ContactDetails.refund_days``). A refund's *due date*
(:func:`refund_due_by`) is the last Korean day on which it is still in time: the cancellation's
day in Korea is not counted (민법 제157조, the first day is not counted), then that many business
days — not Saturdays, Sundays or Korean public holidays (``contact_hours.is_korean_holiday``,
alternative holidays included). A refund still owed after its due date is *overdue*
(:meth:`Refund.overdue`), worked out when read, from ``now``.

Marking a refund paid (:func:`check_paid_at`, :func:`check_reference`) records when it was
paid, the payment's reference (a bank transfer or card-cancellation number) and who said so;
once paid, it stays paid. The step is on the audit log (:data:`REFUND_PAID`).

Finance pays refunds in bank batches: a payments file's rows (:class:`PaymentLine`, the text of
each cell with its line number) are read here (:func:`read_refund_id`, :func:`read_paid_at`);
``services.refunds.check_payments`` checks them all before any is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import overload

from sagwa.domain.contact_hours import is_korean_holiday
from sagwa.domain.identifiers import fold_width, is_ascii_digits
from sagwa.domain.moments import SEOUL, check_moment, korean_days
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput

#: The audit actions of the desk's refunds (``desk_cases.apply_effect``): a row each (the
#: ledger's export reads the same actions, ``adapters/db/ledger_repo``).
REFUND_ACTIONS = ("order.cancel_and_refund", "order.reduce_and_refund")
#: The audit action of a refund marked paid (on its case, so on the incident timeline).
REFUND_PAID = "case.refund_paid"
#: The longest payment reference taken.
MAX_REFERENCE = 200


class RefundStatus(StrEnum):
    OWED = "owed"
    PAID = "paid"


class RefundFilter(StrEnum):
    """Which refunds a list shows: ``overdue`` is owed and past its due date."""

    OWED = "owed"
    OVERDUE = "overdue"
    PAID = "paid"
    ALL = "all"


@dataclass(frozen=True)
class Refund:
    """One refund the desk recorded on ``order_id`` of ``case_id`` (its audit record
    ``audit_seq``), owed to ``customer_id``; paid once ``paid_at`` is set."""

    refund_id: int
    audit_seq: int
    case_id: int
    order_id: int
    customer_id: int
    amount: Money
    cancelled_at: datetime
    due_by: date
    paid_at: datetime | None = None
    paid_reference: str | None = None
    paid_by: str | None = None
    #: Written by migration 0023 from a refund already on the audit log (sagwa did not track
    #: refunds yet, so finance may have paid it outside sagwa), not when the desk recorded it.
    backfilled: bool = False

    @property
    def status(self) -> RefundStatus:
        return RefundStatus.OWED if self.paid_at is None else RefundStatus.PAID

    def overdue(self, now: datetime) -> bool:
        """Still owed, and its due date (a Korean day) is over at ``now``."""
        return self.paid_at is None and now.astimezone(SEOUL).date() > self.due_by

    def state(self, now: datetime) -> RefundFilter:
        """``paid``, ``overdue`` (:meth:`overdue` at ``now``) or ``owed``."""
        if self.paid_at is not None:
            return RefundFilter.PAID
        return RefundFilter.OVERDUE if self.overdue(now) else RefundFilter.OWED


@dataclass(frozen=True)
class ListedRefund:
    """A refund as finance's list shows it: with its incident and whom it is owed to."""

    refund: Refund
    incident_id: int
    customer_name: str
    #: The seller of the refunded order (None: the order is gone).
    seller_id: int | None = None


@dataclass(frozen=True)
class PaymentLine:
    """One row of a payments file as written: its ``line`` in the file and its cells' text
    (``paid_at`` empty: paid now)."""

    line: int
    refund_id: str
    reference: str
    paid_at: str


@dataclass(frozen=True)
class Payment:
    """A refund to mark paid at ``paid_at`` with ``reference`` (checked)."""

    refund: Refund
    paid_at: datetime
    reference: str


def read_refund_id(text: str) -> int:
    """A refund id as typed (full-width digits read too); InvalidInput otherwise."""
    digits = fold_width(text).strip()
    if not is_ascii_digits(digits):
        raise InvalidInput(f"{text!r} is not a refund id (a whole number, as `sagwa refunds "
                           "list` shows it)", field="refund_id", reason="refund_id_malformed")
    return int(digits)


def read_paid_at(text: str, now: datetime) -> datetime | date:
    """A payment time as typed: ISO 8601, Korea time without a zone; empty: ``now``; a day
    alone (``2026-12-07``, as a bank statement gives it): that day (:func:`check_paid_at`)."""
    if not text.strip():
        return now
    day = day_alone(text)
    if day is not None:
        return day
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"the payment time {text!r} is not an ISO date-time like "
                           "2026-12-07T10:00 (Korea time) or 2026-12-07T10:00+09:00",
                           field="paid_at", reason="refund_paid_at_malformed") from None
    return check_moment(moment if moment.tzinfo else moment.replace(tzinfo=SEOUL), "paid_at")


def paid_days(since: date | None, until: date | None,
              which: RefundFilter) -> tuple[datetime | None, datetime | None]:
    """The moments from the start of Korean day ``since`` to the end of ``until`` (either
    open): the refunds paid in those days (a month's, for its books). InvalidInput when the
    days are the wrong way round, or when ``which`` lists refunds still owed (none of which
    was paid)."""
    if since is None and until is None:
        return None, None
    if which not in (RefundFilter.PAID, RefundFilter.ALL):
        raise InvalidInput("the days a refund was paid pick paid refunds: give the status "
                           f"paid (or all), not {which.value}", field="status",
                           reason="refund_paid_days_need_paid", status=which.value)
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"the days are the wrong way round: paid from {since} is after "
                           f"paid to {until}", field="paid_from",
                           reason="refund_paid_days_reversed")
    return korean_days(since, until)


def day_alone(text: str) -> date | None:
    """The day ``text`` names when it is a day and no time (``2026-12-07``), else None."""
    text = text.strip()
    if len(text) != len("2026-12-07"):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def is_business_day(day: date) -> bool:
    """Monday to Friday, and not a Korean public holiday."""
    return day.weekday() < 5 and not is_korean_holiday(day)


def refund_due_by(cancelled_at: datetime, business_days: int) -> date:
    """The last Korean day a refund of a cancellation at ``cancelled_at`` is in time: the
    ``business_days``-th business day after the cancellation's day in Korea."""
    if cancelled_at.utcoffset() is None:
        raise InvalidInput("the cancellation time needs a time zone", field="cancelled_at",
                           reason="time_without_zone")
    day, counted = cancelled_at.astimezone(SEOUL).date(), 0
    while counted < business_days:
        day += timedelta(days=1)
        counted += is_business_day(day)
    return day


def check_paid_at(refund: Refund, paid_at: datetime | date, now: datetime) -> datetime:
    """When a refund was paid: with a zone, not after ``now`` and not before its
    cancellation. InvalidInput (field ``paid_at``) otherwise.

    A day alone (a ``date``: a bank statement gives no time) is recorded as the start of that
    day in Korea, or as the cancellation's moment when the order was cancelled that day (paid
    the same day, after it); a day before the cancellation's, or after today, is refused."""
    if not isinstance(paid_at, datetime):
        paid_at = _paid_on(refund, paid_at, now)
    if paid_at.utcoffset() is None:
        raise InvalidInput(f"the payment time {paid_at.isoformat()} has no time zone: add "
                           "+09:00 for Korea time (e.g. 2026-12-07T10:00:00+09:00)",
                           field="paid_at", reason="refund_paid_at_without_zone")
    if paid_at > now:
        raise InvalidInput(f"the payment time {korea_time(paid_at)} (Korea time) is in the "
                           f"future (now {korea_time(now)}); give when the refund was really "
                           "paid",
                           field="paid_at", reason="refund_paid_at_future",
                           paid_at=paid_at.isoformat())
    if paid_at < refund.cancelled_at:
        paid_said, cancelled_said = korea_time(paid_at), korea_time(refund.cancelled_at)
        if paid_said == cancelled_said:  # the same minute: the seconds tell them apart
            paid_said, cancelled_said = (f"{t.astimezone(SEOUL):%Y-%m-%d %H:%M:%S}"
                                         for t in (paid_at, refund.cancelled_at))
        raise InvalidInput(f"refund {refund.refund_id} cannot have been paid at "
                           f"{paid_said} (Korea time): its order was cancelled "
                           f"later, at {cancelled_said}", field="paid_at",
                           reason="refund_paid_before_cancellation",
                           paid_at=paid_at.isoformat(),
                           cancelled_at=refund.cancelled_at.astimezone(SEOUL).isoformat())
    return paid_at


def _paid_on(refund: Refund, day: date, now: datetime) -> datetime:
    cancelled_on = refund.cancelled_at.astimezone(SEOUL).date()
    today = now.astimezone(SEOUL).date()
    if day > today:
        raise InvalidInput(f"the payment day {day} is in the future (today is {today} in "
                           "Korea); give the day the refund was really paid",
                           field="paid_at", reason="refund_paid_at_future",
                           paid_at=day.isoformat())
    if day < cancelled_on:
        raise InvalidInput(f"refund {refund.refund_id} cannot have been paid on {day}: its "
                           f"order was cancelled later, on {cancelled_on} (Korea time)",
                           field="paid_at", reason="refund_paid_before_cancellation",
                           paid_at=day.isoformat(),
                           cancelled_at=refund.cancelled_at.astimezone(SEOUL).isoformat())
    return max(datetime.combine(day, time(), SEOUL), refund.cancelled_at)


def check_reference(reference: str | None) -> str:
    """The payment's reference (a transfer or card-cancellation number), stripped: something,
    at most :data:`MAX_REFERENCE` characters."""
    text = (reference or "").strip()
    if not text:
        raise InvalidInput("give the payment's reference (the transfer or card-cancellation "
                           "number finance paid it with)", field="reference",
                           reason="refund_reference_required")
    if len(text) > MAX_REFERENCE:
        raise InvalidInput(f"the payment reference is at most {MAX_REFERENCE} characters",
                           field="reference", reason="refund_reference_too_long",
                           max_chars=MAX_REFERENCE)
    return text


@overload
def korea_time(at: datetime, *, iso: bool = False) -> str: ...
@overload
def korea_time(at: None, *, iso: bool = False) -> None: ...
@overload
def korea_time(at: datetime | None, *, iso: bool = False) -> str | None: ...


def korea_time(at: datetime | None, *, iso: bool = False) -> str | None:
    """``at`` as shown in Korea: ``2026-12-07 10:00`` to the minute, or (``iso``) ISO 8601 at
    +09:00, as the JSON outputs give it; None stays None."""
    if at is None:
        return None
    return at.astimezone(SEOUL).isoformat() if iso else f"{at.astimezone(SEOUL):%Y-%m-%d %H:%M}"
