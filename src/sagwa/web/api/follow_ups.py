"""The differences to follow up over HTTP (``services.difference_follow_ups``): the same list
as the agents' call queue page and ``sagwa incident follow-ups``, for a contact-centre tool."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sagwa.services.difference_follow_ups import MAX_LIMIT, follow_ups_due
from sagwa.web.api.incidents import policy_of
from sagwa.web.deps import AGENT, ApiAccess, Uow

router = APIRouter(prefix="/api", tags=["incident desk"])


@router.get("/difference-follow-ups", dependencies=[AGENT])
def difference_follow_ups(request: Request, uow: Uow, access: ApiAccess,
                          limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50
                          ) -> dict[str, Any]:
    """Customers who chose to buy at the discounted correct price and have not paid the
    difference ``[difference] follow_up_after_days`` after the choice, or after the latest
    contact an agent logged since: the longest due first, at most ``limit``. ``enabled`` is
    false when the desk policy keeps no such list; ``more`` says whether more are due."""
    found = follow_ups_due(uow(), policy_of(request), limit=limit)
    access.viewed(cases=[f.owing.case_id for f in found.items])
    return found.as_dict()
