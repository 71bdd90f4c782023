"""A customer who chose to buy at the discounted correct price, and has not paid the
difference, may cancel instead on their case page (``/c/<token>``): as choosing, in two presses
— the first shows what it will do (the order cancelled, what they paid refunded in full, the
plan's compensation), only the second does it (``desk_cancel_instead``, their own click as the
consent). The page offers it only while it can be done (``CaseFacts.may_cancel_instead``).

The first press answers with a redirect to the confirm step's own address (``GET
/c/<token>/cancel-instead``), so Back after confirming, a reload or the language link opens a
page, not a form to send again; opened once it can no longer be done, it is the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.consent import CUSTOMER
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import format_money
from sagwa.errors import SagwaError
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.customer import (
    CONFIRM_STEP_ONLY,
    case_address,
    case_context,
    case_page_response,
    open_link,
)
from sagwa.web.pages.customer_errors import CustomerRoute
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=CustomerRoute)
#: The words the audit log keeps as the customer's consent.
PRESSED = "web case page: pressed 'cancel instead of paying the difference' and confirmed"


def instead_terms(case: CaseFacts, lang: str, *, agent: bool = False) -> list[tuple[str, str]]:
    """What cancelling instead does, as the confirm step lists it: the customer's, or (with
    ``agent``) the agent's who confirms it for them (``contact_instead``; English says "they")."""
    ko = lang == "ko"
    paid = format_money(case.paid, lang=lang)
    pts, who = case.cancel_points, "they" if agent else "you"
    lines = [("주문" if ko else ("The order" if agent else "Your order"),
              "취소됩니다(상품을 보내지 않습니다)" if ko else "cancelled (nothing is sent)"),
             ("환불" if ko else "Refund",
              f"결제하신 {paid} 전액" if ko else f"the {paid} {who} paid, in full"),
             ("차액" if ko else "The difference",
              "내지 않으셔도 됩니다" if ko else "nothing more to pay")]
    if pts:
        lines.append(("보상" if ko else "Compensation",
                      f"{pts:,}포인트" if ko else f"{pts:,} points"))
    return lines


@router.get("/{token}/cancel-instead", response_class=HTMLResponse)
def confirm_instead(token: str, request: Request, uow: Uow) -> Response:
    """The confirm step: what cancelling instead will do; nothing is done by opening it. Once
    it cannot be done (done already: Back from the case page; paid; not offered), the case
    page, which says where the case stands."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    case, lang = context["case"], context["lang"]
    if not case.may_cancel_instead:
        return RedirectResponse(case_address(token, request), status_code=303)
    # no "here": the language link is this address in the other language
    return render(request, "customer/confirm_instead.html", {
        **context, **CONFIRM_STEP_ONLY, "token": token, "terms": instead_terms(case, lang)},
        lang=lang)


@router.post("/{token}/cancel-instead")
def cancel_instead(token: str, request: Request, uow: Uow,
                   confirmed: Annotated[str, Form(max_length=10)] = "") -> Response:
    """First press: to the confirm step (:func:`confirm_instead`). Second
    (``confirmed=yes``): do it, with the customer's click as their consent."""
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    policy = request.app.state.desk_policy
    context = case_context(uow(), case_id, customer_id, policy, request)
    case, lang = context["case"], context["lang"]
    consent = case.row.case.consent
    if consent is not None and consent.choice is CustomerOption.CANCEL_WITH_COMPENSATION:
        flash_in_lang(request, "이미 주문이 취소되었습니다. 달라진 것은 없습니다.",
                      "Your order is already cancelled; nothing has changed.", lang=lang)
        return RedirectResponse(case_address(token, request), status_code=303)
    refused = case.cancel_instead_refusal
    if refused is not None:  # said as the desk says it: paid, not offered, ...
        return case_page_response(request, token, context, problem=refused)
    if confirmed != "yes":
        return RedirectResponse(f"/c/{token}/cancel-instead?lang={lang}", status_code=303)
    try:
        cancel_instead_of_paying(uow(), case_id=case_id, channel="web", evidence=PRESSED,
                                 taken_by=CUSTOMER, policy=policy, links=case_links(request))
    except SagwaError as exc:
        fresh = case_context(uow(), case_id, customer_id, policy, request)
        return case_page_response(request, token, fresh, problem=exc)
    flash_in_lang(request, "주문을 취소했습니다. 결제하신 금액은 전액 환불해 드립니다.",
                  "Your order is cancelled; what you paid is refunded in full.", lang=lang)
    return RedirectResponse(case_address(token, request), status_code=303)
