"""One customer's case: the apology goes out in contact hours, the customer (or an agent on
the phone) records a choice, its effects and compensation are applied exactly once.

The only code path in sagwa that cancels or changes an order in a case is
:func:`record_choice`, and it goes through ``consent.effects_of_choice``, which refuses without
the customer's recorded choice.

:func:`log_contact_attempt` records a call and, when the customer was owed a call and the policy's
attempts are used up without reaching them, marks the case "could not be reached"
(``sagwa.domain.call_attempts``).

:func:`apply_deadline` gives the cases nobody answered the plan's default and, in the same
transaction, queues the message that tells each of those customers what happens now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.call_attempts import OUTCOMES, UNREACHABLE_ACTION, gives_up
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
from sagwa.domain.contact_hours import may_contact
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.domain.incidents import (
    UNANSWERED,
    Case,
    CaseStatus,
    CaseTrigger,
    IncidentStatus,
    advance,
)
from sagwa.domain.ledger import credit_points
from sagwa.domain.money import format_money
from sagwa.domain.orders import OrderTrigger
from sagwa.domain.orders import advance as advance_order
from sagwa.errors import Conflict, InvalidInput
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.lookups import require
from sagwa.services.outbox import withdraw_unsent
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


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


def record_choice(uow: SqlAlchemyUnitOfWork, *, case_id: int, choice: CustomerOption | str,
                  channel: str, evidence: str, taken_by: str, policy: DeskPolicy,
                  link_expiry: timedelta = timedelta(days=14)) -> ChoiceResult:
    """Record a customer's choice (web click, email/SMS reply, or an agent on the phone)."""
    with uow:
        now = uow.now()
        row = require(uow.cases.get(case_id, for_update=True), "case", case_id)
        plan = current_plan(uow, int(row.case.incident_id))
        consent = ConsentRecord(case_id, row.case.customer_id, choice, channel, now, evidence,
                                taken_by)
        updated = record_on_case(row.case, consent, plan)
        if updated == row.case:
            return ChoiceResult(row.case, False, 0, row.compensation_entry_id)
        _require_not_closed(uow, int(row.case.incident_id))
        points, entry_id = 0, row.compensation_entry_id
        withdraw_unsent(uow, [case_id], why=f"the customer answered ({consent.choice.value})")
        if updated.status is CaseStatus.CHOSEN:
            _apply(uow, updated, consent, plan, now)
            points, entry_id = _compensate(uow, row, updated, plan, now)
            _confirm(uow, updated, consent, plan, policy)
            updated = updated.with_trigger(CaseTrigger.RESOLVE)
        uow.cases.save(updated, now, compensation_entry_id=entry_id)
        uow.audit.append(AuditEvent(taken_by, "case.choice_recorded", "case", str(case_id),
                                    before={"status": row.case.status.value},
                                    after={"status": updated.status.value,
                                           "choice": consent.choice.value,
                                           "channel": consent.channel.value,
                                           "evidence": evidence, "compensation_points": points}),
                         now)
        uow.commit()
        return ChoiceResult(updated, True, points, entry_id)


def _require_not_closed(uow: SqlAlchemyUnitOfWork, incident_id: int) -> None:
    """A closed incident takes no new choices (its figures and ledger are final); the same
    answer again is still absorbed before this check."""
    inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    if inc.status is IncidentStatus.CLOSED:
        raise Conflict(f"incident {incident_id} is closed; no choice can be recorded on its cases "
                       "any more", reason="incident_closed", incident_id=incident_id)


def _apply(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord, plan: IncidentPlan,
           now: datetime) -> None:
    for effect in effects_of_choice(case, consent, plan):
        _apply_effect(uow, case, effect, consent.taken_by, now)


def _apply_effect(uow: SqlAlchemyUnitOfWork, case: Case, effect: OrderEffect, actor: str,
                  now: datetime) -> None:
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
    uow.audit.append(AuditEvent(actor, f"order.{effect.kind.value}", "order", str(order.id),
                                before={"status": order.status.value, "quantity": order.quantity,
                                        "unit_price": order.unit_price.as_dict()},
                                after={"case_id": case.case_id, "quantity": effect.quantity,
                                       "amount": effect.amount.as_dict() if effect.amount else None,
                                       "consent": "recorded"}), now)


def _compensate(uow: SqlAlchemyUnitOfWork, row: CaseRow, case: Case, plan: IncidentPlan,
                now: datetime) -> tuple[int, int | None]:
    """Book the case's compensation once; a case that already has its entry books nothing."""
    assert case.consent is not None
    due = compensation_due(case, plan, case.consent.choice)
    if row.compensation_entry_id is not None or due.amount_minor <= 0:
        return 0, row.compensation_entry_id
    listing = require(uow.market.listing(int(case.orders[0].listing_id)), "listing",
                      case.orders[0].listing_id)
    entry = credit_points(customer_id=int(case.customer_id), points=due.amount_minor,
                          memo=f"incident {case.incident_id}: apology compensation",
                          seller_id=listing.seller_id, seller_share_pct=plan.seller_share_pct,
                          kind="incident_compensation")
    return due.amount_minor, uow.ledger.add(entry, now)


def _confirm(uow: SqlAlchemyUnitOfWork, case: Case, consent: ConsentRecord, plan: IncidentPlan,
             policy: DeskPolicy) -> None:
    from sagwa.services.desk_notify import confirmation_messages
    from sagwa.services.outbox import enqueue_messages

    enqueue_messages(uow, confirmation_messages(uow, case, consent, plan, policy))


@dataclass(frozen=True)
class AttemptLogged:
    """A logged contact attempt and what it did to the call owed: ``made_call`` — it reached the
    customer and took them off the call list; ``gave_up`` — it used up the policy's attempts
    (the customer is marked "could not be reached" and leaves the list)."""

    attempt_id: int
    made_call: bool
    gave_up: bool


def log_contact_attempt(uow: SqlAlchemyUnitOfWork, *, case_id: int, channel: str, outcome: str,
                        agent: str, policy: DeskPolicy, note: str | None = None) -> int:
    """An agent's call (or other contact) and how it went, on the case's record: its id."""
    return log_call_attempt(uow, case_id=case_id, channel=channel, outcome=outcome, agent=agent,
                            policy=policy, note=note).attempt_id


def log_call_attempt(uow: SqlAlchemyUnitOfWork, *, case_id: int, channel: str, outcome: str,
                     agent: str, policy: DeskPolicy, note: str | None = None) -> AttemptLogged:
    """:func:`log_contact_attempt`, telling what the attempt did to the call owed (decided in
    the same transaction, for the agent's page)."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}", field="outcome")
    if channel not in ("phone", "email", "sms"):
        raise InvalidInput("channel must be phone, email or sms", field="channel")
    with uow:
        now = uow.now()
        require(uow.cases.get(case_id, for_update=True), "case", case_id)
        within = may_contact(policy.schedule, now)
        owed_before = uow.reads.owed_call(case_id) is not None
        attempt = uow.cases.add_attempt(case_id=case_id, channel=channel, at=now, outcome=outcome,
                                        agent=agent, note=note, within_hours=within)
        uow.audit.append(AuditEvent(agent, "case.contact_attempted", "case", str(case_id), after={
            "channel": channel, "outcome": outcome, "within_contact_hours": within,
            "note": note}), now)
        gave_up = _give_up_if_unreachable(uow, case_id, attempt, agent, policy, now)
        made = (owed_before and not gave_up and outcome == "reached"
                and uow.reads.owed_call(case_id) is None)
        uow.commit()
        return AttemptLogged(attempt, made, gave_up)


def _give_up_if_unreachable(uow: SqlAlchemyUnitOfWork, case_id: int, attempt_id: int,
                            agent: str, policy: DeskPolicy, now: datetime) -> bool:
    """After the attempt just added: a call still owed whose attempts are used up is marked
    "could not be reached", which takes the case off the call list. Whether it was marked."""
    owed = uow.reads.owed_call(case_id)
    if owed is None or not gives_up(owed, policy.max_call_attempts):
        return False
    uow.audit.append(AuditEvent(agent, UNREACHABLE_ACTION, "case", str(case_id), after={
        "attempts": owed.attempts, "max_attempts": policy.max_call_attempts,
        "last_outcome": owed.last_outcome, "last_attempt_id": attempt_id}), now)
    return True


def escalate_unanswered(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str) -> int:
    """Put every still-unanswered case on the call list (the escalation job)."""
    return _bulk(uow, incident_id, {CaseStatus.OPEN, CaseStatus.NOTIFIED}, CaseTrigger.ESCALATE,
                 actor, "case.escalated")


def apply_deadline(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                   policy: DeskPolicy | None = None) -> int:
    """After the deadline: unanswered cases take the plan's default (never a cancellation), and
    each customer who had been told and never answered is told what happens now
    (``desk_notify.defaulted_messages``: email, or SMS without one, at the next contact opening)
    — queued in the same transaction as the default, so a message goes out exactly when its
    default was applied. How many cases took the default.

    ``policy`` gives the contact hours and details of that message; without it, the built-in
    desk policy (callers that hold the configured one should pass it).
    """
    from sagwa.services.desk_notify import defaulted_messages
    from sagwa.services.outbox import enqueue_messages

    policy = policy if policy is not None else load_desk_policy()
    with uow:
        plan = current_plan(uow, incident_id)
        now = uow.now()
        if now <= plan.deadline:
            raise InvalidInput(f"the deadline {plan.deadline.isoformat()} has not passed yet")
        moved = _move(uow, incident_id, UNANSWERED, CaseTrigger.DEADLINE_PASSED, actor,
                      "case.defaulted", now)
        told = [i for status in (CaseStatus.NOTIFIED, CaseStatus.ESCALATED)
                for i in moved.get(status, [])]
        queued = enqueue_messages(uow, defaulted_messages(
            uow, incident_id=incident_id, case_ids=told, plan=plan, policy=policy))
        if moved:
            uow.audit.append(AuditEvent(actor, "incident.defaulted", "incident", str(incident_id),
                                        after={"cases": sum(len(i) for i in moved.values()),
                                               "messages": queued}), now)
        uow.commit()
        return sum(len(ids) for ids in moved.values())


def _bulk(uow: SqlAlchemyUnitOfWork, incident_id: int, current: set[CaseStatus],
          trigger: CaseTrigger, actor: str, action: str) -> int:
    with uow:
        moved = _move(uow, incident_id, current, trigger, actor, action, uow.now())
        uow.commit()
        return sum(len(ids) for ids in moved.values())


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
