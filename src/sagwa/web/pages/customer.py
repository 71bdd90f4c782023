"""The customer's case page, opened by the signed link in the apology (``/c/<token>``).

No login: the token is the key, and it opens that one case and nothing else. An altered or
expired token is refused (403); a token whose customer does not own the case is a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.incidents import CaseStatus
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_cases import record_choice
from sagwa.services.desk_messages import choice_label
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.case_facts import contact, load_case
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import csrf_protect, flash

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False)
OPEN_FOR_CHOICE = {CaseStatus.OPEN, CaseStatus.NOTIFIED, CaseStatus.ESCALATED,
                   CaseStatus.DEFAULTED}


def _open(request: Request, token: str) -> tuple[int, int]:
    return open_case_token(request.app.state.settings.secret_key, token)


def case_context(uow: SqlAlchemyUnitOfWork, case_id: int, customer_id: int,
                 policy: DeskPolicy, request: Request) -> dict[str, Any]:
    with uow:
        case = load_case(uow, case_id, customer_id=customer_id)
    lang = lang_of(request, fallback=case.customer.locale)
    consent = case.row.case.consent
    return {"lang": lang, "case": case, "status": case.row.case.status.value,
            "consent": consent, "chosen": choice_label(consent.choice, lang) if consent else None,
            "can_choose": case.row.case.status in OPEN_FOR_CHOICE,
            "options": case.options(lang), "contact": contact(policy, lang)}


@router.get("/{token}", response_class=HTMLResponse)
def case_page(token: str, request: Request, uow: Uow) -> Response:
    case_id, customer_id = _open(request, token)
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    return render(request, "customer/case.html", {**context, "token": token},
                  lang=context["lang"])


@router.post("/{token}/choose")
def choose(token: str, request: Request, uow: Uow,
           choice: Annotated[str, Form(max_length=60)]) -> Response:
    case_id, customer_id = _open(request, token)
    with uow() as u:
        load_case(u, case_id, customer_id=customer_id)
    record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                  evidence=f"web case page: pressed the button for {choice!r}",
                  taken_by="customer", policy=request.app.state.desk_policy)
    flash(request, "선택이 접수되었습니다. 확인 메일을 보내 드립니다 · Your choice is recorded; "
                   "a confirmation email is on its way.")
    return RedirectResponse(f"/c/{token}", status_code=303)
