"""Erasing a customer's personal data: on the customer's request (개인정보 보호법 제36조) or once
no law keeps it any more (제21조), never while one does (``sagwa.domain.retention``).

One customer per transaction: the customer's row is locked, what keeps the data is read again
under the lock, the data is blanked (``adapters/db/personal_data_repo.py``) and one audit record says
who erased it, why and how much — counts only, never what was erased."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sagwa.domain.audit import AuditEvent
from sagwa.domain.moments import SEOUL
from sagwa.domain.retention import CustomerRecords, Hold, erasable_from, holding_now
from sagwa.errors import Conflict, InvalidInput
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ERASED_ACTION = "customer.erased"


class ErasureReason(StrEnum):
    REQUEST = "request"      # the customer asked (제36조)
    RETENTION = "retention"  # every period that kept it has ended (제21조)


@dataclass(frozen=True)
class Erased:
    """What erasing one customer did (or, ``dry_run``, would do)."""

    customer_id: int
    reason: ErasureReason
    erased_at: datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"customer_id": self.customer_id, "reason": self.reason.value,
                "erased_at": self.erased_at.isoformat() if self.erased_at else None,
                "dry_run": self.dry_run, **self.counts}


@dataclass(frozen=True)
class RetentionPlan:
    """Who may be erased at ``as_of`` (``due``) and who is still kept, and until when."""

    as_of: datetime
    due: list[int]
    kept_until: dict[int, datetime]    # customer id -> from when it may be erased
    kept_open: list[int]               # a case still open or a refund still owed

    def as_dict(self) -> dict[str, object]:
        nxt = min(self.kept_until.values(), default=None)
        return {"as_of": self.as_of.astimezone(SEOUL).isoformat(), "due": len(self.due),
                "due_ids": self.due,
                "kept": len(self.kept_until) + len(self.kept_open),
                "kept_open": len(self.kept_open),
                "next_due_at": nxt.astimezone(SEOUL).isoformat() if nxt else None}


def refuse_while_kept(customer_id: int, kept: list[Hold] | tuple[Hold, ...]) -> None:
    """:class:`Conflict` (``retention_hold``) naming every law or open matter that keeps the
    data, and until when: what the customer is told when they asked."""
    if not kept:
        return
    ko = "; ".join(h.describe("ko") for h in kept)
    en = "; ".join(h.describe("en") for h in kept)
    raise Conflict(f"고객 {customer_id}의 개인정보는 아직 파기할 수 없습니다: {ko} — customer "
                   f"{customer_id}'s personal data must still be kept: {en}",
                   reason="retention_hold", customer_id=customer_id,
                   kept=[{"kept": h.kept.value, "until": h.until.isoformat() if h.until else None}
                         for h in kept])


def refuse_erased(erased_at: datetime | None, customer_id: int) -> None:
    """:class:`Conflict` (``customer_erased``) for a customer whose data was erased: nothing
    may be recorded for them any more (an order, a contact) — the marketplace registers the
    person again as a new customer."""
    if erased_at is not None:
        raise Conflict(f"고객 {customer_id}의 개인정보는 이미 파기되었습니다 "
                       f"({erased_at.astimezone(SEOUL):%Y-%m-%d %H:%M} 한국 시간) — "
                       f"customer {customer_id}'s personal data was erased on "
                       f"{erased_at.astimezone(SEOUL):%Y-%m-%d}: register the person again "
                       "as a new customer", reason="customer_erased", customer_id=customer_id)


def require_not_erased(uow: SqlAlchemyUnitOfWork, customer_id: int) -> None:
    """Inside an open unit of work: :class:`NotFound` for no such customer, :func:`refuse_erased`
    for an erased one; the row held ``FOR KEY SHARE`` (``PersonalDataRepository.erased``), so an
    erasure cannot slip in before the transaction ends."""
    found = require(uow.personal_data.erased(customer_id), "customer", customer_id)
    refuse_erased(found.erased_at, customer_id)


def erase_customer(uow: SqlAlchemyUnitOfWork, *, customer_id: int, reason: ErasureReason | str,
                   actor: str, dry_run: bool = False) -> Erased:
    """Erase ``customer_id``'s personal data, or refuse (``retention_hold``) while a law or an
    open matter keeps it, whatever the reason; an erased customer is refused
    (``customer_erased``)."""
    why = _reason(reason)
    with uow:
        repo = uow.personal_data
        row = require(repo.customer(customer_id, lock=not dry_run), "customer", customer_id)
        refuse_erased(row.erased_at, customer_id)
        now = uow.now()
        records = repo.records([customer_id]).get(customer_id, CustomerRecords())
        refuse_while_kept(customer_id, list(holding_now(records, now)))
        if dry_run:
            return Erased(customer_id, why, None, {}, dry_run=True)
        counts = repo.erase(customer_id, reason=why.value, now=now)
        uow.audit.append(AuditEvent(actor, ERASED_ACTION, "customer", str(customer_id),
                                    after={"reason": why.value, **counts}), now)
        uow.commit()
    return Erased(customer_id, why, now, counts)


def retention_plan(uow: SqlAlchemyUnitOfWork, *, as_of: datetime | None = None) -> RetentionPlan:
    """Every customer not erased yet, as retention sees them at ``as_of`` (default: now)."""
    with uow:
        at = as_of or uow.now()
        records = uow.personal_data.records()
    due, kept_until, kept_open = [], {}, []
    for customer_id, held in records.items():
        start = erasable_from(held)
        if start is None:
            kept_open.append(customer_id)
        elif start <= at:
            due.append(customer_id)
        else:
            kept_until[customer_id] = start
    return RetentionPlan(at, due, kept_until, kept_open)


def erase_due(uow_factory: Callable[[], SqlAlchemyUnitOfWork], *, actor: str,
              due: list[int] | None = None,
              progress: Callable[[int], None] | None = None) -> list[Erased]:
    """Erase every customer whose periods have all ended (``due``: as a plan found them; by
    default found now), one transaction each: a customer who ordered again since, or was
    erased meanwhile, is checked again under its lock and skipped."""
    done = []
    for customer_id in retention_plan(uow_factory()).due if due is None else due:
        try:
            done.append(erase_customer(uow_factory(), customer_id=customer_id,
                                       reason=ErasureReason.RETENTION, actor=actor))
        except Conflict as exc:
            if exc.details.get("reason") not in ("retention_hold", "customer_erased"):
                raise
        if progress is not None:
            progress(1)
    return done


def _reason(reason: ErasureReason | str) -> ErasureReason:
    try:
        return ErasureReason(reason)
    except ValueError:
        raise InvalidInput(f"erasure reason must be request or retention, not {reason!r}",
                           field="reason", reason="erasure_reason_unknown") from None
