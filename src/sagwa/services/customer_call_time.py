"""The customer picks, on their own case page, when the call the desk owes them suits them
(``domain.call_times``): one transaction checks the case is on the call list with a number to
call, checks the time, stores it (or clears it: "as soon as you can") and puts it on the audit
log. The time the call already waits for — picked before, or named on a call — changes nothing
and records nothing.

A time picked (not cleared) is confirmed to the customer in the same transaction
(:func:`call_time_messages`): when we will call and the number we will call, in their language,
by email, or by text to a customer without an address — through the outbox, sent at once like
the confirmation of a choice (it answers the customer's own action: not held for contact
hours, ``outbox.UNPROMPTED``), checked like every other desk message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sagwa.domain.audit import AuditEvent
from sagwa.domain.call_times import CALL_TIME_CHOSEN, check_call_time, may_pick_call_time
from sagwa.domain.incidents import Case
from sagwa.errors import Conflict
from sagwa.services import desk_messages as dm
from sagwa.services.desk_cases import lock_case
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import case_facts, with_names
from sagwa.services.lookups import require
from sagwa.services.name_stand_ins import render_checked
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The outbox purpose of the message confirming a picked call time.
CALL_TIME_PURPOSE = "call_time"
SUBJECT = {"ko": f"{dm.TAG['ko']} 상담원 전화 시간을 확인해 드립니다",
           "en": f"{dm.TAG['en']} When we will call you"}


@dataclass(frozen=True)
class CallTimeSet:
    """What picking did: the case's time now (None: as soon as the queue reaches them) and
    whether it changed."""

    case_id: int
    call_at: datetime | None
    changed: bool


def set_call_time(uow: SqlAlchemyUnitOfWork, *, case_id: int, call_at: datetime | None,
                  policy: DeskPolicy, actor: str = "customer") -> CallTimeSet:
    """Store the time ``call_at`` the customer picked for their call (None clears it).
    Refused (Conflict) when no call is owed to the case now that may wait for a time
    (``call_time_not_on_call_list``: the call list's rule, ``call_list_sql.owed_a_call``, and
    ``call_times.may_pick_call_time``) or there is no number to call
    (``call_time_no_phone``); a time ``call_times.check_call_time`` refuses is InvalidInput."""
    with uow:
        now = uow.now()
        row = lock_case(uow, case_id)
        calls = uow.reads.call_records([case_id]).get(case_id)
        if calls is None or not may_pick_call_time(row.case, calls.on_call_list):
            raise Conflict(f"case {case_id} is not waiting for a call: there is no call to "
                           "pick a time for", case_id=str(case_id),
                           reason="call_time_not_on_call_list")
        if calls.no_phone:
            raise Conflict(f"case {case_id}: the customer has no phone number on file to call",
                           case_id=str(case_id), reason="call_time_no_phone")
        # the time the call waits for now: picked here, or named on a call since
        before = uow.reads.call_time_of(case_id)
        picked_before = row.call_at
        # that time again — the page's select starts on it — is no change, even one named on a
        # call at an hour a page may not pick (the customer and the agent agreed on it)
        if before == call_at:
            return CallTimeSet(case_id, call_at, False)
        if call_at is not None:
            check_call_time(policy.schedule, call_at, now)
        uow.cases.set_call_at(case_id, call_at, now, reckoned_from=now)
        uow.audit.append(AuditEvent(
            actor, CALL_TIME_CHOSEN, "case", str(case_id),
            before={"call_at": before.isoformat() if before else None,
                    **({"named_on_call": True} if before and picked_before is None else {})},
            after={"call_at": call_at.isoformat() if call_at else None}), now)
        if call_at is not None:
            enqueue_messages(uow, call_time_messages(uow, case=row.case, call_at=call_at,
                                                     policy=policy))
        uow.commit()
        return CallTimeSet(case_id, call_at, True)


def call_time_messages(uow: SqlAlchemyUnitOfWork, *, case: Case, call_at: datetime,
                       policy: DeskPolicy) -> list[OutgoingMessage]:
    """The message confirming ``call_at``: the time and the number we will call, by email or,
    without an address, by text (the number is the one the call will use); none without a
    number (no call could be made: ``set_call_time`` refuses that first)."""
    person = require(uow.catalog.customer(int(case.customer_id)), "customer", case.customer_id)
    if not person.phone:
        return []
    channel, recipient = person.written_to
    lang = person.locale
    inc = require(uow.incidents.get(int(case.incident_id)), "incident", case.incident_id).incident
    values = {"call_at": dm.format_when(call_at, lang), "number": person.phone,
              **dm.contact_values(policy.contact, lang)}
    body = render_checked(f"call_time_{channel}", lang, kind="follow_up",
                          facts=case_facts(uow, inc, case), customer_name=person.name,
                          values=with_names(values, lang))
    now = uow.now()
    return [OutgoingMessage(
        # each save its own message: a time picked, changed and picked again is said again
        idempotency_key=f"incident:{case.incident_id}:case:{case.case_id}:call_time:"
                        f"{call_at.isoformat()}:{now.isoformat()}",
        purpose=CALL_TIME_PURPOSE, channel=channel, recipient=recipient, locale=lang,
        subject=SUBJECT[lang] if channel == "email" else "", body=body, not_before=now,
        incident_id=int(case.incident_id), case_id=int(case.case_id),
        customer_id=int(case.customer_id))]
