"""The note that acknowledges a customer's request to talk to a person (outbox purpose
``call_requested``).

A customer walkthrough found that asking for a person confirmed nothing: a choice is confirmed
(``desk_notify.confirmation_messages``), but a request for a call — by a click on the page, or
in a reply to our email or text that an agent records — put the case on the call list in
silence, and the customer who wrote "please call me" heard nothing until the phone rang, if it
did. Now the first request (not one an agent takes on a call: the customer is talking to us)
queues, at once, a note: that the request came in and when (Korea time); when they will be
called (``call_when_words.call_when``: at a time the call already waits for, picked on
their page or named on a call; else soon while the centre is open, else from its next
opening) and at which number, masked — or, with no number on file, that we cannot call and
to call us; that nothing changes on their order until the call, and that what they say on it
counts even after the deadline (``consent._counts``); that they may still choose themselves,
at no disadvantage. It goes by email, or by text to a customer with a phone and no address.

It answers the customer's own request, so it is not held to contact hours (as a confirmation
is not) and is not withdrawn by a later answer; it is checked as a ``follow_up`` (apology,
explanation, contact, tone). A customer none of the apologies reached is told why we write
(the cause), as the confirmation does. A note the message check refuses is left out: the
request is recorded all the same, and its audit record says so.
"""

from __future__ import annotations

from sagwa.domain.consent import Channel, ConsentRecord, answered_at
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan, deadline_passed
from sagwa.domain.incidents import Case
from sagwa.domain.masking import mask_phone
from sagwa.services import desk_messages as dm
from sagwa.services.call_when_words import call_when
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import case_facts, with_names
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import render_checked
from sagwa.services.outbox import OutgoingMessage
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The outbox purpose of the note acknowledging a request to talk to a person.
PURPOSE = "call_requested"
SUBJECTS = {"ko": f"{dm.TAG['ko']} 상담원 통화 요청을 받았습니다",
            "en": f"{dm.TAG['en']} We received your request to talk to a person"}


def call_request_messages(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord,
                          plan: IncidentPlan, policy: DeskPolicy) -> list[OutgoingMessage]:
    """Inside the caller's unit of work: the note acknowledging ``consent`` (a request to talk
    to a person on ``case``); none for one taken on a call, or to a customer with neither
    address nor phone. Raises :class:`~sagwa.errors.MessageRefused` when its wording fails
    the message check."""
    from sagwa.services.desk_notify import APOLOGIES

    if consent.channel is Channel.PHONE:
        return []
    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    channel, recipient = person.written_to
    if not recipient:
        return []
    incident_id, case_id = int(case.incident_id), int(case.case_id)
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    facts = case_facts(uow, inc, case)
    lang, now = person.locale, uow.now()
    # a time the call already waits for — picked on their page, or named on a call — is when
    # it comes, as their page says (not "soon")
    picked = require(uow.cases.get(case_id), "case", case_id).call_at
    named = uow.reads.call_time_of(case_id) if picked is None else None
    # when the request reached us: a reply's own time (said_at), not when staff recorded it
    values = {"received": dm.format_when(answered_at(consent), lang),
              "phone_masked": mask_phone(person.phone) or "",
              "call_when": call_when(policy, now, lang, picked=picked, named=named),
              "past_deadline": deadline_passed(plan, now),
              "deadline": dm.format_when(plan.deadline, lang),
              "options_phrase": dm.options_phrase(plan, lang, dm.over_cap(case, plan),
                                                  price_word=dm.correct_price_word(facts),
                                                  without=CustomerOption.TALK_TO_PERSON),
              "apologised": uow.outbox.was_sent(case_id, *APOLOGIES),
              **dm.contact_values(policy.contact, lang)}
    body = render_checked(f"{PURPOSE}_{channel}", lang, kind="follow_up", facts=facts,
                          customer_name=person.name, values=with_names(values, lang))
    return [OutgoingMessage(
        idempotency_key=f"incident:{incident_id}:case:{case_id}:{PURPOSE}",
        purpose=PURPOSE, channel=channel, recipient=recipient, locale=lang,
        subject="" if channel == "sms" else SUBJECTS[lang], body=body, not_before=now,
        incident_id=incident_id, case_id=case_id, customer_id=int(case.customer_id))]
