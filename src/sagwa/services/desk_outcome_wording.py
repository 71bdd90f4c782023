"""What customers are told happens to their order once their case is settled: by their own
choice (the confirmation: :func:`confirmation_values`, read from the choice's order effects, so
the amounts are the ones applied) or by the plan's default after the deadline (the note that
says so: :func:`defaulted_values`, with ``incident_plan.default_outcome`` deciding which default
a customer got).

The apology's own wording — facts, options, what happens without an answer — and the template
rendering and message check are :mod:`sagwa.services.desk_messages`'.
"""

from __future__ import annotations

from sagwa.domain.cancel_instead import replaceable_by_cancel
from sagwa.domain.consent import (
    CANCELLING,
    EffectKind,
    OrderEffect,
    answered_at,
    discounted_unit_price,
    effects_of_choice,
)
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan, default_outcome
from sagwa.domain.incidents import Case
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import with_particle
from sagwa.services.desk_messages import (
    OPTION_ORDER,
    REGULAR_PRICE_WORD,
    OverCap,
    cancel_points,
    choice_label,
    effects_total,
    format_when,
    options_phrase,
    over_cap,
    points_words,
)


def confirmation_values(case: Case, plan: IncidentPlan, lang: str, *,
                        how_to_pay: str | None = None, apologised: bool = True,
                        link: str = "", price_word: str = REGULAR_PRICE_WORD) -> dict[str, object]:
    """What the confirmation of the choice recorded on ``case`` says, besides names and contacts.

    It restates what was offered and what was chosen, when the choice came, and what happens now;
    it offers no other choice: a second, different choice is refused — except that a discount
    leaving a difference, on a plan that offers the cancellation, may still be replaced by
    cancelling until the difference is paid (``may_cancel_instead``, with the plan's
    ``cancel_points``: ``desk_cancel_instead``). ``how_to_pay``: the desk policy's payment
    instruction, said where the difference is. A customer never told (``Case.told``) is not
    said to have missed a deadline nobody asked them by. ``apologised``: an apology with the
    link to their page went out to them; if not, this is the apology (not "once more") and,
    where it says they may cancel instead on their page, it gives ``link`` to it (without one,
    it says to tell us) rather than pointing to a message they never got. ``price_word``: what
    the Korean calls the correct price, as the apology did (``desk_messages.correct_price_word``:
    a book's 정가 or 판매가).
    """
    assert case.consent is not None, "a confirmation needs the recorded choice"
    effects = effects_of_choice(case, case.consent, plan)
    owed = effects_total([e for e in effects if e.kind is EffectKind.REPRICE], plan.currency)
    return {"choice": choice_label(case.consent.choice, lang, plan, price_word=price_word),
            "offered": [choice_label(o, lang, plan, price_word=price_word) for o in OPTION_ORDER
                        if plan.offers(o)],
            "received": format_when(answered_at(case.consent), lang),
            "deadline": format_when(plan.deadline, lang),
            "on_time": answered_at(case.consent) <= plan.deadline,
            # a late answer from a customer never asked by the deadline (their apology did not
            # go out): it was not theirs to miss. (On time, ``told`` may lag: the choice itself
            # tells them, and the case handed here predates that.)
            "never_told": not case.told and answered_at(case.consent) > plan.deadline,
            "outcome": outcome_sentences(case, plan, lang, how_to_pay=how_to_pay,
                                         price_word=price_word),
            "may_cancel_instead": replaceable_by_cancel(case.consent.choice, plan, owed),
            # "" when cancelling gives no points (a plan may give 0: no "0 points" promised)
            "cancel_points": f"{cancel_points(plan):,}" if cancel_points(plan) else "",
            # a refund is promised (a cancellation, or units beyond the keep cap): the message
            # then says when it arrives (``contact_values``' ``refund_timing``)
            "refunded": any(e.kind in CANCELLING and e.amount is not None
                            and e.amount.amount_minor > 0 for e in effects),
            # goods are delivered (a keep, or the discount once paid): the choice is final, but
            # the statutory 7-day withdrawal (청약철회, 전자상거래법 제17조) still applies, and a
            # "cannot be undone" must not read as "cannot be returned" (제21조①1호)
            "withdrawal": withdrawal_stands(case.consent.choice),
            "apologised": apologised, "link": link}


#: The choices that deliver goods, after which the customer keeps the statutory right to
#: withdraw from the purchase within 7 days of receiving them (:func:`withdrawal_stands`).
DELIVERING = frozenset({CustomerOption.KEEP, CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT})


def withdrawal_stands(choice: CustomerOption | str) -> bool:
    """Whether a message saying ``choice`` is final must add that the 7-day withdrawal right
    (청약철회) still stands: the choice delivers goods (a keep, a discount); not a cancellation
    (nothing is delivered) or a call."""
    return CustomerOption(choice) in DELIVERING


_DEFAULT_LABELS = {DefaultAction.KEEP: ("주문 유지", "keep the order"),
                   DefaultAction.FOLLOW_UP_CALL: ("상담원 전화", "a call from our staff")}


def default_label(default: DefaultAction, lang: str) -> str:
    """The short name of a default: 주문 유지 / keep the order, 상담원 전화 / a call from our staff."""
    ko, en = _DEFAULT_LABELS[default]
    return ko if lang == "ko" else en


def defaulted_values(case: Case, plan: IncidentPlan, paid: Money, lang: str, *,
                     still_open: bool, price_word: str = REGULAR_PRICE_WORD) -> dict[str, object]:
    """What the message to a customer whose case took the default says, besides names and
    contacts: what was offered, the deadline, the default this customer got
    (``incident_plan.default_outcome``) and what happens now. ``still_open``: the plan still
    takes their answer (it says so when their order is simply kept); ``price_word``: as for
    :func:`confirmation_values`."""
    outcome, over = default_outcome(case, plan), over_cap(case, plan)
    keep = outcome is DefaultAction.KEEP
    return {"offered": [choice_label(o, lang, plan, price_word=price_word) for o in OPTION_ORDER
                        if plan.offers(o)],
            "deadline": format_when(plan.deadline, lang), "default": default_label(outcome, lang),
            "outcome": _default_applied(case.units, paid, plan, lang, over if not keep else None,
                                        keep),
            "outcome_short": _default_short(keep, lang),
            "options_phrase": options_phrase(plan, lang, over, price_word=price_word),
            "still_open": still_open and keep,
            "units": case.units, "paid": format_money(paid, lang=lang),
            # kept by default, the goods are delivered: the 7-day withdrawal right stands, as
            # for a customer who chose to keep (a customer walk: only the latter were told)
            "withdrawal": keep}


def _default_applied(units: int, paid: Money, plan: IncidentPlan, lang: str, over: OverCap | None,
                     keep: bool) -> str:
    ko, amount = lang == "ko", format_money(paid, lang=lang)
    if keep:
        return (f"주문하신 상품 {units}개를 결제하신 가격({amount}) 그대로 보내 드립니다." if ko
                else f"We will send your {units} item{'s' if units != 1 else ''} at the {amount} "
                "you paid.")
    if over is not None and plan.default is DefaultAction.KEEP:
        cap = plan.keep_max_units
        return (f"주문하신 {units}개가 1인당 한도({cap}개)보다 많아, 상담원이 전화드려 원하시는 방법을 "
                "여쭙겠습니다. 통화 전까지 주문은 바뀌지 않습니다." if ko
                else f"Your {units} items are more than the limit of {cap} per customer, so one "
                "of our staff will call you to ask what you would like. Nothing changes until we "
                "have talked to you.")
    return ("상담원이 전화드려 원하시는 방법을 여쭙겠습니다. 그때까지 주문은 그대로 유지됩니다." if ko
            else "One of our staff will call you to ask what you would like; until then your "
            "order stays as it is.")


def _default_short(keep: bool, lang: str) -> str:
    """The outcome in one short sentence, for the SMS."""
    if keep:
        return ("주문은 결제하신 가격 그대로 유지됩니다." if lang == "ko"
                else "Your order stays as it is, at the price you paid.")
    return "상담원이 전화드려 직접 여쭙겠습니다." if lang == "ko" else "One of our staff will call you to ask."


def outcome_sentences(case: Case, plan: IncidentPlan, lang: str, *,
                      how_to_pay: str | None = None,
                      price_word: str = REGULAR_PRICE_WORD) -> str:
    """What happens now that the choice recorded on ``case`` is carried out (the confirmation).

    Read from the choice's order effects, so the amounts are the ones actually applied;
    ``how_to_pay`` says how to pay a discount's difference (:func:`difference_sentence`);
    ``price_word`` names the correct price a discount is off (:func:`confirmation_values`).
    """
    assert case.consent is not None, "a confirmation needs the recorded choice"
    effects = effects_of_choice(case, case.consent, plan)
    choice, ko = case.consent.choice, lang == "ko"
    if choice is CustomerOption.CANCEL_WITH_COMPENSATION:
        paid = format_money(effects_total(effects, plan.currency), lang=lang)
        pts = plan.cancel_compensation.amount_minor if plan.cancel_compensation else 0
        text = (f"선택하신 대로 주문은 취소되었고, 결제하신 {with_particle(paid, '은(는)')} 전액 "
                "환불해 드립니다." if ko else f"Following your choice, your order is cancelled and the "
                f"{paid} you paid will be refunded in full.")
        points = (f" 사과의 뜻으로 드리는 {points_words(pts, lang, worth=True)}는 이미 적립되었습니다."
                  if ko else f" Your {points_words(pts, lang, worth=True)} of compensation are "
                  "already in your account.")
        return text + (points if pts else "")
    if choice is CustomerOption.KEEP:
        return _kept(effects, plan, lang)
    if choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        return _repriced(case, effects, plan, lang, how_to_pay, price_word)
    return ("상담원이 전화드려 원하시는 방법을 여쭙겠습니다. 그때까지 주문은 그대로 유지됩니다." if ko
            else "One of our staff will call you to ask what you would like; until then your "
            "order stays as it is.")


def _kept(effects: list[OrderEffect], plan: IncidentPlan, lang: str) -> str:
    kept = sum(e.quantity for e in effects if e.kind is EffectKind.KEEP)
    dropped = [e for e in effects if e.kind in CANCELLING]
    # the seller is emailed it among the orders to send (``seller_ready_notices``): a walk found
    # the customer who kept their order told nothing of when it would leave
    text = (f"주문하신 상품 {kept}개를 결제하신 가격 그대로 보내 드립니다. 판매자에게 평소처럼 보내 "
            "드리도록 안내하겠습니다." if lang == "ko"
            else f"We will send your {kept} item{'s' if kept != 1 else ''} at the price you paid. "
            f"We are asking the seller to send {'it' if kept == 1 else 'them'} as usual.")
    if not dropped:
        return text
    units = sum(e.quantity for e in dropped)
    refund = format_money(effects_total(dropped, plan.currency), lang=lang)
    if lang == "ko":
        return text + (f" 선택하신 대로 1인당 {plan.keep_max_units}개를 넘는 {units}개는 주문에서 빼고 "
                       f"{with_particle(refund, '을(를)')} 환불해 드립니다.")
    one = units == 1
    return text + (f" Following your choice, the {units} item{'' if one else 's'} beyond the limit "
                   f"of {plan.keep_max_units} per customer {'is' if one else 'are'} taken off the "
                   f"order, and we refund the {refund} you paid for {'it' if one else 'them'}.")


def _repriced(case: Case, effects: list[OrderEffect], plan: IncidentPlan, lang: str,
              how_to_pay: str | None, price_word: str) -> str:
    pct = plan.discount_pct or 0
    price = format_money(discounted_unit_price(plan.correct_price, pct), lang=lang)
    correct = format_money(plan.correct_price, lang=lang)
    extra = format_money(effects_total(effects, plan.currency), lang=lang)
    # the amount once, in the sentence on paying it (a walkthrough read it twice in a row)
    if lang == "ko":
        return (f"주문하신 상품 {case.units}개를 {price_word} {correct}에서 {pct}% 할인된 1개당 {price}에 "
                "구매하시는 것으로 바꿨습니다. " + difference_sentence(extra, lang, how_to_pay=how_to_pay))
    what = "your item at" if case.units == 1 else f"your {case.units} items at"
    return (f"You buy {what} {price}{'' if case.units == 1 else ' each'}, the correct price "
            f"of {correct} less {pct}%. "
            + difference_sentence(extra, lang, units=case.units, how_to_pay=how_to_pay))


def difference_sentence(extra: str, lang: str, *, units: int | None = None,
                        how_to_pay: str | None = None) -> str:
    """What happens about the difference (``extra``, formatted) once the discount choice has
    repriced the orders. As sagwa does it: the order's unit price is changed and nothing else —
    no payment is taken or requested (sagwa has no payment step) — so the customer is told the
    difference is not charged yet and how to pay it: the desk policy's ``how_to_pay`` (the
    words an agent reads out, ``[difference] how_to_pay_ko/_en``), or to ask the customer
    centre when it gives none; for the confirmation email and the case page alike. ``units``:
    how many items wait for it (English says "the item" for one)."""
    said = _sentence(how_to_pay) if how_to_pay else ""
    if lang == "ko":
        how = (f"결제되는 금액은 없습니다. 차액 결제 방법: {said}" if said
               else "결제되는 금액은 없으니, 차액을 결제하실 방법은 고객센터로 문의해 주세요.")
        return (f"차액 {with_particle(extra, '은(는)')} 아직 결제되지 않았습니다. 이번 선택으로 자동으로 "
                f"{how} 차액을 결제하시기 전까지 상품은 보내 드리지 않으며, 결제하지 않으셔도 고객님의 "
                "동의 없이 주문을 취소하지 않습니다.")
    how = (f"How to pay it: {said}" if said
           else "Please contact us to arrange paying the difference.")
    items = "item" if units == 1 else "items"
    return (f"The difference of {extra} has not been charged: choosing this took no payment. "
            f"{how} We send the {items} once it is paid; if it is not, we still do not cancel "
            "the order without your consent.")


def _sentence(text: str) -> str:
    """An operator's instruction as a sentence in a paragraph: stripped, with a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "。")) else text + "."
