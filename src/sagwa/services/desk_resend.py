"""A message withdrawn with a removed address or number goes by the customer's other channel.

A customer says the address their messages go to is not theirs, and the agent removes it (or
the number). What was still waiting for it is withdrawn (``customer_contact``). Left there, a
customer with a phone would never read the apology waiting for the old address, nor what the
deadline's default did to their order, nor the confirmation of their choice — unless the agent
remembered to pass each on. Instead each is built again for the channel the customer still has
(text for an email, email for a text), by the builder that made it the first time — in their
language, checked like every desk message — and queued in the same transaction, not before the
withdrawn one was due (delivery still holds unprompted messages to the contact hours):

* the apology, with the case link: while the incident is telling customers, before the
  deadline, to a customer who has not answered; its reminder likewise, to one who was told
  and has not talked to an agent since (as the reminder job chooses them);
* the confirmation of a choice, the receipt for a difference paid, the reminder of one still
  unpaid (while it is: not after the payment was recorded), the note that a refund was paid
  (``refund_notices``), the note acknowledging a request for a call while the customer still
  waits for it (``call_request_notice``), the note that the default
  was applied (not to a customer just given up for want of a number: "we have no number to
  call you" replaces it, as at the deadline), "we called and could not reach you" (only while
  the desk still gives up on them: not after a new number or a call-back request put them
  back on the call list), and the apology that never went out in time ("one of our staff will
  call you": only to a customer with a number to call);

— never when the case already has that message, to that address or number, on the other
channel (sent, waiting, or failed: a failed one would fail again, and an apology that cannot go
puts the case on the call list instead, ``desk_undelivered``). "We have no number to call you"
is not sent again: it is withdrawn only with the email, and a customer without one has a phone.
A message that cannot be built again (its wording refused by the message check, say) is left
out and named in the result; the correction itself is stored all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sagwa.adapters.db.outbox_repo import APOLOGY, WithdrawnMessage
from sagwa.domain.call_attempts import UNREACHABLE_ACTION
from sagwa.domain.catalog import Customer
from sagwa.domain.consent import asked_for_a_person
from sagwa.domain.incidents import UNANSWERED, IncidentStatus
from sagwa.errors import MessageRefused, SagwaError
from sagwa.services.call_request_notice import PURPOSE as CALL_REQUESTED
from sagwa.services.call_request_notice import call_request_messages
from sagwa.services.desk_cancel_instead import CONFIRMATION_PURPOSE as INSTEAD_CONFIRMATION
from sagwa.services.desk_cancel_instead import confirmation_again
from sagwa.services.desk_cases import current_plan
from sagwa.services.desk_difference import (
    RECEIPT_PURPOSE,
    REMINDER_PURPOSE,
    differences_of,
    receipt_messages,
    reminder_messages,
)
from sagwa.services.desk_notify import (
    LinkMaker,
    apology_messages,
    confirmation_messages,
    defaulted_messages_for,
    reminded_among,
)
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_unreachable import never_told_messages, unreachable_messages
from sagwa.services.lookups import require
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.refund_notices import PURPOSE as REFUND_PAID_PURPOSE
from sagwa.services.refund_notices import refund_of_key, refund_paid_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The key ending of a text sent again to a new number (:func:`resend_to_new_number`).
TO_NEW_NUMBER = ":to_new_number"
#: The channel a message withdrawn from one goes by instead.
OTHER_CHANNEL = {"email": "sms", "sms": "email"}
#: Key endings that name a copy of one message rather than another message (its channel, or a
#: re-sending of it).
_COPY_ENDINGS = (":email", ":sms", ":to_email", ":to_sms", TO_NEW_NUMBER)


@dataclass(frozen=True)
class Resent:
    """What :func:`resend_by_other_channel` did: the messages queued again, and those it could
    not build again (purpose, channel, the refusal's reason)."""

    queued: list[OutgoingMessage] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)


def resend_by_other_channel(uow: SqlAlchemyUnitOfWork, withdrawn: Sequence[WithdrawnMessage], *,
                            customer: Customer, policy: DeskPolicy,
                            links: LinkMaker | None) -> Resent:
    """Inside the caller's unit of work, the cases locked, ``customer`` as stored now (and
    the desk's calls settled: owed again after a new number, given up without one): queue
    each of ``withdrawn`` (the customer's messages just withdrawn with a removed address or
    number) again on the channel they still have, where the module docstring says it goes.
    ``links`` makes the case links; without it the apology is not sent again (it cannot go
    without the link)."""
    done = Resent()
    for message in withdrawn:
        channel = OTHER_CHANNEL.get(message.channel)
        if channel is not None:
            _queue_again(uow, done, message, customer, policy, links, channel=channel,
                         ending=f":to_{channel}")
    return done


def resend_to_new_number(uow: SqlAlchemyUnitOfWork, *, customer: Customer,
                         case_ids: Sequence[int], policy: DeskPolicy,
                         links: LinkMaker | None) -> Resent:
    """Inside the caller's unit of work, ``customer`` as stored now with a new phone number:
    the texts of their open cases ``case_ids`` that never reached them because an agent found
    the number wrong — withdrawn then, or held back since (``wrong_numbers.WITHHELD_WHY``), or
    sent to a number marked wrong on that very case (the apology a stranger got) — built again
    by their purpose's builder and queued to the new number, where still owed (as
    :func:`resend_by_other_channel` decides: the apology only before the deadline to a
    customer who has not answered, …) and not already on it. A CS walk found the apology
    withdrawn with a wrong number stayed unsent once the right one was saved. The latest copy
    of each message decides: one already sent or waiting elsewhere since is not sent again;
    an apology sent again carries what its reminder would say, so the reminder is not."""
    from sagwa.domain.wrong_numbers import withheld
    from sagwa.services.wrong_numbers import WITHHELD_WHY, marked_numbers, number_secrets

    done = Resent()
    open_cases = set(case_ids)
    texts = [t for t in uow.outbox.texts_of_customer(customer.id)
             if t.message.case_id in open_cases]
    if customer.phone is None or not texts:
        return done
    marked = marked_numbers(uow, [], [customer.id]).of(case_id=None, customer_id=customer.id)
    marked_cases = uow.reads.wrong_number_cases([], [customer.id])[1].get(customer.id, set())
    secrets = number_secrets(uow)
    latest = {copy_family(t.message.idempotency_key): t for t in texts}  # oldest first
    # the apologies first: a case sent its apology again is not sent its reminder as well
    apologised: set[int] = set()
    for text in sorted(latest.values(), key=lambda t: t.message.purpose != APOLOGY):
        message = text.message
        case_id = int(message.case_id or 0)
        lost = ((text.status == "withdrawn" and text.last_error == WITHHELD_WHY)
                or (text.status in ("sent", "failed") and case_id in marked_cases
                    and withheld(message.channel, text.recipient, marked, secrets)))
        if not lost or (message.purpose == "reminder" and case_id in apologised):
            continue
        if (_queue_again(uow, done, message, customer, policy, links, channel="sms",
                         ending=TO_NEW_NUMBER) and message.purpose == APOLOGY):
            apologised.add(case_id)
    return done


def copy_family(key: str) -> str:
    """The key every copy of one message starts with: ``key`` without its channel or re-sent
    endings (``…:resolution:sms`` and ``…:resolution:email:to_sms`` → ``…:resolution``)."""
    trimmed = True
    while trimmed:
        trimmed = False
        for ending in _COPY_ENDINGS:
            if key.endswith(ending):
                key, trimmed = key[: -len(ending)], True
    return key


def _queue_again(uow: SqlAlchemyUnitOfWork, done: Resent, message: WithdrawnMessage,
                 customer: Customer, policy: DeskPolicy, links: LinkMaker | None, *,
                 channel: str, ending: str) -> bool:
    """Queue ``message`` built again on ``channel`` (:func:`_rebuilt`), noted in ``done``:
    queued, or refused with why (its builder's refusal). Whether it was queued."""
    try:
        again = _rebuilt(uow, message, customer, policy, links, channel=channel, ending=ending)
    except SagwaError as exc:  # builders only read: nothing of this one was written
        done.refused.append((message.purpose, channel, str(exc.details.get("reason", exc.code))))
        return False
    if again is None or not enqueue_messages(uow, [again]):
        return False
    done.queued.append(again)
    return True


def _rebuilt(uow: SqlAlchemyUnitOfWork, message: WithdrawnMessage, customer: Customer,
             policy: DeskPolicy, links: LinkMaker | None, *, channel: str,
             ending: str) -> OutgoingMessage | None:
    """``message`` built again on ``channel`` to the customer's address for it, keyed as a
    re-sending of it (its key and ``ending``); None when it does not go again: no address, a
    copy already on it, or not owed any more."""
    if message.case_id is None:
        return None
    recipient = customer.email if channel == "email" else customer.phone
    family = copy_family(message.idempotency_key)
    if recipient is None or uow.outbox.has_copy_on(
            message.case_id, purpose=message.purpose, channel=channel, recipient=recipient,
            key=family):
        return None
    built = [m for m in _built(uow, message, customer, policy, links)
             if m.channel == channel and copy_family(m.idempotency_key) == family]
    if not built:  # not owed any more, or no longer this message (another choice since)
        return None
    return replace(built[0], idempotency_key=message.idempotency_key + ending,
                   not_before=max(built[0].not_before, message.not_before))


def _built(uow: SqlAlchemyUnitOfWork, message: WithdrawnMessage, customer: Customer,
           policy: DeskPolicy, links: LinkMaker | None) -> list[OutgoingMessage]:
    """What the builder of ``message``'s purpose makes for its case today."""
    assert message.case_id is not None
    case_id = message.case_id
    row = require(uow.cases.get(case_id), "case", case_id)
    case, incident_id = row.case, int(row.case.incident_id)
    plan = current_plan(uow, incident_id)
    purpose = message.purpose
    if purpose in (APOLOGY, "reminder"):
        incident = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        if (links is None or incident.status is not IncidentStatus.NOTIFYING
                or case.status not in UNANSWERED or case.consent is not None
                or uow.now() >= plan.deadline):
            return []
        if purpose == "reminder" and not reminded_among(uow, [row]):
            return []  # as the reminder job chooses: told, and not reached by an agent since
        return _typed(apology_messages(uow, case=case, person=customer, plan=plan,
                                       policy=policy, links=links,
                                       send_at=message.not_before,
                                       reminder=purpose == "reminder"))
    if purpose == "confirmation":
        if case.consent is None:
            return []
        return _typed(confirmation_messages(uow, case, case.consent, plan, policy, links))
    if purpose == RECEIPT_PURPOSE:
        if row.difference_paid is None:
            return []
        return receipt_messages(uow, row, differences_of(uow, [row])[int(case.case_id)],
                                row.difference_paid, policy)
    if purpose == REMINDER_PURPOSE:
        owed = differences_of(uow, [row])[case_id]
        if row.difference_paid is not None or owed.amount_minor <= 0:
            return []
        return reminder_messages(uow, row, owed, policy, send_at=message.not_before,
                                 links=links)
    if purpose == INSTEAD_CONFIRMATION:
        return confirmation_again(uow, row, policy)
    if purpose == CALL_REQUESTED:
        if case.consent is None or not asked_for_a_person(case):
            return []  # answered since: the call is no longer what they wait for
        calls = uow.reads.call_records([case_id]).get(case_id)
        if calls is not None and calls.unreachable and not calls.reached:
            return []  # the desk gave up calling: "we will call you" is not true any more
        return call_request_messages(uow, case, case.consent, plan, policy)
    if purpose == REFUND_PAID_PURPOSE:
        refund_id = refund_of_key(copy_family(message.idempotency_key))
        refund = uow.refunds.get(refund_id) if refund_id is not None else None
        if refund is None or refund.paid_at is None:
            return []
        notes = refund_paid_messages(uow, [refund], policy)
        if refund.refund_id in notes.refused and not notes.messages:  # its wording refused
            raise MessageRefused(f"the note that refund {refund.refund_id} was paid was "
                                 "refused by the message check", reason=notes.refused[
                                     refund.refund_id])
        return notes.messages
    if purpose == "defaulted":
        calls = uow.reads.call_records([case_id]).get(case_id)
        if calls is not None and calls.given_up_no_phone:
            return []  # "we have no number to call you" replaced it, as at the deadline
        return _typed(defaulted_messages_for(uow, incident_id=incident_id, rows=[row],
                                             plan=plan, policy=policy))
    if purpose == "never_told":
        if customer.phone is None:  # it says one of our staff will call
            return []
        return _typed(never_told_messages(uow, case=case, plan=plan, policy=policy,
                                          links=links))
    if purpose == "unreachable":
        attempts = _attempts_at_mark(uow, message)
        calls = uow.reads.call_records([case_id]).get(case_id)
        if attempts is None or calls is None or not calls.unreachable or calls.reached:
            # back on the call list (a new number, or they asked to be called back), or a
            # call reached them since
            return []
        return _typed(unreachable_messages(uow, case=case, plan=plan, attempts=attempts[0],
                                           attempt_id=attempts[1], policy=policy,
                                           links=links))
    return []


def _attempts_at_mark(uow: SqlAlchemyUnitOfWork,
                      message: WithdrawnMessage) -> tuple[int, int] | None:
    """(Attempts counted, id of the call that used them up) of the "could not be reached" mark
    that ``message`` told of; None for the no-phone one (``…:unreachable:no_phone``)."""
    parts = copy_family(message.idempotency_key).split(":")
    if len(parts) < 6 or parts[4] != "unreachable" or not parts[5].isdigit():
        return None
    attempt_id = int(parts[5])
    for entry in uow.audit.for_entity("case", str(message.case_id)):
        after = entry.event.after or {}
        if entry.event.action == UNREACHABLE_ACTION and after.get("last_attempt_id") == attempt_id:
            return int(after["attempts"]), attempt_id
    return None


def _typed(messages: list[object]) -> list[OutgoingMessage]:
    return [m for m in messages if isinstance(m, OutgoingMessage)]
