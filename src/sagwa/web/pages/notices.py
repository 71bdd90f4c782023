"""The public notice board: every incident's notices, each with its revision history."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def board_context(uow: SqlAlchemyUnitOfWork, lang: str = "ko") -> dict[str, Any]:
    """Notices newest incident first. Per incident, the thread (latest version, then older) in
    the page's language when there is one, else the first published; the other languages'
    threads follow, folded."""
    with uow:
        rows = uow.cases.notices()
    incidents = []
    for incident_id, group in groupby(rows, key=lambda n: n.incident_id):
        by_lang = {code: list(thread) for code, thread in groupby(group, key=lambda n: n.lang)}
        main = lang if lang in by_lang else next(iter(by_lang))
        incidents.append({"incident_id": incident_id, "thread": by_lang.pop(main),
                          "others": list(by_lang.values())})
    return {"incidents": incidents}


def paragraphs(text: str) -> list[str]:
    """A notice body's paragraphs (blank-line separated; CRLF from older notices too)."""
    lines = "\n".join(text.splitlines())
    return [p.strip("\n") for p in lines.split("\n\n") if p.strip()]


@router.get("/notices", response_class=HTMLResponse)
def board(request: Request, uow: Uow) -> Response:
    return render(request, "notices/board.html", {**board_context(uow(), lang_of(request)),
                                                   "paragraphs": paragraphs})
