"""One customer's case: the apology goes out in contact hours, the customer (or an agent on
the phone) records a choice, its effects and compensation are applied exactly once.

The only code paths in sagwa that cancel or change an order in a case are :func:`record_choice`
and ``desk_cancel_instead`` (a customer who took the discount cancels instead of paying the
difference, with a consent of their own), and both go through ``consent.effects_of_choice``,
which refuses without the customer's recorded choice.

:func:`log_contact_attempt` records a call and, when the customer was owed a call and the policy's
attempts — spaced at least ``min_call_spacing`` apart; closer ones are recorded but not counted
— are used up without reaching them, marks the case "could not be reached"
(``sagwa.domain.call_attempts``) and queues the message telling the customer so
(``desk_unreachable``). A call that reaches a customer owed one is that call: the
messages still waiting for them (the note after the default, which says we will call) are
withdrawn, as a late answer withdraws them.

:func:`apply_deadline` gives the cases nobody answered the plan's default and, in the same
transaction, queues the message that tells each of those customers what happens now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.audit_text import TextVerdict
from sagwa.domain.call_attempts import (
    BEFORE_CALLBACK,
    CALL_CHANNEL,
    CHOICE_REPEATED,
    NO_PHONE,
    OUTCOMES,
    OUTSIDE_HOURS,
    REACHED,
    TOO_SOON,
    UNREACHABLE_ACTION,
    OwedCall,
    attempt_counted,
    callback_after_deadline,
    check_callback_at,
    gives_up,
)
from sagwa.domain.call_times import call_replaces_time
from sagwa.domain.compensation import compensation_due
from sagwa.domain.consent import (
    ConsentRecord,
    EffectKind,
    OrderEffect,
    effects_of_choice,
)
from sagwa.domain.consent import (
    record_choice as record_on_case,
)
from sagwa.domain.contact_hours import is_open, may_contact, next_opening
from sagwa.domain.incident_plan import (
    CustomerOption,
    DefaultAction,
    IncidentPlan,
    deadline_passed,
)
from sagwa.domain.incidents import (
    INCIDENT_HINTS,
    UNANSWERED,
    Case,
    CaseStatus,
    CaseTrigger,
    IncidentStatus,
    advance,
)
from sagwa.domain.ledger import credit_compensation
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import format_money
from sagwa.domain.note_follow_ups import check_follow_up
from sagwa.domain.orders import OrderTrigger
from sagwa.domain.orders import advance as advance_order
from sagwa.domain.wrong_numbers import NUMBER_KEY, TEXT_CHANNEL, WRONG_NUMBER, number_key
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, LateChoiceRefused, SagwaError
from sagwa.services.customer_erasure import require_not_erased
from sagwa.services.desk_follow_ups import ask_follow_up
from sagwa.services.desk_money import compensation_audit_keys
from sagwa.services.desk_policy import REFUND_DAYS_BY_LAW, DeskPolicy, load_desk_policy
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.outbox import enqueue_messages, withdraw_unsent
from sagwa.services.recorded_texts import audit_text, text_matches
from sagwa.services.refunds import owe_refund
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from sagwa.services.desk_notify import LinkMaker


@dataclass(frozen=True)
class ChoiceResult:
    case: Case
    changed: bool
    compensation_points: int
    compensation_entry_id: int | None


def current_plan(uow: SqlAlchemyUnitOfWork, incident_id: int) -> IncidentPlan:
    """The incident's plan, or InvalidInput saying what is missing (a price or a plan)."""
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    if inc.correct_price is None:
        raise InvalidInput(
            f"incident {incident_id} has no correct price yet", reason="no_correct_price_yet"
        )
    plan = uow.incidents.plan(incident_id, inc.correct_price)
    if plan is None:
        raise InvalidInput(
            f"incident {incident_id} has no plan yet: plan it before taking choices",
            reason="no_plan_yet",
        )
    return plan


def lock_case(uow: SqlAlchemyUnitOfWork, case_id: int) -> CaseRow:
    """Inside an open unit of work: the case row locked for update, its incident's row held
    (shared) first — the order every desk step locks in (the deadline, escalation, closing,
    notify and an undeliverable apology take the incident, then its cases). A step that took
    the case first and then wrote a message (the outbox row's key on the incident) deadlocked
    against them (a review found it on recording a difference as paid). Shared, so customers
    and agents working on different cases of one incident do not wait for each other."""
    incident_id = require(uow.cases.incident_id_of(case_id), "case", case_id)
    uow.incidents.get(incident_id, for_share=True)
    row = require(uow.cases.get(case_id, for_update=True), "case", case_id)
    # nothing more is written about a customer whose data was erased (docs/privacy.md)
    customer_id = int(row.case.customer_id)
    require_not_erased(uow, customer_id)
    return row


def _require_reply_after_the_price(uow: SqlAlchemyUnitOfWork, incident_id: int,
                                   said_at: datetime) -> None:
    """InvalidInput (``said_at_before_incident``) for a reply said to have reached us before
    the wrong price went live: nothing about it could be answered then (a mistyped year
    would otherwise make a reply count as in time)."""
    start = require(uow.incidents.get(incident_id), "incident", incident_id).incident.window_start
    if said_at < start:
        korea = start.astimezone(SEOUL)
        raise InvalidInput(f"said_at {said_at.isoformat()} is before the wrong price went live "
                           f"({korea:%Y-%m-%d %H:%M} KST): check the time the reply shows",
                           field="said_at", reason="said_at_before_incident",
                           window_start=korea.isoformat())


def _require_not_emailed_to_send(uow: SqlAlchemyUnitOfWork, case: Case) -> None:
    """LateChoiceRefused (``reply_recorded_too_late``) for a reply recorded after the deadline
    on a case whose seller was already emailed to send its orders (``seller_ready_notices``):
    the default stands for them, whatever the reply window says now (the contact centre's
    hours changed since, say)."""
    emailed = uow.orders_told.told_times(int(case.incident_id))
    sent = sorted(int(o.order_id) for o in case.orders if int(o.order_id) in emailed)
    if sent:
        at = min(emailed[o] for o in sent).astimezone(SEOUL)
        raise LateChoiceRefused(
            f"the seller was emailed to send order(s) {', '.join(map(str, sent))} of this case "
            f"at {at:%Y-%m-%d %H:%M} KST: the default stands and the reply cannot change it "
            "(the customer may still withdraw within 7 days of delivery); log a call note with "
            "a follow-up for the operator", case_id=str(case.case_id),
            reason="reply_recorded_too_late", recorded_by=at.isoformat())


def record_choice(uow: SqlAlchemyUnitOfWork, *, case_id: int, choice: CustomerOption | str,
                  channel: str, evidence: str, taken_by: str, policy: DeskPolicy,
                  links: LinkMaker | None = None,
                  seen_at: datetime | None = None,
                  said_at: datetime | None = None) -> ChoiceResult:
    """Record a customer's choice (web click, email/SMS reply, or an agent on the phone).
    ``seen_at``: when the customer's confirm step of it was shown to them (their page's signed
    stamp), which counts for the deadline within ``consent.CONFIRM_GRACE``; ``said_at``: when
    their reply by email or text reached us, which counts for the deadline."""
    with uow:
        now = uow.now()
        row = lock_case(uow, case_id)  # closing waits for this choice, or it sees it closed
        plan = current_plan(uow, int(row.case.incident_id))
        consent = ConsentRecord(case_id, row.case.customer_id, choice, channel, now, evidence,
                                taken_by, seen_at=seen_at, said_at=said_at)
        if said_at is not None:
            _require_reply_after_the_price(uow, int(row.case.incident_id), said_at)
            if deadline_passed(plan, now):
                _require_not_emailed_to_send(uow, row.case)
        updated = record_on_case(row.case, consent, plan, replies_until=(
            plan.replies_recorded_by(policy.schedule) if said_at is not None
            else None))
        if updated == row.case:  # the same answer again: absorbed, its words kept
            if _note_repeat(uow, row.case, consent, now):
                _no_phone_to_call(uow, row, consent, policy, now)
                uow.commit()
            return ChoiceResult(row.case, False, 0, row.compensation_entry_id)
        _require_not_closed(uow, int(row.case.incident_id))
        if row.first_notified_at is None and not deadline_passed(plan, now):
            uow.cases.mark_told(case_id, now)  # they answered in time, so they knew
        points, entry_id = 0, row.compensation_entry_id
        withdraw_unsent(uow, [case_id], why=f"the customer answered ({consent.choice.value})")
        if updated.status is CaseStatus.CHOSEN:
            _apply(uow, updated, consent, plan, now, policy.contact.refund_days)
            points, entry_id = book_compensation(uow, row, updated, plan, now)
            _confirm(uow, updated, consent, plan, policy, links)
            updated = updated.with_trigger(CaseTrigger.RESOLVE)
        uow.cases.save(updated, now, compensation_entry_id=entry_id)
        from sagwa.services.call_request_notice import call_request_messages
        from sagwa.services.desk_difference import queue_reminder

        # the reminder of the discount's difference (recalled if still unpaid days later), the
        # note acknowledging a request for a call
        not_queued = (_why_not_queued(lambda: queue_reminder(uow, case_id, policy, links))
                      if consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT else None)
        note_not_queued = (_why_not_queued(lambda: enqueue_messages(
            uow, call_request_messages(uow, updated, consent, plan, policy)))
            if consent.choice is CustomerOption.TALK_TO_PERSON else None)
        uow.audit.append(AuditEvent(taken_by, "case.choice_recorded", "case", str(case_id),
                                    before={"status": row.case.status.value},
                                    after={"status": updated.status.value,
                                           "choice": consent.choice.value,
                                           "channel": consent.channel.value,
                                           **audit_text(uow, "evidence", evidence),
                                           "compensation_points": points,
                                           **({"confirm_shown_at": seen_at.isoformat()}
                                              if seen_at is not None
                                              and deadline_passed(plan, now) else {}),
                                           **({"reply_received_at": said_at.isoformat()}
                                              if said_at is not None else {}),
                                           **({"reminder_not_queued": not_queued}
                                              if not_queued else {}),
                                           **({"note_not_queued": note_not_queued}
                                              if note_not_queued else {}),
                                           # the ledger entry and its split (appended)
                                           **(compensation_audit_keys(uow, entry_id)
                                              if entry_id is not None else {})}),
                         now)
        _no_phone_to_call(uow, row, consent, policy, now)
        uow.commit()
        return ChoiceResult(updated, True, points, entry_id)


def _why_not_queued(queue: Callable[[], object]) -> str | None:
    """Run ``queue`` (a message the choice sets going: the reminder of the discount's
    difference, the note acknowledging a request for a call); None, or why it could not be
    queued (its wording refused by the message check, say): the customer's choice is recorded
    all the same, and the audit entry names what was not queued."""
    try:
        queue()
    except SagwaError as exc:
        return str(exc.details.get("reason") or exc.code)
    return None


def _no_phone_to_call(uow: SqlAlchemyUnitOfWork, row: CaseRow, consent: ConsentRecord,
                      policy: DeskPolicy, now: datetime) -> None:
    """Asked for a person after the deadline (first or again) with no phone number on file:
    nobody can call them, so the desk gives up at once (:func:`_marked_no_phone`) and sends
    nothing: they are on their page, or talking to an agent, who can say why."""
    if consent.choice is CustomerOption.TALK_TO_PERSON:
        _marked_no_phone(uow, row, consent.taken_by, policy, now)


def _note_repeat(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord,
                 now: datetime) -> bool:
    """The same choice given again by another channel or in other words (an agent's notes of
    a later call, a reply by text after the click) changes nothing, but that it was said is
    kept on the audit log (``case.choice_repeated``, the words as a digest: ``recorded_texts``).
    A plain retry adds nothing: of the recorded
    choice, or of the latest repeat (a double click on the agent's form) — unless the desk gave
    up calling since (``case.unreachable``): asking for a person again then is a new request,
    which puts them back on the call list (``call_list_sql.given_up``). Whether it logged."""
    first = case.consent
    said = {"choice": consent.choice.value, "channel": consent.channel.value}
    if first is None:
        return False
    records = uow.audit.for_entity("case", str(case.case_id))
    given_up_since = max((r.seq for r in records if r.event.action == UNREACHABLE_ACTION),
                         default=-1) > max((r.seq for r in records if r.event.action in (
                             "case.choice_recorded", CHOICE_REPEATED)), default=-1)
    repeats = [r.event for r in records if r.event.action == CHOICE_REPEATED]
    if not given_up_since and (
            (first.channel, first.evidence, first.taken_by)
            == (consent.channel, consent.evidence, consent.taken_by)
            or (repeats and _said_again(uow, repeats[-1], consent, said))):
        return False
    uow.audit.append(AuditEvent(consent.taken_by, CHOICE_REPEATED, "case",
                                str(case.case_id),
                                before={"choice": first.choice.value,
                                        "channel": first.channel.value},
                                after={**said, **audit_text(uow, "evidence", consent.evidence)}),
                     now)
    return True


def _said_again(uow: SqlAlchemyUnitOfWork, repeat: AuditEvent, consent: ConsentRecord,
                said: dict[str, str]) -> bool:
    """Whether ``consent`` is the latest repeat ``repeat`` again: the same person, choice,
    channel and words (its words a digest, or as written before digests)."""
    after = repeat.after or {}
    return (repeat.actor == consent.taken_by
            and all(after.get(k) == v for k, v in said.items())
            and text_matches(uow, consent.evidence, after, "evidence") is TextVerdict.MATCHES)


def _require_not_closed(uow: SqlAlchemyUnitOfWork, incident_id: int) -> None:
    """A closed incident takes no new choices; the same answer again is still absorbed before
    this check. (Two things still move a closed incident's figures, both about a difference
    the discount left: recording it as paid, and cancelling instead of paying it, which books
    the cancellation's compensation: ``desk_cancel_instead``.)"""
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    if inc.status is IncidentStatus.CLOSED:
        raise Conflict(f"incident {incident_id} is closed; no choice can be recorded on its cases "
                       "any more", reason="incident_closed", incident_id=incident_id)


def _apply(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord, plan: IncidentPlan,
           now: datetime, refund_days: int) -> None:
    for effect in effects_of_choice(case, consent, plan):
        apply_effect(uow, case, effect, consent.taken_by, now, refund_days=refund_days)


def apply_effect(uow: SqlAlchemyUnitOfWork, case: Case, effect: OrderEffect, actor: str,
                  now: datetime, *, refund_days: int = REFUND_DAYS_BY_LAW) -> None:
    """``effect`` on its order, on the audit log; a refund it makes is owed from now, due in
    ``refund_days`` business days (the desk policy's promise)."""
    order = require(uow.market.order(int(effect.order_id)), "order", effect.order_id)
    if effect.kind in (EffectKind.KEEP, EffectKind.HOLD_FOR_CALL):
        return
    if effect.kind is EffectKind.CANCEL_AND_REFUND:
        uow.market.change_order(order.id, now=now,
                                status=advance_order(order.status, OrderTrigger.CANCEL))
    elif effect.kind is EffectKind.REDUCE_AND_REFUND:
        uow.market.change_order(order.id, now=now, quantity=order.quantity - effect.quantity)
    elif effect.kind is EffectKind.REPRICE:
        uow.market.change_order(order.id, now=now, unit_price=effect.new_unit_price)
    record = uow.audit.append(AuditEvent(
        actor, f"order.{effect.kind.value}", "order", str(order.id),
        before={"status": order.status.value, "quantity": order.quantity,
                "unit_price": order.unit_price.as_dict()},
        after={"case_id": case.case_id, "quantity": effect.quantity,
               "amount": effect.amount.as_dict() if effect.amount else None,
               "consent": "recorded"}), now)
    owe_refund(uow, record, customer_id=int(case.customer_id), days=refund_days)


def book_compensation(uow: SqlAlchemyUnitOfWork, row: CaseRow, case: Case, plan: IncidentPlan,
                now: datetime) -> tuple[int, int | None]:
    """Book the case's compensation once; a case that already has its entry books nothing.

    One entry: the customer's points, the platform's part and a charge-back leg for each seller
    of the case's orders, the sellers' share divided in proportion to each seller's order value
    (``ledger.credit_compensation``) — a customer who ordered from two sellers of the incident
    is not charged to the first order's seller alone."""
    assert case.consent is not None
    due = compensation_due(case, plan, case.consent.choice)
    if row.compensation_entry_id is not None or due.amount_minor <= 0:
        return 0, row.compensation_entry_id
    entry = credit_compensation(customer_id=int(case.customer_id), points=due.amount_minor,
                                memo=f"incident {case.incident_id}: apology compensation",
                                seller_weights=_order_value_by_seller(uow, case),
                                seller_share_pct=plan.seller_share_pct)
    return due.amount_minor, uow.ledger.add(entry, now)


def _order_value_by_seller(uow: SqlAlchemyUnitOfWork, case: Case) -> dict[int, int]:
    """Seller id -> the value (minor units, at the price paid) of the case's orders from them."""
    sellers: dict[int, int] = {}
    for listing_id in sorted({int(o.listing_id) for o in case.orders}):
        sellers[listing_id] = require(uow.market.listing(listing_id), "listing",
                                      listing_id).seller_id
    value: dict[int, int] = {}
    for order in case.orders:
        seller = sellers[int(order.listing_id)]
        value[seller] = value.get(seller, 0) + order.unit_price.times(order.quantity).amount_minor
    return value


def _confirm(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord, plan: IncidentPlan,
             policy: DeskPolicy, links: LinkMaker | None) -> None:
    from sagwa.services.desk_notify import confirmation_messages
    from sagwa.services.outbox import enqueue_messages

    enqueue_messages(uow, confirmation_messages(uow, case, consent, plan, policy, links))


#: Why an unsent note is withdrawn once the call owed is made: the "default applied, we will
#: call you" message would reach a customer who has just talked to an agent.
CALL_MADE = "the customer was reached by phone (the call owed was made)"
REACHED_SINCE = "the customer was reached by phone after the desk gave up calling"


@dataclass(frozen=True)
class AttemptLogged:
    """A logged contact attempt and what it did to the call owed: ``made_call`` — it reached the
    customer and took them off the call list (their unsent unprompted messages, the note after
    the default among them, are withdrawn: ``outbox.withdraw_unsent``); ``gave_up`` — it used up
    the policy's attempts (the customer is marked "could not be reached", leaves the list and
    is sent the message saying so: ``desk_unreachable``; ``message_queued``).

    ``too_soon``: the call is still owed and this attempt does not count towards giving up, as
    it came less than the policy's ``min_call_spacing`` after the last attempt that counted
    (``call_attempts.counted_attempts``); ``counts_from`` is when the next attempt will count.
    ``attempts_counted``: the attempts counted towards the call still owed (None when none is).
    ``counted``: this attempt is one of those (``call_attempts.attempt_counted``) — never before
    the deadline, for a call that reached the customer, or for an email or text message.
    Nothing is refused either way: the attempt is on the record.

    ``no_phone``: it gave up at once as the customer has no phone number to call back
    (``call_attempts.NO_PHONE``), not after the attempts; ``at_new_number``: the attempts count
    from a new number given after the deadline (``call_attempts.CALL_RESUMED``), not from the
    deadline."""

    attempt_id: int
    made_call: bool
    gave_up: bool
    too_soon: bool = False
    counts_from: datetime | None = None
    attempts_counted: int | None = None
    message_queued: bool = False
    counted: bool = False
    no_phone: bool = False
    at_new_number: bool = False
    #: The time the customer asked to be called back at (None: they named none), and whether
    #: the contact centre is open then (``contact_hours.is_open``: the customer's time is
    #: kept either way, and the agent is told).
    callback_at: datetime | None = None
    callback_in_hours: bool | None = None
    #: The time is after the answer deadline of a case still waiting for the customer's
    #: choice: by then the plan's default has applied (the agent is told, and the card says).
    callback_after_deadline: bool = False
    #: A phone call tried before the time the customer picked on their page (that time; None:
    #: none picked, or the call came at it): not counted, and the agent is told.
    before_call_time: datetime | None = None
    #: The note asked for a follow-up (``desk_follow_ups``): its id, and when it is due (None:
    #: at once); the case is on the team's follow-up list until someone resolves it.
    follow_up_id: int | None = None
    follow_up_at: datetime | None = None
    #: A phone call on a call owed not counted towards the tries because the contact centre
    #: was closed (``call_attempts.OUTSIDE_HOURS``; ``counts_again_at``: when it opens) or it
    #: came before the time the customer asked to be called back at (``BEFORE_CALLBACK``;
    #: ``counts_again_at``: that time).
    not_counted: str | None = None
    counts_again_at: datetime | None = None
    #: This answer is a retry's (the same ``idempotency_key`` and request again: a form sent
    #: twice): nothing new was logged, and the rest is what the first one did. Not compared:
    #: a retry answers the same result as the first, only said to be a repeat.
    repeat: bool = field(default=False, compare=False)


def log_contact_attempt(uow: SqlAlchemyUnitOfWork, *, case_id: int, channel: str, outcome: str,
                        agent: str, policy: DeskPolicy, note: str | None = None,
                        links: LinkMaker | None = None) -> int:
    """An agent's call (or other contact) and how it went, on the case's record: its id."""
    return log_call_attempt(uow, case_id=case_id, channel=channel, outcome=outcome, agent=agent,
                            policy=policy, note=note, links=links).attempt_id


def log_call_attempt(uow: SqlAlchemyUnitOfWork, *, case_id: int, channel: str, outcome: str,
                     agent: str, policy: DeskPolicy, note: str | None = None,
                     idempotency_key: str | None = None,
                     links: LinkMaker | None = None,
                     callback_at: datetime | None = None, follow_up: bool = False,
                     follow_up_at: datetime | None = None) -> AttemptLogged:
    """:func:`log_contact_attempt`, telling what the attempt did to the call owed (decided in
    the same transaction, for the agent's page). With ``idempotency_key``, a retry (a request
    resent after a lost answer, a form sent twice) logs nothing more and answers what the first
    one did, with ``repeat`` set; the same key for another attempt is refused. ``links`` makes
    the case link the message after failed calls gives a customer never told (their apology,
    which carried it, never went out). ``callback_at``: the time the customer asked to be
    called back at, with ``callback_requested`` only (``call_attempts.check_callback_at``).
    ``follow_up``: the note asks the team to act (``desk_follow_ups.ask_follow_up``;
    ``note_follow_ups.check_follow_up``), by ``follow_up_at`` if given (a time implies the
    follow-up), else by the call-back time the customer named, else at once."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}", field="outcome",
                           reason="outcome_unknown")
    if channel not in ("phone", "email", "sms"):
        raise InvalidInput("channel must be phone, email or sms", field="channel",
                           reason="channel_unknown")
    with uow:
        asked = {"case_id": case_id, "channel": channel, "outcome": outcome, "agent": agent,
                 "note": note}
        if callback_at is not None:  # the key's earlier requests, without one, still match
            # the same moment however written (+09:00 or Z); naive is refused just below
            asked["callback_at"] = (callback_at.astimezone(UTC) if callback_at.tzinfo
                                    else callback_at).isoformat()
        follow_up = follow_up or follow_up_at is not None
        if follow_up:  # appended only when asked: earlier requests of the key still match
            asked["follow_up"] = True
            if follow_up_at is not None:
                asked["follow_up_at"] = (follow_up_at.astimezone(UTC) if follow_up_at.tzinfo
                                         else follow_up_at).isoformat()
        prior = prior_result(uow, ATTEMPT_SCOPE, idempotency_key, asked)
        if prior:
            return _logged_again(prior)
        check_callback_at(outcome, callback_at, uow.now(), channel=channel)
        due = follow_up_at if follow_up_at is not None else callback_at
        if follow_up:
            check_follow_up(note=note, due_at=follow_up_at, now=uow.now())
        logged = _log_attempt(uow, case_id, channel, outcome, agent, policy, note, links,
                              callback_at)
        if follow_up:
            logged = replace(logged, follow_up_at=due, follow_up_id=ask_follow_up(
                uow, case_id=case_id, attempt_id=logged.attempt_id, note=(note or "").strip(),
                asked_by=agent, due_at=due, now=uow.now()))
        remember(uow, ATTEMPT_SCOPE, idempotency_key, _as_result(logged))
        uow.commit()
        return logged


#: Idempotency keys of contact attempts (``idempotency.prior_result``'s scope).
ATTEMPT_SCOPE = "contact_attempt"


#: The moments of an :class:`AttemptLogged`, kept as ISO text with an idempotency key.
_MOMENTS = ("counts_from", "callback_at", "before_call_time", "follow_up_at", "counts_again_at")


def _as_result(logged: AttemptLogged) -> dict[str, Any]:
    result = asdict(logged)
    for name in _MOMENTS:
        moment = result[name]
        result[name] = moment.isoformat() if moment else None
    return result


def _logged_again(result: dict[str, Any]) -> AttemptLogged:
    """The first answer of a retried attempt, as it was (one remembered before a field was
    added answers that field's default), marked as a repeat: nothing new was logged."""
    return AttemptLogged(**{**result, **{name: datetime.fromisoformat(result[name])
                                         for name in _MOMENTS if result.get(name)},
                            "repeat": True})


def _log_attempt(uow: SqlAlchemyUnitOfWork, case_id: int, channel: str, outcome: str,
                 agent: str, policy: DeskPolicy, note: str | None,
                 links: LinkMaker | None = None,
                 callback_at: datetime | None = None) -> AttemptLogged:
    """The attempt added in ``uow``'s transaction (not committed), and what it did."""
    now = uow.now()
    row = lock_case(uow, case_id)
    if callback_at is not None:
        _check_callable(uow, row)
    within = may_contact(policy.schedule, now)
    owed_before = uow.reads.owed_call(case_id) is not None
    # whether someone is there to make a call now (not ``may_contact``, which wants time left
    # to answer a message): a call made while the centre is closed does not count
    # (``call_attempts.uncountable``)
    attempt = uow.cases.add_attempt(case_id=case_id, channel=channel, at=now, outcome=outcome,
                                    agent=agent, note=note, within_hours=within,
                                    callback_at=callback_at,
                                    centre_open=is_open(policy.schedule, now))
    picked = row.call_at  # the customer's own time, from their page (read with the lock)
    replaced = call_replaces_time(picked, channel=channel, outcome=outcome, attempted_at=now)
    if replaced and picked is not None:
        # the calls owed are reckoned from the picked time (or from this call, made before it):
        # those tried earlier say nothing about reaching the customer when they asked
        uow.cases.set_call_at(case_id, None, now, reckoned_from=min(picked, now))
    # a call tried before the time the customer picked: not counted (``counts_from``), and no
    # giving up on it
    waiting = picked is not None and not replaced and picked > now
    deadline = _deadline_of(uow, int(row.case.incident_id))
    if channel == CALL_CHANNEL and outcome == REACHED and row.case.status in UNANSWERED \
            and (deadline is None or now <= deadline):
        # a person told them in time: not "never told" at the deadline (after it, this call is
        # the call they are owed)
        uow.cases.mark_told(case_id, now)
    owed = uow.reads.owed_call(case_id, min_spacing=policy.min_call_spacing)
    # only a reached call takes a case off the list without the give-up mark
    made = owed_before and outcome == REACHED and owed is None
    withdrawn = withdraw_unsent(uow, [case_id], why=CALL_MADE) if made else 0
    # how the calls stand (given up, counting from a new number): the attempt changes neither
    record = uow.reads.call_records([case_id]).get(case_id)
    if channel == CALL_CHANNEL and outcome == REACHED and not owed_before \
            and record is not None and record.unreachable:
        # reached after the desk gave up calling (they rang in, say): as for the call owed,
        # what still waits for the contact hours ("we called and could not reach you", "we
        # did not hear from you") is no longer true
        withdrawn += withdraw_unsent(uow, [case_id], why=REACHED_SINCE)
    # why this call did not count towards the call owed (``call_attempts.owed_call``): too
    # soon after the last counted one, the centre closed, or before the customer's time
    why_not = (owed.not_counted if owed is not None and owed_before
               and channel == CALL_CHANNEL and not waiting else None)
    too_soon = why_not == TOO_SOON
    uncounted = why_not if why_not in (OUTSIDE_HOURS, BEFORE_CALLBACK) else None
    counted = not waiting and attempt_counted(owed, channel=channel, at=now, deadline=deadline)
    uow.audit.append(AuditEvent(agent, "case.contact_attempted", "case", str(case_id), after={
        "channel": channel, "outcome": outcome, "within_contact_hours": within,
        **audit_text(uow, "note", note), "made_call": made, "messages_withdrawn": withdrawn,
        **({"callback_at": callback_at.isoformat()} if callback_at else {}),
        **({"call_time_replaced": picked.isoformat()} if replaced and picked else {}),
        "counted": None if owed is None or channel != CALL_CHANNEL else counted,
        **_wrong_number_details(uow, row, channel, outcome),
        "attempt_id": attempt}), now)  # appended: the row that keeps the note
    # a customer with no phone number who asked to be called back (they called in): nobody can
    # call them back, so the desk gives up at once again, with no message (the agent is talking
    # to them) — not after spaced attempts at no number, nor with "we called you 3 times"
    no_number = owed is not None and _marked_no_phone(uow, row, agent, policy, now)
    gave_up = 1 if no_number else 0 if waiting else _give_up_if_unreachable(
        uow, row, owed, attempt, agent, policy, now, links)
    return AttemptLogged(attempt, made, gave_up > 0, too_soon,
                         owed.counts_from if too_soon and owed else None,
                         owed.attempts if owed is not None else None, gave_up > 1, counted,
                         no_number, record is not None and record.new_number, callback_at,
                         None if callback_at is None
                         else is_open(policy.schedule, callback_at),
                         callback_after_deadline(
                             callback_at, deadline, case=row.case,
                             still_choosing=deadline is not None and now <= deadline
                             and row.case.status in UNANSWERED),
                         picked if waiting and channel == CALL_CHANNEL else None,
                         not_counted=uncounted,
                         counts_again_at=(None if uncounted is None or owed is None
                                          else owed.callback_at if uncounted == BEFORE_CALLBACK
                                          else next_opening(policy.schedule, now)))


def _wrong_number_details(uow: SqlAlchemyUnitOfWork, row: CaseRow, channel: str,
                          outcome: str) -> dict[str, Any]:
    """A call or text that found the number on file wrong (``domain.wrong_numbers``): the
    customer's texts still waiting are withdrawn (they carry the case link, to a stranger),
    and the attempt's audit details keep which number it was (``number_key``, a digest, by which
    ``services.wrong_numbers`` tells later texts of the customer to it) and how many texts
    were withheld. Nothing for another outcome, an email, or no number on file."""
    from sagwa.services.wrong_numbers import number_secret, withhold_texts

    if outcome != WRONG_NUMBER or channel not in (CALL_CHANNEL, TEXT_CHANNEL):
        return {}
    customer = uow.catalog.customer(int(row.case.customer_id))
    if customer is None or not customer.phone:
        return {}
    return {NUMBER_KEY: number_key(customer.phone, number_secret(uow)),
            "texts_withheld": withhold_texts(uow, int(row.case.customer_id))}


def _check_callable(uow: SqlAlchemyUnitOfWork, row: CaseRow) -> None:
    """A call-back time needs a number to call: InvalidInput (``callback_time_no_phone``)
    for a customer with none on file (save the number they give first)."""
    customer = uow.catalog.customer(int(row.case.customer_id))
    if customer is None or not customer.phone:
        raise InvalidInput(f"case {int(row.case.case_id)}: the customer has no phone number on "
                           "file to call back; record the number first", field="callback_at",
                           reason="callback_time_no_phone")


def _deadline_of(uow: SqlAlchemyUnitOfWork, incident_id: int) -> datetime | None:
    """The incident's answer deadline, or None while it has no plan (no call is owed yet)."""
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    plan = uow.incidents.plan(incident_id, inc.correct_price) if inc.correct_price else None
    return plan.deadline if plan is not None else None


def _give_up_if_unreachable(uow: SqlAlchemyUnitOfWork, row: CaseRow, owed: OwedCall | None,
                            attempt_id: int, agent: str, policy: DeskPolicy,
                            now: datetime, links: LinkMaker | None = None) -> int:
    """After the attempt just added: a call still owed whose attempts are used up is marked
    "could not be reached", which takes the case off the call list, and the customer is sent
    the message saying so (``desk_unreachable``, in contact hours). 0: not marked; 1: marked;
    2: marked and the message queued."""
    from sagwa.services.desk_unreachable import unreachable_messages
    from sagwa.services.outbox import enqueue_messages

    if owed is None or not gives_up(owed, policy.max_call_attempts):
        return 0
    uow.audit.append(AuditEvent(agent, UNREACHABLE_ACTION, "case", str(row.case.case_id), after={
        "attempts": owed.attempts, "max_attempts": policy.max_call_attempts,
        "min_spacing_minutes": int(policy.min_call_spacing.total_seconds() // 60),
        "last_outcome": owed.last_outcome, "last_attempt_id": attempt_id}), now)
    uow.cases.clear_call_at(case_ids=[int(row.case.case_id)])  # not when owed the call again
    plan = current_plan(uow, int(row.case.incident_id))
    # "one of our staff will call you", still waiting to go out, is no longer true
    uow.outbox.withdraw_pending([int(row.case.case_id)], purposes=("never_told",),
                                why="the desk gave up calling; the message saying so replaces it")
    queued = enqueue_messages(uow, unreachable_messages(
        uow, case=row.case, plan=plan, attempts=owed.attempts, attempt_id=attempt_id,
        policy=policy, links=links))
    return 2 if queued else 1


def mark_no_phone(uow: SqlAlchemyUnitOfWork, case_ids: list[int], actor: str,
                   policy: DeskPolicy, now: datetime) -> None:
    """Mark ``case_ids`` — owed a call, with no phone number on file
    (``call_list_reads.owed_without_phone``) — "could not be reached" at once, with no attempt
    (``why``: ``call_attempts.NO_PHONE``): nobody can call them, and waiting for spaced
    attempts would keep the incident from closing."""
    uow.audit.append_many([AuditEvent(actor, UNREACHABLE_ACTION, "case", str(i), after={
        "attempts": 0, "max_attempts": policy.max_call_attempts, "why": NO_PHONE,
        "last_outcome": None, "last_attempt_id": None}) for i in case_ids], now)
    # no call now: a time picked for it must not come back if the call is owed again
    uow.cases.clear_call_at(case_ids=case_ids)


def give_up_without_phone(uow: SqlAlchemyUnitOfWork, case_ids: list[int], *, actor: str,
                          policy: DeskPolicy, plan: IncidentPlan, now: datetime,
                          links: LinkMaker | None = None) -> int:
    """:func:`mark_no_phone` for ``case_ids`` (of one incident, under ``plan``) and queue the
    email telling each that we have no number to call them on
    (``desk_unreachable.no_phone_messages``): the deadline's job, and a number removed after
    it. How many messages were queued."""
    from sagwa.services.desk_unreachable import no_phone_messages
    from sagwa.services.outbox import enqueue_messages

    mark_no_phone(uow, case_ids, actor, policy, now)
    return enqueue_messages(uow, no_phone_messages(uow, case_ids=case_ids, plan=plan,
                                                   policy=policy, links=links))


def _marked_no_phone(uow: SqlAlchemyUnitOfWork, row: CaseRow, actor: str, policy: DeskPolicy,
                     now: datetime) -> bool:
    """:func:`mark_no_phone` for the case of ``row``, if it is owed a call after the deadline
    with no phone number on file (a customer asking for a person, or to be called back, on
    their page or on a call they made): whether it was marked. No message: they are talking
    to us, or on their page, which says why."""
    ids = uow.reads.owed_without_phone(int(row.case.incident_id), [int(row.case.case_id)])
    mark_no_phone(uow, ids, actor, policy, now)
    return bool(ids)


def escalate_unanswered(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str) -> int:
    """Put every still-unanswered case on the call list (the escalation job). Only while the
    desk is telling customers (``notifying``): before the apologies went out an escalated case
    would never be sent one, and a closed incident has nobody left to call."""
    with uow:
        _while_telling_customers(uow, incident_id, "escalate", "escalate unanswered cases")
        moved = _move(uow, incident_id, {CaseStatus.OPEN, CaseStatus.NOTIFIED},
                      CaseTrigger.ESCALATE, actor, "case.escalated", uow.now())
        uow.commit()
        return sum(len(ids) for ids in moved.values())


def _while_telling_customers(uow: SqlAlchemyUnitOfWork, incident_id: int, trigger: str,
                             step: str) -> None:
    """Escalation and the deadline's default belong to an incident whose customers were told
    (``notifying``); any other status is refused (409, reason ``incident_status``)."""
    inc = require(uow.incidents.get(incident_id, for_update=True), "incident",
                  incident_id).incident  # held until the step commits: not closed meanwhile
    if inc.status is IncidentStatus.NOTIFYING:
        return
    # the step the incident needs next (a draft is declared first, not notified)
    hint = {IncidentStatus.CLOSED: "already_closed", IncidentStatus.DRAFT: "declare_first",
            IncidentStatus.DECLARED: "scope_first",
            IncidentStatus.SCOPED: "plan_first"}.get(inc.status, "notify_first")
    why = ("it is closed" if inc.status is IncidentStatus.CLOSED
           else "its customers have not been sent the apology yet: "
                f"{INCIDENT_HINTS[hint]}")
    raise IllegalTransition(f"incident {incident_id} is {inc.status}: cannot {step}, as {why}",
                            status=str(inc.status), trigger=trigger, reason="incident_status",
                            hint=hint)


def apply_deadline(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                   policy: DeskPolicy | None = None, links: LinkMaker | None = None) -> int:
    """After the deadline: unanswered cases take the plan's default (never a cancellation), and
    each customer who had been told and never answered is told what happens now
    (``desk_notify.defaulted_messages``: email, or SMS without one, at the next contact opening)
    — queued in the same transaction as the default, so a message goes out exactly when its
    default was applied. A customer who was never told (their apology never went out: the
    worker was down, or delivery failed, and nobody reached them by phone) is not sent "we did
    not hear from you": their default is a call (``incident_plan.default_outcome``), which puts
    them on the call list, and the audit log says why (``case.never_told``) — and they are sent
    the apology they never got, saying so and that someone will call, with their case link
    from ``links`` (``desk_unreachable.never_told_messages``), so they do not wait for the call
    in silence. How many cases took the default.

    ``policy`` gives the contact hours and details of that message; without it, the built-in
    desk policy (callers that hold the configured one should pass it).
    """
    from sagwa.services.desk_notify import defaulted_messages
    from sagwa.services.desk_unreachable import never_told_messages
    from sagwa.services.outbox import enqueue_messages

    policy = policy if policy is not None else load_desk_policy()
    with uow:
        _while_telling_customers(uow, incident_id, "apply_deadline",
                                 "apply the deadline's default")
        plan = current_plan(uow, incident_id)
        now = uow.now()
        if now <= plan.deadline:
            korea = plan.deadline.astimezone(SEOUL)
            raise InvalidInput(f"the answer deadline {korea:%Y-%m-%d %H:%M} KST has not passed "
                               "yet", deadline=korea.isoformat(),
                               deadline_korea=f"{korea:%Y-%m-%d %H:%M}",
                               reason="deadline_not_passed")
        moved = _move(uow, incident_id, UNANSWERED, CaseTrigger.DEADLINE_PASSED, actor,
                      "case.defaulted", now)
        # the reply window under the hours of now, kept: hours changed later do not move it
        replies_until = uow.incidents.fix_reply_window(
            incident_id, plan.replies_recorded_by(policy.schedule))
        # owed a call with no phone number to call: told so now, instead of "we will call"
        no_phone = uow.reads.owed_without_phone(incident_id) if moved else []
        unwritten = set(no_phone)  # not sent the deadline's own message
        told = [i for status in (CaseStatus.NOTIFIED, CaseStatus.ESCALATED)
                for i in moved.get(status, []) if i not in unwritten]
        queued = enqueue_messages(uow, defaulted_messages(
            uow, incident_id=incident_id, case_ids=told, plan=plan, policy=policy))
        untold = uow.cases.never_told([i for ids in moved.values() for i in ids])
        queued += enqueue_messages(uow, [
            m for row in untold if int(row.case.case_id) not in unwritten
            for m in never_told_messages(uow, case=row.case, plan=plan, policy=policy,
                                         links=links)])
        uow.audit.append_many([AuditEvent(actor, NEVER_TOLD_ACTION, "case",
                                          str(row.case.case_id), after={
            "default": DefaultAction.FOLLOW_UP_CALL.value, "why": NEVER_TOLD_WHY})
            for row in untold], now)
        # after the never-told marks: the no-phone mark is the later word on those cases
        queued += give_up_without_phone(uow, no_phone, actor=actor, policy=policy, plan=plan,
                                        now=now, links=links)
        if moved:
            uow.audit.append(AuditEvent(actor, "incident.defaulted", "incident", str(incident_id),
                                        after={"cases": sum(len(i) for i in moved.values()),
                                               "messages": queued,
                                               "never_told": len(untold),
                                               "no_phone": len(no_phone),
                                               "replies_until": replies_until.astimezone(
                                                   SEOUL).isoformat()}),
                             now)
        uow.commit()
        return sum(len(ids) for ids in moved.values())


#: The audit action for a case that took the default without ever being told: it is owed a call.
NEVER_TOLD_ACTION = "case.never_told"
NEVER_TOLD_WHY = "the apology never went out before the deadline; the customer is owed a call"


def _move(uow: SqlAlchemyUnitOfWork, incident_id: int, current: Iterable[CaseStatus],
          trigger: CaseTrigger, actor: str, action: str,
          now: datetime) -> dict[CaseStatus, list[int]]:
    """Move the incident's cases in ``current`` by ``trigger``, inside the caller's unit of
    work: the ids moved, by the status they left."""
    moved: dict[CaseStatus, list[int]] = {}
    for status in sorted(current):
        new = advance(status, trigger)
        if new == status:
            continue
        ids = uow.cases.set_status_where(incident_id, current={status}, new=new, now=now)
        if trigger is CaseTrigger.DEADLINE_PASSED:
            withdraw_unsent(uow, ids, why="the deadline passed; the plan's default applies")
        uow.audit.append_many([AuditEvent(actor, action, "case", str(i),
                                          before={"status": status.value},
                                          after={"status": new.value}) for i in ids], now)
        if ids:
            moved[status] = ids
    return moved


def money_text(amount: int, currency: str, lang: str) -> str:
    from sagwa.domain.money import Money

    return format_money(Money(amount, currency), lang=lang)
