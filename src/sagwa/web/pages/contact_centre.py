"""The contact centre's call queue: cases to call by deadline, a call script that starts with
an apology, logging each attempt (with the attempts a call owed has had, out of the policy's
``max_attempts``), and recording a choice given on the phone in the customer's own words.

The case lookup (``/cs/cases?q=...``) finds any case — a customer who rang in, one no longer
on the list, or one whose incident is closed (marked so, after the open ones) — and its page
(``/cs/cases/{id}``) offers the same card: script, record-a-choice and log-a-call (and recording
the difference as paid, or cancelling instead of paying it). A closed incident's card offers
only what the desk still takes on it: no choice, but the call log, the contact details and a
difference's payment or cancellation. A case cancelled instead of paying says so where its
choice is shown (``CallCard.instead``). Everything the agent reads is in the page's language;
only the script, read aloud, is in the customer's (and says so).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.adapters.db.call_list_reads import QueuedCase
from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.access_records import ACCESS_NOT_RECORDED
from sagwa.domain.call_attempts import MAX_CALLBACK_AHEAD
from sagwa.domain.cancel_instead import replaceable_by_cancel
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import format_money
from sagwa.domain.note_follow_ups import NoteFollowUp
from sagwa.errors import InvalidInput, SagwaError
from sagwa.services.case_lookup import MAX_QUERY, find_cases
from sagwa.services.case_messages import case_messages
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.services.desk_cases import (
    OUTCOMES,
    current_plan,
    log_call_attempt,
    record_choice,
)
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_follow_ups import follow_up_list, follow_ups_of, resolve_follow_up
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.difference_follow_ups import next_follow_up, read_follow_ups
from sagwa.services.idempotency import MAX_KEY_LENGTH
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.access import PageAccess, page_access
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.access_shown import card_cases, found_cases, queue_cases
from sagwa.web.pages.call_card import CallCard
from sagwa.web.pages.call_words import attempt_flash, follow_up_flash, spacing_words
from sagwa.web.pages.case_facts import CaseFacts, Known, contact, facts_for, load_case
from sagwa.web.pages.choice_check import phone_choice_refusal
from sagwa.web.pages.customer import answer_state
from sagwa.web.pages.error_texts import FormProblem, PageRoute, error_text
from sagwa.web.pages.forms import local_input, parse_local_time
from sagwa.web.pages.i18n import in_lang, lang_of
from sagwa.web.pages.labels import label
from sagwa.web.pages.note_follow_up_words import note_follow_up_flash, resolved_flash
from sagwa.web.pages.rendering import flash_in_lang, render, sent_form_key, seoul
from sagwa.web.pages.session import Agent, csrf_protect
from sagwa.web.pages.settled_script import choice_read_back

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)
#: The longest call note, and customer's words with a choice, a form takes (as the API's:
#: ``web.api.cases``). The card's inputs say so (``maxlength``); a longer one sent anyway is
#: refused beside its field, with what was typed, not with a bare error page.
MAX_WORDS = 4000
#: The open follow-ups the queue page lists (``desk_follow_ups``; it says how many more).
NOTE_FOLLOW_UPS_SHOWN = 50


#: Refusals an agent is told differently from a customer (``error_text`` words them for the
#: customer: "please talk to a person", "please contact us" — the agent is that person):
#: (code, ``details["reason"]``) -> (Korean, English).
AGENT_TEXTS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("conflict", "difference_already_paid"): (
        ("차액 결제가 이미 기록되어 상품을 보냅니다. 이제 취소하려면 반품입니다. 고객에게 반품 절차를 "
        "안내하고 ‘통화 기록’에 메모를 남겨 주세요."),
        ("The difference is already recorded as paid and the items are being sent: cancelling "
        "now is a return. Explain the return to the customer and note it in the call log.")),
    ("illegal_transition", "not_a_discount_choice"): (
        "이 건은 할인 구매로 마무리된 건이 아니어서 ‘차액 대신 취소’를 할 수 없습니다.",
        ("This case was not settled by the discount, so it cannot be cancelled instead of "
        "paying a difference.")),
    ("illegal_transition", "choice_already_recorded"): (
        ("이 건은 고객의 선택이 이미 기록되어 있어 바꿀 수 없습니다. 기록된 선택에 따른 주문 처리(와 보상)가 "
         "이미 적용되어, sagwa에서는 상담원도 운영자도 선택을 바꾸거나 되돌릴 수 없습니다. 고객이 다른 처리를 "
         "원하면 ‘통화 기록’에 고객이 원하는 내용을 메모로 남겨 주세요."),
        ("The customer's choice is already recorded and cannot be changed: what it does to the "
         "orders (and any compensation) has been applied, and nobody — agent or operator — can "
         "change or undo it in sagwa. If the customer wants something else, log the call with a "
         "note saying what they asked for.")),
    ("conflict", "incident_closed"): (
        "이 사고는 이미 종료되어 더 이상 선택을 기록할 수 없습니다. 고객이 원하는 내용은 ‘통화 기록’ 메모로 남겨 주세요.",
        ("This incident is closed, so no choice can be recorded on it any more; log the call "
         "with a note saying what the customer asked for.")),
    ("idempotency_key_reused", "idempotency_request_differs"): (
        ("이 양식으로는 이미 다른 통화 결과를 기록했습니다(뒤로 가기로 다시 보낸 양식). 아래 기록을 확인하고, 다른 통화라면 "
        "다시 기록해 주세요."),
        ("This form already logged a call with another outcome (it was sent again from an "
         "earlier page); check the calls below and log it again if it was another call.")),
    ("late_choice_refused", "reply_recorded_too_late"): (
        ("기한 안에 온 답장이라도 기한 다음 영업일 마감까지 기록해야 합니다. 그 시각이 지나 기본 처리가 확정되었고, "
         "판매자가 주문을 보냈을 수 있습니다. 고객은 상품을 받은 뒤 7일 안에 청약철회할 수 있습니다. 고객의 답장 "
         "내용을 ‘통화 기록’ 메모로 남기고 ‘후속 조치 필요’를 표시해 운영자에게 알려 주세요."),
        ("Even a reply that came by the deadline has to be recorded by the close of the next "
         "business day; that has passed, the default stands and the seller may have sent the "
         "order. The customer can still withdraw within 7 days of delivery. Log the reply in "
         "a call note marked 'follow-up needed' for the operator.")),
    ("late_choice_refused", "choice_after_deadline"): (
        ("답변 기한이 지났고 이 사고의 방안은 늦은 선택을 받지 않아, 기본 처리가 그대로 유지됩니다. 고객이 원하는 "
         "내용은 ‘통화 기록’ 메모로 남겨 주세요."),
        ("The deadline has passed and this incident's plan takes no late choices, so the "
         "default stands; log the call with a note saying what the customer asked for.")),
}


def agent_text(exc: SagwaError, lang: str) -> str:
    """``exc`` said to an agent in ``lang``: :data:`AGENT_TEXTS`, else the pages' sentence."""
    said = (AGENT_TEXTS.get((exc.code, exc.details.get("reason")))
            or AGENT_TEXTS.get((exc.code, None)))  # a text for every reason of that code
    if said is None:
        return error_text(exc, lang)
    return said[0] if lang == "ko" else said[1]


def queue_context(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                  limit: int = 20) -> dict[str, Any]:
    """The ``limit`` nearest deadlines: an agent works from the top; the rest follow. Under
    them, the ``limit`` differences unpaid longest past their follow-up
    (``services.difference_follow_ups``).

    Cases, customers and attempts are fetched in batches, not per card."""
    known: Known = {}
    with uow:
        now = uow.now()
        queued = uow.reads.call_queue(limit=limit, min_spacing=policy.min_call_spacing, now=now,
                                      follow_ups=policy.difference_follow_up_after is not None)
        # every card's case in one read (a case asked to be called, or called back, is not
        # an escalated one: read one by one, they were four queries a card)
        rows: dict[int, CaseRow] = {int(r.case.case_id): r
                                    for r in uow.cases.by_ids([q.case_id for q in queued])}
        people = uow.catalog.customers_by_ids([q.customer_id for q in queued])
        attempts = uow.reads.attempts_by_case([q.case_id for q in queued])
        due = uow.outbox.apologies_due([q.case_id for q in queued])
        asked = follow_ups_of(uow, [q.case_id for q in queued])
        placed = uow.reads.orders_as_placed([q.case_id for q in queued])
        cards = [_card(q, facts_for(uow, rows[q.case_id], people[q.customer_id], known, placed),
                       attempts.get(q.case_id, []), now, due.get(q.case_id),
                       asked.get(q.case_id, [])) for q in queued]
        follow_ups = read_follow_ups(uow, policy, limit=limit)
        note_follow_ups = follow_up_list(uow, now=now, limit=NOTE_FOLLOW_UPS_SHOWN)
    after = policy.difference_follow_up_after
    return {"cards": cards, "outcomes": OUTCOMES, "max_attempts": policy.max_call_attempts,
            "policy": policy, **_callback_bounds(now),
            "follow_ups": follow_ups, "follow_up_days": after.days if after else 0,
            "note_follow_ups": note_follow_ups,
            "callback_ko": spacing_words(policy.min_call_spacing, "ko"),
            "callback_en": spacing_words(policy.min_call_spacing, "en"),
            "contact_ko": contact(policy, "ko"), "contact_en": contact(policy, "en")}


def _callback_bounds(now: datetime) -> dict[str, Any]:
    """The call-back field's range (``call_attempts.check_callback_at``), for the browser to
    offer: from now to :data:`MAX_CALLBACK_AHEAD` ahead, in Korea time."""
    return {"callback_days": MAX_CALLBACK_AHEAD.days, "callback_min": local_input(now),
            "callback_max": local_input(now + MAX_CALLBACK_AHEAD)}


def _card(queued: QueuedCase, case: CaseFacts, attempts: list[Any], now: datetime,
          apology_due: datetime | None, follow_ups: list[NoteFollowUp]) -> CallCard:
    """A call-list card: on the list, and whether it still takes a choice at ``now``."""
    return CallCard(queued, case, attempts, state=answer_state(case, now), now=now,
                    apology_due=apology_due, follow_ups=tuple(follow_ups))


def case_context(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, case_id: int) -> dict[str, Any]:
    """One case's page, found with the lookup: whether or not it is on the call list, and
    whether or not its incident is closed (its card then takes no choice: ``answer_state``)."""
    with uow:
        spacing = policy.min_call_spacing
        queued = require(uow.reads.case_on_desk(case_id, min_spacing=spacing), "case", case_id)
        facts = load_case(uow, case_id)
        attempts = uow.reads.attempts_by_case([case_id]).get(case_id, [])
        on_list = uow.reads.owed_call(case_id, min_spacing=spacing) is not None
        calls = uow.reads.call_records([case_id], min_spacing=spacing).get(case_id)
        instead = replaced_discounts(uow, [case_id]).get(case_id)
        due = uow.outbox.apologies_due([case_id]).get(case_id)
        asked = tuple(follow_ups_of(uow, [case_id]).get(case_id, []))
        now = uow.now()
        state = answer_state(facts, now)
    plan = facts.plan
    card = CallCard(queued, facts, attempts, on_list, state, calls, instead, now, due, asked,
                    replies_until=(plan.replies_recorded_by(policy.schedule)
                                   if plan is not None else None))
    # what the customer was sent, for a live call ("did you get our message?": a CS walk had
    # only the API to ask)
    messages = case_messages(uow, case_id=case_id)
    return {"card": card, "messages": messages, "outcomes": OUTCOMES, **_callback_bounds(now),
            "max_attempts": policy.max_call_attempts, "policy": policy, "back": "case",
            "here": f"/cs/cases/{case_id}"}


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, account: Agent, uow: Uow, access: PageAccess) -> Response:
    context = queue_context(uow(), request.app.state.desk_policy)
    access.viewed(cases=queue_cases(context))
    return render(request, "cs/queue.html", context)


def _check_lookup(typed: str) -> None:
    """What the search box needs before a lookup: something, and not too much."""
    if not typed.strip():
        raise FormProblem("찾을 건 번호(#12), 전화번호, 이름이나 이메일을 입력해 주세요.",
                          "Type a case number (#12), a phone number, a name or an email to "
                          "search.", field="q")
    if len(typed.strip()) > MAX_QUERY:
        raise FormProblem(f"검색어는 {MAX_QUERY}자까지입니다. 건 번호, 전화번호, 이름이나 이메일 하나만 "
                          "입력해 주세요.",
                          f"A search is at most {MAX_QUERY} characters; type one case number, "
                          "phone number, name or email.", field="q")


@router.get("/cases", response_class=HTMLResponse)
def lookup(request: Request, account: Agent, uow: Uow, access: PageAccess,
           q: str | None = None) -> Response:
    """The case lookup: by case number, phone (or its last four digits), name or email (or the
    start of one); the page says what was looked up (``sagwa.services.case_lookup``). The
    access record keeps what was found, never the words (``access_log.SEARCH_PARAMS``)."""
    if q is None:
        return render(request, "cs/lookup.html", {"lookup_q": "", "result": None})
    try:
        _check_lookup(q)
        policy = request.app.state.desk_policy
        result = find_cases(uow(), typed=q,
                            follow_ups=policy.difference_follow_up_after is not None)
    except InvalidInput as exc:
        if exc.details.get("field") != "q":
            raise
        return render(request, "cs/lookup.html",
                      {"lookup_q": q[:MAX_QUERY], "result": None,
                       "problem": agent_text(exc, lang_of(request))},
                      status_code=exc.http_status)
    access.searched(results=len(result.found), cases=found_cases(result))
    return render(request, "cs/lookup.html", {"lookup_q": q, "result": result})


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: int, request: Request, account: Agent, uow: Uow,
              access: PageAccess) -> Response:
    context = case_context(uow(), request.app.state.desk_policy, case_id)
    access.viewed(cases=card_cases(context))
    return render(request, "cs/case.html", context)


def _check_length(text: str, field: str) -> None:
    """A note or the customer's words of at most :data:`MAX_WORDS` characters."""
    if len(text) > MAX_WORDS:
        raise FormProblem(f"{MAX_WORDS:,}자까지 적을 수 있습니다(지금 {len(text):,}자). 줄여서 다시 보내 "
                          "주세요.",
                          f"At most {MAX_WORDS:,} characters (this is {len(text):,}): shorten it "
                          "and send it again.", field=field)


def _on_case_page(back: str) -> bool:
    return back == "case"


def refused_form(request: Request, uow: Uow, case_id: int, form: str, typed: dict[str, str],
             exc: SagwaError, back: str) -> Response:
    """The page the form came from (the queue or the case page) again, with the refusal next
    to that case's ``form`` and what was typed — standing at that page's own address
    (``base.html``), so a reload posts nothing again. A change refused because its access
    record could not be written goes on to the error page: the case cannot be shown
    recorded either (``web.access``)."""
    if exc.details.get("reason") == ACCESS_NOT_RECORDED:
        raise exc
    policy = request.app.state.desk_policy
    problem = {"case_id": case_id, "form": form, "message": agent_text(exc, lang_of(request)),
               "field": exc.details.get("field"),
               "typed": typed}
    if _on_case_page(back):
        context = {**case_context(uow(), policy, case_id), "problem": problem,
                   "address": f"/cs/cases/{case_id}"}
        page_access(request).viewed(cases=card_cases(context))
        return render(request, "cs/case.html", context, status_code=exc.http_status)
    context = {**queue_context(uow(), policy), "here": "/cs/queue", "problem": problem,
               "address": "/cs/queue"}
    page_access(request).viewed(cases=queue_cases(context))
    return render(request, "cs/queue.html", context, status_code=exc.http_status)


def not_recorded(request: Request, uow: Uow, case_id: int, form: str,
                 typed: dict[str, str]) -> Response:
    """The case page again after "No, do not record it" on a confirm step: nothing recorded,
    and what was typed back in its form, said so beside it (a tester found the choice and the
    customer's words emptied, to be typed again). At the case page's own address."""
    problem = {"case_id": case_id, "form": form, "kind": "note", "field": None,
               "typed": typed, "message": in_lang(
                   lang_of(request), "기록하지 않았습니다. 입력한 내용은 아래에 그대로 있습니다. 고쳐서 다시 "
                   "기록하거나, 기록할 것이 없으면 그대로 두세요.",
                   "Not recorded. What you typed is below: correct it and record it again, or "
                   "leave it if there is nothing to record.")}
    context = {**case_context(uow(), request.app.state.desk_policy, case_id),
               "problem": problem, "address": f"/cs/cases/{case_id}"}
    card = context["card"]
    if not (card.takes_reply if form == "reply" else card.takes_choice):
        # the case takes no more choices by that form meanwhile (the deadline, a choice
        # recorded by someone else): nothing to put what was typed back in
        flash_in_lang(request, "기록하지 않았습니다. 이 건은 이제 그 양식으로 선택을 받지 않습니다.",
                      "Not recorded. This case no longer takes a choice by that form.", "warn")
        return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
    page_access(request).viewed(cases=card_cases(context))
    return render(request, "cs/case.html", context)


@router.post("/cases/{case_id}/attempt")
def attempt(case_id: int, request: Request, account: Agent, uow: Uow, access: PageAccess,
            outcome: Annotated[str, Form(max_length=40)] = "",
            note: Annotated[str, Form()] = "",  # its limit: MAX_WORDS, beside the field
            callback_at: Annotated[str, Form(max_length=40)] = "",
            back: Annotated[str, Form(max_length=10)] = "queue",
            form_key: Annotated[str, Form(max_length=MAX_KEY_LENGTH)] = "",
            choice_seen: Annotated[str, Form(max_length=40)] = "",
            follow_up: Annotated[str, Form(max_length=10)] = "",
            follow_up_at: Annotated[str, Form(max_length=40)] = "") -> Response:
    """Log a call. The form carries a key of its own (``form_key``, new each time the card is
    drawn), so the form sent twice — a double click, a resend after a dropped answer — logs the
    call once and says what the first one did. ``callback_at`` (``datetime-local``, Korea
    time): the time the customer asked to be called back at, with ``callback_requested``.
    ``follow_up`` ("yes"): the note asks the team to act, by ``follow_up_at`` if given
    (``desk_follow_ups``): the case is on the queue page's follow-up list until resolved."""
    policy = request.app.state.desk_policy
    key = sent_form_key(form_key, account.actor)
    try:
        _check_length(note, "note")
        logged = log_call_attempt(access.changing(uow(), cases=[case_id]), case_id=case_id,
                                  channel="phone", outcome=outcome,
                                  agent=account.actor, note=note.strip() or None, policy=policy,
                                  idempotency_key=key, links=case_links(request),
                                  callback_at=parse_local_time(callback_at, "callback_at"),
                                  follow_up=follow_up == "yes",
                                  follow_up_at=parse_local_time(follow_up_at, "follow_up_at"))
    except SagwaError as exc:
        return refused_form(request, uow, case_id, "attempt",
                            {"outcome": outcome, "note": note, "callback_at": callback_at,
                             "follow_up": follow_up, "follow_up_at": follow_up_at}, exc, back)
    with uow() as reading:  # owing the discount's difference: when it is followed up next
        due = next_follow_up(reading, policy, case_id)
        row = reading.cases.get(case_id)
        customer = reading.catalog.customer(int(row.case.customer_id)) if row else None
    ko, en = attempt_flash(case_id, outcome, logged, policy, follows_up=due is not None,
                           has_phone=bool(customer and customer.phone))
    if due is not None:
        ko, en = ko + follow_up_flash(due, "ko"), en + follow_up_flash(due, "en")
    if logged.follow_up_id is not None:
        ko, en = ko + note_follow_up_flash(logged, "ko"), en + note_follow_up_flash(logged, "en")
    if logged.made_call and not _on_case_page(back):
        back = "case"  # the card has left the list: the choice is recorded on the case page
    consent = row.case.consent if row is not None else None
    if consent is not None and choice_seen == "-" and not logged.repeat:
        # logged from a card drawn before the customer (or another agent) recorded a choice
        # ("-": none then): say so, and show the case, not a place on the list it has left
        # (a CS walk)
        chosen_ko, chosen_en = (label("choice", consent.choice, lang) for lang in ("ko", "en"))
        ko += (f" 이 고객의 선택은 이미 기록되어 있습니다({chosen_ko}, "
               f"{seoul(consent.recorded_at)} 한국 시간). 건 화면을 확인해 주세요.")
        en += (f" This customer's choice is already recorded ({chosen_en}, "
               f"{seoul(consent.recorded_at)} Korea time): see the case page.")
        back = "case"
    flash_in_lang(request, ko, en)
    if _on_case_page(back):
        return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
    if logged.callback_at is not None:  # the card moved down the list: the flash is at the top
        return RedirectResponse("/cs/queue", status_code=303)
    return RedirectResponse(f"/cs/queue#case-{case_id}", status_code=303)


@router.post("/cases/{case_id}/difference-paid")
def difference_paid(case_id: int, request: Request, account: Agent, uow: Uow,
                    access: PageAccess, note: Annotated[str, Form()] = "",  # its limit is the domain's
                    back: Annotated[str, Form(max_length=10)] = "case") -> Response:
    """Record that the customer paid the discount choice's difference (to the customer centre:
    sagwa takes no payment). Sent twice, it says it was already recorded."""
    try:
        recorded = record_difference_paid(access.changing(uow(), cases=[case_id]),
                                          case_id=case_id, actor=account.actor,
                                          note=note, policy=request.app.state.desk_policy,
                                          links=case_links(request))
    except SagwaError as exc:
        return refused_form(request, uow, case_id, "difference", {"payment_note": note}, exc, back)
    amount_ko, amount_en = (format_money(recorded.difference, lang=lang) for lang in ("ko", "en"))
    if recorded.changed:
        sent_ko, sent_en = {"email": (" 고객에게 영수 안내 메일을 보냅니다.",
                                      " The customer is sent a receipt by email."),
                            "sms": (" 고객에게 영수 안내 문자를 보냅니다.",
                                    " The customer is sent a receipt by text.")}.get(
            recorded.receipt or "", (" 고객의 메일 주소와 전화번호가 없어 영수 안내를 보내지 못합니다.",
                                     " The customer has no address or phone: no receipt is sent."))
        told = recorded.sellers_told
        seller_ko, seller_en = (
            (" 판매자에게 주문을 보내 달라는 메일을 보냅니다.", " The seller is emailed to send the order.")
            if told else (" 판매자 메일 주소가 없어, 판매자는 판매자 화면에서 확인합니다.",
                          " The seller has no email address: they see it on their seller page."))
        flash_in_lang(request, f"#{case_id} 차액 {amount_ko} 결제를 기록했습니다. 이제 상품을 보낼 수 "
                      f"있습니다.{sent_ko}{seller_ko}",
                      f"#{case_id}: the difference of {amount_en} is recorded as paid; the "
                      f"items can be sent.{sent_en}{seller_en}")
    else:
        flash_in_lang(request, f"#{case_id} 차액 결제는 이미 기록되어 있습니다. 바뀐 것은 없습니다.",
                      f"#{case_id}: the difference was already recorded as paid; nothing was "
                      "changed.")
    return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/choice")
def phone_choice(case_id: int, request: Request, account: Agent, uow: Uow,
                 access: PageAccess, choice: Annotated[str, Form(max_length=60)] = "",
                 words: Annotated[str, Form()] = "",  # its limit: MAX_WORDS
                 back: Annotated[str, Form(max_length=10)] = "queue",
                 confirmed: Annotated[str, Form(max_length=10)] = "",
                 not_recording: Annotated[str, Form(max_length=10)] = "") -> Response:
    """A choice given on the phone, recorded with the customer's own words. As on the
    customer's own page, it takes two presses: the first shows what it will do and what to read
    back to the customer (``cs/confirm_choice.html``); only the second (``confirmed=yes``)
    records it — it cancels, refunds and books points at once, and cannot be undone. Its "No"
    (``not_recording``) records nothing and puts what was typed back in the case page's form."""
    if not_recording:
        return not_recorded(request, uow, case_id, "choice", {"choice": choice, "words": words})
    try:
        if not choice:  # the form starts on no choice: nobody records one by a single click
            raise FormProblem("고객이 고른 방법을 고르세요. 고객이 아직 고르지 않았으면 통화 결과만 "
                              "기록하세요.",
                              "Choose what the customer chose. If they have not chosen yet, "
                              "log the call outcome only.", field="choice")
        if not words.strip():
            raise FormProblem("고객이 한 말을 그대로 적어 주세요.",
                              "Write down what the customer said, in their words.",
                              field="words")
        _check_length(words, "words")
        if confirmed != "yes":
            return _confirm_choice(request, uow, case_id, choice, words.strip(), back,
                                   account.actor)
        recorded = record_choice(access.changing(uow(), cases=[case_id]), case_id=case_id,
                                 choice=choice, channel="phone",
                                 evidence=words.strip(), taken_by=account.actor,
                                 policy=request.app.state.desk_policy, links=case_links(request))
    except SagwaError as exc:
        return refused_form(request, uow, case_id, "choice", {"choice": choice, "words": words}, exc,
                        back)
    with uow() as read:  # the choice named for its plan (a cancellation without points)
        plan = current_plan(read, int(recorded.case.incident_id))
    ko, en = label("choice", choice, "ko", plan), label("choice", choice, "en", plan)
    if recorded.changed:
        flash_in_lang(request, f"#{case_id} 고객 선택 기록: {ko}", f"#{case_id} choice recorded: {en}.")
    else:  # sent again (a double click, Back and confirm): the service recorded nothing
        flash_in_lang(request, f"#{case_id} 고객의 선택은 이미 기록되어 있습니다: {ko}. 바뀐 것은 없습니다.",
                      f"#{case_id}: the customer's choice was already recorded: {en}; nothing "
                      "was changed.")
    if _on_case_page(back):
        return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
    return RedirectResponse("/cs/queue", status_code=303)


def _confirm_choice(request: Request, uow: Uow, case_id: int, choice: str, words: str,
                    back: str, actor: str) -> Response:
    """The choice's confirm step: what it will do, the customer's words and what to read back
    to them — after the checks the desk will make (``choice_check``), so that a refusal comes
    at the form, before anyone reads it back."""
    unit = uow()
    context = case_context(unit, request.app.state.desk_policy, case_id)
    card, now = context["card"], unit.now()
    refused = phone_choice_refusal(card, choice=choice, words=words, actor=actor, now=now)
    if refused is not None:
        raise refused
    page_access(request).viewed(cases=card_cases(context))
    case, cl = card.case, card.case.customer.locale
    later = replaceable_by_cancel(CustomerOption(choice), case.plan, case.owed_after(choice, now))
    return render(request, "cs/confirm_choice.html", {
        **context, "choice": choice, "words": words, "back": back,
        "choice_label": label("choice", choice, lang_of(request), case.plan,
                              price_word=case.price_word),
        "terms": case.preview(choice, lang_of(request), now, staff=True),
        "may_cancel_later": later,
        "read_back": choice_read_back(
            case, choice, cl, may_cancel_later=later,
            refund_timing=(request.app.state.desk_policy.refund_timing_in(cl)
                           if case.refunds_on(choice, now) else None))})



@router.post("/cases/{case_id}/follow-ups/{follow_up_id}/resolve")
def resolve(case_id: int, follow_up_id: int, request: Request, account: Agent, uow: Uow,
            access: PageAccess, outcome: Annotated[str, Form()] = "",  # its limit: the domain's (MAX_OUTCOME)
            back: Annotated[str, Form(max_length=10)] = "case") -> Response:
    """Record what was done about a note's follow-up: it leaves the team's list. Sent twice
    (or after someone else resolved it), it says so and keeps the first outcome."""
    try:
        resolved = resolve_follow_up(access.changing(uow(), cases=[case_id]), case_id=case_id,
                                     follow_up_id=follow_up_id,
                                     actor=account.actor, outcome=outcome)
    except SagwaError as exc:
        return refused_form(request, uow, case_id, f"follow-up-{follow_up_id}",
                            {"outcome": outcome}, exc, back)
    flash_in_lang(request, resolved_flash(resolved, "ko"), resolved_flash(resolved, "en"))
    if _on_case_page(back):
        return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)
    return RedirectResponse("/cs/queue#note-follow-ups", status_code=303)
