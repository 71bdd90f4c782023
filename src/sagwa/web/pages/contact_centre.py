"""The contact centre's call queue: cases to call by deadline, a call script that starts with
an apology, logging each attempt, and recording a choice given on the phone in the customer's
own words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.services.desk_cases import OUTCOMES, log_contact_attempt, record_choice
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.case_facts import CaseFacts, contact, load_case
from sagwa.web.pages.read_models import QueuedCase, call_queue
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import Agent, csrf_protect, flash

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False)


@dataclass(frozen=True)
class CallCard:
    queued: QueuedCase
    case: CaseFacts
    attempts: list[Any]


def queue_context(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                  limit: int = 20) -> dict[str, Any]:
    """The ``limit`` nearest deadlines: an agent works from the top; the rest follow."""
    known: dict[int, Any] = {}
    with uow:
        cards = [CallCard(q, load_case(uow, q.case_id, known=known),
                          uow.cases.attempts(q.case_id))
                 for q in call_queue(uow, limit=limit)]
    return {"cards": cards, "outcomes": OUTCOMES, "contact_ko": contact(policy, "ko"),
            "contact_en": contact(policy, "en")}


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, account: Agent, uow: Uow) -> Response:
    return render(request, "cs/queue.html", queue_context(uow(), request.app.state.desk_policy))


@router.post("/cases/{case_id}/attempt")
def attempt(case_id: int, request: Request, account: Agent, uow: Uow,
            outcome: Annotated[str, Form(max_length=40)],
            note: Annotated[str, Form(max_length=4000)] = "") -> Response:
    log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                        agent=account.actor, note=note.strip() or None,
                        policy=request.app.state.desk_policy)
    flash(request, f"#{case_id} 통화 기록: {outcome} · call logged: {outcome}.")
    return RedirectResponse(f"/cs/queue#case-{case_id}", status_code=303)


@router.post("/cases/{case_id}/choice")
def phone_choice(case_id: int, request: Request, account: Agent, uow: Uow,
                 choice: Annotated[str, Form(max_length=60)],
                 words: Annotated[str, Form(min_length=1, max_length=4000)]) -> Response:
    record_choice(uow(), case_id=case_id, choice=choice, channel="phone", evidence=words.strip(),
                  taken_by=account.actor, policy=request.app.state.desk_policy)
    flash(request, f"#{case_id} 고객 선택 기록: {choice} · choice recorded.")
    return RedirectResponse("/cs/queue", status_code=303)
