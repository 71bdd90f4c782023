"""Credit, spend and reverse customer points in the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.adapters.db.ledger_repo import StoredEntry
from sagwa.domain.audit import AuditEvent
from sagwa.domain.ledger import (
    Account,
    AccountKind,
    JournalEntry,
    check_reversal_balances,
    credit_points,
    debit_points,
    reversal_of,
)
from sagwa.errors import AlreadyReversed, Conflict, InvalidInput
from sagwa.services.customer_erasure import require_not_erased
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class PointsReceipt:
    entry_id: int
    customer_id: int
    balance: int


def _lock_customer(uow: SqlAlchemyUnitOfWork, customer_id: int) -> None:
    """Serialise balance changes per customer so two spends cannot both pass the check."""
    require(uow.catalog.lock_customer(customer_id), "customer", customer_id)
    # an erased customer's points are settled before erasure (a hold): none move after it
    require_not_erased(uow, customer_id)


def _receipt(uow: SqlAlchemyUnitOfWork, entry_id: int, customer_id: int) -> PointsReceipt:
    balance = uow.ledger.balance(AccountKind.CUSTOMER_POINTS, customer_id)
    return PointsReceipt(entry_id, customer_id, balance)


def credit_customer_points(uow: SqlAlchemyUnitOfWork, *, customer_id: int, points: int, memo: str,
                           actor: str, seller_id: int | None = None, seller_share_pct: int = 0,
                           idempotency_key: str | None = None) -> PointsReceipt:
    with uow:
        payload = {"customer_id": customer_id, "points": points, "memo": memo,
                   "seller_id": seller_id, "seller_share_pct": seller_share_pct}
        prior = prior_result(uow, "points_credit", idempotency_key, payload)
        if prior:
            return _receipt(uow, prior["id"], customer_id)
        if not memo.strip():
            raise InvalidInput("a points credit needs a memo saying why", field="memo",
                               reason="memo_missing")
        _lock_customer(uow, customer_id)
        if seller_id is not None:
            require(uow.catalog.seller(seller_id), "seller", seller_id)
        entry = credit_points(customer_id=customer_id, points=points, memo=memo,
                              seller_id=seller_id, seller_share_pct=seller_share_pct)
        entry_id = uow.ledger.add(entry, uow.now())
        _audit(uow, actor, "points.credited", entry_id, customer_id, points, memo)
        remember(uow, "points_credit", idempotency_key, {"id": entry_id})
        receipt = _receipt(uow, entry_id, customer_id)
        uow.commit()
        return receipt


def debit_customer_points(uow: SqlAlchemyUnitOfWork, *, customer_id: int, points: int, memo: str,
                          actor: str, idempotency_key: str | None = None) -> PointsReceipt:
    with uow:
        payload = {"customer_id": customer_id, "points": points, "memo": memo}
        prior = prior_result(uow, "points_debit", idempotency_key, payload)
        if prior:
            return _receipt(uow, prior["id"], customer_id)
        _lock_customer(uow, customer_id)
        balance = uow.ledger.balance(AccountKind.CUSTOMER_POINTS, customer_id)
        entry = debit_points(customer_id=customer_id, points=points, balance=balance, memo=memo)
        entry_id = uow.ledger.add(entry, uow.now())
        _audit(uow, actor, "points.debited", entry_id, customer_id, -points, memo)
        remember(uow, "points_debit", idempotency_key, {"id": entry_id})
        receipt = _receipt(uow, entry_id, customer_id)
        uow.commit()
        return receipt


def reverse_entry(uow: SqlAlchemyUnitOfWork, *, entry_id: int, memo: str, actor: str,
                  idempotency_key: str | None = None) -> int:
    """Book the opposite of an entry; an entry is reversed at most once. A retry with the same
    ``idempotency_key`` (the JSON API requires one) answers the first reversal's id again,
    where a new request would be refused as already reversed.

    Refused, with nothing written, for an entry already reversed or itself a reversal, for a
    case's compensation (final: more is given by a credit of its own, which the refusal
    names), and when the customer has since spent
    the points it would take back.
    """
    with uow:
        prior = prior_result(uow, "ledger_reversal", idempotency_key,
                             {"entry_id": entry_id, "memo": memo})
        if prior:
            return int(prior["id"])
        # the entry's row locked first: of two reversals at once, the second waits and then
        # reads the first's reversal (already_reversed), not a database constraint's refusal
        stored = require(uow.ledger.get(entry_id, for_update=True), "ledger entry", entry_id)
        _check_reversible(uow, stored)
        reversal = reversal_of(entry_id, stored.entry, memo=memo)
        check_reversal_balances(reversal, _locked_balances(uow, reversal))
        reversal_id = uow.ledger.add(reversal, uow.now())
        uow.audit.append(AuditEvent(actor, "ledger.reversed", "ledger_entry", str(entry_id),
                                    after={"reversal_id": reversal_id,
                                           **audit_text(uow, "memo", memo)}), uow.now())
        remember(uow, "ledger_reversal", idempotency_key, {"id": reversal_id})
        uow.commit()
        return reversal_id


def _check_reversible(uow: SqlAlchemyUnitOfWork, stored: StoredEntry) -> None:
    if stored.reversed_by is not None:
        raise AlreadyReversed(f"entry {stored.id} was already reversed by {stored.reversed_by}",
                              reversed_by=stored.reversed_by, reason="entry_already_reversed")
    if stored.entry.reverses_id is not None:
        raise InvalidInput(f"entry {stored.id} is itself a reversal; book a new entry instead",
                           reason="entry_is_a_reversal", entry_id=stored.id)
    case_id = uow.cases.compensated_by(stored.id)
    if case_id is not None:
        # The case is resolved with this compensation paid, its confirmation told the customer
        # so, a confirmed choice never changes and nothing books a case's compensation a second
        # time: undoing it would leave the case claiming a payment the ledger no longer holds.
        # So it is final, and the way to give more is a credit of its own.
        customer = next((p.account.owner_id for p in stored.entry.postings
                         if p.account.kind is AccountKind.CUSTOMER_POINTS), None)
        raise Conflict(
            f"entry {stored.id} is the compensation of incident case {case_id}, and a case's "
            "compensation is final: it is never reversed, and the customer's confirmed choice "
            "does not change. To give the customer more, credit points separately, with a memo "
            f"naming the case: POST /api/customers/{customer if customer is not None else '{id}'}"
            "/points/credit (admin)",
            case_id=case_id, reason="case_compensation_entry",
        )


def _locked_balances(uow: SqlAlchemyUnitOfWork, entry: JournalEntry) -> dict[Account, int]:
    """Lock each customer the entry touches (in id order, so two reversals cannot deadlock)
    and read their balances after the lock, so a spend cannot slip in between."""
    customers = sorted({p.account for p in entry.postings
                        if p.account.kind is AccountKind.CUSTOMER_POINTS},
                       key=lambda a: a.owner_id or 0)
    for account in customers:
        _lock_customer(uow, account.owner_id or 0)
    return {a: uow.ledger.balance(a.kind, a.owner_id) for a in customers}


def points_balance(uow: SqlAlchemyUnitOfWork, *, customer_id: int) -> int:
    with uow:
        require(uow.catalog.customer(customer_id), "customer", customer_id)
        return uow.ledger.balance(AccountKind.CUSTOMER_POINTS, customer_id)


def _audit(uow: SqlAlchemyUnitOfWork, actor: str, action: str, entry_id: int, customer_id: int,
           points: int, memo: str) -> None:
    uow.audit.append(AuditEvent(actor, action, "customer", str(customer_id),
                                after={"entry_id": entry_id, "points": points,
                                       **audit_text(uow, "memo", memo)}),
                     uow.now())
