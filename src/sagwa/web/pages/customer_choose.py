"""Choosing on the customer's case page (``/c/<token>``), in two presses, both plain forms (the
page must work on any phone, with or without JavaScript).

The first press (``POST /c/<token>/choose``) records nothing: it answers with a redirect to the
confirm step's own address, ``/c/<token>/confirm?choice=keep`` — what the choice will do (the
refund, the points, the new price), said before anything changes. The step is a page of its
own, not a form's answer, so Back after confirming, a reload or the language link opens it
again instead of asking to send the form again; opened once the case takes no choice any more,
it is the case page. Only the second press, "confirm" (``confirmed=yes``, with the form's CSRF
token), records the choice. Asking to talk to a person changes no order, so it needs no second
press.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.cancel_instead import replaceable_by_cancel
from sagwa.domain.incident_plan import CustomerOption
from sagwa.errors import SagwaError
from sagwa.services.call_when_words import call_when
from sagwa.services.desk_cases import ChoiceResult, record_choice
from sagwa.services.desk_outcome_wording import withdrawal_stands
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.confirm_shown import shown_at, shown_stamp
from sagwa.web.pages.customer import (
    CONFIRM_STEP_ONLY,
    case_address,
    case_context,
    case_page_response,
    open_link,
)
from sagwa.web.pages.customer_case_words import SETTLED
from sagwa.web.pages.customer_errors import CustomerRoute
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=CustomerRoute)
NEEDS_NO_CONFIRMATION = CustomerOption.TALK_TO_PERSON.value


def not_offered() -> FormProblem:
    return FormProblem("고를 수 있는 방법이 아닙니다. 아래에 보이는 방법 중에서 골라 주세요.",
                       "That is not one of the options we offered; please choose one of those "
                       "below.", field="choice")


def confirm_address(token: str, choice: str, lang: str) -> str:
    """The confirm step of ``choice``, in ``lang``."""
    return f"/c/{token}/confirm?{urlencode({'choice': choice, 'lang': lang})}"


def confirm_context(context: dict[str, Any], token: str, choice: str) -> dict[str, Any]:
    """The confirm step's page: what ``choice`` will do, and whether, once confirmed, it may
    still be replaced by cancelling (the discount, until its difference is paid)."""
    case, lang, now = context["case"], context["lang"], context["now"]
    preview = case.preview(choice, lang, now)
    return {**context, **CONFIRM_STEP_ONLY, "token": token, "choice": choice, "preview": preview,
            "choice_label": label("choice", choice, lang, case.plan, price_word=case.price_word),
            # a refund is promised (a cancellation, a keep above the cap): say when it comes
            "refunds": choice == CustomerOption.CANCEL_WITH_COMPENSATION.value
            or (choice == CustomerOption.KEEP.value and case.over_cap is not None),
            "withdrawal": withdrawal_stands(choice),
            "may_cancel_instead_later": replaceable_by_cancel(
                CustomerOption(choice), case.plan, case.owed_after(choice, now))}


@router.get("/{token}/confirm", response_class=HTMLResponse)
def confirm_step(token: str, request: Request, uow: Uow,
                 choice: Annotated[str, Query(max_length=60)] = "") -> Response:
    """The confirm step of ``choice``: nothing is recorded by opening it. Once the case takes
    no choice (it was just confirmed: Back from the case page), whatever ``choice`` says (an
    address cut short), or for the choice that needs no confirming, the case page; a choice
    that is no option is said above the options."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    if not context["can_choose"] or choice == NEEDS_NO_CONFIRMATION:
        return RedirectResponse(case_address(token, request), status_code=303)
    if not context["case"].offers(choice):
        return case_page_response(request, token, context, problem=not_offered())
    # no "here": the language link is this address in the other language, choice and all
    return render(request, "customer/confirm.html", {
        **confirm_context(context, token, choice),
        "shown": shown_stamp(request, case_id, choice, context["now"])}, lang=context["lang"])


@router.post("/{token}/choose")
def choose(token: str, request: Request, uow: Uow,
           choice: Annotated[str, Form(max_length=60)] = "",
           confirmed: Annotated[str, Form(max_length=10)] = "",
           shown: Annotated[str, Form(max_length=200)] = "") -> Response:
    """First press: to the confirm step of ``choice``. Second (``confirmed=yes``): record it —
    as made when the step was ``shown`` (its signed stamp), within the grace after it
    (``consent.CONFIRM_GRACE``)."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    case, lang = context["case"], context["lang"]
    if not case.offers(choice):
        return case_page_response(request, token, context, problem=not_offered())
    if context["can_choose"] and confirmed != "yes" and choice != NEEDS_NO_CONFIRMATION:
        return RedirectResponse(confirm_address(token, choice, lang), status_code=303)
    try:
        result = record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                               evidence=f"web case page: pressed {choice!r}"
                               + (" and confirmed what it does" if confirmed == "yes" else ""),
                               taken_by="customer", policy=request.app.state.desk_policy,
                               links=case_links(request),
                               seen_at=shown_at(request, case_id, choice, shown,
                                                context["now"]) if confirmed == "yes" else None)
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
        return case_page_response(request, token, fresh, problem=exc)
    _say_recorded(request, result, choice=choice, lang=lang,
                  call=call_when(request.app.state.desk_policy, context["now"], lang,
                                 0 if case.customer.phone is None else None,
                                 picked=context["picked_call_at"],
                                 named=context["named_call_at"]),
                  may_pick=case.customer.phone is not None
                  and context["picked_call_at"] is None and context["named_call_at"] is None)
    return RedirectResponse(case_address(token, request), status_code=303)


def _say_recorded(request: Request, result: ChoiceResult, *, choice: str, lang: str,
                  call: str, may_pick: bool = False) -> None:
    """What the recorded choice sets going: a call asked for is acknowledged by mail or text
    (``call_request_notice``; with a number to call, the page below offers a time:
    ``may_pick``); a final choice is recorded
    (the page below says how its confirmation comes: mail, or a text); a repeat changes
    nothing."""
    recorded = result.case.consent
    if not result.changed and recorded is not None and recorded.choice.value != choice:
        # a call asked for once the choice was settled (an old tab): nothing is added, and it
        # is not "this choice" that was received (a tester found it said so)
        flash_in_lang(request, "고객님의 선택은 이미 기록되어 처리되었으므로 상담원 통화 요청은 따로 접수하지 "
                      "않았습니다. 달라진 것은 없습니다. 상담이 필요하시면 아래 고객센터로 연락 주세요.",
                      "Your choice is already recorded and settled, so the request for a call "
                      "was not added; nothing has changed. To talk to someone, please contact "
                      "us below.", "warn", lang=lang)
    elif not result.changed:
        flash_in_lang(request, "이미 접수된 선택입니다. 달라진 것은 없습니다.",
                      "We already have this choice; nothing has changed.", lang=lang)
    elif result.case.status not in SETTLED:  # talk_to_person: on the call list
        flash_in_lang(request, f"상담원 통화 요청이 접수되었습니다. {call}"
                      + (" 편한 통화 시간이 있으시면 아래에서 고르실 수 있습니다." if may_pick else ""),
                      f"Your request is recorded; {call}"
                      + (" If another time suits you better, you can pick it below."
                         if may_pick else ""), lang=lang)
    else:  # the page says how the confirmation comes (mail, or a text without an email)
        flash_in_lang(request, "선택이 접수되었습니다.", "Your choice is recorded.", lang=lang)
