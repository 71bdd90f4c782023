"""The page of a link that has expired (``/c/<token>`` past its ``x``) but whose signature holds.

A customer who never chose is asked to contact us to choose (the error sentence of
``link_expired``) — unless their case took no answer any more: its default applied at the
deadline (or about to be), or the incident closed; they read what was done without them, as
their case page says it (``customer.settled_lines``), not to choose. A customer who did choose
must not be told to choose again: they read what they chose and when, and what happens next —
read-only, with no form — and the desk's contact.
Nothing private beyond what their valid page showed: the choice, its time and the sentences the
case page (and its confirmation) say about it — which name the amounts refunded or owed, as the
confirmation did — but no name, no address, no order lines. The correct price is named as their
messages named it (``desk_messages.correct_price_word``: a book's 정가 or 판매가, else 정상가).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Request, Response

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
from sagwa.errors import Forbidden
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_messages import (
    choice_label,
    correct_price_word,
    format_when,
    points_words,
)
from sagwa.services.desk_outcome_wording import outcome_sentences
from sagwa.web.pages.case_facts import CaseFacts, load_case
from sagwa.web.pages.customer_case_words import booked_points, difference_line
from sagwa.web.pages.customer_errors import customer_error
from sagwa.web.pages.i18n import in_lang as _t
from sagwa.web.pages.i18n import lang_of

#: Reads an expired link's ids (the signature is still checked), never a forged one's.
_BEFORE_ANY_EXPIRY = datetime(1970, 1, 2, tzinfo=UTC)
#: The choices whose outcome :func:`carried_out` says from the case's figures.
CARRIED_OUT = frozenset({CustomerOption.CANCEL_WITH_COMPENSATION, CustomerOption.KEEP})


def expired_link_page(request: Request, token: str, exc: Forbidden) -> Response:
    """The refused-link page; for a customer with a recorded choice, that choice as well."""
    try:
        case_id, customer_id = open_case_token(request.app.state.settings.accepted_secrets,
                                               token, now=_BEFORE_ANY_EXPIRY)
    except Forbidden:
        return customer_error(request, exc.http_status, exc=exc)
    policy = request.app.state.desk_policy
    with request.app.state.uow_factory() as uow:
        case = load_case(uow, case_id, customer_id=customer_id)
    recorded = recorded_choice(case, request, policy.how_to_pay_in)
    if recorded is None:
        return unanswered_page(request, exc, case_id, customer_id)
    lang = recorded["lang"]
    return customer_error(request, exc.http_status, exc=exc, recorded=recorded, message=_t(
        lang, "링크의 유효 기간이 지나 이 페이지에서는 더 이상 고르거나 바꾸실 수 없습니다. 고르신 내용은 "
              "아래와 같이 접수되어 있습니다.",
        "This link has expired, so nothing can be chosen or changed on this page any more. "
        "Your choice is on record, as below."))


def unanswered_page(request: Request, exc: Forbidden, case_id: int,
                    customer_id: int) -> Response:
    """The refused-link page of a customer who never chose: what was done without their answer
    (the case page's own lines: the default applied, the incident closed), or, while the case
    still waits for one, the ``link_expired`` sentence: contact us to choose."""
    from sagwa.web.pages.customer import case_context  # the case page imports this module

    context = case_context(request.app.state.uow_factory(), case_id, customer_id,
                           request.app.state.desk_policy, request)
    if not context["settled"]:
        return customer_error(request, exc.http_status, exc=exc)
    return customer_error(request, exc.http_status, exc=exc, applied=context["settled"],
                          message=_t(
        context["lang"],
        "링크의 유효 기간이 지나 이 페이지에서는 더 이상 고르실 수 없습니다. 고객님 주문의 처리 상황은 "
        "아래와 같습니다.",
        "This link has expired, so nothing can be chosen on this page any more. This is where "
        "your order stands."))


def recorded_choice(case: CaseFacts, request: Request,
                    how_to_pay: Callable[[str], str | None]) -> dict[str, str] | None:
    """What the customer chose, when, and what happens next; None when nothing is recorded."""
    consent = case.row.case.consent
    if consent is None:
        return None
    lang = lang_of(request, fallback=case.customer.locale)
    chosen = choice_label(consent.choice, lang, case.plan,
                          price_word=correct_price_word(case.facts))
    if consent.choice is CustomerOption.TALK_TO_PERSON:
        then = _t(lang, "상담원이 전화드려 원하시는 방법을 여쭙겠습니다. 그때까지 주문은 그대로 유지됩니다.",
                  "One of our staff will call you to ask what you would like; until then your "
                  "order stays as it is.")
    else:
        then = next_step(case, lang, how_to_pay(lang))
    return {"lang": lang, "chosen": chosen[:1].upper() + chosen[1:],
            "when": format_when(consent.recorded_at, lang), "then": then}


def next_step(case: CaseFacts, lang: str, how_to_pay: str | None) -> str:
    """What happens after a final choice, as the case page says it (a paid difference: that
    it was received)."""

    row = case.row.case
    if row.consent is not None and row.consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        return difference_line(case, lang, how_to_pay=how_to_pay)
    if row.consent is not None and row.consent.choice in CARRIED_OUT:
        return carried_out(case, lang)
    return outcome_sentences(row, case.plan, lang, how_to_pay=how_to_pay,
                             price_word=correct_price_word(case.facts))


def carried_out(case: CaseFacts, lang: str) -> str:
    """A cancellation or a keep, as applied: from what was paid as ordered, the units sent and
    the refund (``CaseFacts.figures``, the case page's amounts) and the points booked — not
    ``outcome_sentences``, which reads them off the orders as they are now (after cancelling
    instead of paying, at the discounted price; after a keep above the cap, the units kept
    only) and would name the discounted total as the refund, or no refund at all."""

    figures, kept = case.figures, case.figures.units_kept
    refund = format_money(figures.refunded, lang=lang)
    if not kept:
        text = _t(lang, f"선택하신 대로 주문은 취소되었고, 결제하신 {with_particle(refund, '은(는)')} 전액 "
                        "환불해 드립니다.",
                  f"Following your choice, your order is cancelled and the {refund} you paid "
                  "will be refunded in full.")
    else:
        text = _t(lang, f"주문하신 상품 {kept}개를 결제하신 가격 그대로 보내 드립니다.",
                  f"We will send your {kept} item{'' if kept == 1 else 's'} at the price you "
                  "paid.")
        if (dropped := figures.units_refunded):
            other = "other item" if dropped == 1 else f"other {dropped} items"
            text += _t(lang, f" 나머지 {dropped}개의 결제 금액 {with_particle(refund, '은(는)')} 환불해 드립니다.",
                       f" The {refund} you paid for the {other} will be refunded.")
    points = booked_points(case)
    return text + (_t(lang, f" 사과의 뜻으로 드리는 {points_words(points, lang, worth=True)}는 이미 "
                            "적립되었습니다.",
                      f" Your {points_words(points, lang, worth=True)} of compensation are "
                      "already in your account.") if points else "")
