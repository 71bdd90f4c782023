"""A seller's pricing incidents over HTTP, for the seller's own order system: which of their
orders to send, hold or not send (``services.seller_incidents``). A seller's token reads only its
own seller's incidents (403 for another seller's id); staff may read any seller's. An incident
that names none of the seller's listings is 404, as on the seller's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from sagwa.domain.seller_orders import OrderInstruction
from sagwa.services.accounts import Account, Role
from sagwa.services.seller_incidents import seller_incident, seller_incident_ids
from sagwa.web.deps import Uow, act_for_seller, api_caller

router = APIRouter(prefix="/api", tags=["seller"])
SellerOrStaff = Depends(api_caller(Role.SELLER, Role.REVIEWER, Role.AGENT))


@router.get("/sellers/{seller_id}/incidents")
def incidents_of_seller(seller_id: int, uow: Uow,
                        caller: Account = SellerOrStaff) -> dict[str, Any]:
    """``{"incidents": [{"incident_id", "listings"}]}``: the incidents naming the seller's
    listings, newest first."""
    act_for_seller(caller, seller_id, asked="incidents")
    with uow() as u:
        named = seller_incident_ids(u, seller_id)
    return {"incidents": [{"incident_id": i, "listings": listings}
                          for i, listings in named.items()]}


@router.get("/sellers/{seller_id}/incidents/{incident_id}")
def incident_of_seller(seller_id: int, incident_id: int, request: Request, uow: Uow,
                       caller: Account = SellerOrStaff,
                       instruction: Annotated[OrderInstruction | None, Query()] = None,
                       limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
                       offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    """The incident as the seller sees it: ``status``, the prices, ``deadline``,
    ``seller_share_pct``, ``charged_points`` (the ledger's charge-backs to this seller),
    ``counts`` (orders per instruction) and ``orders`` — each with ``instruction``: ``send``,
    ``hold_not_asked``, ``hold_choice``, ``hold_call``, ``hold_difference``,
    ``hold_unreachable``, ``do_not_send`` or ``sent``, oldest first: ``limit`` of them from ``offset`` (``total_orders`` says how
    many there are; ``instruction`` keeps only those), and ``placed_quantity`` — the quantity
    ordered when the desk cut it (a keep capped per customer: the rest cancelled and refunded),
    else null. ``counts`` covers every order. No customer's name or contact."""
    act_for_seller(caller, seller_id, asked="incidents")
    view = seller_incident(uow(), seller_id=seller_id, incident_id=incident_id,
                           policy=request.app.state.desk_policy)
    body = view.as_dict()
    orders = [o for o in body["orders"]  # type: ignore[union-attr]
              if instruction is None or o["instruction"] == instruction.value]
    return {**body, "orders": orders[offset: offset + limit], "total_orders": len(orders),
            "offset": offset, "limit": limit}
