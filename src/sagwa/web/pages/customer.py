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
this customer's default is (``customer_case_words.deadline_line``: the page's sentences are
there); a case that still takes a late answer keeps
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
from sagwa.domain.consent import ConsentRecord, asked_for_a_person
from sagwa.domain.consent import record_choice as record_on_case
from sagwa.domain.incident_plan import (
    CustomerOption,
    DefaultAction,
    deadline_passed,
    default_outcome,
)
from sagwa.domain.incidents import CaseStatus, IncidentStatus
from sagwa.errors import Forbidden, IllegalTransition, LateChoiceRefused, SagwaError
from sagwa.services.call_when_words import call_when
from sagwa.services.case_links import open_case_token
from sagwa.services.desk_cancel_instead import CONFIRMATION_PURPOSE as INSTEAD_CONFIRMATION
from sagwa.services.desk_difference import RECEIPT_PURPOSE
from sagwa.services.desk_messages import format_when
from sagwa.services.desk_outcome_wording import withdrawal_stands
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.call_time_offer import call_time_offer
from sagwa.web.pages.case_facts import CaseFacts, contact, load_case
from sagwa.web.pages.customer_case_words import (
    CHOSEN,
    CLOSED,
    DEFAULTED,
    OPEN,
    SETTLED,
    amounts,
    late_note,
    ordered_at_wrong_price,
    settled_lines,
)
from sagwa.web.pages.customer_errors import CustomerRoute, customer_error
from sagwa.web.pages.customer_expired import expired_link_page
from sagwa.web.pages.error_texts import error_text
from sagwa.web.pages.i18n import lang_of, requested_lang
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import render
from sagwa.web.pages.session import csrf_protect

router = APIRouter(prefix="/c", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=CustomerRoute)
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
            # a refund is on the page: when it comes back (``[refund] timing``) is said with it,
            # until finance has paid all of it (the refund line then says the day it was paid)
            "refund_shown": case.figures.refunded.amount_minor > 0 and not (
                case.refunds_paid and case.refunds_paid.in_full),
            # a final choice that delivers goods: the 7-day withdrawal right still stands
            "withdrawal": final and withdrawal_stands(consent.choice),
            # no answer, and the default kept the order: the goods come, and so does the right
            "default_kept": consent is None and state != OPEN
            and case.row.case.status is CaseStatus.DEFAULTED
            and default_outcome(case.row.case, case.plan) is DefaultAction.KEEP,
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
