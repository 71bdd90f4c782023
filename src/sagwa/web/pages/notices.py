"""The public notice board: every incident's notices, each with its revision history."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.rendering import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def board_context(uow: SqlAlchemyUnitOfWork) -> dict[str, Any]:
    """Notices newest incident first; per (incident, language) the latest version, then older."""
    with uow:
        rows = uow.cases.notices()
    threads = [list(group) for _, group in groupby(rows, key=lambda n: (n.incident_id, n.lang))]
    return {"threads": threads}


@router.get("/notices", response_class=HTMLResponse)
def board(request: Request, uow: Uow) -> Response:
    return render(request, "notices/board.html", board_context(uow()))
