"""Telling customers: the apology messages of an incident and their reminder, the message to
customers whose case took the default after the deadline, confirmations.

Each text is worded and checked by :mod:`sagwa.services.desk_wordings` (once per distinct
wording, a failing one refusing the whole batch before anything is queued); this module queues
them. Messages that ask customers to act are scheduled inside contact hours, and nothing is
sent once the plan's deadline leaves customers too little time to answer; the message after
the default is queued for the next contact opening too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.call_attempts import REACHED
from sagwa.domain.catalog import Customer
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.incident_plan import (
    CustomerOption,
    IncidentPlan,
    accepts_choice_at,
    answer_time_left,
)
from sagwa.domain.incidents import (
    Case,
    CaseStatus,
    CaseTrigger,
    Incident,
    IncidentStatus,
    IncidentTrigger,
    advance,
    advance_incident,
)
from sagwa.domain.plan_version import check_plan_unchanged
from sagwa.errors import Conflict, IllegalTransition, MessageRefused
from sagwa.services import desk_messages as dm
from sagwa.services.case_links import case_token
from sagwa.services.desk_cases import current_plan
from sagwa.services.desk_outcome_wording import confirmation_values
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import (
    case_facts,
    checked_wordings,
    customer_values,
    defaulted_texts,
    resolution_texts,
    with_names,
)
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import render_checked
from sagwa.services.scheduled import schedule_incident_jobs
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

LINK_VALID_AFTER_DEADLINE = timedelta(days=14)
#: The messages that apologise to a customer with the link to their page: the apology and its
#: reminder, and those after the deadline to one never told or not reached by phone
#: (``desk_unreachable``). Until one of them went out, a confirmation is the apology itself.
APOLOGIES = ("resolution", "reminder", "never_told", "unreachable")


@dataclass(frozen=True)
class NotifySummary:
    incident_id: int
    cases: int
    messages: int
    send_at: datetime
    #: When unanswered customers are sent the apology again; None when that moment would come
    #: no later than the apology itself (a short deadline), so no reminder is scheduled.
    reminder_at: datetime | None = None


@dataclass(frozen=True)
class LinkMaker:
    secret: str
    base_url: str

    def for_case(self, case_id: int, customer_id: int, expires_at: datetime) -> str:
        token = case_token(self.secret, case_id=case_id, customer_id=customer_id,
                           expires_at=expires_at)
        return self.page(f"/c/{token}")

    def page(self, path: str) -> str:
        """``path`` (``/seller/…``) on this server's public address."""
        return f"{self.base_url.rstrip('/')}{path}"


def page_link(links: LinkMaker | None, path: str) -> str:
    """``path`` as a full link with ``links``, or the path itself without (a bare path)."""
    return links.page(path) if links is not None else path


def require_time_to_answer(plan: IncidentPlan, policy: DeskPolicy, now: datetime) -> datetime:
    """When the first message may go out; refused unless, counted from then, the deadline still
    leaves customers the policy's minimum answer time of contact-centre hours — the rule
    ``make_plan`` applies when the plan is made (``incident_plan.answer_time_left``)."""
    send_at, left = answer_time_left(policy.schedule, now, plan.deadline)
    if left >= policy.min_answer_time:
        return send_at
    raise Conflict(
        f"the plan's deadline ({_when(plan.deadline)}) is too close: the apology would reach "
        f"customers at {_when(send_at)} at the earliest, leaving {_hours(left, down=True)} of "
        f"contact-centre hours before the deadline, and customers need at least "
        f"{_hours(policy.min_answer_time)}; revise the plan with a later deadline, then notify",
        field="deadline", reason="deadline_too_close",
        deadline=plan.deadline.astimezone(dm.SEOUL).isoformat(),
        earliest_send_at=send_at.astimezone(dm.SEOUL).isoformat(),
        contact_minutes_left=int(left.total_seconds() // 60),
        min_answer_minutes=int(policy.min_answer_time.total_seconds() // 60),
        contact_hours_left=_hour_figure(left, down=True),
        min_answer_hours=_hour_figure(policy.min_answer_time),
        **({"deadline_passed": True} if plan.deadline <= now else {}))


def _when(moment: datetime) -> str:
    return dm.format_when(moment, "en")


def _hours(span: timedelta, *, down: bool = False) -> str:
    return f"{_hour_figure(span, down=down)} h"


def _hour_figure(span: timedelta, *, down: bool = False) -> str:
    """``span`` in hours as a person reads them: ``24``, ``23.5`` (a tenth at most); ``down``:
    rounded down, for time left short of a minimum (23 h 58 min is "23.9", never "24.0" beside
    "at least 24")."""
    tenths = span.total_seconds() / 360
    tenths = math.floor(tenths) if down else round(tenths)
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def notify(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str, policy: DeskPolicy,
           links: LinkMaker, previewed_plan: str | None = None) -> NotifySummary:
    """Queue the apology (email and SMS, per customer locale) for every case not yet told, and
    tell the sellers (``seller_notices``).

    ``previewed_plan``: the ``plan_version`` whose messages the operator read (the incident
    page's preview); checked under the incident's lock, so a plan saved since is refused (409
    ``plan_changed``), never sent unread. None (the API, the CLI) is not checked.

    Refused with :class:`Conflict` (reason ``deadline_too_close``) when the plan's deadline no
    longer leaves customers the minimum answer time from the first moment a message may go out.
    """
    from sagwa.services.outbox import OutgoingMessage, enqueue_messages
    from sagwa.services.seller_notices import NOTIFIED, CustomersTold, seller_notices

    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id).incident
        try:
            status = advance_incident(inc.status, IncidentTrigger.NOTIFY)
        except IllegalTransition as exc:
            raise _still_queued(uow, incident_id, exc) from None
        plan = current_plan(uow, incident_id)
        check_plan_unchanged(plan, previewed_plan, incident_id=incident_id)
        send_at = require_time_to_answer(plan, policy, now)
        advance(CaseStatus.OPEN, CaseTrigger.NOTIFY)  # the table allows the bulk move below
        rows = uow.cases.for_incident(incident_id, statuses={CaseStatus.OPEN})
        wordings = checked_wordings(uow, inc, [r.case for r in rows], plan, policy)
        people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
        messages = []
        for row in rows:
            facts, shared = wordings[int(row.case.case_id)]
            messages += _messages_for(row.case, people[int(row.case.customer_id)], facts, plan,
                                      shared, links, send_at, OutgoingMessage)
        queued = enqueue_messages(uow, messages)
        ids = uow.cases.set_status_where(incident_id, current={CaseStatus.OPEN},
                                         new=CaseStatus.NOTIFIED, now=now)
        # the sellers: what their customers are asked, and again not to cancel (not counted
        # in the summary's messages, which are the customers')
        enqueue_messages(uow, seller_notices(uow, incident=inc, stage=NOTIFIED, links=links,
                                             plan=plan, told=CustomersTold(
                                                 [r.case for r in rows], send_at)))
        uow.incidents.save(replace(inc, status=status))
        remind_at, _, _ = schedule_incident_jobs(uow, incident_id=incident_id, plan=plan,
                                                 policy=policy, first_send_at=send_at)
        _audit_notified(uow, actor, inc, status, ids, queued, send_at, remind_at, now)
        uow.commit()
        return NotifySummary(incident_id, len(ids), queued, send_at, remind_at)


def _still_queued(uow: SqlAlchemyUnitOfWork, incident_id: int,
                  refused: IllegalTransition) -> IllegalTransition:
    """Notifying again refused: while its apologies still wait in the outbox (held for contact
    hours), the refusal says when they go instead of "told already"; the details gain
    ``apologies_queued`` and ``apologies_due_at`` (appended)."""
    waiting = uow.outbox.incident_apologies_due(incident_id)
    if refused.details.get("hint") != "already_notifying" or not waiting:
        return refused
    due, n, told = min(waiting.values()), len(waiting), uow.cases.told_count(incident_id)
    people = f"{n} customer{'' if n == 1 else 's'}"
    so_far = "nobody has been told yet" if not told else f"{told} told so far"
    return IllegalTransition(
        f"an incident that is notifying cannot notify: its apologies are queued already — to "
        f"{people}, going out {dm.format_when(due, 'en')} ({so_far})",
        **refused.details, apologies_queued=n, apologies_due_at=due.isoformat(),
        apologies_told=told)


def _audit_notified(uow: SqlAlchemyUnitOfWork, actor: str, inc: Incident, status: IncidentStatus,
                    ids: list[int], queued: int, send_at: datetime, remind_at: datetime | None,
                    now: datetime) -> None:
    incident_id = str(inc.incident_id)
    uow.audit.append(AuditEvent(actor, "incident.notifying", "incident", incident_id,
                                before={"status": inc.status.value},
                                after={"status": status.value, "cases": len(ids),
                                       "messages": queued, "send_at": send_at.isoformat(),
                                       "reminder_at": remind_at.isoformat() if remind_at else None}),
                     now)
    uow.audit.append_many([AuditEvent(actor, "case.notified", "case", str(i),
                                      after={"send_at": send_at.isoformat()}) for i in ids], now)


def apology_channels(person: Customer) -> tuple[tuple[str, str], ...]:
    """Where an apology to ``person`` goes: an email to their address and a text to their
    number, each if they have one (texts to a number marked wrong are dropped later, as
    every message is queued: ``wrong_numbers.without_wrong_numbers``)."""
    return tuple((channel, recipient) for channel, recipient
                 in (("email", person.email), ("sms", person.phone)) if recipient)


def _messages_for(case: Case, person: Customer, facts: dm.IncidentFacts, plan: IncidentPlan,
                  shared: dict[str, dict[str, object]], links: LinkMaker, send_at: datetime,
                  message_type: type, *, reminder: bool = False) -> list[object]:
    lang = person.locale
    paid = case.paid(facts.incident.wrong_price.currency)
    link = links.for_case(int(case.case_id), int(case.customer_id),
                          plan.deadline + LINK_VALID_AFTER_DEADLINE)
    values = customer_values(shared[lang], plan, lang, person.name, case.units, paid, link,
                             dm.over_cap(case, plan), can_call=person.phone is not None,
                             placed=[o.placed_at for o in case.orders])
    texts = resolution_texts(values, lang, reminder)
    purpose = "reminder" if reminder else "resolution"
    out = []
    for channel, recipient in apology_channels(person):
        subject, body = texts[channel]
        out.append(message_type(
            idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:{purpose}:{channel}",
            purpose=purpose, channel=channel, recipient=recipient, locale=lang,
            subject=subject, body=body, not_before=send_at, incident_id=int(case.incident_id),
            case_id=int(case.case_id), customer_id=int(case.customer_id)))
    return out


def apology_messages(uow: SqlAlchemyUnitOfWork, *, case: Case, person: Customer,
                     plan: IncidentPlan, policy: DeskPolicy, links: LinkMaker,
                     send_at: datetime, reminder: bool = False) -> list[object]:
    """The apology to the customer of ``case`` — or its reminder — as :func:`notify` and
    :func:`remind_unanswered` build it, on every channel ``person`` has, its wording checked:
    for one customer whose earlier copy could not go (``desk_resend``)."""
    from sagwa.services.outbox import OutgoingMessage

    inc = require(uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    facts, shared = checked_wordings(uow, inc, [case], plan, policy)[int(case.case_id)]
    return _messages_for(case, person, facts, plan, shared, links, send_at, OutgoingMessage,
                         reminder=reminder)


def remind_unanswered(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                      policy: DeskPolicy, links: LinkMaker) -> int:
    """Send the apology again to customers who have not answered (the reminder job), saying it
    is a reminder and restating the deadline (:func:`owed_a_reminder`: an escalation before the
    reminder puts a customer on the call list too, it does not take the reminder away)."""
    from sagwa.services.outbox import OutgoingMessage, enqueue_messages

    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        plan = current_plan(uow, incident_id)
        if now >= plan.deadline:
            return 0
        send_at = next_contact_time(policy.schedule, now)
        rows = owed_a_reminder(uow, incident_id)
        wordings = checked_wordings(uow, inc, [r.case for r in rows], plan, policy)
        people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
        messages = []
        for row in rows:
            facts, shared = wordings[int(row.case.case_id)]
            messages += _messages_for(row.case, people[int(row.case.customer_id)], facts, plan,
                                      shared, links, send_at, OutgoingMessage, reminder=True)
        queued = enqueue_messages(uow, messages)
        uow.audit.append(AuditEvent(actor, "incident.reminded", "incident", str(incident_id),
                                    after={"cases": len(rows), "messages": queued,
                                           "send_at": send_at.isoformat()}), now)
        uow.commit()
        return queued


def owed_a_reminder(uow: SqlAlchemyUnitOfWork, incident_id: int) -> list[CaseRow]:
    """The incident's cases whose customer is sent the reminder: told (the apology was sent)
    and still unanswered — notified, or escalated onto the call list by the desk (by hand or by
    the escalation job) — unless they asked to talk to a person (that is an answer: the call
    is owed) or an agent has already reached them (``reached``: they talked to a person)."""
    return reminded_among(uow, uow.cases.for_incident(incident_id, statuses=set(_REMINDED)))


#: The statuses of a case whose customer may be sent the reminder (:func:`owed_a_reminder`).
_REMINDED = frozenset({CaseStatus.NOTIFIED, CaseStatus.ESCALATED})


def reminded_among(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> list[CaseRow]:
    """Those of ``rows`` whose customer is sent the reminder, by :func:`owed_a_reminder`'s
    rule (also for one case whose reminder goes again by another channel, ``desk_resend``)."""
    rows = [r for r in rows if r.case.status in _REMINDED and r.case.consent is None
            and r.first_notified_at is not None]
    attempts = uow.reads.attempts_by_case([int(r.case.case_id) for r in rows])
    return [r for r in rows if not any(a.outcome == REACHED
                                       for a in attempts.get(int(r.case.case_id), []))]


def defaulted_messages(uow: SqlAlchemyUnitOfWork, *, incident_id: int, case_ids: Iterable[int],
                       plan: IncidentPlan, policy: DeskPolicy) -> list[object]:
    """The "we did not hear from you by the deadline, so this is what happens" message for each
    case of ``case_ids`` that has just taken the default: by email, or by SMS to a customer
    without an address, at the next opening of the contact centre, in the customer's language.

    Inside the caller's unit of work, after the cases moved to ``defaulted``. A case whose
    customer asked in time for a person is left out: they did answer, and the call they asked
    for is still owed. Wordings are checked as :func:`notify` checks them (which checked these
    ones already, when the incident was notified) before any message is built.
    """
    wanted = {int(i) for i in case_ids}
    return defaulted_messages_for(
        uow, incident_id=incident_id, plan=plan, policy=policy,
        rows=[r for r in uow.cases.for_incident(incident_id, statuses={CaseStatus.DEFAULTED})
              if int(r.case.case_id) in wanted])


def defaulted_messages_for(uow: SqlAlchemyUnitOfWork, *, incident_id: int, rows: list[CaseRow],
                           plan: IncidentPlan, policy: DeskPolicy) -> list[object]:
    """:func:`defaulted_messages` for the cases of ``rows`` (read by the caller: one case
    alone when its note goes again by another channel, ``desk_resend``), those defaulted."""
    from sagwa.services.outbox import OutgoingMessage

    now = uow.now()
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    rows = [r for r in rows if r.case.status == CaseStatus.DEFAULTED
            and not _asked_for_person(r.case)
            and r.first_notified_at is not None]  # escalated before the apology: never told
    wordings = checked_wordings(uow, inc, [r.case for r in rows], plan, policy)
    people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
    send_at = next_contact_time(policy.schedule, now)
    out: list[object] = []
    for row in rows:
        case, person = row.case, people[int(row.case.customer_id)]
        channel = "email" if person.email else "sms"
        paid = case.paid(inc.wrong_price.currency)
        subject, body = defaulted_texts(
            wordings[int(case.case_id)][1][person.locale], case, plan, paid, person.locale,
            person.name, accepts_choice_at(plan, now, case))[channel]
        out.append(OutgoingMessage(
            idempotency_key=f"incident:{incident_id}:case:{case.case_id}:defaulted",
            purpose="defaulted", channel=channel, recipient=person.email or person.phone or "",
            locale=person.locale, subject=subject, body=body, not_before=send_at,
            incident_id=incident_id, case_id=int(case.case_id),
            customer_id=int(case.customer_id)))
    return out


def _asked_for_person(case: Case) -> bool:
    return case.consent is not None and case.consent.choice is CustomerOption.TALK_TO_PERSON


def confirmation_messages(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord,
                          plan: IncidentPlan, policy: DeskPolicy,
                          links: LinkMaker | None = None) -> list[object]:
    """The 'here is what you chose and what happens now' message, checked like every other
    message: an email, or a text message to a customer with a phone number and no email (they
    were told by text; a walkthrough found them confirmed nothing), or none without either.

    ``case`` carries ``consent`` as its recorded choice (its effects already applied). The
    email says how to pay a discount's difference as the desk policy words it
    (``how_to_pay``; the text message, already long, says to ask us).

    To a customer none of the :data:`APOLOGIES` reached (an agent took their choice by phone
    while the apology waited for contact hours; the choice withdrew it) the confirmation is the
    apology, not "once more", and it gives the link to their page itself (from ``links``,
    valid as long as the apology's would have been) instead of "the link in our message".

    A customer who was waiting for a call at a time (picked on their page, or named on a call:
    ``call_time_of``) is told it will not come: the choice took them off the call list.
    """
    from sagwa.services.outbox import OutgoingMessage

    inc = require(uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    facts = case_facts(uow, inc, case)
    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    channel, recipient = person.written_to
    if not recipient:
        return []
    lang = person.locale
    template = "confirmation" if channel == "email" else "confirmation_sms"
    apologised = uow.outbox.was_sent(int(case.case_id), *APOLOGIES)
    link = (links.for_case(int(case.case_id), int(case.customer_id),
                           max(plan.deadline, uow.now()) + LINK_VALID_AFTER_DEADLINE)
            if links is not None and not apologised else "")

    # the correct price named as the apology named it: a book's 정가 or 판매가, else 정상가
    word = dm.correct_price_word(facts)
    # a call the customer was waiting for at a time (picked on their page, or named on a call):
    # their choice takes them off the call list, so they are told it will not come
    waiting = uow.reads.call_time_of(int(case.case_id))
    call_off = (dm.format_when(waiting, lang)
                if waiting is not None and waiting > uow.now() else "")

    def body(how_to_pay: str | None) -> str:
        values = {"options_phrase": dm.options_phrase(plan, lang, dm.over_cap(case, plan),
                                                      price_word=word),
                  **confirmation_values(replace(case, consent=consent), plan, lang,
                                        how_to_pay=how_to_pay, apologised=apologised,
                                        link=link, price_word=word),
                  **dm.contact_values(policy.contact, lang), "call_off": call_off}
        return render_checked(template, lang, kind="resolution", facts=facts,
                              customer_name=person.name, values=with_names(values, lang))

    how_to_pay = policy.how_to_pay_in(lang) if channel == "email" else None
    try:
        text = body(how_to_pay)
    except MessageRefused:
        if not how_to_pay:
            raise
        # the policy's instruction failed the message check (no one checks it when the policy
        # loads): the choice is still confirmed, saying to ask us how to pay
        text = body(None)
    subject = ("" if channel == "sms" else f"{dm.TAG['ko']} 선택하신 내용을 확인해 드립니다" if lang == "ko"
               else f"{dm.TAG['en']} Your choice is confirmed")
    return [OutgoingMessage(
        idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:confirmation:{consent.choice.value}",
        purpose="confirmation", channel=channel, recipient=recipient, locale=lang,
        subject=subject, body=text, not_before=uow.now(), incident_id=int(case.incident_id),
        case_id=int(case.case_id), customer_id=int(case.customer_id))]