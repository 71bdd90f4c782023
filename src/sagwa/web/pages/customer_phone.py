"""A customer with no phone number on file leaves one on their case page (``/c/<token>``), so
that our staff can call them: a customer who asked to talk to a person, or whom the desk gave
up calling for want of a number, is owed the call again (``services.customer_contact``). Only a
number the desk does not have yet: changing one on file takes a person (the link may have been
passed on), so the form is not offered then and a sent one is refused.

The number is read as the customer sees it (``catalog.plain_phone_text``, as every form and
the API read one): typed in a full-width input mode, or pasted from their contacts with the
invisible marks and no-break spaces that come with it, it is the same number, not "not a phone
number we can call"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.catalog import plain_phone_text
from sagwa.errors import SagwaError
from sagwa.services.call_when_words import call_when
from sagwa.services.customer_contact import change_customer_contact
from sagwa.services.desk_policy import DeskPolicy
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.customer import (
    case_address,
    case_context,
    case_page_response,
    open_link,
)
from sagwa.web.pages.customer_case_words import OPEN
from sagwa.web.pages.customer_errors import CustomerRoute
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.rendering import flash_in_lang
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=CustomerRoute)


@router.post("/{token}/phone")
def leave_phone(token: str, request: Request, uow: Uow,
                phone: Annotated[str, Form(max_length=40)] = "") -> Response:
    """Store the number the customer typed; the page then says whether we will call them."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    policy = request.app.state.desk_policy
    context = case_context(uow(), case_id, customer_id, policy, request)
    lang = context["lang"]
    try:
        if context["case"].customer.phone is None and not context["leave_phone"]:
            raise FormProblem("이 건은 이제 전화로 처리할 일이 없습니다. 도움이 필요하시면 아래 고객센터로 연락 주세요.",
                              "Nothing on this case needs a call any more; if you need "
                              "anything, please contact us below.", field="phone")
        number = plain_phone_text(phone)
        if not number:
            raise FormProblem("전화번호를 입력해 주세요(예: 010-1234-5678).",
                              "Please type your phone number, like 010-1234-5678.",
                              field="phone")
        change_customer_contact(uow(), customer_id=customer_id, actor="customer",
                                policy=policy, phone=number, links=case_links(request),
                                only_a_new_phone=True)
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, policy, request)
        return case_page_response(request, token, {**fresh, "typed_phone": phone,
                                                   "problem_form": "phone"}, problem=exc)
    after = case_context(uow(), case_id, customer_id, policy, request)
    flash_in_lang(request, *saved_sentences(after, policy), lang=lang)
    return RedirectResponse(case_address(token, request), status_code=303)


def saved_sentences(after: dict[str, Any], policy: DeskPolicy) -> tuple[str, str]:
    """What the customer is told once their number is saved (Korean, English), from their case
    as it is now: on the call list (they asked, were escalated, or are owed the call again) —
    when we will call; a call as their default — that we will call if they do not answer;
    else — that asking for a person brings a call to that number. Then the number as stored,
    and whom to tell if it is wrong: the page shows it nowhere else (the form is gone, and
    changing a number on file takes a person)."""
    if after["on_call_list"]:
        ko, en = (f"전화번호를 저장했습니다. {call_when(policy, after['now'], 'ko')}",
                  f"Your number is saved; {call_when(policy, after['now'], 'en')}")
    elif after["state"] == OPEN and after["default_calls"]:
        ko, en = ("전화번호를 저장했습니다. 기한까지 답이 없으시면 상담원이 이 번호로 전화드립니다.",
                  ("Your number is saved. If we do not hear from you by the deadline, one of our "
                   "staff will call you on it."))
    else:
        ko, en = ("전화번호를 저장했습니다. 상담원 통화를 요청하시면 이 번호로 전화드립니다.",
                  "Your number is saved. If you ask to talk to a person, we will call you on it.")
    number, centre = after["case"].customer.phone, after["contact"]["phone"]
    return (f"{ko} 저장한 번호: {number}. 번호가 틀렸다면 고객센터({centre})로 알려 주세요.",
            (f"{en} The number we saved: {number}. If it is wrong, please tell our contact "
             f"centre ({centre})."))
