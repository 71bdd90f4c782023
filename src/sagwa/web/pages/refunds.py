"""Finance's page (``/ops/refunds``, where a finance account lands): the refunds the desk owes,
overdue ones marked, as ``sagwa refunds list`` and ``GET /api/refunds`` read them now; and,
asked for days (``?paid_from=&paid_to=``), the refunds paid in them with their total. It only
reads: a payment is recorded with ``sagwa refunds mark-paid`` or ``POST /api/refunds/{id}/paid``,
as the page says. Admins may open it too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from sagwa.domain.refunds import RefundFilter
from sagwa.errors import InvalidInput
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
    are overdue, and what those come to."""
    owed = list_refunds(uow(), which=RefundFilter.OWED, limit=shown)
    overdue = list_refunds(uow(), which=RefundFilter.OVERDUE, limit=1)
    return {"owed": owed, "overdue_total": overdue.total,
            "overdue_amounts": overdue.amount_totals}


def paid_context(uow: Callable[[], SqlAlchemyUnitOfWork], paid_from: str, paid_to: str, *,
                 shown: int = SHOWN) -> dict[str, Any]:
    """The refunds paid in the Korean days ``paid_from`` to ``paid_to`` (YYYY-MM-DD, either
    empty: open; both empty: none asked for), for a month's books: ``paid`` (None: not asked,
    or refused) and ``paid_refused`` (the days could not be read, or are the wrong way round)."""
    context: dict[str, Any] = {"paid": None, "paid_refused": False,
                               "paid_from": paid_from, "paid_to": paid_to}
    if not paid_from and not paid_to:
        return context
    try:
        since, until = (date.fromisoformat(d) if d else None for d in (paid_from, paid_to))
        context["paid"] = list_refunds(uow(), which=RefundFilter.PAID, limit=shown,
                                       paid_from=since, paid_to=until)
    except (ValueError, InvalidInput):
        context["paid_refused"] = True
    return context


@router.get("", response_class=HTMLResponse)
def refunds_owed(request: Request, account: Finance, uow: Uow, access: PageAccess,
                 paid_from: Annotated[str, Query(max_length=10)] = "",
                 paid_to: Annotated[str, Query(max_length=10)] = "") -> Response:
    context = owed_context(uow) | paid_context(uow, paid_from.strip(), paid_to.strip())
    cases, customers = refund_cases(context["owed"])
    if context["paid"] is not None:
        paid_cases, paid_customers = refund_cases(context["paid"])
        cases, customers = cases + paid_cases, customers + paid_customers
    access.viewed(cases=cases, customers=customers)
    return render(request, "refunds/owed.html", context)
