"""Correct a customer's email or phone number, and what that changes on the desk.

A customer calls in with a number the desk never had, or says the address their apology went
to is not theirs any more. One transaction stores the correction and, on the audit log, what it
did: which details were added, changed or removed, the old and new values masked
(``010-****-6373``: told apart, never whole), a digest of the agent's note (``recorded_texts``:
never the text, which no table keeps yet), and the same change on each of
the customer's open cases (so their incident's timeline lists it). And:

* messages still waiting to go out on that channel go to the new address or number, or are
  withdrawn when it was removed (one being sent right now goes where it was going) and go
  instead by the channel the customer still has — the apology by text, the confirmation of
  their choice by email, … (``desk_resend``: unless a copy is on that channel already, or the
  message is no longer owed); a customer not yet told whose apology went that way, with no
  other left (its other copy failed), goes on the call list now
  (``desk_undelivered.escalate_if_untold``);
* a new phone number sends again the texts that never reached the customer because an agent
  found the old number wrong (withdrawn then, or sent to it), where still owed
  (``desk_resend.resend_to_new_number``);
* a new phone number — added, or changed after tries at a wrong one — makes the attempts at a
  call owed after the deadline count from now (``call_attempts.CALL_RESUMED``): tries at the
  old number say nothing about the new one. A customer the desk gave up on is owed the call
  again — back on the call list — and "we could not reach you" or "we have no number to call
  you", if still waiting, is withdrawn. The same number written another way is no new one;
* a removed phone number gives up at once on a customer owed a call after the deadline
  (``call_attempts.NO_PHONE``) and writes to them that we have no number to call them on, as
  the deadline does.

Writing the same details again changes nothing and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sagwa.adapters.db.outbox_repo import WithdrawnMessage
from sagwa.domain.audit import AuditEvent
from sagwa.domain.call_attempts import CALL_RESUMED, NO_PHONE, PHONE_ADDED, PHONE_CHANGED
from sagwa.domain.catalog import (
    ADDED,
    CHANGED,
    KEEP,
    REMOVED,
    ContactChange,
    Customer,
    Keep,
    change_contact,
    check_unchanged_since,
)
from sagwa.domain.masking import mask_email, mask_phone
from sagwa.errors import Conflict
from sagwa.services.customer_erasure import require_not_erased
from sagwa.services.desk_cases import current_plan, give_up_without_phone, lock_case
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_resend import Resent, resend_by_other_channel, resend_to_new_number
from sagwa.services.desk_undelivered import escalate_if_untold
from sagwa.services.lookups import require
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The audit action of a corrected email or phone number.
CONTACT_CHANGED = "customer.contact_changed"
#: The outbox channel each contact detail is sent on.
_CHANNELS = {"email": "email", "phone": "sms"}


@dataclass(frozen=True)
class ContactChanged:
    """What a correction did: the customer as stored now, the details that changed and how
    (``{"phone": "added"}``: ``added``, ``changed`` or ``removed``; empty when none did), the
    waiting messages sent to the new address or number, those withdrawn and those of them sent
    again by the customer's other channel, the
    cases owed the call again (the desk had given up), those still owed it whose attempts count
    afresh, those given up for want of a number, and the messages queued
    to tell those (by email) that we have no number to call them on; the cases put on the
    call list because their apology went with the address removed and nothing else can tell
    them."""

    customer: Customer
    changed: dict[str, str]
    messages_readdressed: int = 0
    messages_withdrawn: int = 0
    messages_resent: int = 0
    calls_resumed: tuple[int, ...] = ()
    attempts_restarted: tuple[int, ...] = ()
    calls_given_up: tuple[int, ...] = ()
    messages_queued: int = 0
    escalated: tuple[int, ...] = ()
    #: The texts a number an agent found wrong kept from the customer, sent again to the new
    #: one (``desk_resend.resend_to_new_number``).
    texts_to_new_number: int = 0


def change_customer_contact(uow: SqlAlchemyUnitOfWork, *, customer_id: int, actor: str,
                            policy: DeskPolicy, email: str | None | Keep = KEEP,
                            phone: str | None | Keep = KEEP,
                            links: LinkMaker | None = None,
                            only_a_new_phone: bool = False,
                            shown: dict[str, str | None] | None = None,
                            note: str | None = None) -> ContactChanged:
    """Store the customer's corrected ``email`` and ``phone`` (None removes one, ``KEEP`` leaves
    it; at least one stays) and apply what it changes on the desk (the module docstring).
    ``only_a_new_phone``: a number where there is none, never in place of one (the customer's
    own page: the link may have been passed on) — checked under the customer's lock.
    ``shown``: the details as the agent's form showed them; a detail typed over one changed
    since is refused (``catalog.check_unchanged_since``), under the same lock. ``note``: why,
    as the agent wrote it (the audit log keeps a digest of it, never the text)."""
    with uow:
        # the cases first, as every desk step locks them (incident, then case): the deadline's
        # job and a choice either finish before this reads them, or read the new number
        open_cases = uow.cases.open_cases_of_customer(customer_id)
        for _, case_id in open_cases:
            lock_case(uow, case_id)
        require(uow.catalog.lock_customer(customer_id), "customer", customer_id)
        before = require(uow.catalog.customer(customer_id), "customer", customer_id)
        require_not_erased(uow, customer_id)
        if only_a_new_phone and before.phone is not None:
            raise Conflict(f"customer {customer_id} already has a phone number; changing it "
                           "takes a person", field="phone", reason="phone_already_on_file")
        if shown is not None:
            check_unchanged_since(before, shown=shown, typed={"email": email, "phone": phone})
        change = change_contact(before, email=email, phone=phone)
        if not change.how:
            return ContactChanged(before, {})
        _check_email_free(uow, customer_id, change)
        now = uow.now()
        after = uow.catalog.set_customer_contact(customer_id, email=change.email,
                                                 phone=change.phone)
        readdressed, withdrawn = _redirect_waiting_messages(uow, customer_id, change)
        case_ids = [case_id for _, case_id in open_cases]
        resumed: list[int] = []
        restarted: list[int] = []
        given_up: list[int] = []
        queued = 0
        if change.phone_change in (ADDED, CHANGED):
            resumed, restarted = _owe_calls_again(uow, case_ids, change.phone_change, actor,
                                                  now)
        elif change.phone_change == REMOVED:
            given_up, queued = _give_up_without_phone(uow, open_cases, actor, policy, now, links)
        # after the calls: a new number makes "we could not reach you" untrue, a removed one
        # "one of our staff will call you"
        resent = resend_by_other_channel(uow, withdrawn, customer=after, policy=policy,
                                         links=links)
        # the texts a number found wrong kept from them go to the right one now
        # (not from the customer's own page, where whoever holds the link may type a number:
        # the texts of every open case would follow it)
        renumbered = (resend_to_new_number(uow, customer=after, case_ids=case_ids,
                                           policy=policy, links=links)
                      if change.phone_change in (ADDED, CHANGED) and not only_a_new_phone
                      else Resent())
        # an apology withdrawn with the address it was going to, and no other way left to
        # tell them: an agent calls now, while they still have time to choose
        escalated = escalate_if_untold(uow, case_ids, actor=actor,
                                       why="contact_removed") if withdrawn else []
        was, now_masked = _masked(before, change)
        uow.audit.append(AuditEvent(actor, CONTACT_CHANGED, "customer", str(customer_id),
                                    before=was, after={
            "email": change.email_change, "phone": change.phone_change,
            "messages_readdressed": readdressed, "messages_withdrawn": len(withdrawn),
            "messages_resent": [[m.purpose, m.channel] for m in resent.queued],
            "messages_not_resent": [list(r) for r in resent.refused],
            **({"texts_to_new_number": [m.purpose for m in renumbered.queued]}
               if renumbered.queued else {}),
            **({"texts_not_to_new_number": [list(r) for r in renumbered.refused]}
               if renumbered.refused else {}),
            "calls_resumed": resumed, "attempts_restarted": restarted,
            "calls_given_up": given_up, "messages": queued, "escalated": escalated,
            "masked": now_masked, **audit_text(uow, "note", note)}), now)
        _on_cases(uow, case_ids, change, actor=actor, customer_id=customer_id, now=now)
        uow.commit()
        return ContactChanged(after, change.how, readdressed, len(withdrawn), len(resent.queued),
                              tuple(resumed),
                              tuple(restarted), tuple(given_up), queued, tuple(escalated),
                              texts_to_new_number=len(renumbered.queued))


def _masked(before: Customer, change: ContactChange) -> tuple[dict[str, str | None],
                                                             dict[str, str | None]]:
    """The changed details before and after, masked (``domain.masking``): enough to tell the
    old number from the new, never the whole of either."""
    old = {"email": mask_email(before.email), "phone": mask_phone(before.phone)}
    new = {"email": mask_email(change.email), "phone": mask_phone(change.phone)}
    return ({d: old[d] for d in change.how}, {d: new[d] for d in change.how})


def _on_cases(uow: SqlAlchemyUnitOfWork, case_ids: list[int], change: ContactChange, *,
              actor: str, customer_id: int, now: datetime) -> None:
    """The correction on each of the customer's open cases too, so that their incident's
    timeline shows it (``desk_report``: a case's steps), with the phone's change as its
    ``why`` (a number recorded, corrected, or none left to call)."""
    why = {ADDED: PHONE_ADDED, CHANGED: PHONE_CHANGED, REMOVED: NO_PHONE}.get(
        change.phone_change or "")
    uow.audit.append_many([AuditEvent(actor, CONTACT_CHANGED, "case", str(i), after={
        **({"why": why} if why else {}), "email": change.email_change,
        "phone": change.phone_change, "customer": customer_id}) for i in case_ids], now)


def customer_of_case(uow: SqlAlchemyUnitOfWork, case_id: int) -> int:
    """The customer of case ``case_id`` (the agent corrects the details from the case page)."""
    with uow:
        return int(require(uow.cases.get(case_id), "case", case_id).case.customer_id)


def _check_email_free(uow: SqlAlchemyUnitOfWork, customer_id: int, change: ContactChange) -> None:
    if change.email_change not in (ADDED, CHANGED) or change.email is None:
        return
    other = uow.catalog.customer_by_email(change.email)
    if other is not None and other.id != customer_id:
        raise Conflict(f"another customer (#{other.id}) has the email {change.email}",
                       field="email", reason="customer_email_taken")


def _redirect_waiting_messages(uow: SqlAlchemyUnitOfWork, customer_id: int,
                               change: ContactChange) -> tuple[int, list[WithdrawnMessage]]:
    """Messages waiting to go out on a corrected channel: to the new address or number, or
    withdrawn when it was removed. (How many readdressed, those withdrawn.)"""
    readdressed, withdrawn = 0, []
    for detail, how in (("email", change.email_change), ("phone", change.phone_change)):
        channel = _CHANNELS[detail]
        if how == REMOVED:
            withdrawn += uow.outbox.withdraw_pending_to(
                customer_id, channel=channel, why=f"the customer's {detail} was removed")
        elif how in (ADDED, CHANGED):
            value = change.email if detail == "email" else change.phone
            readdressed += uow.outbox.readdress_pending(customer_id, channel=channel,
                                                        recipient=str(value))
    return readdressed, withdrawn


def _owe_calls_again(uow: SqlAlchemyUnitOfWork, case_ids: list[int], how: str, actor: str,
                     now: datetime) -> tuple[list[int], list[int]]:
    """The customer's calls owed after the deadline count their attempts from now
    (``call_attempts.CALL_RESUMED``): tries at the old number say nothing about the new one.
    Those the desk gave up are owed the call again, and "we could not reach you" or "we have
    no number to call you", if still waiting to go out, is no longer true. (Given up before,
    still on the list.)"""
    owed = uow.reads.calls_after_deadline(case_ids)
    if not owed:
        return [], []
    why = PHONE_ADDED if how == ADDED else PHONE_CHANGED
    uow.audit.append_many([AuditEvent(actor, CALL_RESUMED, "case", str(i), after={
        "why": why, "given_up": given_up}) for i, given_up in owed.items()], now)
    resumed = [i for i, given_up in owed.items() if given_up]
    if resumed:
        uow.outbox.withdraw_pending(resumed, purposes=("unreachable",),
                                    why="a new phone number was recorded; the customer is owed "
                                        "the call again")
    return resumed, [i for i, given_up in owed.items() if not given_up]


def _give_up_without_phone(uow: SqlAlchemyUnitOfWork, open_cases: list[tuple[int, int]],
                           actor: str, policy: DeskPolicy, now: datetime,
                           links: LinkMaker | None) -> tuple[list[int], int]:
    """The customer's cases owed a call after the deadline, now with no number to call: given
    up at once and written to, as the deadline does (``desk_cases.give_up_without_phone``).
    (The cases, the messages queued: none where that message is already waiting or was sent;
    again where it was withdrawn when a number was given.)"""
    marked: list[int] = []
    queued = 0
    for incident_id, rows in groupby(open_cases, key=lambda pair: pair[0]):
        ids = uow.reads.owed_without_phone(incident_id, [case_id for _, case_id in rows])
        if not ids:
            continue
        queued += give_up_without_phone(uow, ids, actor=actor, policy=policy,
                                        plan=current_plan(uow, incident_id), now=now,
                                        links=links)
        marked += ids
    return marked, queued
