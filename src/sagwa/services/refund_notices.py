"""The customer's note that a refund was paid (outbox purpose ``refund_paid``).

A customer walkthrough found that finance marking a refund paid (``sagwa refunds mark-paid``,
``POST /api/refunds/{id}/paid``, a payments file) told the customer nothing: their page said
"paid" if they went back to it, and nothing came. Now each refund marked paid queues one
message to its customer — the order, the amount, the Korean day it was paid, that a card
company or bank may take some days more to show it, and whom to call if it does not show — by
email, or by text to a customer with a phone and no address; none without either (an erased
customer has neither). Finance's payment reference is theirs and is never quoted.

It is checked as a ``follow_up`` (apology, explanation, contact and tone; no options, no
deadline), held outside contact hours at delivery (``outbox.HELD_OUTSIDE_HOURS``; it is due at
the centre's next opening, so the agent's page says when it really goes) and never withdrawn
by an answer: it is about money already paid. Refunds recorded before sagwa tracked refunds and
marked paid in bulk (``mark-paid --recorded-before``) are not written to: when finance paid them
is not known, and the customer was paid long ago.

A message the check refuses (the desk policy's contact words, say) is not queued; the payment
is recorded all the same and its audit record names what was not sent (:class:`Notices`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.contact_hours import next_contact_time
from sagwa.domain.incidents import Incident
from sagwa.domain.money import format_money
from sagwa.domain.refunds import Refund
from sagwa.errors import SagwaError
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import case_facts, with_names
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import render_checked
from sagwa.services.outbox import OutgoingMessage
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.services.wrong_numbers import without_wrong_numbers

#: The outbox purpose of the note that a refund was paid.
PURPOSE = "refund_paid"
SUBJECTS = {"ko": f"{dm.TAG['ko']} 환불 금액을 지급했습니다",
            "en": f"{dm.TAG['en']} Your refund was paid"}


@dataclass
class Notices:
    """What :func:`refund_paid_messages` made: the messages, the channel each refund's
    customer is told by (absent: not told — no address or phone), and why a refund's customer
    is not told (refund id -> reason: the message check's refusal, or ``wrong_number``: a text
    to a number an agent marked wrong, kept as withdrawn)."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    told: dict[int, str] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)

    def audit_keys(self, refund_id: int) -> dict[str, str | None]:
        """What the refund's ``case.refund_paid`` record says of its customer's message."""
        if refund_id in self.refused:
            return {"customer_told": None, "customer_not_told": self.refused[refund_id]}
        return {"customer_told": self.told.get(refund_id)}


def refund_paid_messages(uow: SqlAlchemyUnitOfWork, refunds: Sequence[Refund],
                         policy: DeskPolicy) -> Notices:
    """Inside the caller's unit of work: one message per refund of ``refunds`` (each marked
    paid: ``paid_at`` set) to its customer. Each case, incident and customer is read once
    however many of its refunds a payments file marks."""
    done = Notices()
    people = uow.catalog.customers_by_ids(sorted({r.customer_id for r in refunds}))
    rows: dict[int, CaseRow] = {}
    incidents: dict[int, Incident] = {}
    facts: dict[int, dm.IncidentFacts] = {}
    send_at = next_contact_time(policy.schedule, uow.now())
    for refund in refunds:
        assert refund.paid_at is not None, "a refund is told of once it is paid"
        person = people.get(refund.customer_id)
        if person is None:
            continue
        channel, recipient = person.written_to
        if not recipient:
            continue
        case_id = refund.case_id
        if case_id not in facts:
            rows[case_id] = require(uow.cases.get(case_id), "case", case_id)
            incident_id = int(rows[case_id].case.incident_id)
            if incident_id not in incidents:
                incidents[incident_id] = require(uow.incidents.get(incident_id), "incident",
                                                 incident_id).incident
            facts[case_id] = case_facts(uow, incidents[incident_id], rows[case_id].case)
        lang = person.locale
        values = {"order_id": refund.order_id,
                  "amount": format_money(refund.amount, lang=lang),
                  "paid": dm.format_date(refund.paid_at, lang),
                  **dm.contact_values(policy.contact, lang)}
        try:
            body = render_checked(f"{PURPOSE}_{channel}", lang, kind="follow_up",
                                  facts=facts[case_id], customer_name=person.name,
                                  values=with_names(values, lang))
        except SagwaError as exc:
            done.refused[refund.refund_id] = str(exc.details.get("reason") or exc.code)
            continue
        incident_id = int(rows[case_id].case.incident_id)
        done.messages.append(OutgoingMessage(
            idempotency_key=f"incident:{incident_id}:case:{case_id}:{PURPOSE}:{refund.refund_id}",
            purpose=PURPOSE, channel=channel, recipient=recipient, locale=lang,
            subject="" if channel == "sms" else SUBJECTS[lang], body=body, not_before=send_at,
            incident_id=incident_id, case_id=case_id, customer_id=refund.customer_id))
        done.told[refund.refund_id] = channel
    # a text to a number an agent marked wrong is kept as withdrawn, not sent (``outbox``):
    # its customer is not told (a right number saved later is sent it: ``desk_resend``)
    sent = {id(m) for m in without_wrong_numbers(uow, done.messages)}
    for message in done.messages:
        refund_id = refund_of_key(message.idempotency_key)
        if id(message) not in sent and refund_id is not None:
            del done.told[refund_id]
            done.refused[refund_id] = "wrong_number"
    return done


def refund_of_key(key: str) -> int | None:
    """The refund id a ``refund_paid`` message's idempotency key (its copy family) ends with."""
    head, _, tail = key.rpartition(f":{PURPOSE}:")
    return int(tail) if head and tail.isdigit() else None
