"""What the customer's case page (``web/pages/customer``) says about their case, in plain
sentences of their language: the first sentence (the days they ordered at the wrong price), the
amounts (paid, sent, refunded and whether finance has paid it back, points, the discount's
difference), what happened to a case that takes no more choices, the deadline and its default,
and when a person will call. Pure wording over :class:`~sagwa.web.pages.case_facts.CaseFacts`:
no request, no database."""

from __future__ import annotations

from sagwa.domain.compensation import compensation_due
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, default_outcome
from sagwa.domain.incidents import CaseStatus
from sagwa.domain.moments import SEOUL, day_start
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
from sagwa.services.call_when_words import call_when_given_up
from sagwa.services.desk_messages import day_words, format_when
from sagwa.services.desk_outcome_wording import difference_sentence
from sagwa.web.pages.case_facts import CaseFacts
from sagwa.web.pages.i18n import in_lang as _t

#: What :func:`answer_state` says: the case still takes a choice, or why it does not.
OPEN, CHOSEN, DEFAULTED, CLOSED = "open", "chosen", "defaulted", "closed"
SETTLED = frozenset({CaseStatus.CHOSEN, CaseStatus.RESOLVED})


def ordered_at_wrong_price(case: CaseFacts, lang: str) -> str:
    """The page's first sentence: the days (Korea time) this customer ordered at the wrong
    price, as their apology names them (``CaseFacts.ordered_when``) — not the day the wrong
    price went live (``CaseFacts.wrong_date``), which may be weeks before they ordered."""
    when = case.ordered_when(lang)
    return _t(lang, f"{when} 주문하신 '{case.product('ko')}'의 가격이 잘못 표시되었습니다.",
              f"{when[0].upper()}{when[1:]}, '{case.product('en')}' was shown at a wrong price "
              "when you ordered it.")


def amounts(case: CaseFacts, lang: str) -> list[tuple[str, str]]:
    """(what, amount) lines: what was paid for the units ordered (``CaseFacts.paid``, as placed);
    once a choice refunded units (a keep above the cap, a cancellation), the units sent and
    their amount ("none" when nothing is sent) and the refund; once a cancellation's
    compensation is booked, the points; once the discount choice is applied (the orders
    repriced), the new total and the difference from what was paid — and once that difference
    is recorded as paid, what was paid at order, the difference paid and the total
    (:func:`paid_in_full`)."""
    row, units, figures = case.row.case, case.units, case.figures
    paid_line = (_t(lang, "결제하신 금액", "You paid"), f"{case.paid_text(lang)} ({_units(units, lang)})")
    lines = [paid_line]
    if figures.units_refunded:
        refund = format_money(figures.refunded, lang=lang)
        lines += [(_t(lang, "보내 드리는 상품", "Items we send"), _sent(case, lang)),
                  (_t(lang, "환불 금액", "Refund"),
                   f"{refund} ({_units(figures.units_refunded, lang)}) · "
                   + refund_status(case, lang))]
    points = booked_points(case)
    if points:
        lines.append((_t(lang, "보상 포인트", "Compensation points"),
                      _t(lang, f"{points:,}포인트(적립 완료)",
                         f"{points:,} points (already in your account)")))
    choice = row.consent.choice if row.consent else None
    if choice is not CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT or row.status not in SETTLED:
        return lines
    now_total = case.order_total_now
    each = {o.unit_price for o in row.orders}
    per_unit = (_t(lang, " · 1개당 ", ", ") + format_money(next(iter(each)), lang=lang)
                + _t(lang, "", " each")) if len(each) == 1 and units > 1 else ""
    if case.row.difference_paid is not None and case.difference.amount_minor > 0:
        return paid_in_full(case, lang, per_unit)
    return [paid_line,
            (_t(lang, "할인 구매로 바뀐 주문 금액", "Your order at the discounted price"),
             format_money(now_total, lang=lang) + per_unit),
            (_t(lang, "결제하신 금액과의 차액", "Difference from what you paid"),
             format_money(now_total - case.paid, lang=lang))]


def paid_in_full(case: CaseFacts, lang: str, per_unit: str = "") -> list[tuple[str, str]]:
    """Once the discount's difference is recorded as paid, what the customer paid in all: at
    order (``CaseFacts.paid``, as placed), any refund, the difference, and the total — the
    order's total at the discounted price (``per_unit``: each unit's price, when alike)."""
    figures = case.figures
    lines = [(_t(lang, "주문하실 때 결제하신 금액", "Paid when you ordered"),
              f"{case.paid_text(lang)} ({_units(case.units, lang)})")]
    if figures.refunded.amount_minor:
        lines.append((_t(lang, "환불 금액", "Refund"),
                      f"{format_money(figures.refunded, lang=lang)} · {refund_status(case, lang)}"))
    total = figures.paid - figures.refunded + case.difference
    return [*lines,
            (_t(lang, "추가로 결제하신 차액", "Difference you paid"),
             format_money(case.difference, lang=lang)),
            (_t(lang, "총 결제 금액", "Total paid"), format_money(total, lang=lang) + per_unit)]


def refund_status(case: CaseFacts, lang: str) -> str:
    """Where the refund shown on the page stands. Until finance marks it paid it is recorded:
    "요청 접수" / "requested", with the day of the choice that refunded the units when there is
    one (a default applied at the deadline has no choice to date it; the page says when the
    money is due: ``refund_timing``). Once finance marks every refund of the case paid
    (``sagwa refunds mark-paid``: :attr:`CaseFacts.refunds_paid`), "지급 완료" / "paid" and the
    Korean day of the last payment; when only some are, the amount paid and its day and the
    rest still requested. Finance's payment reference is theirs, never shown here."""
    paid = case.refunds_paid
    requested = _t(lang, "환불 요청 접수", "refund requested")
    # the day it is due by, where the refunds are recorded (a customer walk read the rule, "3
    # business days", where the day was known)
    due = max((r.due_by for r in case.refunds if r.paid_at is None), default=None)
    due_words = ("" if due is None else " · " + _t(
        lang, f"{day_words(day_start(due), lang)}까지 지급", f"due by {day_words(day_start(due), lang)}"))
    if paid is None:
        consent = case.row.case.consent
        if consent is None or consent.choice is CustomerOption.TALK_TO_PERSON:
            return requested + due_words
        return (f"{requested} · {day_words(consent.recorded_at.astimezone(SEOUL), lang)}"
                + due_words)
    day = day_words(paid.last_paid_at.astimezone(SEOUL), lang)
    if paid.in_full:
        return _t(lang, f"환불 지급 완료 · {day}", f"refund paid · {day}")
    done, rest = format_money(paid.paid, lang=lang), format_money(paid.owed, lang=lang)
    return _t(lang, f"환불 일부 지급 완료 · {done} {day} 지급 · 나머지 {rest} {requested}",
              f"refund partly paid · {done} paid on {day} · the other {rest}: {requested}"
              ) + due_words



def _units(units: int, lang: str) -> str:
    return f"{units}{_t(lang, '개', ' unit' if units == 1 else ' units')}"


def _sent(case: CaseFacts, lang: str) -> str:
    """The units sent and what was paid for them, or "none" (everything was refunded)."""
    kept = case.figures.units_kept
    if not kept:
        return _t(lang, "없음", "none")
    amount = format_money(case.figures.paid - case.figures.refunded, lang=lang)
    return f"{_units(kept, lang)} ({amount})"


def booked_points(case: CaseFacts) -> int:
    """The compensation points booked for the case's choice (0 until booked, or for none)."""
    row = case.row
    consent = row.case.consent
    if row.compensation_entry_id is None or consent is None:
        return 0
    return compensation_due(row.case, case.plan, consent.choice).amount_minor


def settled_lines(case: CaseFacts, state: str, lang: str,
                  gave_up_after: int | None = None, *, how_to_pay: str | None = None) -> list[str]:
    """What happened to a case that takes no more choices, in plain sentences: a case settled
    by the customer's own choice says that choice (shown above the lines) and, for the
    discount, what happens about the difference (how to pay it: the desk policy's
    ``how_to_pay``) — never the deadline's default, even when the choice came after the
    deadline."""
    row = case.row.case
    # a closed matter still owing a difference is not quite done: the customer may pay it, or
    # cancel instead (``CaseFacts.may_cancel_instead``); the lines below say which
    lines = ([_t(lang, "이 건의 처리는 모두 끝났습니다.", "This matter is now closed.")]
             if state == CLOSED and not case.may_cancel_instead else [])
    consent = row.consent
    if row.status in SETTLED and consent is not None:
        if consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
            lines.append(difference_line(case, lang, how_to_pay=how_to_pay))
    elif consent is not None and consent.choice is CustomerOption.TALK_TO_PERSON:
        lines.append(_t(lang, "상담원과 통화를 요청하셨습니다. ", "You asked to talk to a person; ")
                     + (call_when_given_up(gave_up_after, lang) if gave_up_after is not None else
                        _t(lang, "상담원이 전화드릴 예정입니다.", "one of our staff will call you.")))
    elif row.status is CaseStatus.DEFAULTED or state == DEFAULTED:
        lines.append(deadline_line(case, lang, gave_up_after))
    return lines


def difference_line(case: CaseFacts, lang: str, *, how_to_pay: str | None = None) -> str:
    """After the discount choice: the difference from what was paid is not charged by this
    choice, and how to pay it — the desk policy's ``how_to_pay``, or to ask the customer
    centre (sagwa takes no payment) — or, once staff recorded it as paid, that it was and the
    items are on their way."""
    extra = format_money(case.difference, lang=lang)
    paid = case.row.difference_paid
    if paid is None:
        return difference_sentence(extra, lang, units=case.units, how_to_pay=how_to_pay)
    when = format_when(paid.at, lang)
    items = "item is" if case.units == 1 else "items are"
    return _t(lang, f"차액 {with_particle(extra, '은(는)')} {when}(한국 시간)에 결제된 것을 확인했습니다. 주문하신 상품을 "
                    "보내 드립니다.",
              f"We received the difference of {extra} on {when}; your {items} being sent.")


def deadline_line(case: CaseFacts, lang: str, gave_up_after: int | None = None) -> str:
    """Once the deadline has passed without an answer: that it has, and this customer's own
    default (``default_outcome``: a call above the keep cap) — applied, or, while the deadline
    job has not run yet, about to be. ``gave_up_after``: the desk gave up calling after that
    many attempts, or 0: the customer has no phone number on file (the page no longer
    promises a call)."""
    row = case.row.case
    if not row.told:  # their apology never went out: no default was ever put to them
        missed = _t(lang, f"답변 기한({case.deadline(lang)}, 한국 시간)까지 원하시는 방법을 여쭙는 안내가 제때 나가지 "
                          "못했습니다. 죄송합니다. ",
                    f"Our message asking you to choose by {case.deadline(lang)} did not go out "
                    "in time; we are sorry. ")
        if gave_up_after is not None:
            return missed + _capitalised(call_when_given_up(gave_up_after, lang)) + _t(
                lang, " 주문은 바뀌지 않았습니다.", " Nothing has changed on your order.")
        return missed + _t(lang, "상담원이 전화드려 직접 여쭙겠습니다. 그때까지 주문은 바뀌지 않습니다.",
                           "One of our staff will call you to ask, and nothing changes on your "
                           "order until then.")
    keep = default_outcome(row, case.plan) is DefaultAction.KEEP
    what = (_t(lang, "주문 유지", "keep the order") if keep
            else _t(lang, "상담원 전화", "a call from our staff"))
    then = (_t(lang, "주문은 결제하신 가격 그대로 유지됩니다.", "Your order stays as it is, at the price you paid.")
            if keep else _capitalised(call_when_given_up(gave_up_after, lang))
            if gave_up_after is not None
            else _capitalised(case.if_unanswered(lang)))
    deadline = case.deadline(lang)
    if row.status is CaseStatus.DEFAULTED:
        return _t(lang, f"답변 기한({deadline}, 한국 시간)이 지나 기본 처리({what})가 적용되었습니다. ",
                  f"The deadline ({deadline}) has passed, so the default ({what}) was applied. ") + then
    return _t(lang, f"답변 기한({deadline}, 한국 시간)이 지나 곧 기본 처리({what})가 적용됩니다. ",
              f"The deadline ({deadline}) has passed, so the default ({what}) will be applied "
              "shortly. ") + then


def late_note(case: CaseFacts, lang: str, gave_up_after: int | None = None) -> str:
    """Past the deadline on a case that still takes a choice (the plan takes late answers, or
    the customer's default is a call): that they can still choose, and what happens if not."""
    row = case.row.case
    still = _t(lang, f"답변 기한({case.deadline(lang)}, 한국 시간)은 지났지만 아직 고르실 수 있습니다.",
               f"The deadline ({case.deadline(lang)}) has passed, but you can still choose.")
    if row.consent is not None:  # they asked for a person: that call is what happens
        return still
    if row.status is CaseStatus.DEFAULTED or not row.told:
        return deadline_line(case, lang, gave_up_after) + _t(lang, " 아래에서 아직 직접 고르실 수 있습니다.",
                                              " You can still choose below.")
    return still + _t(lang, " 고르지 않으시면 ", " If you do not, ") + case.if_unanswered(lang)


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
