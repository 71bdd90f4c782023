"""Finance's page (``/ops/refunds``, where a finance account lands): the refunds the desk owes,
overdue ones marked, as ``sagwa refunds list`` and ``GET /api/refunds`` read them now. It only
reads: a payment is recorded with ``sagwa refunds mark-paid`` or ``POST /api/refunds/{id}/paid``,
as the page says. Admins may open it too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from sagwa.domain.refunds import RefundFilter
from sagwa.services.refunds import list_refunds
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.access import PageAccess
from sagwa.web.deps import Uow
from sagwa.web.pages.access_shown import refund_cases
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import Finance, csrf_protect

router = APIRouter(prefix="/ops/refunds", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)
#: How many refunds owed the page lists (by id); the rest are in ``sagwa refunds list``.
SHOWN = 100


def owed_context(uow: Callable[[], SqlAlchemyUnitOfWork], *, shown: int = SHOWN) -> dict[str, Any]:
    """The first ``shown`` refunds owed (by id), how many are owed in all and how many of them
    are overdue."""
    owed = list_refunds(uow(), which=RefundFilter.OWED, limit=shown)
    overdue = list_refunds(uow(), which=RefundFilter.OVERDUE, limit=1)
    return {"owed": owed, "overdue_total": overdue.total}


@router.get("", response_class=HTMLResponse)
def refunds_owed(request: Request, account: Finance, uow: Uow, access: PageAccess) -> Response:
    context = owed_context(uow)
    cases, customers = refund_cases(context["owed"])
    access.viewed(cases=cases, customers=customers)
    return render(request, "refunds/owed.html", context)
