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
cancelled. The audit log keeps the discount choice it replaced (``case.cancelled_instead``).
Allowed on a closed incident, as recording a payment is: a customer who cannot pay is not
left with an order that waits for ever.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sagwa.domain.audit import AuditEvent
from sagwa.domain.cancel_instead import CANCEL, as_placed, cancel_instead
from sagwa.domain.consent import ConsentRecord, effects_of_choice
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.services.desk_cases import apply_effect, book_compensation, current_plan, lock_case
from sagwa.services.desk_difference import REMINDER_PURPOSE
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_notify import LinkMaker, confirmation_messages
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.lookups import require
from sagwa.services.outbox import UNPROMPTED, enqueue_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

CANCELLED_INSTEAD_ACTION = "case.cancelled_instead"
#: Why the reminder of the difference (and anything else unsent) is withdrawn.
INSTEAD = "the customer cancelled instead of paying the difference"


@dataclass(frozen=True)
class CancelledInstead:
    """What cancelling instead did: ``changed`` False when it had been done before (nothing
    changed this time); ``refund``: what the customer paid and gets back; ``compensation_points``
    booked this time; ``confirmation``: the channel of the customer's confirmation ("email",
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
    from sagwa.services.seller_notices import cancelled_instead_notices  # it reads our views

    policy = policy if policy is not None else load_desk_policy()
    with uow:
        now = uow.now()
        row = lock_case(uow, case_id)
        incident_id = int(row.case.incident_id)
        plan = current_plan(uow, incident_id)
        consent = ConsentRecord(case_id, row.case.customer_id, CANCEL, channel, now, evidence,
                                taken_by)
        done_before = any(r.event.action == CANCELLED_INSTEAD_ACTION
                          for r in uow.audit.for_entity("case", str(case_id)))
        updated = cancel_instead(row.case, consent, plan, paid=row.difference_paid,
                                 done_before=done_before)
        if updated is row.case:  # cancelled instead before: a retry
            refunded = figures_of_cases(uow, [row])[case_id].refunded
            return CancelledInstead(case_id, False, refunded, 0)
        placed = uow.reads.orders_as_placed([case_id]).get(case_id, {})
        # the orders still standing, at the price they were paid at: what the cancellation
        # refunds (the discount raised their unit price; the customer paid the old one)
        paid_for = as_placed(updated, placed)
        standing = replace(paid_for, orders=tuple(
            o for o in paid_for.orders if o.status != OrderStatus.CANCELLED.value))
        effects = effects_of_choice(standing, consent, plan)
        for effect in effects:
            apply_effect(uow, standing, effect, taken_by, now)
        points, entry_id = book_compensation(uow, row, standing, plan, now)
        uow.cases.save(updated, now, compensation_entry_id=entry_id)
        uow.outbox.withdraw_pending([case_id], purposes=(*UNPROMPTED, REMINDER_PURPOSE),
                                    why=INSTEAD)
        confirmations = confirmation_messages(uow, standing, consent, plan, policy)
        incident = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        sellers = (cancelled_instead_notices(uow, incident=incident, case=standing, links=links)
                   if incident.status is IncidentStatus.CLOSED else [])
        refund = sum((e.amount for e in effects if e.amount is not None),
                     Money(0, plan.currency))
        assert row.case.consent is not None
        uow.audit.append(AuditEvent(
            taken_by, CANCELLED_INSTEAD_ACTION, "case", str(case_id),
            before={"choice": row.case.consent.choice.value, "difference_paid": False},
            after={"choice": CANCEL.value, "channel": consent.channel.value,
                   "evidence": consent.evidence, "refund": refund.as_dict(),
                   "compensation_points": points, "sellers_told": len(sellers)}), now)
        enqueue_messages(uow, [*confirmations, *sellers])
        uow.commit()
        return CancelledInstead(case_id, True, refund, points,
                                confirmations[0].channel if confirmations else None,
                                len(sellers))
