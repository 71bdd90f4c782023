"""What the agent tells a customer whose case takes no more choices: the script on
``cs/_no_choice.html``, read aloud in the customer's language.

It says what was done and what is left. A discount whose difference is unpaid is recorded and
waits only for the payment — which the customer centre takes (sagwa takes no payment) — or,
while the customer may, for cancelling instead; the order is never cancelled without their
consent. A difference recorded as paid is confirmed, and the items are sent. A cancellation
instead, a final choice, a closed matter or the deadline's default cannot be changed. Times are
said as the messages say them (``desk_messages.format_when``: 12월 5일(토) 오전 7시 12분), and
a plan that gives no points for cancelling promises none (:func:`refund_words`). A refund
finance has marked paid is said to have been paid on its Korean day, instead of the policy's
sentence on when a refund arrives (:func:`refund_then`).
"""

from __future__ import annotations

from sagwa.domain.cancel_instead import ReplacedDiscount
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
from sagwa.services.desk_messages import day_words, format_when
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.customer_case_words import CLOSED, difference_line
from sagwa.web.pages.i18n import in_lang as _t
from sagwa.web.pages.labels import label


def settled_script(case: CaseFacts, state: str, instead: ReplacedDiscount | None,
                   lang: str, *, how_to_pay: str | None = None,
                   refund_timing: str | None = None) -> str:
    """The script in ``lang`` for ``case`` in ``state`` (``customer.answer_state``: chosen,
    closed or defaulted), cancelled instead of paying (``instead``) or not; ``how_to_pay``: the
    desk policy's payment instruction in ``lang``, read out to a customer owing the difference;
    ``refund_timing``: when a refund reaches them (the policy's sentence, as their messages say
    it), read out where the case refunded something."""
    if instead is not None:
        said = _cancelled_instead(instead, lang) + refund_then(case, lang, refund_timing)
    elif case.owes_difference:
        said = _difference_owed(case, lang, how_to_pay)
    elif case.difference.amount_minor > 0:  # paid
        said = f"{_chosen(case, lang)} {difference_line(case, lang)}"
    elif _final_choice(case):
        closed = _t(lang, " 이 건의 처리는 모두 끝났습니다.", " This matter is now closed.")
        refunded = (refund_then(case, lang, refund_timing)
                    if case.figures.refunded.amount_minor > 0 else "")
        said = (f"{_chosen(case, lang)}{refunded}{closed if state == CLOSED else ''} "
                + _t(lang, "확정된 선택은 바꾸거나 되돌릴 수 없습니다.",
                     "A confirmed choice cannot be changed or undone."))
    elif state == CLOSED:
        said = _t(lang, "이 건의 처리는 모두 끝나 더 이상 선택을 받을 수 없습니다.",
                  "This matter is now closed, so we can no longer take a choice on it.")
    else:
        said = _t(lang, "답변 기한이 지나 안내드린 기본 처리가 적용되었고, 지금은 다른 방법으로 바꿀 수 없습니다.",
                  "The deadline has passed and the default we told you about was applied; it "
                  "can no longer be changed to another option.")
    # the notes reach the next agent, and a follow-up stays listed until resolved
    # (services.desk_follow_ups): the script may say so, and no more
    return said + _t(lang, " 말씀하신 내용은 기록해 두어, 다음에 다른 상담원이 받더라도 그 내용을 보고 이어서 "
                     "도와드립니다. 다시 연락드려야 할 일이면 후속 조치로 남겨 두고, 처리될 때까지 챙겨서 다시 "
                     "연락드리겠습니다.",
                     " I will write down what you have told me, so whichever of us you speak to "
                     "next can see it and carry on from there. If we need to get back to you, I "
                     "will mark it for follow-up: it stays on our team's list until it is dealt "
                     "with, and we will contact you again.")


def refund_words(case: CaseFacts, lang: str) -> str:
    """What cancelling instead gives back, as a clause: "결제하신 39,800원은 전액 환불해 드리고
    사과의 뜻으로 5,000 포인트를 드립니다" — without the points when the plan gives none."""
    paid, pts = format_money(case.paid, lang=lang), case.cancel_points
    if lang == "ko":
        refund = f"결제하신 {with_particle(paid, '은(는)')} 전액 환불해"
        return f"{refund} 드리고 사과의 뜻으로 {pts:,}포인트를 드립니다" if pts else f"{refund} 드립니다"
    points = f" and you receive {pts:,} points as an apology" if pts else ""
    return f"the {paid} you paid is refunded in full{points}"


def _then(refund_timing: str | None) -> str:
    """The refund's timing as the next sentence of a script ("" without one)."""
    return f" {refund_timing}" if refund_timing else ""


def refund_then(case: CaseFacts, lang: str, refund_timing: str | None) -> str:
    """Where the case's refund stands, as the script's next sentence: paid on its Korean day
    once finance marked it paid (:attr:`CaseFacts.refunds_paid`); part paid, with when the
    rest arrives (``refund_timing``); until then only ``refund_timing`` ("" without one)."""
    paid = case.refunds_paid
    if paid is None:
        return _then(refund_timing)
    day = day_words(paid.last_paid_at.astimezone(SEOUL), lang)
    done = format_money(paid.paid, lang=lang)
    if paid.in_full:
        return _t(lang, f" 환불 금액 {with_particle(done, '은(는)')} {day}에 지급되었습니다.",
                  f" Your refund of {done} was paid on {day}.")
    rest = format_money(paid.owed, lang=lang)
    return _t(lang, f" 환불 금액 중 {with_particle(done, '은(는)')} {day}에 지급되었고, 나머지 "
                    f"{with_particle(rest, '은(는)')} 아직 지급 전입니다.",
              f" Of your refund, {done} was paid on {day}; the other {rest} is not paid "
              "yet.") + _then(refund_timing)


def instead_read_back(case: CaseFacts, lang: str, *, refund_timing: str | None = None) -> str:
    """What the agent reads back before confirming a cancellation instead of paying
    (``cs/confirm_instead.html``): what it gives, when the refund arrives (``refund_timing``),
    that it cannot be undone, and the question."""
    if lang == "ko":
        return (f"차액을 내시는 대신 주문을 취소하면 {refund_words(case, lang)}.{_then(refund_timing)} "
                "취소한 주문은 되돌릴 수 없습니다. 이대로 주문을 취소해 드릴까요?")
    return (f"If we cancel your order instead of you paying the difference, "
            f"{refund_words(case, lang)}.{_then(refund_timing)} A cancelled order cannot be "
            "restored. Shall I cancel it now?")


def choice_read_back(case: CaseFacts, choice: str, lang: str, *,
                     may_cancel_later: bool = False, refund_timing: str | None = None) -> str:
    """What the agent reads back before recording a choice given on the phone
    (``cs/confirm_choice.html``): the option as the script read it, when a refund it makes
    arrives (``refund_timing``: give it only for a choice that refunds), that it cannot be
    undone (the discount: save cancelling instead until its difference is paid) and the
    question."""
    line = dict(case.options(lang)).get(choice, "") + _then(refund_timing)
    chosen = f"‘{label('choice', choice, lang, case.plan, price_word=case.price_word)}’"
    if lang == "ko":
        final = ("차액을 결제하시기 전까지는 차액 대신 주문 취소로 바꾸실 수 있지만, 그 밖에는 바꾸거나 되돌릴 수 "
                 "없습니다." if may_cancel_later else "처리한 뒤에는 바꾸거나 되돌릴 수 없습니다.")
        return (f"확인해 드리겠습니다. {line} {final} 고객님께서 말씀하신 대로 "
                f"{with_particle(chosen, '(으)로')} 처리해 드릴까요?")
    final = ("Until the difference is paid you can still cancel instead; otherwise it cannot "
             "be changed or undone." if may_cancel_later
             else "Once it is done, it cannot be changed or undone.")
    return (f"Let me read that back. {line} {final} Shall I go ahead with {chosen}, as you "
            "said?")


def _final_choice(case: CaseFacts) -> bool:
    consent = case.row.case.consent
    return consent is not None and consent.choice is not CustomerOption.TALK_TO_PERSON


def _chosen(case: CaseFacts, lang: str) -> str:
    """The recorded choice and when it was made, carried out."""
    consent = case.row.case.consent
    assert consent is not None, "only a case with a recorded choice"
    when = format_when(consent.recorded_at, lang)
    chosen = label("choice", consent.choice, lang, case.plan, price_word=case.price_word)
    return _t(lang, f"고객님께서 {when}에 고르신 ‘{chosen}’대로 이미 처리되었습니다.",
              f"Your choice, '{chosen}', made on {when}, has already been carried out.")


def _difference_owed(case: CaseFacts, lang: str, how_to_pay: str | None) -> str:
    """The discount is recorded; only paying its difference is left (or cancelling instead),
    and how to pay it when the policy says."""
    consent = case.row.case.consent
    assert consent is not None, "a difference comes from the discount choice"
    when = format_when(consent.recorded_at, lang)
    chosen = label("choice", consent.choice, lang, case.plan, price_word=case.price_word)
    extra = format_money(case.difference, lang=lang)
    said = _t(lang, f"고객님께서 {when}에 고르신 {with_particle(f'‘{chosen}’', '은(는)')} 기록되어 있고, "
                    f"이제 차액 {extra} 결제만 남았습니다. 차액은 자동으로 결제되지 않으니 저희 고객센터에서 "
                    "결제해 주시면 되고, 결제가 확인되면 상품을 보내 드립니다. 결제 방법을 안내해 드릴까요?",
              f"Your choice, '{chosen}', made on {when}, is recorded: all that is left is paying "
              f"the difference of {extra}. It is not charged automatically: you pay it to us, "
              f"the customer centre, and we send the {'item' if case.units == 1 else 'items'} "
              "once it is paid. Shall I tell you how to pay it?")
    if how_to_pay:
        said += _t(lang, f" 결제 방법은 이렇습니다. {how_to_pay}", f" This is how: {how_to_pay}")
    if case.may_cancel_instead:
        said += _t(lang, " 차액을 내지 않으시려면 대신 주문을 취소하실 수도 있습니다. 그러면 ",
                   " If you would rather not pay it, you can cancel your order instead: ")
        said += refund_words(case, lang) + "."
    return said + _t(lang, " 결제하지 않으셔도 고객님의 동의 없이 주문을 취소하지 않습니다.",
                     " If you do not pay it, we still do not cancel your order without your "
                     "consent.")


def _cancelled_instead(instead: ReplacedDiscount, lang: str) -> str:
    when, pts = format_when(instead.cancelled_at, lang), instead.compensation_points
    refund = format_money(instead.refund, lang=lang)
    if lang == "ko":
        points = f" 사과의 뜻으로 {pts:,}포인트도 드렸습니다." if pts else ""
        return (f"고객님께서 {when}에 차액을 내시는 대신 주문 취소를 요청하셔서, 주문은 취소되었고 결제하신 "
                f"{with_particle(refund, '은(는)')} 전액 환불됩니다.{points} 이 처리는 바꾸거나 되돌릴 수 "
                "없습니다.")
    points = f", and {pts:,} points were given as our apology" if pts else ""
    return (f"As you asked on {when}, your order was cancelled instead of you paying the "
            f"difference: the {refund} you paid is refunded in full{points}. This cannot be "
            "changed or undone.")
