"""A seller's view of the pricing incidents that name their listings: for each of their orders
in the incident, whether to send it, hold it or not send it (``domain.seller_orders``), and the
compensation points charged to them so far (read from the ledger, not estimated).

A seller sees only their own listings' orders — never another seller's, and never the
customer's name or contact details (the platform talks to the customer; the seller's own order
system knows whom to send to by the order number). An incident that names none of the seller's
listings is the same 404 as a missing one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sagwa.adapters.db.incident_repo import CaseRow, IncidentRow
from sagwa.domain.compensation import may_still_cancel
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.domain.incidents import CaseStatus, Incident, IncidentStatus
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.seller_orders import OrderInstruction, order_instruction, send_reason
from sagwa.errors import NotFound
from sagwa.services.desk_difference import owing
from sagwa.services.desk_messages import cancel_points
from sagwa.services.desk_money import incident_money
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.listing_names import ListingName, listing_names
from sagwa.services.seller_apology import SellerApology, seller_apology
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True, slots=True)
class SellerOrder:
    """One of the seller's orders in the incident, as it stands now."""

    order_id: int
    listing_id: int
    quantity: int
    unit_price: Money
    placed_at: datetime
    instruction: OrderInstruction
    #: Why it is sent (``seller_orders.send_reason``); None for every other instruction.
    reason: str | None = None
    #: The quantity ordered, when the desk changed it (a keep capped per customer: 2 ordered,
    #: 1 sent, 1 cancelled and refunded); None when it stands as placed. A seller walk's order
    #: system still showed 2 where the page said 1, with no word of the unit cancelled.
    placed_quantity: int | None = None
    #: When an email told the seller to send it (``seller_ready_notices``, or the
    #: difference-paid email); None when none did (yet, or the seller has no address).
    emailed_at: datetime | None = None

    def as_dict(self) -> dict[str, object]:
        return {"order_id": self.order_id, "listing_id": self.listing_id,
                "quantity": self.quantity, "unit_price": self.unit_price.as_dict(),
                "placed_at": self.placed_at, "instruction": self.instruction.value,
                "reason": self.reason, "placed_quantity": self.placed_quantity,
                "emailed_at": self.emailed_at}


@dataclass(frozen=True)
class SellerIncident:
    incident: Incident
    listings: list[ListingName]
    plan: IncidentPlan | None
    orders: list[SellerOrder]
    #: Compensation points charged to this seller so far (the ledger's charge-backs).
    charged_points: int
    #: Whether the incident has been scoped (its orders found): before, no order is listed.
    scoped: bool = field(default=True)
    #: While it is notifying: when the first apology to this seller's customers still queued
    #: (held for contact hours, at a weekend until Monday's opening) is due to go; None once
    #: they all went, or before (``OutboxRepository.apologies_due``).
    apologies_due_at: datetime | None = None
    #: How many of this seller's customers' apologies are still queued (as ``apologies_due_at``)
    apologies_queued: int = 0
    #: This seller's customers in the incident, and how many of them have answered (chosen)
    customers: int = 0
    answered: int = 0
    #: This seller's customers who may still cancel (``compensation.may_still_cancel``).
    may_still_cancel: int = 0
    #: This seller's share of the plan's points for one customer cancelling, rounded down as
    #: the ledger rounds it (0: none offered).
    points_per_case: int = 0
    #: The apology their customers got (:mod:`sagwa.services.seller_apology`), the page's
    #: language first; empty before it was sent, and on views that do not ask for it.
    apologies: tuple[SellerApology, ...] = ()

    @property
    def most_points(self) -> int | None:
        """The most compensation points this seller can be charged: what is charged already,
        and every one of their customers who may still cancel doing so with the plan's points
        (a customer shared with another seller splits it: fewer); None without a plan."""
        if self.plan is None:
            return None
        return self.charged_points + self.may_still_cancel * self.points_per_case

    @property
    def counts(self) -> dict[str, int]:
        """Orders per instruction, in the instructions' order (only those with orders)."""
        seen = Counter(o.instruction for o in self.orders)
        return {i.value: seen[i] for i in OrderInstruction if seen[i]}

    @property
    def units_to_send(self) -> int:
        return sum(o.quantity for o in self.orders if o.instruction is OrderInstruction.SEND)

    def as_dict(self) -> dict[str, object]:
        inc, plan = self.incident, self.plan
        return {
            "incident_id": int(inc.incident_id), "status": inc.status.value,
            "wrong_price": inc.wrong_price.as_dict(),
            "correct_price": inc.correct_price.as_dict() if inc.correct_price else None,
            "listings": [n.listing_id for n in self.listings],
            "deadline": plan.deadline if plan else None,
            "seller_share_pct": plan.seller_share_pct if plan else None,
            "charged_points": self.charged_points, "counts": self.counts,
            "orders": [o.as_dict() for o in self.orders]}


def seller_incident_ids(uow: SqlAlchemyUnitOfWork, seller_id: int) -> dict[int, list[int]]:
    """Inside an open unit of work: incident id -> the seller's listings it names, newest
    incident first; a draft dismissed as a false alarm (closed, never declared) is left out,
    as its page is 404 (a review found the API listing one)."""
    out: dict[int, list[int]] = {}
    for row in uow.reads.seller_incident_listings(seller_id):
        out.setdefault(int(row.incident_id), []).append(int(row.listing_id))
    return {i: listings for i, listings in out.items() if not _dismissed(uow.incidents.get(i))}


def _dismissed(found: IncidentRow | None) -> bool:
    return found is None or (found.incident.status is IncidentStatus.CLOSED
                             and found.incident.declared_at is None)


def seller_incident(uow: SqlAlchemyUnitOfWork, *, seller_id: int, incident_id: int,
                    policy: DeskPolicy, apology_in: str | None = None) -> SellerIncident:
    """The incident as seller ``seller_id`` sees it: their listings in it, the plan's terms that
    concern them, each of their orders with what to do with it, and the points charged to
    them; with ``apology_in`` (a language), the apology their customers got, in that language
    first, once it was sent. A dismissed draft (never declared) or an incident naming none of
    their listings is 404."""
    with uow:
        view = seller_view(uow, seller_id=seller_id, incident_id=incident_id, policy=policy)
        if apology_in is None or view.plan is None or not _notified(uow, view.incident):
            return view
        own = [n.listing_id for n in view.listings]
        said = tuple(seller_apology(uow, view.incident, view.plan, own, policy, lang)
                     for lang in dict.fromkeys((apology_in, "ko", "en")))
        return replace(view, apologies=said)


def _notified(uow: SqlAlchemyUnitOfWork, inc: Incident) -> bool:
    """Whether the customers were sent the apology: notifying, or closed after it."""
    if inc.status is IncidentStatus.NOTIFYING:
        return True
    return inc.status is IncidentStatus.CLOSED and uow.audit.latest_for_entity(
        "incident", str(inc.incident_id), "incident.notifying") is not None


def seller_view(uow: SqlAlchemyUnitOfWork, *, seller_id: int, incident_id: int,
                policy: DeskPolicy, every_case: list[CaseRow] | None = None,
                money: dict[str, Any] | None = None,
                emailed: Mapping[int, datetime] | None = None) -> SellerIncident:
    """:func:`seller_incident` inside the caller's unit of work (closing an incident writes it
    to the seller in the same transaction); ``every_case`` (the incident's cases), ``money``
    (``incident_money``) and ``emailed`` (``told_times``: order id -> when its seller was
    emailed to send it), read once by a caller that views every seller, are not read again."""
    own = {int(r.listing_id) for r in uow.reads.seller_incident_listings(
        seller_id, incident_id=incident_id)}
    found = uow.incidents.get(incident_id) if own else None
    if found is None or _dismissed(found):
        raise NotFound(f"incident {incident_id} not found", kind="incident", id=incident_id,
                       reason="unknown_id")
    inc = found.incident
    plan = (uow.incidents.plan(incident_id, inc.correct_price)
            if inc.correct_price is not None else None)
    rows = [r for r in (every_case if every_case is not None
                        else uow.cases.for_incident(incident_id))
            if any(int(o.listing_id) in own for o in r.case.orders)]
    # only the cases the answer depends on are read further (a large incident has tens
    # of thousands of cases, most of them simply waiting or kept)
    discounted = [r for r in rows if r.difference_paid is None and _chose(
        r, CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT)]
    owed = owing(uow, discounted)
    calls = uow.reads.call_records(  # the desk gives up only on calls after the deadline
        [int(r.case.case_id) for r in rows if r.case.status is CaseStatus.DEFAULTED],
        min_spacing=policy.min_call_spacing)
    if money is None:
        money = incident_money(uow, incident_id, inc.wrong_price.currency)
    # a cancelled order is shown at the price the customer paid and got back: a discount
    # cancelled instead of paid had raised it to a price nobody paid (desk_cancel_instead)
    # and an order whose quantity the desk cut (a capped keep) says what was ordered
    placed = uow.reads.orders_as_placed(
        [int(r.case.case_id) for r in rows if r.case.consent is not None
         or any(o.status == OrderStatus.CANCELLED.value for o in r.case.orders)])
    names = listing_names(uow, own)
    scoped = uow.audit.latest_for_entity("incident", str(incident_id),
                                         "incident.scoped") is not None
    now = uow.now()
    # a reply that reached us by the deadline may be recorded until then: the keep default's
    # orders are held till it passes
    replies_until = plan.replies_recorded_by(policy.schedule) if plan else None
    if emailed is None:
        emailed = uow.orders_told.told_times(incident_id)
    orders: list[SellerOrder] = []
    for row in rows:
        case_id = int(row.case.case_id)
        record = calls.get(case_id)
        unreachable = record is not None and record.unreachable and not record.reached
        call_made = record is not None and record.reached
        owes = case_id in owed
        for order in row.case.orders:
            if int(order.listing_id) not in own:
                continue  # another seller's order of the same customer
            instruction = order_instruction(
                row.case, order, plan, incident_status=inc.status, now=now,
                difference_owed=owes, call_made=call_made, unreachable=unreachable,
                # an order its seller was emailed to send stays "send": the window cannot
                # reopen on it (the desk then refuses a reply on its case, desk_cases)
                replies_until=None if int(order.order_id) in emailed else replies_until)
            paid = placed.get(case_id, {}).get(int(order.order_id))
            price = (Money(paid[1], order.unit_price.currency)
                     if paid and order.status == OrderStatus.CANCELLED.value else order.unit_price)
            orders.append(SellerOrder(
                int(order.order_id), int(order.listing_id), order.quantity, price,
                order.placed_at, instruction,
                send_reason(row.case, inc.status) if instruction is OrderInstruction.SEND
                else None,
                paid[0] if paid and paid[0] != order.quantity
                and order.status != OrderStatus.CANCELLED.value else None,
                emailed.get(int(order.order_id))))
    orders.sort(key=lambda o: (o.placed_at, o.order_id))
    charged = sum(s["points"] for s in money["sellers"] if s["seller_id"] == seller_id)
    due = _apologies_due(uow, inc, rows)
    still = sum(1 for r in rows if may_still_cancel(  # of this seller's customers
        r.case.status, difference_owed=int(r.case.case_id) in owed,
        incident_closed=inc.status is IncidentStatus.CLOSED))
    return SellerIncident(inc, [names[i] for i in sorted(own) if i in names], plan, orders,
                          charged, scoped, min(due.values(), default=None),
                          apologies_queued=len(due), customers=len(rows),
                          answered=sum(1 for r in rows if r.case.consent is not None),
                          may_still_cancel=still, points_per_case=_per_case(plan))


def _apologies_due(uow: SqlAlchemyUnitOfWork, inc: Incident,
                   rows: list[CaseRow]) -> dict[int, datetime]:
    """Case id -> when its queued apology goes out, for these customers, while notifying (an
    answered customer's unsent apology was withdrawn: not counted)."""
    if inc.status is not IncidentStatus.NOTIFYING:
        return {}
    return uow.outbox.apologies_due([int(r.case.case_id) for r in rows])


def _per_case(plan: IncidentPlan | None) -> int:
    """The seller's share of the plan's points for one customer cancelling, rounded down per
    case (as the ledger and the operator's page count it)."""
    if plan is None or not plan.offers(CustomerOption.CANCEL_WITH_COMPENSATION):
        return 0
    return cancel_points(plan) * plan.seller_share_pct // 100


def _chose(row: CaseRow, option: CustomerOption) -> bool:
    return row.case.consent is not None and row.case.consent.choice is option
