"""Sellers told which of their orders became ones to send while the customers answer.

The seller's page says, order by order, whether to send, hold or not send (``seller_orders``),
but nobody told the seller when an order turned to "send": a customer who kept their order on
the first day waited until the seller happened to look, or until the incident closed (a seller
walk). Every 30 minutes (``jobs/seller_tasks``; ``sagwa incident tell-sellers`` by hand), for
each incident still notifying, each seller with a contact address is emailed the orders of
theirs that became ones to send since — each order once (``seller_orders_told``), with why
(the customer kept it, bought at the discounted price, the deadline's keep default). The
difference-paid email lists its own orders (``seller_notices.difference_paid_notices``); the
closing email says what happened to every order, so a closed incident is not looked at here.

One transaction per incident, its row held shared (closing it waits; customers choosing do
not) and its emails of orders to send locked (one run at a time: the worker's and a command's);
an audit record per email on the incident's timeline (the count; the order ids are in
``seller_orders_told``). A seller without a contact address has only their page (nothing is
recorded as told: an address added later gets the orders still to send)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sagwa.domain.audit import AuditEvent
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.seller_orders import OrderInstruction
from sagwa.errors import Conflict, SagwaError
from sagwa.services.desk_money import incident_money
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.outbox import enqueue_messages
from sagwa.services.seller_incidents import seller_view
from sagwa.services.seller_notices import listings_by_seller, ready_key_prefix, ready_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

TOLD_ACTION = "incident.sellers_told_to_send"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SellerToldToSend:
    """One email queued: ``orders`` (their ids) of ``seller_id`` in ``incident_id``, ``units``
    items in all, under the outbox key ``message_key``."""

    incident_id: int
    seller_id: int
    seller_name: str
    orders: tuple[int, ...]
    units: int
    message_key: str

    def as_dict(self) -> dict[str, object]:
        return {"incident_id": self.incident_id, "seller_id": self.seller_id,
                "seller_name": self.seller_name,
                "orders": list(self.orders), "units": self.units,
                "message_key": self.message_key}


def tell_sellers_ready(new_uow: Callable[[], SqlAlchemyUnitOfWork], *, actor: str,
                       policy: DeskPolicy, links: LinkMaker | None,
                       incident_ids: Sequence[int] | None = None) -> list[SellerToldToSend]:
    """The emails queued for every incident notifying now (or ``incident_ids``: those of them
    still notifying), one transaction per incident (``new_uow`` makes each). An incident
    whose emails cannot be written (a wording the message check refuses, say) is logged and
    the others are still told; the first such refusal is raised once every incident had its
    turn (the job is retried; what was queued stays queued, once)."""
    if incident_ids is None:
        with new_uow() as uow:
            incident_ids = uow.incidents.ids_with_status(IncidentStatus.NOTIFYING)
    told: list[SellerToldToSend] = []
    refused: SagwaError | None = None
    for incident_id in incident_ids:
        try:
            told += tell_incident_sellers_ready(new_uow(), incident_id=incident_id, actor=actor,
                                                policy=policy, links=links)
        except SagwaError as exc:
            _log.warning("incident %d: the sellers' emails of orders to send were not queued: "
                         "%s", incident_id, exc.message)
            refused = refused or exc
    if refused is not None:
        raise refused
    return told


def tell_incident_sellers_ready(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                                policy: DeskPolicy,
                                links: LinkMaker | None) -> list[SellerToldToSend]:
    """The emails queued for ``incident_id`` (none unless it is notifying): to each seller with
    a contact address, the orders of theirs to send that no email listed yet."""
    with uow:
        found = uow.incidents.get(incident_id, for_share=True)
        if found is None or found.incident.status is not IncidentStatus.NOTIFYING:
            return []
        uow.orders_told.lock(incident_id)  # one run at a time: the orders told are read next
        incident = found.incident
        every_case = uow.cases.for_incident(incident_id)  # read once for every seller
        money = incident_money(uow, incident_id, incident.wrong_price.currency)
        # read once: what this run records for one seller names none of another's orders
        emailed = uow.orders_told.told_times(incident_id)
        now = uow.now()
        told, messages = [], []
        for seller_id in listings_by_seller(uow, incident):
            seller = uow.catalog.seller(seller_id)
            if seller is None or not seller.contact_email:
                continue
            view = seller_view(uow, seller_id=seller_id, incident_id=incident_id, policy=policy,
                               every_case=every_case, money=money, emailed=emailed)
            new = [o for o in view.orders  # each listed once: none already emailed
                   if o.instruction is OrderInstruction.SEND and o.emailed_at is None]
            if not new:
                continue
            names = {n.listing_id: n for n in view.listings}
            number = uow.orders_told.emails_queued(ready_key_prefix(incident_id, seller_id)) + 1
            message = ready_notice(uow, incident=incident, seller=seller, orders=new,
                                   names=names, links=links, number=number)
            ids = tuple(o.order_id for o in new)
            uow.orders_told.record(incident_id=incident_id, seller_id=seller_id, order_ids=ids,
                                   at=now, message_key=message.idempotency_key)
            sent = SellerToldToSend(incident_id, seller_id, seller.name, ids,
                                    sum(o.quantity for o in new), message.idempotency_key)
            # the order ids are in seller_orders_told under the key: an email after the
            # deadline can list thousands
            uow.audit.append(AuditEvent(actor, TOLD_ACTION, "incident", str(incident_id),
                                        before=None, after={**sent.as_dict(),
                                                            "orders": len(ids)}), now)
            told.append(sent)
            messages.append(message)
        if messages:
            if enqueue_messages(uow, messages) != len(messages):  # numbered under the lock
                raise Conflict(f"incident {incident_id}: an email of orders to send was queued "
                               "under the same key meanwhile", reason="seller_email_key_taken")
            uow.commit()
        return told
