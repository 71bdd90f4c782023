"""The contact centre's call queue: cases to call by deadline, a call script that starts with
an apology, logging each attempt, and recording a choice given on the phone in the customer's
own words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.incidents import CaseStatus
from sagwa.services.desk_cases import OUTCOMES, log_contact_attempt, record_choice
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.case_facts import CaseFacts, Known, contact, facts_for, load_case
from sagwa.web.pages.read_models import QueuedCase, attempts_by_case, call_queue
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
    """The ``limit`` nearest deadlines: an agent works from the top; the rest follow.

    Cases, customers and attempts are fetched in batches (per incident), not per card."""
    known: Known = {}
    with uow:
        queued = call_queue(uow, limit=limit)
        rows: dict[int, CaseRow] = {}
        per_incident = Counter(q.incident_id for q in queued)
        for incident_id, n in per_incident.items():
            # call_queue orders by (deadline, case id): within one incident, the lowest ids.
            for row in uow.cases.for_incident(incident_id, statuses={CaseStatus.ESCALATED},
                                              limit=n):
                rows[int(row.case.case_id)] = row
        people = uow.catalog.customers_by_ids([q.customer_id for q in queued])
        attempts = attempts_by_case(uow, [q.case_id for q in queued])
        cards = [CallCard(q, facts_for(uow, rows[q.case_id], people[q.customer_id], known)
                          if q.case_id in rows else load_case(uow, q.case_id, known=known),
                          attempts.get(q.case_id, [])) for q in queued]
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
