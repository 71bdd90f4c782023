"""The customer's case page, opened by the signed link in the apology (``/c/<token>``).

No login: the token is the key, and it opens that one case and nothing else. An altered or
expired token is refused (403); a token whose customer does not own the case is a 404. Every
refusal is the customer's own error page (``customer_errors``): in their language, with the
desk's phone and email.

Choosing takes two steps (``customer_choose``): pressing an option shows what it will do — the
refund, the points, the new price — at the confirm step's own address, and only the second
press, "confirm", records it. Asking to talk to a person changes no order, so it needs no
second press.

Once the case can take no choice — a final choice is recorded, the deadline passed and the plan
takes no late answers (its default applied, or about to be when the deadline job runs late), or
the incident is closed — the page shows no options but what happened (:func:`answer_state` asks
the same rules that recording a choice applies). Past the deadline the page says so and what
this customer's default is (:func:`deadline_line`); a case that still takes a late answer keeps
its options. What keeping means and what happens without an answer are this customer's own: above
the plan's keep cap, the units sent and the refund, and a call instead of a keep. The amounts say what was paid at the wrong price, the units sent with
their amount and the refund, the compensation points once booked and, after the discount
choice, the new total and the difference — with what happens about it: nothing is charged by
the choice (sagwa takes no payment), and how to pay it is said as the desk policy words it for
agents (``[difference] how_to_pay_ko/_en``), or the customer centre arranges it; once it is
recorded as paid, what was paid at order, the difference paid and the total paid. A case settled
by the customer's own choice shows that choice only, never the deadline's default, even when
the choice came late.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.adapters.db.call_list_reads import CallRecord
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.call_times import may_pick_call_time
from sagwa.domain.compensation import compensation_due
from sagwa.domain.consent import ConsentRecord, asked_for_a_person
from sagwa.domain.consent import record_choice as record_on_case
from sagwa.domain.contact_hours import next_opening
from sagwa.domain.incident_plan import (
    CustomerOption,
    DefaultAction,
    deadline_passed,
    default_outcome,
)
from sagwa.domain.incidents import CaseStatus, IncidentStatus
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
from sagwa.errors import Forbidden, IllegalTransition, LateChoiceRefused, SagwaError
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_cancel_instead import CONFIRMATION_PURPOSE as INSTEAD_CONFIRMATION
from sagwa.services.desk_difference import RECEIPT_PURPOSE
from sagwa.services.desk_messages import day_words, format_when
from sagwa.services.desk_outcome_wording import difference_sentence, withdrawal_stands
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.call_time_offer import call_time_offer
from sagwa.web.pages.case_facts import CaseFacts, contact, load_case
from sagwa.web.pages.customer_errors import CustomerRoute, customer_error
from sagwa.web.pages.customer_expired import expired_link_page
from sagwa.web.pages.error_texts import error_text
from sagwa.web.pages.i18n import in_lang as _t
from sagwa.web.pages.i18n import lang_of, requested_lang
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=CustomerRoute)
#: What :func:`answer_state` says: the case still takes a choice, or why it does not.
OPEN, CHOSEN, DEFAULTED, CLOSED = "open", "chosen", "defaulted", "closed"
SETTLED = frozenset({CaseStatus.CHOSEN, CaseStatus.RESOLVED})
#: A confirm step's context shows the confirm box and no other form under it (the call time,
#: the phone number): a walkthrough found the call-time form below "yes, cancel my order".
CONFIRM_STEP_ONLY = {"call_time": None, "leave_phone": False}


def case_address(token: str, request: Request) -> str:
    """The customer's case page, in the language the request asked for (``?lang=``), if any:
    a redirect made before any page set the language cookie must not drop it (a walkthrough
    asked for English and came back in Korean)."""
    asked = requested_lang(request)
    return f"/c/{token}" + (f"?lang={asked}" if asked else "")


def open_link(request: Request, token: str) -> tuple[int, int] | Response:
    """(case id, customer id) of the link, or the refused-link page: why, and how to reach a
    person to choose instead (the desk's phone, email and hours) — or, behind an expired link,
    the choice already on record (``customer_expired``)."""
    try:
        return open_case_token(request.app.state.settings.accepted_secrets, token)
    except Forbidden as exc:
        if exc.details.get("reason") == "link_expired":
            return expired_link_page(request, token, exc)
        return customer_error(request, exc.http_status, exc=exc)


def answer_state(case: CaseFacts, now: datetime) -> str:
    """``open`` while recording a choice now would be taken, else why not: ``closed`` (the
    incident is closed: ``desk_cases`` refuses new choices), ``chosen`` (a final choice is on
    record) or ``defaulted`` (too late: the plan's default applied). It asks the domain's
    ``record_choice`` itself with a trial answer, so the page and the desk follow one rule."""
    if case.facts.incident.status is IncidentStatus.CLOSED:
        return CLOSED
    row = case.row.case
    if row.status in SETTLED:  # a final choice is recorded: no deadline makes it "defaulted"
        return CHOSEN
    trial = min(o for o in case.plan.options if o is not CustomerOption.TALK_TO_PERSON)
    try:
        record_on_case(row, ConsentRecord(row.case_id, row.customer_id, trial, "web", now,
                                          "trial: may the case page still offer a choice?"),
                       case.plan)
    except LateChoiceRefused:
        return DEFAULTED
    except IllegalTransition:
        return CHOSEN
    return OPEN


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
    """A refund shown on the page is recorded: the units are refunded when the choice is
    applied, with the day of the choice that refunded them when there is one (a default applied
    at the deadline has no choice to date it). "요청 접수" / "requested", never "refunded" or
    "완료": sagwa records the refund, and the money goes back through the payment it came from,
    which sagwa neither starts nor sees (the page says when it is due: ``refund_timing``)."""
    consent = case.row.case.consent
    done = _t(lang, "환불 요청 접수", "refund requested")
    if consent is None or consent.choice is CustomerOption.TALK_TO_PERSON:
        return done
    return f"{done} · {day_words(consent.recorded_at.astimezone(SEOUL), lang)}"


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


def call_when_given_up(attempts: int, lang: str) -> str:
    """After the desk gave up calling: we called, could not reach them, and they may call us —
    or, with ``attempts`` 0, we have no phone number for them, so they may call us."""
    if attempts == 0:
        return _t(lang, "저희에게 고객님의 전화번호가 없어 전화드릴 수 없습니다. 통화를 원하시면 편하신 때 아래 "
                        "연락처로 전화 주세요.",
                  "we have no phone number for you, so we cannot call you; to talk to us, "
                  "please call us when it suits you (below).")
    return _t(lang, f"상담원이 {attempts}번 전화드렸지만 연결되지 않았습니다. 편하신 때 아래 연락처로 "
                    "전화 주세요.",
              f"our staff called you {_times(attempts)} but could not reach you; please call us "
              "when it suits you (below).")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def call_when(policy: DeskPolicy, now: datetime, lang: str,
              gave_up_after: int | None = None, *, picked: datetime | None = None,
              named: datetime | None = None) -> str:
    """When a customer who asked to talk to a person will be called: at the time they
    ``picked`` on their page while it is ahead (``domain.call_times``), or the one they
    ``named`` on a call to us (``call_list_sql.call_time``); else "soon" only while
    the contact centre is open (whatever time is left before it closes: agents call until
    then); at night, at a weekend or on a holiday, from its next opening. Once the desk gave up
    after ``gave_up_after`` attempts: that we called and could not reach them, and to call us
    (0: we have no phone number for them)."""
    if gave_up_after is not None:
        return call_when_given_up(gave_up_after, lang)
    if picked is not None and picked > now:
        return _t(lang, f"고르신 시간인 {format_when(picked, 'ko')}(한국 시간)에 상담원이 전화드리겠습니다.",
                  f"one of our staff will call you at the time you picked: "
                  f"{format_when(picked, 'en')}.")
    if named is not None and named > now:
        return _t(lang, f"통화 중에 말씀하신 {format_when(named, 'ko')}(한국 시간)에 상담원이 다시 전화드리겠습니다.",
                  f"one of our staff will call you back at the time you told us on the phone: "
                  f"{format_when(named, 'en')}.")
    opens = next_opening(policy.schedule, now)
    if opens == now:
        return _t(lang, "상담원이 곧 전화드리겠습니다.", "one of our staff will call you soon.")
    return _t(lang, f"고객센터가 문을 여는 {format_when(opens, 'ko')}(한국 시간)부터 상담원이 전화드리겠습니다.",
              f"one of our staff will call you once our contact centre opens, from "
              f"{format_when(opens, 'en')}.")


def case_context(uow: SqlAlchemyUnitOfWork, case_id: int, customer_id: int,
                 policy: DeskPolicy, request: Request) -> dict[str, Any]:
    with uow:
        case = load_case(uow, case_id, customer_id=customer_id)
        calls = uow.reads.call_records([case_id], min_spacing=policy.min_call_spacing).get(case_id)
        # how the confirmation and the receipt went, as they were sent: not the channel the
        # customer's details would pick today (a walkthrough saw "we emailed you" after an
        # agent swapped a phone for an address; the confirmation had gone by text)
        # a customer who cancelled instead of paying was confirmed that, not the discount
        confirmation = (uow.outbox.latest_of(case_id, INSTEAD_CONFIRMATION)
                        or uow.outbox.latest_of(case_id, "confirmation"))
        receipt = uow.outbox.latest_of(case_id, RECEIPT_PURPOSE)
        picked = case.row.call_at
        # a time the customer named on a call, when they picked none here
        named = uow.reads.call_time_of(case_id) if picked is None else None
        now = uow.now()
        # the call queue holds the case for that time (a call owed, or only the call-back they
        # asked for before the deadline: a walkthrough found the page silent about it then)
        named_waits = named is not None and case_id in uow.reads.calls_waiting_for_a_time(
            [case_id], now=now, follow_ups=policy.difference_follow_up_after is not None)
    gave_up = (calls.attempts_counted  # and not reached since: a later call may have
               if calls is not None and calls.unreachable and not calls.reached else None)
    if case.customer.phone is None:  # nobody can call them: never promise a call (0 calls)
        gave_up = 0
    lang = lang_of(request, fallback=case.customer.locale)
    consent = case.row.case.consent
    state = answer_state(case, now)
    final = consent is not None and consent.choice is not CustomerOption.TALK_TO_PERSON
    # already waiting for the call they asked for: asking again adds nothing (after the desk
    # gave up, it is how they ask again, and is offered)
    options = [(value, line) for value, line in case.options(lang)
               if not (value == CustomerOption.TALK_TO_PERSON.value
                       and asked_for_a_person(case.row.case)
                       and calls is not None and calls.on_call_list)]
    return {"lang": lang, "case": case, "status": case.row.case.status.value, "now": now,
            "ordered": ordered_at_wrong_price(case, lang),
            "consent": consent, "state": state, "final_choice": final,
            "chosen": label("choice", consent.choice, lang, case.plan,
                            price_word=case.price_word) if consent else None,
            "can_choose": state == OPEN, "late": deadline_passed(case.plan, now),
            "late_note": late_note(case, lang, gave_up),
            "if_unanswered": case.if_unanswered(lang),
            "settled": settled_lines(case, state, lang, gave_up,
                                     how_to_pay=policy.how_to_pay_in(lang)),
            "amounts": amounts(case, lang), "how_to_pay": policy.how_to_pay_in(lang),
            # a refund is on the page: when it comes back (``[refund] timing``) is said with it
            "refund_shown": case.figures.refunded.amount_minor > 0,
            # a final choice that delivers goods: the 7-day withdrawal right still stands
            "withdrawal": final and withdrawal_stands(consent.choice),
            "options": options, "person_offered": any(
                value == CustomerOption.TALK_TO_PERSON.value for value, _ in options),
            "contact": contact(policy, lang),
            "call_when": call_when(policy, now, lang, gave_up, picked=picked, named=named),
            "picked_call_at": picked, "named_call_at": named,
            "named_on_call": format_when(named, lang) if named and named > now else None,
            "call_time": (call_time_offer(
                              policy, now, picked, lang, named=named,
                              deadline=case.plan.deadline if asked_for_a_person(case.row.case)
                              else None)
                          if calls is not None and may_pick_call_time(case.row.case,
                                                                 calls.on_call_list)
                          and case.customer.phone is not None else None),
            "leave_phone": may_leave_phone(case, state, calls),
            "on_call_list": calls is not None and calls.on_call_list,
            "named_waits": named_waits,
            "confirmation_via": _went_by(confirmation), "receipt_via": _went_by(receipt),
            "default_calls": default_calls(case)}


def _went_by(message: LatestMessage | None) -> str | None:
    """The channel of a message that went or is going ("email", "sms"); None for none, or one
    withdrawn or failed."""
    if message is None or message.status not in ("pending", "sending", "sent"):
        return None
    return message.channel


def default_calls(case: CaseFacts) -> bool:
    """This customer's default, without an answer, is a call (``default_outcome``)."""
    return default_outcome(case.row.case, case.plan) is DefaultAction.FOLLOW_UP_CALL


def may_leave_phone(case: CaseFacts, state: str, calls: CallRecord | None) -> bool:
    """No number to call them on, where a call is what they may get: they can still ask for a
    person or their default is a call, or the desk owes them a call or gave up on it
    (``customer_phone``)."""
    if case.customer.phone is not None or case.facts.incident.status is IncidentStatus.CLOSED:
        return False
    owed = calls is not None and (calls.on_call_list or calls.unreachable)
    return owed or (state == OPEN and (case.offers(CustomerOption.TALK_TO_PERSON.value)
                                       or default_calls(case)))


def case_page_response(request: Request, token: str, context: dict[str, Any], *,
               problem: SagwaError | None = None) -> Response:
    said = error_text(problem, context["lang"]) if problem else None
    # a refused form's answer stands at the case page's own address (base.html), so a reload
    # posts nothing again
    return render(request, "customer/case.html",
                  {**context, "token": token, "problem": said, "here": f"/c/{token}",
                   **({"address": f"/c/{token}"} if problem else {})},
                  lang=context["lang"], status_code=problem.http_status if problem else 200)


@router.get("/{token}", response_class=HTMLResponse)
def case_page(token: str, request: Request, uow: Uow) -> Response:
    opened = open_link(request, token)
    if isinstance(opened, Response):
        return opened
    case_id, customer_id = opened
    context = case_context(uow(), case_id, customer_id, request.app.state.desk_policy, request)
    return case_page_response(request, token, context)


@router.get("/{token}/choose")
@router.get("/{token}/call-time")
@router.get("/{token}/phone")
def choose_again(token: str, request: Request) -> Response:
    """A form's address opened (reloaded, bookmarked, sent on): the case page, in the form's
    language; nothing was recorded by opening it. (The confirm step has an address of its own:
    ``customer_choose.confirm_step``.)"""
    return RedirectResponse(case_address(token, request), status_code=303)
