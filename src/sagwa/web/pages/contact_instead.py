"""The agent's side of cancelling instead of paying the difference (``desk_cancel_instead``):
the customer who took the discount asks, by phone, email or text, to cancel instead; the agent
writes down their words on the case page (``cs/_no_choice.html``) and sends the form. As on the
customer's own page (``customer_instead``), it takes two presses: the first is checked as the
desk will check it and shows what it will do — the refund at the price paid, the points if
any, that it cannot be undone, and what to read back to the customer
(``cs/confirm_instead.html``); only the second (``confirmed=yes``) records it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.cancel_instead import CANCEL
from sagwa.domain.cancel_instead import cancel_instead as replaced_by_cancellation
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.money import format_money
from sagwa.errors import SagwaError
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.web.access import PageAccess, page_access
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.access_shown import card_cases
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.contact_centre import case_context, refused_form
from sagwa.web.pages.customer_instead import instead_terms
from sagwa.web.pages.error_texts import PageRoute
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import Agent, csrf_protect
from sagwa.web.pages.settled_script import instead_read_back

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)


@router.post("/cases/{case_id}/cancel-instead")
def cancel_instead(case_id: int, request: Request, account: Agent, uow: Uow,
                   access: PageAccess, evidence: Annotated[str, Form(max_length=4000)] = "",
                   channel: Annotated[str, Form(max_length=10)] = "phone",
                   confirmed: Annotated[str, Form(max_length=10)] = "") -> Response:
    """The customer who took the discount asks to cancel instead of paying the difference
    (``desk_cancel_instead``): their words, and how they asked. The first press shows what it
    will do (:func:`_confirm_step`); the second (``confirmed=yes``) does it. Sent twice, it
    says it was already done."""
    if confirmed != "yes":
        return _confirm_step(request, uow, case_id, account.actor, evidence, channel)
    try:
        done = cancel_instead_of_paying(access.changing(uow(), cases=[case_id]),
                                        case_id=case_id, channel=channel,
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
        pts = done.compensation_points
        points_ko, points_en = ((f"하고 보상 {pts:,}포인트를 드렸습니다.",
                                 f" and {pts:,} points of compensation are given.") if pts
                                else ("했습니다.", "."))
        flash_in_lang(request, f"#{case_id} 차액 대신 주문을 취소했습니다. 결제한 {refund_ko} 전액 "
                      f"환불{points_ko}{sent_ko}",
                      f"#{case_id}: cancelled instead of paying the difference; the "
                      f"{refund_en} paid is refunded in full{points_en}{sent_en}")
        return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
    return _already_done(request, case_id)


def _already_done(request: Request, case_id: int) -> Response:
    flash_in_lang(request, f"#{case_id} 이미 차액 대신 취소되었습니다. 바뀐 것은 없습니다.",
                  f"#{case_id}: already cancelled instead of paying; nothing was changed.")
    return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)


def _confirm_step(request: Request, uow: Uow, case_id: int, actor: str, evidence: str,
                  channel: str) -> Response:
    """What cancelling instead will do, with the customer's words and how they asked, to
    confirm: after the checks the desk will make (the words, the channel, a difference still
    owed and unpaid), so that a refusal comes at the form, before anyone confirms."""
    unit = uow()
    context = case_context(unit, request.app.state.desk_policy, case_id)
    card = context["card"]
    if card.instead is not None:
        return _already_done(request, case_id)
    refused = _refusal(card.case, channel=channel, evidence=evidence, actor=actor,
                       now=unit.now())
    if refused is not None:
        return refused_form(request, uow, case_id, "instead",
                            {"instead_words": evidence, "instead_channel": channel}, refused,
                            "case")
    page_access(request).viewed(cases=card_cases(context))
    lang = lang_of(request)
    return render(request, "cs/confirm_instead.html", {
        **context, "evidence": evidence, "channel": channel,
        "terms": instead_terms(card.case, lang, agent=True),
        "read_back": instead_read_back(
            card.case, card.case.customer.locale,
            refund_timing=request.app.state.desk_policy.refund_timing_in(
                card.case.customer.locale))})


def _refusal(case: CaseFacts, *, channel: str, evidence: str, actor: str,
             now: datetime) -> SagwaError | None:
    """Why the desk would refuse this request now, or None: the domain's own check
    (``cancel_instead.cancel_instead``), tried on the case as the page read it."""
    row = case.row.case
    try:
        consent = ConsentRecord(row.case_id, row.customer_id, CANCEL, channel,
                                now, evidence, actor)
        replaced_by_cancellation(row, consent, case.plan, paid=case.row.difference_paid,
                                 owed=case.difference)
    except SagwaError as exc:
        return exc
    return None
