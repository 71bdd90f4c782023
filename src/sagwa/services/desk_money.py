"""An incident's money, read from what was booked: the compensation points in the ledger (who
pays them: the platform and each seller, per seller) and the refunds the desk applied to
orders. For the incident status (API ``GET /api/incidents/{id}``, ``sagwa incident status``)
and the postmortem (``sagwa incident report``).

Nothing here is estimated from the plan's percentages: a customer who ordered from two sellers
of the incident has the sellers' share divided between them in the ledger
(``ledger.credit_compensation``), and the figures add up what each seller was charged.

:func:`figures_of_cases` reads each case's units kept and refunded and the money on each side
(``domain.case_figures``); :func:`compensation_booked` what one case's compensation entry
booked, for a retry to say, and :func:`compensation_audit_keys` the keys the audit entries that
book it append.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.case_figures import CaseFigures, case_figures
from sagwa.domain.ledger import POINTS_CURRENCY, AccountKind
from sagwa.domain.money import Money
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def incident_money(uow: SqlAlchemyUnitOfWork, incident_id: int, currency: str) -> dict[str, Any]:
    """Inside an open unit of work: the incident's booked money as a JSON-ready dict —
    ``compensation_points`` (points credited to customers, over ``compensated_cases`` cases),
    ``platform_points`` and ``seller_points`` (the two add up to the compensation), ``sellers``
    (one row per seller charged: ``seller_id``, ``name``, ``points``; by seller id),
    ``refunds`` (Money dict in ``currency``), ``refunded_units`` and ``refunded_orders``."""
    customer = platform = cases = 0
    sellers: list[dict[str, Any]] = []
    for row in uow.reads.compensation_postings(incident_id):
        amount = int(row.amount_minor)
        if row.account_kind == AccountKind.CUSTOMER_POINTS.value:
            customer, cases = customer + amount, cases + int(row.entries)
        elif row.account_kind == AccountKind.PLATFORM_EXPENSE.value:
            platform -= amount
        elif row.account_kind == AccountKind.SELLER_CHARGEBACK.value:
            sellers.append({"seller_id": int(row.seller_id), "name": row.seller_name,
                            "points": -amount})
    refund = next((r for r in uow.reads.refunds(incident_id) if r.currency == currency), None)
    return {"points_currency": POINTS_CURRENCY, "compensation_points": customer,
            "compensated_cases": cases, "platform_points": platform,
            "seller_points": sum(s["points"] for s in sellers), "sellers": sellers,
            "refunds": {"amount_minor": int(refund.amount_minor) if refund else 0,
                        "currency": currency},
            "refunded_units": int(refund.units) if refund else 0,
            "refunded_orders": int(refund.orders) if refund else 0}


def figures_of_cases(uow: SqlAlchemyUnitOfWork, rows: Iterable[CaseRow]) -> dict[int, CaseFigures]:
    """Inside an open unit of work: case id -> its figures (units ordered, kept and refunded,
    what was paid and refunded, the exposure as scoped and the part still honoured:
    ``domain.case_figures``), for the API, the operator's case table and the customer page."""
    rows = list(rows)
    placed = uow.reads.orders_as_placed([int(r.case.case_id) for r in rows])
    correct: dict[int, Money] = {}
    out: dict[int, CaseFigures] = {}
    for row in rows:
        iid = int(row.case.incident_id)
        if iid not in correct:
            inc = require(uow.incidents.get(iid), "incident", iid).incident
            correct[iid] = inc.correct_price or inc.wrong_price
        out[int(row.case.case_id)] = case_figures(row.case, placed.get(int(row.case.case_id), {}),
                                                  correct[iid])
    return out


def compensation_booked(uow: SqlAlchemyUnitOfWork, entry_id: int | None) -> dict[str, Any]:
    """Inside an open unit of work: what the ledger entry ``entry_id`` (a case's compensation)
    booked, as audit entries record it — ``entry_id``, ``customer_points`` (credited to the
    customer), ``seller_points`` (charged to the sellers, all of them) and ``platform_points``
    (the platform's part); None and zeros when there is no entry."""
    stored = uow.ledger.get(entry_id) if entry_id is not None else None
    sums = {kind: 0 for kind in AccountKind}
    for posting in stored.entry.postings if stored is not None else ():
        sums[posting.account.kind] += posting.amount.amount_minor
    return {"entry_id": stored.id if stored is not None else None,
            "customer_points": sums[AccountKind.CUSTOMER_POINTS],
            "seller_points": -sums[AccountKind.SELLER_CHARGEBACK],
            "platform_points": -sums[AccountKind.PLATFORM_EXPENSE]}


def compensation_audit_keys(uow: SqlAlchemyUnitOfWork, entry_id: int | None) -> dict[str, Any]:
    """Inside an open unit of work: the keys an audit entry that books a case's compensation
    appends to its ``after`` (as ``points.credited`` records its ``entry_id``): ``entry_id``
    (None when nothing was booked), ``seller_points`` and ``platform_points``."""
    booked = compensation_booked(uow, entry_id)
    return {key: booked[key] for key in ("entry_id", "seller_points", "platform_points")}
