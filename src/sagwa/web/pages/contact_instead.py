"""The agent's side of cancelling instead of paying the difference (``desk_cancel_instead``):
the customer who took the discount asks, by phone, email or text, to cancel instead; the agent
writes down their words on the case page (``cs/_no_choice.html``) and sends the form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.money import format_money
from sagwa.errors import SagwaError
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.contact_centre import refused_form
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.rendering import flash_in_lang
from sagwa.web.pages.session import Agent, csrf_protect

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)


@router.post("/cases/{case_id}/cancel-instead")
def cancel_instead(case_id: int, request: Request, account: Agent, uow: Uow,
                   evidence: Annotated[str, Form(max_length=4000)] = "",
                   channel: Annotated[str, Form(max_length=10)] = "phone") -> Response:
    """The customer who took the discount asks to cancel instead of paying the difference
    (``desk_cancel_instead``): their words, and how they asked. Sent twice, it says it was
    already done."""
    try:
        done = cancel_instead_of_paying(uow(), case_id=case_id, channel=channel,
                                        evidence=evidence, taken_by=account.actor,
                                        policy=request.app.state.desk_policy,
                                        links=case_links(request))
    except SagwaError as exc:
        # the form is on the case page and on a card: the refusal is shown on the case page,
        # where the case is whatever list it has left
        return refused_form(request, uow, case_id, "instead",
                            {"instead_words": evidence, "instead_channel": channel}, exc, "case")
    if done.changed:
        refund_ko, refund_en = (format_money(done.refund, lang=lang) for lang in ("ko", "en"))
        sent_ko, sent_en = {"email": (" 고객에게 확인 메일을 보냅니다.",
                                      " The customer is sent a confirmation by email."),
                            "sms": (" 고객에게 확인 문자를 보냅니다.",
                                    " The customer is sent a confirmation by text.")}.get(
            done.confirmation or "", (" 고객의 메일 주소와 전화번호가 없어 확인 안내를 보내지 못합니다.",
                                      (" The customer has no address or phone: no confirmation "
                                      "is sent.")))
        flash_in_lang(request, f"#{case_id} 차액 대신 주문을 취소했습니다. 결제한 {refund_ko} 전액 "
                      f"환불하고 보상 {done.compensation_points:,} 포인트를 드렸습니다.{sent_ko}",
                      f"#{case_id}: cancelled instead of paying the difference; the "
                      f"{refund_en} paid is refunded in full and {done.compensation_points:,} "
                      f"points of compensation are given.{sent_en}")
    else:
        flash_in_lang(request, f"#{case_id} 이미 차액 대신 취소되었습니다. 바뀐 것은 없습니다.",
                      f"#{case_id}: already cancelled instead of paying; nothing was changed.")
    return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
