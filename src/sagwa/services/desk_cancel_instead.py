"""Cancelling instead of paying the difference (``domain.cancel_instead``): one use case, one
transaction.

A customer who chose to buy at the discounted correct price and has not paid the difference
asks to cancel instead — on their own page, or to an agent. With that consent the desk does
what the cancellation would have done had they chosen it first: it cancels their orders
still standing (refunding what they paid, at the price they paid), books the plan's
compensation (``desk_cases.book_compensation``: the customer's points, with the sellers' and the
platform's shares), withdraws the reminder of the difference, confirms it to the customer
(email, or text without an address) and, when the incident is already closed — its sellers
were told which orders wait for a payment — writes to the sellers that those orders are
cancelled. The audit log keeps the discount choice it replaced (``case.cancelled_instead``;
:func:`replaced_discounts` reads it back for the pages and the API, a table's cases at once).
Allowed on a closed incident, as recording a payment is: a customer who cannot pay is not
left with an order that waits for ever.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.cancel_instead import (
    CANCEL,
    CANCELLED_INSTEAD_ACTION,
    CHOICE_RECORDED_ACTION,
    ReplacedDiscount,
    as_placed,
    cancel_instead,
    replaced_discount,
)
from sagwa.domain.consent import ConsentRecord, effects_of_choice
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.incidents import Case, Incident, IncidentStatus
from sagwa.domain.ledger import AccountKind
from sagwa.domain.money import Money, format_money
from sagwa.domain.orders import OrderStatus
from sagwa.services import desk_messages as dm
from sagwa.services.desk_cases import apply_effect, book_compensation, current_plan, lock_case
from sagwa.services.desk_difference import REMINDER_PURPOSE, about_the_difference, differences_of
from sagwa.services.desk_money import (
    compensation_audit_keys,
    compensation_booked,
    figures_of_cases,
)
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.lookups import require
from sagwa.services.outbox import UNPROMPTED, OutgoingMessage, enqueue_messages
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The outbox purpose of the customer's confirmation (``cancelled_instead_<channel>``).
CONFIRMATION_PURPOSE = "cancelled_instead"
#: Why the reminder of the difference (and anything else unsent) is withdrawn.
INSTEAD = "the customer cancelled instead of paying the difference"


@dataclass(frozen=True)
class CancelledInstead:
    """What cancelling instead did: ``changed`` False when it had been done before (nothing
    changed this time); ``refund``: what the customer paid and gets back; ``compensation_points``
    booked for the case (a retry says those booked the first time); ``confirmation``: the channel of the customer's confirmation ("email",
    "sms"; None when none was queued); ``sellers_told``: sellers written to (a closed
    incident's)."""

    case_id: int
    changed: bool
    refund: Money
    compensation_points: int
    confirmation: str | None = None
    sellers_told: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"case_id": self.case_id, "changed": self.changed,
                "refund": self.refund.as_dict(), "compensation_points": self.compensation_points,
                "confirmation": self.confirmation, "sellers_told": self.sellers_told}


def cancel_instead_of_paying(uow: SqlAlchemyUnitOfWork, *, case_id: int, channel: str,
                             evidence: str, taken_by: str, policy: DeskPolicy | None = None,
                             links: LinkMaker | None = None) -> CancelledInstead:
    """Replace case ``case_id``'s discount choice by the cancellation with compensation, with
    the customer's consent (``channel``, their ``evidence``, ``taken_by`` the customer or the
    agent who took it), per the module docstring. The same request again changes nothing."""
    policy = policy if policy is not None else load_desk_policy()
    with uow:
        now = uow.now()
        row = lock_case(uow, case_id)
        plan = current_plan(uow, int(row.case.incident_id))
        consent = ConsentRecord(case_id, row.case.customer_id, CANCEL, channel, now, evidence,
                                taken_by)
        done_before = any(r.event.action == CANCELLED_INSTEAD_ACTION
                          for r in uow.audit.for_entity("case", str(case_id)))
        owed = differences_of(uow, [row])[case_id]
        updated = cancel_instead(row.case, consent, plan, paid=row.difference_paid,
                                 owed=owed, done_before=done_before)
        if updated is row.case:  # cancelled instead before: a retry
            refunded = figures_of_cases(uow, [row])[case_id].refunded
            booked = compensation_booked(uow, row.compensation_entry_id)
            return CancelledInstead(case_id, False, refunded, booked["customer_points"])
        standing, refund, points, entry_id = _cancel_orders(uow, row, updated, consent, plan,
                                                            now, policy.contact.refund_days)
        uow.outbox.withdraw_pending([case_id], why=INSTEAD,
                                    purposes=(*UNPROMPTED, REMINDER_PURPOSE, "confirmation"))
        assert row.case.consent is not None
        chosen = row.case.consent.recorded_at  # the discount's
        told, sellers = _tell(uow, replace(row, case=standing), _Told(chosen, owed, refund, points),
                              policy, links, _charged(uow, entry_id))
        uow.audit.append(AuditEvent(
            taken_by, CANCELLED_INSTEAD_ACTION, "case", str(case_id),
            before={"choice": row.case.consent.choice.value, "difference_paid": False,
                    "difference": owed.as_dict()},
            after={"choice": CANCEL.value, "channel": consent.channel.value,
                   **audit_text(uow, "evidence", consent.evidence), "refund": refund.as_dict(),
                   "compensation_points": points, "sellers_told": sellers,
                   **compensation_audit_keys(uow, entry_id)}), now)
        uow.commit()
        return CancelledInstead(case_id, True, refund, points, told, sellers)


def _cancel_orders(uow: SqlAlchemyUnitOfWork, row: CaseRow, updated: Case,
                   consent: ConsentRecord, plan: IncidentPlan, now: datetime,
                   refund_days: int) -> tuple[Case, Money, int, int | None]:
    """Cancel the case's orders still standing, refunding them at the price they were paid
    at (the discount raised their unit price; the customer paid the old one), book the plan's
    compensation and save the new consent (the refund due in ``refund_days`` business days, as
    the policy promises): (the case's standing orders as paid for, the refund, the points
    booked, the compensation's ledger entry)."""
    case_id = int(updated.case_id)
    placed = uow.reads.orders_as_placed([case_id]).get(case_id, {})
    paid_for = as_placed(updated, placed)
    standing = replace(paid_for, orders=tuple(
        o for o in paid_for.orders if o.status != OrderStatus.CANCELLED.value))
    effects = effects_of_choice(standing, consent, plan)
    for effect in effects:
        apply_effect(uow, standing, effect, consent.taken_by, now, refund_days=refund_days)
    points, entry_id = book_compensation(uow, row, standing, plan, now)
    uow.cases.save(updated, now, compensation_entry_id=entry_id)
    refund = sum((e.amount for e in effects if e.amount is not None), Money(0, plan.currency))
    return standing, refund, points, entry_id


def _charged(uow: SqlAlchemyUnitOfWork, entry_id: int | None) -> dict[int, int]:
    """Seller id -> the compensation points the ledger entry ``entry_id`` charges them."""
    stored = uow.ledger.get(entry_id) if entry_id is not None else None
    if stored is None:
        return {}
    return {int(p.account.owner_id): abs(p.amount.amount_minor) for p in stored.entry.postings
            if p.account.kind is AccountKind.SELLER_CHARGEBACK and p.account.owner_id is not None}


@dataclass(frozen=True)
class _Told:
    """What the customer's confirmation says: when they chose the discount, the difference no
    longer owed, the refund and the points booked."""

    chosen: datetime
    owed: Money
    refund: Money
    points: int


def _tell(uow: SqlAlchemyUnitOfWork, row: CaseRow, told: _Told, policy: DeskPolicy,
          links: LinkMaker | None, charged: dict[int, int]) -> tuple[str | None, int]:
    """Queue the customer's confirmation (:func:`confirmation_messages`) and, on a closed
    incident, the sellers' emails, with the points ``charged`` to each (seller id -> points):
    (the confirmation's channel or None, sellers written to)."""
    from sagwa.services.seller_notices import cancelled_instead_notices  # it reads our views

    incident_id = int(row.case.incident_id)
    incident = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    mine = confirmation_messages(uow, row, told, policy, incident)
    sellers = (cancelled_instead_notices(uow, incident=incident, case=row.case, links=links,
                                         charged=charged)
               if incident.status is IncidentStatus.CLOSED else [])
    enqueue_messages(uow, [*mine, *sellers])
    return (mine[0].channel if mine else None), len(sellers)


def confirmation_messages(uow: SqlAlchemyUnitOfWork, row: CaseRow, told: _Told,
                          policy: DeskPolicy,
                          incident: Incident | None = None) -> list[OutgoingMessage]:
    """The customer's confirmation that their order is cancelled instead of paying the
    difference: when they chose the discount, what they paid and get back in full, the points
    booked, and that the difference is no longer to pay. By email, or by text without an
    address; none without either. Checked as a ``follow_up`` (the case is settled), sent at
    once, as every confirmation is."""
    return about_the_difference(
        uow, row, told.owed, policy, purpose=CONFIRMATION_PURPOSE, send_at=uow.now(),
        subjects=(f"{dm.TAG['ko']} 요청하신 대로 주문을 취소했습니다",
                  f"{dm.TAG['en']} Your order is cancelled, as you asked"),
        when=lambda lang: {"chosen": dm.format_when(told.chosen, lang),
                           "refund": format_money(told.refund, lang=lang),
                           "points": f"{told.points:,}"},
        incident=incident)


def confirmation_again(uow: SqlAlchemyUnitOfWork, row: CaseRow,
                       policy: DeskPolicy) -> list[OutgoingMessage]:
    """The confirmation built again from what its audit entry recorded (``desk_resend``: its
    email address or number was removed before it went); none for a case never cancelled
    instead."""
    done = replaced_discount(uow.audit.for_entity("case", str(row.case.case_id)))
    if done is None or row.case.consent is None or row.case.consent.choice is not CANCEL:
        return []
    told = _Told(done.discount_chosen_at or row.case.consent.recorded_at, done.difference,
                 done.refund, done.compensation_points)
    return confirmation_messages(uow, row, told, policy)


def replaced_discounts(uow: SqlAlchemyUnitOfWork,
                       case_ids: list[int]) -> dict[int, ReplacedDiscount]:
    """Inside an open unit of work: case id -> the discount its customer replaced by the
    cancellation (``cancel_instead.replaced_discount``), for those of ``case_ids`` cancelled
    instead of paying — read in one query, however many cases (a page's table of them)."""
    found = uow.audit.of_entities_with("case", [str(i) for i in case_ids],
                                       CANCELLED_INSTEAD_ACTION, CHOICE_RECORDED_ACTION,
                                       having=CANCELLED_INSTEAD_ACTION)
    return {int(entity_id): done for entity_id, records in found.items()
            if (done := replaced_discount(records)) is not None}
