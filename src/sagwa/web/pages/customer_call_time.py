"""A customer on the call list picks, on their case page (``/c/<token>``), when the call suits
them, or "as soon as you can" (``services.customer_call_time``); the page then says when we
will call."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.errors import SagwaError
from sagwa.services.call_when_words import call_when
from sagwa.services.customer_call_time import set_call_time
from sagwa.services.desk_messages import format_when
from sagwa.web.deps import Uow
from sagwa.web.pages.customer import (
    case_address,
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


@router.post("/{token}/call-time")
def pick_call_time(token: str, request: Request, uow: Uow,
                   call_at: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Store the time the customer picked ("" clears it: as soon as we can)."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    policy = request.app.state.desk_policy
    lang = case_context(uow(), case_id, customer_id, policy, request)["lang"]
    try:
        picked = _parsed(call_at)
        done = set_call_time(uow(), case_id=case_id, call_at=picked, policy=policy)
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, policy, request)
        # said beside the form; without one (no call may wait for a time now) at the top, or
        # beside the phone form when it is the number that is missing
        where = "call_time" if fresh["call_time"] else "phone" if fresh["leave_phone"] else None
        return case_page_response(request, token, {**fresh, "problem_form": where},
                                  problem=exc)
    if not done.changed:
        flash_in_lang(request, "이미 그렇게 요청하셨습니다. 달라진 것은 없습니다.",
                      "That is what you asked for already; nothing has changed.", lang=lang)
    elif done.call_at is not None:
        flash_in_lang(request, f"{format_when(done.call_at, 'ko')}(한국 시간)에 전화드리겠습니다. 시간은 이 페이지에서 "
                      "언제든 바꾸실 수 있습니다.",
                      f"We will call you on {format_when(done.call_at, 'en')}. You can change the "
                      "time on this page at any time.", lang=lang)
    else:
        after = case_context(uow(), case_id, customer_id, policy, request)
        flash_in_lang(request, f"시간을 지웠습니다. {call_when(policy, after['now'], 'ko')}",
                      f"Time cleared: {call_when(policy, after['now'], 'en')}", lang=lang)
    return RedirectResponse(case_address(token, request), status_code=303)


def _parsed(value: str) -> datetime | None:
    """The form's value: an offered time (ISO with its offset), or "" for as soon as we can."""
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:  # not a time, or one without its zone
        raise FormProblem("고르신 시간을 알아볼 수 없습니다. 목록에서 다시 골라 주세요.",
                          "We could not read that time; please pick one from the list again.",
                          field="call_at")
    return moment
