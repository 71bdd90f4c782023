"""Refunds owed: every refund the desk records is owed to the customer until finance pays it
and someone marks it paid (``sagwa.domain.refunds``).

:func:`owe_refund` runs inside the transaction that cancels the order (``desk_cases.
apply_effect``, right after its refund audit record), so a cancellation and the refund it owes
are written together or not at all; :func:`mark_refund_paid` is its own use case, on the audit
log (``case.refund_paid``, so on the incident timeline), and tells the customer their refund
was paid (``refund_notices``: the record says by which channel, or why not);
:func:`list_refunds` is finance's list
(``sagwa refunds list``, ``GET /api/refunds``).

Finance pays in bank batches: :func:`mark_refunds_paid` marks a payments file's refunds in one
transaction, all or none (:func:`check_payments` reports every bad row with its line and
reason; a file that carries the refunds' amounts, as the list's CSV does, must carry sagwa's:
:func:`check_stated_amount`); :func:`mark_owed_paid_before` marks every refund recorded before
sagwa tracked refunds (backfilled by migration 0023: finance may have paid them outside sagwa)
still owed that was cancelled before a Korean day, paid at the moment it runs — never one
the desk recorded since. Each marked refund gets its own ``case.refund_paid`` record, as one
marked alone, naming the refund's ``audit_seq`` (an upgrade after a downgrade restores the
payment from it); a batch appends them to the audit log in one go (``append_many``: its head is
locked until commit). A payments file's refunds are told of as one marked alone; those
marked paid as recorded before sagwa tracked refunds are not (when they were paid is not known).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from typing import Any

from sagwa.domain.audit import AuditEvent, AuditRecord
from sagwa.domain.identifiers import fold_width, whole_number_in
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import CURRENCY_EXPONENTS, Money, format_money
from sagwa.domain.refunds import (
    REFUND_ACTIONS,
    REFUND_PAID,
    ListedRefund,
    Payment,
    PaymentLine,
    Refund,
    RefundFilter,
    check_paid_at,
    check_reference,
    korea_time,
    paid_days,
    read_paid_at,
    read_refund_id,
    refund_due_by,
)
from sagwa.errors import Conflict, InvalidInput, NotFound, SagwaError
from sagwa.services.desk_policy import REFUND_DAYS_BY_LAW, DeskPolicy, load_desk_policy
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.outbox import enqueue_messages
from sagwa.services.recorded_texts import audit_text
from sagwa.services.refund_notices import Notices, refund_paid_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The idempotency scope of marking a refund paid.
PAID_SCOPE = "refund_paid"


def owe_refund(uow: SqlAlchemyUnitOfWork, record: AuditRecord, *, customer_id: int,
               days: int = REFUND_DAYS_BY_LAW) -> int | None:
    """Inside the caller's unit of work: the refund the desk's audit record ``record`` (an
    ``order.cancel_and_refund`` or ``order.reduce_and_refund``) recorded is owed to
    ``customer_id``, due ``days`` Korean business days after it (the desk policy's promise,
    ``ContactDetails.refund_days``: at most the law's 3). Its id; None for any other record,
    or one that refunds nothing."""
    event, after = record.event, record.event.after or {}
    amount = after.get("amount")
    if event.action not in REFUND_ACTIONS or not amount or int(amount["amount_minor"]) <= 0:
        return None
    return uow.refunds.add(
        audit_seq=record.seq, case_id=int(after["case_id"]), order_id=int(event.entity_id),
        customer_id=customer_id, amount=Money.from_dict(amount),
        cancelled_at=record.occurred_at,
        due_by=refund_due_by(record.occurred_at, days))


def refund_dict(refund: Refund, now: datetime) -> dict[str, Any]:
    """A refund as JSON: times in Korea's, the due date a Korean day, amounts in minor units."""
    return {"refund_id": refund.refund_id, "case_id": refund.case_id, "order_id": refund.order_id,
            "customer_id": refund.customer_id, "amount_minor": refund.amount.amount_minor,
            "currency": refund.amount.currency,
            "cancelled_at": korea_time(refund.cancelled_at, iso=True),
            "due_by": refund.due_by.isoformat(), "status": refund.status.value,
            "overdue": refund.overdue(now), "paid_at": korea_time(refund.paid_at, iso=True),
            "paid_reference": refund.paid_reference, "paid_by": refund.paid_by}


def mark_refund_paid(uow: SqlAlchemyUnitOfWork, *, refund_id: int, reference: str,
                     actor: str, paid_at: datetime | date | None = None,
                     idempotency_key: str | None = None,
                     policy: DeskPolicy | None = None) -> Refund:
    """Record that refund ``refund_id`` was paid at ``paid_at`` (None: now; a day alone:
    that day, ``check_paid_at``) with the payment ``reference``, and queue the customer's note
    that it was paid (``refund_notices``; worded with ``policy``'s contact, None: the desk
    policy file's). A retry with the same ``idempotency_key`` answers the refund again.

    Refused, with nothing written: an unknown refund (NotFound), one already paid (Conflict,
    saying when and by whom), a blank or over-long reference, a payment time in the future or
    before the cancellation (InvalidInput)."""
    text = check_reference(reference)
    with uow:
        now = uow.now()
        payload = {"refund_id": refund_id, "reference": text,
                   "paid_at": _said(paid_at)}
        if prior_result(uow, PAID_SCOPE, idempotency_key, payload):
            return _require(uow, refund_id)
        found = _require(uow, refund_id, for_update=True)
        _refuse_if_paid(found)
        at = check_paid_at(found, paid_at or now, now)
        payment = Payment(found, at, text)
        paid = _mark(uow, payment, actor)
        notices = _tell(uow, [paid], policy)
        uow.audit.append(_paid_event(uow, payment, actor, notices.audit_keys(refund_id)), now)
        remember(uow, PAID_SCOPE, idempotency_key, {"id": refund_id})
        uow.commit()
    return paid


def _said(paid_at: datetime | date | None) -> str | None:
    """A payment time as the idempotency payload holds it (a moment in UTC, or a day)."""
    if isinstance(paid_at, datetime):
        return paid_at.astimezone(UTC).isoformat()
    return paid_at.isoformat() if paid_at else None


def _mark(uow: SqlAlchemyUnitOfWork, payment: Payment, actor: str) -> Refund:
    """Mark the refund paid (its audit record: :func:`_paid_event`); the refund as it is now."""
    found, at, text = payment.refund, payment.paid_at, payment.reference
    uow.refunds.mark_paid(found.refund_id, at=at, reference=text, by=actor)
    return replace(found, paid_at=at, paid_reference=text, paid_by=actor)


def _paid_event(uow: SqlAlchemyUnitOfWork, payment: Payment, actor: str,
                noted: dict[str, Any] | None = None) -> AuditEvent:
    """The refund's ``case.refund_paid`` record (``noted``: keys added to its ``after``); its
    ``audit_seq`` is what migration 0023 restores the payment by after a downgrade. The
    reference is kept as a digest (``recorded_texts``): the text stays on the refund and in
    ``audit_words``; 0023, run again after a downgrade, restores the payment with "(kept as a
    digest in audit record N)" for its reference."""
    found = payment.refund
    return AuditEvent(actor, REFUND_PAID, "case", str(found.case_id), before={
        "due_by": found.due_by.isoformat()}, after={
        "refund_id": found.refund_id, "order_id": found.order_id,
        "amount": found.amount.as_dict(), "paid_at": payment.paid_at.astimezone(UTC).isoformat(),
        **audit_text(uow, "reference", payment.reference), **(noted or {}),
        "audit_seq": found.audit_seq})


def _require(uow: SqlAlchemyUnitOfWork, refund_id: int, *, for_update: bool = False) -> Refund:
    found = uow.refunds.get(refund_id, for_update=for_update)
    if found is None:
        raise _not_found(refund_id)
    return found


def _not_found(refund_id: int) -> NotFound:
    return NotFound(f"there is no refund {refund_id} (`sagwa refunds list --status all` "
                    "lists them)", reason="refund_not_found", refund_id=refund_id)


def _refuse_if_paid(refund: Refund) -> None:
    if refund.paid_at is None:
        return
    raise Conflict(
        f"refund {refund.refund_id} was already marked paid: paid "
        f"{korea_time(refund.paid_at)} (Korea time), reference "
        f"{refund.paid_reference!r}, marked by {refund.paid_by}; it is not marked again",
        reason="refund_already_paid", refund_id=refund.refund_id,
        paid_at=refund.paid_at.isoformat(), paid_by=refund.paid_by,
        paid_reference=refund.paid_reference)


@dataclass(frozen=True)
class RefundList:
    """The refunds ``which`` names as read at ``now``: ``items`` (by id), how many match in
    all (``total``), the ``after`` of the next page (None: the last), and what they all come
    to per currency (``amount_totals``: every match, not only this page's)."""

    which: RefundFilter
    items: list[ListedRefund]
    total: int
    now: datetime
    next_after: int | None = None
    amount_totals: dict[str, int] = field(default_factory=dict)
    paid_from: date | None = None  # the Korean days they were paid in (None: any)
    paid_to: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.which.value, "now": self.now.astimezone(SEOUL).isoformat(),
                "total": self.total, "next_after": self.next_after,
                "refunds": [listed_dict(i, self.now) for i in self.items],
                "amount_totals": [{"currency": c, "amount_minor": m}
                                  for c, m in self.amount_totals.items()],
                "paid_from": self.paid_from.isoformat() if self.paid_from else None,
                "paid_to": self.paid_to.isoformat() if self.paid_to else None}


def listed_dict(item: ListedRefund, now: datetime) -> dict[str, Any]:
    """A listed refund as JSON: :func:`refund_dict` (its id is ``refund_id``, the column a
    payments file names, so that the list's CSV can be fed back to ``mark-paid --from-file``),
    with its incident and customer's name."""
    return {**refund_dict(item.refund, now), "incident_id": item.incident_id,
            "customer_name": item.customer_name, "seller_id": item.seller_id}


@dataclass(frozen=True)
class IncidentRefunds:
    """An incident's refunds (by id) as read at ``now``, for its page."""

    items: list[Refund]
    now: datetime


def incident_refunds(uow: SqlAlchemyUnitOfWork, *, incident_id: int) -> IncidentRefunds:
    """The refunds of ``incident_id``'s cases, each paid, owed or overdue now."""
    with uow:
        return IncidentRefunds(uow.refunds.for_incident(incident_id), uow.now())


def list_refunds(uow: SqlAlchemyUnitOfWork, *, which: RefundFilter = RefundFilter.OWED,
                 limit: int | None = None, after: int = 0, incident_id: int | None = None,
                 seller_id: int | None = None, paid_from: date | None = None,
                 paid_to: date | None = None) -> RefundList:
    """The refunds ``which`` names (overdue: owed and past their due date now) — of
    ``incident_id``'s cases, of ``seller_id``'s orders, paid from Korean day ``paid_from`` to
    ``paid_to`` (``paid_days``) — by id after ``after``; at most ``limit`` (None: every one).
    An incident or seller that does not exist: ``unknown_id``."""
    of = {"incident_id": incident_id, "seller_id": seller_id,
          "paid_within": paid_days(paid_from, paid_to, which)}
    with uow:
        if incident_id is not None:
            require(uow.incidents.get(incident_id), "incident", incident_id)
        if seller_id is not None:
            require(uow.catalog.seller(seller_id), "seller", seller_id)
        now = uow.now()
        today = now.astimezone(SEOUL).date()
        rows = uow.refunds.listed(which, today=today, after=after,
                                  limit=None if limit is None else limit + 1, **of)
        page = rows if limit is None else rows[:limit]
        more = limit is not None and len(rows) > limit
        return RefundList(which, page, uow.refunds.count(which, today=today, **of), now,
                          page[-1].refund.refund_id if more else None,
                          uow.refunds.amount_totals(which, today=today, **of),
                          paid_from, paid_to)


#: Told how far a batch is: (refunds done, refunds in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PaidBatch:
    """The refunds a batch marked paid at ``now`` (with ``dry_run``: would mark, as they are)."""

    refunds: list[Refund]
    now: datetime
    dry_run: bool = False
    #: How many notes that a refund was paid were queued to customers (``refund_notices``).
    customers_told: int = 0

    def totals(self) -> dict[str, int]:
        """Amount in minor units per currency, currencies in alphabetical order."""
        sums: dict[str, int] = {}
        for r in self.refunds:
            sums[r.amount.currency] = sums.get(r.amount.currency, 0) + r.amount.amount_minor
        return dict(sorted(sums.items()))

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "count": len(self.refunds),
                "customers_told": self.customers_told,
                "totals": [{"currency": c, "amount_minor": m} for c, m in self.totals().items()],
                "refunds": [refund_dict(r, self.now) for r in self.refunds]}


@dataclass(frozen=True)
class StatedPaymentLine(PaymentLine):
    """A payments file's row that also says what its refund is, as the list's CSV does: the
    text of its ``amount_minor`` (minor units, as the list writes them) and ``currency`` cells;
    None where the file has no such column (:func:`check_stated_amount`)."""

    amount_minor: str | None = None
    currency: str | None = None


def check_stated_amount(line: PaymentLine, refund: Refund) -> None:
    """What a row says its refund is (:class:`StatedPaymentLine`) is what sagwa recorded:
    InvalidInput (``refund_amount_malformed``, ``refund_amount_differs``) otherwise, and for an
    empty cell of such a column too (``refund_amount_blank``): a file that carries amounts is
    one finance means to be checked row by row, and an empty cell would check nothing."""
    if not isinstance(line, StatedPaymentLine):
        return
    given = {column: fold_width(text).strip() for column, text in
             (("amount_minor", line.amount_minor), ("currency", line.currency))
             if text is not None}
    recorded, refund_id = refund.amount, refund.refund_id
    minor = _stated_minor(given.get("amount_minor", ""), refund)
    currency = given.get("currency", "").upper() or None
    amount_differs = minor not in (None, recorded.amount_minor)
    if amount_differs or currency not in (None, recorded.currency):
        raise InvalidInput(
            f"refund {refund_id} is {_as_recorded(recorded, given)}, the file says "
            f"{_as_stated(minor, currency, given, recorded)}; check that the row names the "
            "right refund and amount", field="amount_minor" if amount_differs else "currency",
            reason="refund_amount_differs", refund_id=refund_id, **recorded.as_dict())
    empty = [column for column, text in given.items() if not text]
    if empty:
        raise InvalidInput(
            f"refund {refund_id}'s {' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} "
            f"empty in the file, sagwa recorded {_as_recorded(recorded, given)}: every row of "
            "a file with that column must give it — fill it in, or leave the column out",
            field=empty[0],
            reason="refund_amount_blank", refund_id=refund_id, **recorded.as_dict())


def _stated_minor(text: str, refund: Refund) -> int | None:
    """A row's ``amount_minor`` as a whole number (commas between thousands and full-width
    digits read); None when empty."""
    if not text:
        return None
    minor = whole_number_in(text)
    if minor is None:
        raise InvalidInput(
            f"the file's amount_minor {text!r} for refund {refund.refund_id} is not a whole "
            f"number of minor units: sagwa recorded {format_money(refund.amount)}, amount_minor "
            f"{refund.amount.amount_minor}", field="amount_minor",
            reason="refund_amount_malformed", refund_id=refund.refund_id)
    return minor


def _as_recorded(recorded: Money, given: Mapping[str, str]) -> str:
    """The refund's amount, with the cells the file has as sagwa would write them."""
    cells = {"amount_minor": str(recorded.amount_minor), "currency": recorded.currency}
    return f"{format_money(recorded)} ({', '.join(f'{c} {cells[c]}' for c in given)})"


def _as_stated(minor: int | None, currency: str | None, given: Mapping[str, str],
               recorded: Money) -> str:
    """What a row says: its cells, and the amount they make (in the refund's currency when the
    file has no currency column) when sagwa knows the currency."""
    cells = ", ".join(f"{c} {text or '(empty)'}" for c, text in given.items())
    code = currency if "currency" in given else recorded.currency
    if minor is None or code is None or code not in CURRENCY_EXPONENTS:
        return cells
    return f"{format_money(Money(minor, code))} ({cells})"


def check_payments(lines: Sequence[PaymentLine], found: Mapping[int, Refund],
                   now: datetime) -> list[Payment]:
    """Every row of a payments file checked against the refunds ``found`` (by id) at ``now``:
    the payments, or InvalidInput (``refund_file_refused``) whose ``details["rows"]`` lists each
    bad row's ``line``, ``refund_id`` (as written), ``reason`` and ``message``."""
    payments: list[Payment] = []
    problems: list[dict[str, Any]] = []
    first_line: dict[int, int] = {}
    for line in lines:
        try:
            payments.append(_check_line(line, found, first_line, now))
        except SagwaError as exc:
            problems.append({"line": line.line, "refund_id": line.refund_id,
                             "reason": exc.details.get("reason", exc.code),
                             "message": exc.message})
    if problems:
        rows = "row" if len(problems) == 1 else "rows"
        raise InvalidInput(
            f"{len(problems)} {rows} of the payments file cannot be marked paid, so nothing was "
            "marked (fix them and run it again):\n" + "\n".join(
                f"  line {p['line']}: {p['message']}" for p in problems),
            reason="refund_file_refused", rows=problems)
    return payments


def _check_line(line: PaymentLine, found: Mapping[int, Refund], first_line: dict[int, int],
                now: datetime) -> Payment:
    refund_id = read_refund_id(line.refund_id)
    if refund_id in first_line:
        raise InvalidInput(f"refund {refund_id} is on line {first_line[refund_id]} already: "
                           "a refund is paid once", field="refund_id",
                           reason="refund_listed_twice", refund_id=refund_id)
    first_line[refund_id] = line.line
    refund = found.get(refund_id)
    if refund is None:
        raise _not_found(refund_id)
    check_stated_amount(line, refund)  # before "paid already": such a row names another refund
    _refuse_if_paid(refund)
    reference = check_reference(line.reference)
    return Payment(refund, check_paid_at(refund, read_paid_at(line.paid_at, now), now), reference)


def mark_refunds_paid(uow: SqlAlchemyUnitOfWork, *, lines: Sequence[PaymentLine], actor: str,
                      dry_run: bool = False, progress: Progress | None = None,
                      policy: DeskPolicy | None = None) -> PaidBatch:
    """Mark every refund of a payments file's ``lines`` paid, in one transaction: all, or none
    when any row is bad (:func:`check_payments`), and queue each customer's note that their
    refund was paid (as :func:`mark_refund_paid`). ``dry_run``: check, write nothing."""
    with uow:
        now = uow.now()
        ids = sorted({i for i in map(_id_or_none, (line.refund_id for line in lines))
                      if i is not None})
        payments = check_payments(lines, uow.refunds.get_many(ids, for_update=not dry_run), now)
        return _pay(uow, payments, actor=actor, now=now, dry_run=dry_run, progress=progress,
                    tell=True, policy=policy)


def check_recorded_before(before: date, now: datetime) -> datetime:
    """The start (Korea time) of the day ``before``, which may not be after today in Korea."""
    today = now.astimezone(SEOUL).date()
    if before > today:
        raise InvalidInput(f"the day {before.isoformat()} is in the future (today is "
                           f"{today.isoformat()} in Korea): refunds recorded before sagwa "
                           "tracked refunds were all cancelled before now",
                           field="recorded_before",
                           reason="refund_recorded_before_future", today=today.isoformat())
    return datetime.combine(before, time(), tzinfo=SEOUL)


def mark_owed_paid_before(uow: SqlAlchemyUnitOfWork, *, before: date, reference: str,
                          actor: str, dry_run: bool = False,
                          progress: Progress | None = None) -> PaidBatch:
    """Mark every refund recorded before sagwa tracked refunds (backfilled by migration 0023)
    still owed whose order was cancelled before the Korean day ``before`` paid with
    ``reference``, at the moment this runs (when they were really paid is not known); their
    audit records say so (``recorded_before``). A refund the desk recorded since the upgrade
    is never marked this way: finance may not have paid it. ``dry_run``: write nothing."""
    text = check_reference(reference)
    with uow:
        now = uow.now()
        owed = uow.refunds.owed_backfilled_before(check_recorded_before(before, now),
                                                  for_update=not dry_run)
        return _pay(uow, [Payment(r, now, text) for r in owed], actor=actor, now=now,
                    dry_run=dry_run, progress=progress,
                    noted={"recorded_before": before.isoformat()})


def _id_or_none(text: str) -> int | None:
    try:
        return read_refund_id(text)
    except InvalidInput:
        return None


def _pay(uow: SqlAlchemyUnitOfWork, payments: list[Payment], *, actor: str, now: datetime,
         dry_run: bool, progress: Progress | None,
         noted: dict[str, Any] | None = None, tell: bool = False,
         policy: DeskPolicy | None = None) -> PaidBatch:
    """Mark ``payments`` (with ``tell``: their customers told, ``refund_notices``)."""
    marked: list[Refund] = []
    for done, payment in enumerate(payments, start=1):
        marked.append(payment.refund if dry_run else _mark(uow, payment, actor))
        if progress is not None:
            progress(done, len(payments))
    if dry_run:
        return PaidBatch(marked, now, dry_run)
    notices = _tell(uow, marked, policy) if tell else Notices()
    uow.audit.append_many([_paid_event(uow, p, actor, {
        **(noted or {}), **(notices.audit_keys(p.refund.refund_id) if tell else {})})
        for p in payments], now)
    uow.commit()
    return PaidBatch(marked, now, dry_run, customers_told=len(notices.told))


def _tell(uow: SqlAlchemyUnitOfWork, paid: list[Refund],
          policy: DeskPolicy | None) -> Notices:
    """Queue the customers' notes that ``paid`` were paid; what was queued and refused."""
    notices = refund_paid_messages(uow, paid, policy if policy is not None
                                   else load_desk_policy())
    enqueue_messages(uow, notices.messages)
    return notices
