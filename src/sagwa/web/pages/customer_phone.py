"""A customer with no phone number on file leaves one on their case page (``/c/<token>``), so
that our staff can call them: a customer who asked to talk to a person, or whom the desk gave
up calling for want of a number, is owed the call again (``services.customer_contact``). Only a
number the desk does not have yet: changing one on file takes a person (the link may have been
passed on), so the form is not offered then and a sent one is refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.errors import SagwaError
from sagwa.services.customer_contact import change_customer_contact
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.customer import (
    OPEN,
    call_when,
    case_context,
    case_page_response,
    open_link,
)
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
        if context["case"].customer.phone is not None:
            raise FormProblem("이미 고객님의 전화번호가 있습니다. 번호를 바꾸시려면 아래 고객센터로 연락 주세요.",
                              "We already have a phone number for you; to change it, please "
                              "contact us below.", field="phone")
        if not context["leave_phone"]:
            raise FormProblem("이 건은 이제 전화로 처리할 일이 없습니다. 도움이 필요하시면 아래 고객센터로 연락 주세요.",
                              "Nothing on this case needs a call any more; if you need "
                              "anything, please contact us below.", field="phone")
        if not phone.strip():
            raise FormProblem("전화번호를 입력해 주세요(예: 010-1234-5678).",
                              "Please type your phone number, like 010-1234-5678.",
                              field="phone")
        done = change_customer_contact(uow(), customer_id=customer_id, actor="customer",
                                       policy=policy, phone=phone.strip(),
                                       links=case_links(request))
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, policy, request)
        return case_page_response(request, token, {**fresh, "typed_phone": phone,
                                                             "problem_form": "phone"}, problem=exc)
    asked = context["consent"] is not None and context["state"] == OPEN  # for a person
    if done.calls_resumed or asked:
        call = call_when(policy, context["now"], lang)
        flash_in_lang(request, f"전화번호를 저장했습니다. {call}",
                      f"Your number is saved; {call}", lang=lang)
    else:
        flash_in_lang(request, "전화번호를 저장했습니다. 상담원 통화를 요청하시면 이 번호로 전화드립니다.",
                      "Your number is saved. If you ask to talk to a person, we will call you "
                      "on it.", lang=lang)
    return RedirectResponse(f"/c/{token}", status_code=303)
