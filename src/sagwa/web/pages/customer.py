"""The customer's case page, opened by the signed link in the apology (``/c/<token>``).

No login: the token is the key, and it opens that one case and nothing else. An altered or
expired token is refused (403); a token whose customer does not own the case is a 404.

Choosing takes two steps, both plain forms (the page must work on any phone, with or without
JavaScript): pressing an option shows what it will do — the refund, the points, the new price —
and only the second press, "confirm", records it. Asking to talk to a person changes no order,
so it needs no second press.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import CaseStatus
from sagwa.errors import SagwaError
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_cases import record_choice
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.case_facts import contact, load_case
from sagwa.web.pages.error_texts import FormProblem, PageRoute, error_text
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)
OPEN_FOR_CHOICE = {CaseStatus.OPEN, CaseStatus.NOTIFIED, CaseStatus.ESCALATED,
                   CaseStatus.DEFAULTED}
NEEDS_NO_CONFIRMATION = CustomerOption.TALK_TO_PERSON.value


def _open(request: Request, token: str) -> tuple[int, int]:
    return open_case_token(request.app.state.settings.secret_key, token)


def case_context(uow: SqlAlchemyUnitOfWork, case_id: int, customer_id: int,
                 policy: DeskPolicy, request: Request) -> dict[str, Any]:
    with uow:
        case = load_case(uow, case_id, customer_id=customer_id)
        now = uow.now()
    lang = lang_of(request, fallback=case.customer.locale)
    consent = case.row.case.consent
    return {"lang": lang, "case": case, "status": case.row.case.status.value, "now": now,
            "consent": consent,
            "chosen": label("choice", consent.choice, lang) if consent else None,
            "can_choose": case.row.case.status in OPEN_FOR_CHOICE,
            "options": case.options(lang), "contact": contact(policy, lang)}


def _case_page(request: Request, token: str, context: dict[str, Any], *,
               problem: SagwaError | None = None) -> Response:
    said = error_text(problem, context["lang"]) if problem else None
    return render(request, "customer/case.html",
                  {**context, "token": token, "problem": said, "here": f"/c/{token}"},
                  lang=context["lang"], status_code=problem.http_status if problem else 200)


@router.get("/{token}", response_class=HTMLResponse)
def case_page(token: str, request: Request, uow: Uow) -> Response:
    case_id, customer_id = _open(request, token)
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    return _case_page(request, token, context)


@router.post("/{token}/choose")
def choose(token: str, request: Request, uow: Uow,
           choice: Annotated[str, Form(max_length=60)] = "",
           confirmed: Annotated[str, Form(max_length=10)] = "") -> Response:
    """First press: what ``choice`` will do, to confirm. Second (``confirmed=yes``): record it."""
    case_id, customer_id = _open(request, token)
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    case, lang = context["case"], context["lang"]
    if not case.offers(choice):
        return _case_page(request, token, context, problem=FormProblem(
            "고를 수 있는 방법이 아닙니다. 아래에 보이는 방법 중에서 골라 주세요.",
            "That is not one of the options we offered; please choose one of those below.",
            field="choice"))
    if context["can_choose"] and confirmed != "yes" and choice != NEEDS_NO_CONFIRMATION:
        return render(request, "customer/confirm.html", {
            **context, "token": token, "choice": choice, "here": f"/c/{token}",
            "choice_label": label("choice", choice, lang),
            "preview": case.preview(choice, lang, context["now"])}, lang=lang)
    try:
        record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                      evidence=f"web case page: pressed {choice!r}"
                      + (" and confirmed what it does" if confirmed == "yes" else ""),
                      taken_by="customer", policy=request.app.state.desk_policy)
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
        return _case_page(request, token, fresh, problem=exc)
    flash_in_lang(request, "선택이 접수되었습니다. 확인 메일을 보내 드립니다.",
                  "Your choice is recorded; a confirmation email is on its way.", lang=lang)
    return RedirectResponse(f"/c/{token}", status_code=303)
