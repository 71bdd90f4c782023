"""Telling customers: the apology messages of an incident, confirmations, the public notice.

Every text is rendered from the templates in ``message_templates/`` and must pass the message
check before it is queued. Per-customer values (name, units, amount paid, link) are data sagwa
fills in itself, so the check runs once per distinct wording — the template rendered for the
plan, language and channel and for the listings a customer ordered from (each customer is told
about the products and sellers of their own orders) — and a failing wording refuses the whole
batch before anything is queued. Messages that ask customers to act are scheduled inside contact
hours, and nothing is sent once the plan's deadline leaves customers too little time to answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import Customer
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.incident_plan import IncidentPlan, answer_time_left
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
from sagwa.domain.money import Money, format_money
from sagwa.errors import Conflict
from sagwa.services import desk_messages as dm
from sagwa.services.case_links import case_token
from sagwa.services.desk_cases import current_plan
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.lookups import require
from sagwa.services.scheduled import schedule_incident_jobs
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

LINK_VALID_AFTER_DEADLINE = timedelta(days=14)


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
        return f"{self.base_url.rstrip('/')}/c/{token}"


def incident_facts(uow: SqlAlchemyUnitOfWork, inc: Incident,
                   listing_ids: Iterable[int] | None = None) -> dm.IncidentFacts:
    """The facts for ``listing_ids`` (default: all the incident's listings), naming each of
    their products and sellers; a customer's messages use :func:`case_facts` instead."""
    assert inc.correct_price is not None
    ids = _listings_of(inc, listing_ids)
    return dm.facts_for_listings(inc, inc.correct_price, [_listing_names(uow, i) for i in ids])


def case_facts(uow: SqlAlchemyUnitOfWork, inc: Incident, case: Case) -> dm.IncidentFacts:
    """The facts one customer is told: the products and sellers of that customer's own orders
    (the first listing's seller first), not those of the incident's other listings."""
    return incident_facts(uow, inc, _case_listings(case))


def _case_listings(case: Case) -> set[int] | None:
    return {int(o.listing_id) for o in case.orders} or None


def _listings_of(inc: Incident, listing_ids: Iterable[int] | None) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in (inc.listing_ids if listing_ids is None else listing_ids)}))


def _listing_names(uow: SqlAlchemyUnitOfWork, listing_id: int) -> dm.ListingNames:
    listing = require(uow.market.listing(listing_id), "listing", listing_id)
    product = require(uow.catalog.product(listing.product_id), "product", listing.product_id)
    seller = require(uow.catalog.seller(listing.seller_id), "seller", listing.seller_id)
    return dm.ListingNames(product.title, product.title_en or product.title, seller.name)


def require_time_to_answer(plan: IncidentPlan, policy: DeskPolicy, now: datetime) -> datetime:
    """When the first message may go out; refused unless, counted from then, the deadline still
    leaves customers the policy's minimum answer time of contact-centre hours — the rule
    ``make_plan`` applies when the plan is made (``incident_plan.answer_time_left``)."""
    send_at, left = answer_time_left(policy.schedule, now, plan.deadline)
    if left >= policy.min_answer_time:
        return send_at
    raise Conflict(
        f"the plan's deadline ({_when(plan.deadline)}) is too close: the apology would reach "
        f"customers at {_when(send_at)} at the earliest, leaving {_hours(left)} of "
        f"contact-centre hours before the deadline, and customers need at least "
        f"{_hours(policy.min_answer_time)}; revise the plan with a later deadline, then notify",
        field="deadline", reason="deadline_too_close",
        deadline=plan.deadline.astimezone(dm.SEOUL).isoformat(),
        earliest_send_at=send_at.astimezone(dm.SEOUL).isoformat(),
        contact_minutes_left=int(left.total_seconds() // 60),
        min_answer_minutes=int(policy.min_answer_time.total_seconds() // 60))


def _when(moment: datetime) -> str:
    return f"{dm.format_when(moment, 'en')} Korea time"


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} h" if hours == int(hours) else f"{hours:.1f} h"


def _shared_values(facts: dm.IncidentFacts, plan: IncidentPlan, policy: DeskPolicy,
                   lang: str) -> dict[str, object]:
    """What every customer's message about this incident says, in one language."""
    product = facts.product_ko if lang == "ko" else facts.product_en
    return {"wrong_date": dm.format_date(facts.incident.window_start, lang),
            "cause_ko": dm.cause(facts, "ko"), "cause_en": dm.cause(facts, "en"),
            "deadline": dm.format_when(plan.deadline, lang),
            "default_ko": dm.default_sentence(plan, "ko"),
            "default_en": dm.default_sentence(plan, "en"), "product": product,
            "product_short": product[:30], **dm.contact_values(policy.contact, lang)}


def _values(shared: dict[str, object], plan: IncidentPlan, lang: str, name: str, units: int,
            paid: Money, link: str) -> dict[str, object]:
    return {**shared, "customer_name": name, "units": units,
            "paid": format_money(paid, lang=lang), "options": dm.option_lines(plan, paid, lang),
            "options_phrase": dm.options_phrase(plan, lang),
            "link": link}


def _resolution_texts(values: dict[str, object], lang: str,
                      reminder: bool = False) -> dict[str, tuple[str, str]]:
    """Subject and body per channel. A ``reminder`` (to a customer who has not answered) says so
    after the apology and restates the deadline; its subject starts with ``[다시 안내]``."""
    subject = ("[사과] 주문하신 상품의 가격 오류에 대해 사과드립니다" if lang == "ko"
               else "[sagwa] We are sorry: your order was placed at a wrong price")
    if reminder:
        subject = REMINDER_PREFIX[lang] + subject
    values = {**values, "reminder": reminder}
    return {"email": (subject, dm.render("resolution_email", lang, **values)),
            "sms": ("", dm.render("resolution_sms", lang, **values))}


def _check_wording(facts: dm.IncidentFacts, plan: IncidentPlan, policy: DeskPolicy) -> int:
    """Render each wording once with sample customer values and run the message check."""
    sample = Money(facts.incident.wrong_price.amount_minor, facts.incident.wrong_price.currency)
    checked = 0
    for lang in ("ko", "en"):
        values = _values(_shared_values(facts, plan, policy, lang), plan, lang,
                         "홍길동" if lang == "ko" else "Alex Kim", 1, sample,
                         "https://example.invalid/c/sample")
        for reminder in (False, True):  # the reminder job must not fail on its wording later
            for _subject, body in _resolution_texts(values, lang, reminder).values():
                dm.checked(body, kind="resolution", lang=lang)
                checked += 1
    return checked


Shared = dict[str, dict[str, object]]


def _wordings(uow: SqlAlchemyUnitOfWork, inc: Incident, cases: list[Case], plan: IncidentPlan,
              policy: DeskPolicy) -> dict[int, tuple[dm.IncidentFacts, Shared]]:
    """Each case's facts and shared values (case id -> both). Cases over the same listings share
    one wording, checked once here, before any message is queued."""
    assert inc.correct_price is not None
    names: dict[int, dm.ListingNames] = {}
    known: dict[tuple[int, ...], tuple[dm.IncidentFacts, Shared]] = {}
    by_case = {}
    for case in cases:
        key = _listings_of(inc, _case_listings(case))
        if key not in known:
            for i in key:
                names.setdefault(i, _listing_names(uow, i))
            facts = dm.facts_for_listings(inc, inc.correct_price, [names[i] for i in key])
            _check_wording(facts, plan, policy)
            known[key] = facts, {lang: _shared_values(facts, plan, policy, lang)
                                 for lang in ("ko", "en")}
        by_case[int(case.case_id)] = known[key]
    return by_case


def notify(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str, policy: DeskPolicy,
           links: LinkMaker) -> NotifySummary:
    """Queue the apology (email and SMS, per customer locale) for every case not yet told.

    Refused with :class:`Conflict` (reason ``deadline_too_close``) when the plan's deadline no
    longer leaves customers the minimum answer time from the first moment a message may go out.
    """
    from sagwa.services.outbox import OutgoingMessage, enqueue_messages

    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id).incident
        status = advance_incident(inc.status, IncidentTrigger.NOTIFY)
        plan = current_plan(uow, incident_id)
        send_at = require_time_to_answer(plan, policy, now)
        advance(CaseStatus.OPEN, CaseTrigger.NOTIFY)  # the table allows the bulk move below
        rows = uow.cases.for_incident(incident_id, statuses={CaseStatus.OPEN})
        wordings = _wordings(uow, inc, [r.case for r in rows], plan, policy)
        people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
        messages = []
        for row in rows:
            facts, shared = wordings[int(row.case.case_id)]
            messages += _messages_for(row.case, people[int(row.case.customer_id)], facts, plan,
                                      shared, links, send_at, OutgoingMessage)
        queued = enqueue_messages(uow, messages)
        ids = uow.cases.set_status_where(incident_id, current={CaseStatus.OPEN},
                                         new=CaseStatus.NOTIFIED, now=now, notified_at=send_at)
        uow.incidents.save(replace(inc, status=status))
        remind_at, _, _ = schedule_incident_jobs(uow, incident_id=incident_id, plan=plan,
                                                 policy=policy, first_send_at=send_at)
        _audit_notified(uow, actor, inc, status, ids, queued, send_at, remind_at, now)
        uow.commit()
        return NotifySummary(incident_id, len(ids), queued, send_at, remind_at)


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


def _messages_for(case: Case, person: Customer, facts: dm.IncidentFacts, plan: IncidentPlan,
                  shared: dict[str, dict[str, object]], links: LinkMaker, send_at: datetime,
                  message_type: type, *, reminder: bool = False) -> list[object]:
    lang = person.locale
    paid = Money(sum(o.unit_price.amount_minor * o.quantity for o in case.orders),
                 facts.incident.wrong_price.currency)
    link = links.for_case(int(case.case_id), int(case.customer_id),
                          plan.deadline + LINK_VALID_AFTER_DEADLINE)
    texts = _resolution_texts(_values(shared[lang], plan, lang, person.name, case.units, paid,
                                      link), lang, reminder)
    purpose = "reminder" if reminder else "resolution"
    out = []
    for channel, recipient in (("email", person.email), ("sms", person.phone)):
        if not recipient:
            continue
        subject, body = texts[channel]
        out.append(message_type(
            idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:{purpose}:{channel}",
            purpose=purpose, channel=channel, recipient=recipient, locale=lang,
            subject=subject, body=body, not_before=send_at, incident_id=int(case.incident_id),
            case_id=int(case.case_id), customer_id=int(case.customer_id)))
    return out


def remind_unanswered(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                      policy: DeskPolicy, links: LinkMaker) -> int:
    """Send the apology again to customers who have not answered (the reminder job), saying it
    is a reminder and restating the deadline."""
    from sagwa.services.outbox import OutgoingMessage, enqueue_messages

    with uow:
        now = uow.now()
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        plan = current_plan(uow, incident_id)
        if now >= plan.deadline:
            return 0
        send_at = next_contact_time(policy.schedule, now)
        rows = uow.cases.for_incident(incident_id, statuses={CaseStatus.NOTIFIED})
        wordings = _wordings(uow, inc, [r.case for r in rows], plan, policy)
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


REMINDER_PREFIX = {"ko": "[다시 안내] ", "en": "[Reminder] "}


def confirmation_messages(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord,
                          plan: IncidentPlan, policy: DeskPolicy) -> list[object]:
    """The 'here is what you chose and what happens now' email, checked like every other message.

    ``case`` carries ``consent`` as its recorded choice (its effects already applied).
    """
    from sagwa.services.outbox import OutgoingMessage

    inc = require(uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    facts = case_facts(uow, inc, case)
    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    if not person.email:
        return []
    lang = person.locale
    values = {"customer_name": person.name,
              "product": facts.product_ko if lang == "ko" else facts.product_en,
              **dm.confirmation_values(replace(case, consent=consent), plan, lang),
              **dm.contact_values(policy.contact, lang)}
    body = dm.checked(dm.render("confirmation", lang, **values), kind="resolution", lang=lang)
    subject = "[사과] 선택하신 내용을 확인해 드립니다" if lang == "ko" else "[sagwa] Your choice is confirmed"
    return [OutgoingMessage(
        idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:confirmation:{consent.choice.value}",
        purpose="confirmation", channel="email", recipient=person.email, locale=lang,
        subject=subject, body=body, not_before=uow.now(), incident_id=int(case.incident_id),
        case_id=int(case.case_id), customer_id=int(case.customer_id))]
