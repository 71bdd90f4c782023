"""The contact centre's call queue: cases to call by deadline, a call script that starts with
an apology, logging each attempt (with the attempts a call owed has had, out of the policy's
``max_attempts``), and recording a choice given on the phone in the customer's own words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.read_repo import QueuedCase
from sagwa.domain.incidents import CaseStatus
from sagwa.errors import SagwaError
from sagwa.services.desk_cases import OUTCOMES, log_call_attempt, record_choice
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.case_facts import CaseFacts, Known, contact, facts_for, load_case
from sagwa.web.pages.error_texts import FormProblem, PageRoute, error_text
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import Agent, csrf_protect

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)


@dataclass(frozen=True)
class CallCard:
    queued: QueuedCase
    case: CaseFacts
    attempts: list[Any]

    @property
    def last_outcome(self) -> str | None:
        """How the latest phone call the card is about ended, if any: since the deadline for a
        defaulted case (as the call-owed rule counts), any for an escalated one
        (``QueuedCase.last_outcome``). Emails and text messages are not calls."""
        return self.queued.last_outcome


def queue_context(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                  limit: int = 20) -> dict[str, Any]:
    """The ``limit`` nearest deadlines: an agent works from the top; the rest follow.

    Cases, customers and attempts are fetched in batches (per incident), not per card."""
    known: Known = {}
    with uow:
        queued = uow.reads.call_queue(limit=limit)
        rows: dict[int, CaseRow] = {}
        per_incident = Counter(q.incident_id for q in queued)
        for incident_id, n in per_incident.items():
            # call_queue orders by (deadline, case id): within one incident, the lowest ids.
            for row in uow.cases.for_incident(incident_id, statuses={CaseStatus.ESCALATED},
                                              limit=n):
                rows[int(row.case.case_id)] = row
        people = uow.catalog.customers_by_ids([q.customer_id for q in queued])
        attempts = uow.reads.attempts_by_case([q.case_id for q in queued])
        cards = [CallCard(q, facts_for(uow, rows[q.case_id], people[q.customer_id], known)
                          if q.case_id in rows else load_case(uow, q.case_id, known=known),
                          attempts.get(q.case_id, [])) for q in queued]
    return {"cards": cards, "outcomes": OUTCOMES, "max_attempts": policy.max_call_attempts,
            "contact_ko": contact(policy, "ko"), "contact_en": contact(policy, "en")}


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, account: Agent, uow: Uow) -> Response:
    return render(request, "cs/queue.html", queue_context(uow(), request.app.state.desk_policy))


def _refused(request: Request, uow: Uow, case_id: int, form: str, typed: dict[str, str],
             exc: SagwaError) -> Response:
    """The queue again with the refusal next to that case's ``form`` and what was typed."""
    problem = {"case_id": case_id, "form": form, "message": error_text(exc, lang_of(request)),
               "typed": typed}
    context = {**queue_context(uow(), request.app.state.desk_policy), "here": "/cs/queue",
               "problem": problem}
    return render(request, "cs/queue.html", context, status_code=exc.http_status)


@router.post("/cases/{case_id}/attempt")
def attempt(case_id: int, request: Request, account: Agent, uow: Uow,
            outcome: Annotated[str, Form(max_length=40)] = "",
            note: Annotated[str, Form(max_length=4000)] = "") -> Response:
    policy = request.app.state.desk_policy
    try:
        logged = log_call_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                                  agent=account.actor, note=note.strip() or None, policy=policy)
    except SagwaError as exc:
        return _refused(request, uow, case_id, "attempt", {"outcome": outcome, "note": note}, exc)
    ko = f"#{case_id} 통화 기록: {label('outcome', outcome, 'ko')}"
    en = f"#{case_id} call logged: {label('outcome', outcome, 'en')}."
    if logged.gave_up:
        ko += (f". 기한 뒤 {policy.max_call_attempts}번 시도해도 연결되지 않아 '연락 안 됨'으로 "
               "기록하고 목록에서 뺐습니다. 주문은 기본 처리대로 둡니다.")
        en += (f" After {policy.max_call_attempts} tries since the deadline the customer is "
               "recorded as could not be reached and leaves the list; the orders stay as the "
               "default left them.")
    elif logged.made_call:
        ko += ". 약속한 전화를 마쳤습니다."
        en += " The call owed is made."
    flash_in_lang(request, ko, en)
    return RedirectResponse(f"/cs/queue#case-{case_id}", status_code=303)


@router.post("/cases/{case_id}/choice")
def phone_choice(case_id: int, request: Request, account: Agent, uow: Uow,
                 choice: Annotated[str, Form(max_length=60)] = "",
                 words: Annotated[str, Form(max_length=4000)] = "") -> Response:
    """A choice given on the phone, recorded with the customer's own words."""
    try:
        if not words.strip():
            raise FormProblem("고객이 한 말을 그대로 적어 주세요.",
                              "Write down what the customer said, in their words.",
                              field="words")
        record_choice(uow(), case_id=case_id, choice=choice, channel="phone",
                      evidence=words.strip(), taken_by=account.actor,
                      policy=request.app.state.desk_policy)
    except SagwaError as exc:
        return _refused(request, uow, case_id, "choice", {"choice": choice, "words": words}, exc)
    lang = lang_of(request)
    flash_in_lang(request, f"#{case_id} 고객 선택 기록: {label('choice', choice, lang)}",
                  f"#{case_id} choice recorded: {label('choice', choice, lang)}.")
    return RedirectResponse("/cs/queue", status_code=303)
