"""Where an incident stands: its facts, case counts, choices, messages, SLA clocks and the money
booked (compensation per payer, refunds)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sagwa.domain.audit import first_listing_pause
from sagwa.domain.case_figures import exposure_kept_of_units
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import Money
from sagwa.domain.sla import notice_due_at
from sagwa.services.desk_difference import DifferencesOwed, differences_owed
from sagwa.services.desk_money import incident_money
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.difference_follow_ups import due_in_incident
from sagwa.services.lookups import require
from sagwa.services.notices import outdated_notices, required_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from sagwa.domain.incident_plan import IncidentPlan
    from sagwa.domain.incidents import Incident

#: Choices that answer a case. ``talk_to_person`` only asks for a call: the case stays unanswered
#: (escalated, as ``incidents.UNANSWERED`` and ``desk.close`` see it) until the call ends in one
#: of these.
ANSWERING_CHOICES = frozenset(CustomerOption) - {CustomerOption.TALK_TO_PERSON}


def answered_count(choices: Mapping[str | None, int]) -> int:
    """How many cases are answered, from recorded choice -> number of cases.

    The one definition of "answered" for the incident list and the report."""
    return sum(n for choice, n in choices.items() if choice in ANSWERING_CHOICES)


@dataclass(frozen=True)
class IncidentStatusView:
    incident_id: int
    status: str
    listings: list[int]
    wrong_price: dict[str, Any]
    correct_price: dict[str, Any] | None
    responsible: str | None
    cause: str
    opened_at: datetime
    declared_at: datetime | None
    notice_due_at: datetime | None
    first_notice_at: datetime | None
    first_pause_at: datetime | None
    first_message_sent_at: datetime | None
    cases_by_status: dict[str, int] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)
    messages_by_status: dict[str, int] = field(default_factory=dict)
    plan: dict[str, Any] | None = None
    #: What was booked: compensation points and who pays them (platform, each seller), and the
    #: refunds applied (``desk_money.incident_money``).
    money: dict[str, Any] = field(default_factory=dict)
    #: The incident's window: orders placed in it at the wrong price are its cases (the end is
    #: set when it is declared; None while a draft's window is open).
    window_start: datetime | None = None
    window_end: datetime | None = None
    #: Customers told: sent their apology, or reached by phone (``cases.first_notified_at``).
    customers_told: int = 0
    #: Customers owed a call now (the call list's rule, ``call_list_sql.owed_a_call``): the
    #: count that holds back closing.
    calls_owed: int = 0
    #: Customers who chose the discount and owe the difference, not yet recorded as paid
    #: (``desk_difference``). Their cases count as resolved in ``cases_by_status``.
    differences_unpaid: int = 0
    #: Languages whose latest published notice was written before the plan (or, unplanned,
    #: before the customers were counted): ``{"lang", "version", "reason"}`` with reason
    #: ``before_plan`` / ``before_scope`` (``notices.outdated_notices``). Publish an update.
    notices_outdated: list[dict[str, Any]] = field(default_factory=list)
    #: What those customers owe in all (a Money dict in the incident's currency; appended).
    differences_unpaid_total: dict[str, Any] | None = None
    #: Of those, how many are due an agent's follow-up now (``domain.difference_follow_up``;
    #: listed by ``sagwa incident follow-ups``; appended).
    differences_to_follow_up: int = 0
    #: Customers who took the discount, then cancelled instead of paying (``choices`` counts
    #: them with the cancellations: their choice now; appended).
    cancelled_instead: int = 0
    #: When the public notice was up in every language it must be in — Korean, and each its
    #: customers read, as closing requires — the moment its SLA is met or missed at (None until
    #: then; ``first_notice_at`` is the first in any language); and the languages it still
    #: lacks (appended).
    required_notice_at: datetime | None = None
    notice_languages_missing: list[str] = field(default_factory=list)
    #: Customers whose apology is queued and not yet sent on any channel — held for contact
    #: hours (at a weekend, until Monday's opening), or overdue — and when the first of them is
    #: due to go (``OutboxRepository.incident_apologies_due``): "notified" counts a case when
    #: its apology is queued, ``customers_told`` once it went (appended).
    apologies_queued: int = 0
    apologies_due_at: datetime | None = None
    #: When the next of the pending messages to its customers (``messages_by_status``) may go
    #: out (appended).
    next_message_at: datetime | None = None
    #: What honouring the wrong price costs: the revenue given up on the units customers keep
    #: at it, Σ over the cases of ``exposure_kept`` (``domain.case_figures``: (correct − price
    #: now) × units kept; a discount's part included), a Money dict in the incident's currency;
    #: not in ``money``, which is the points booked and the refunds (appended).
    exposure_kept: dict[str, Any] | None = None
    #: A draft dismissed as a false alarm (closed without being declared): no notice, no
    #: customers (``status`` says only "closed"; appended).
    dismissed: bool = False

    def as_dict(self) -> dict[str, Any]:
        def iso(v: object) -> object:
            return v.isoformat() if isinstance(v, datetime) else v
        return {k: iso(v) for k, v in self.__dict__.items()}


def incident_status(uow: SqlAlchemyUnitOfWork, *, incident_id: int,
                    policy: DeskPolicy) -> IncidentStatusView:
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        plan = uow.incidents.plan(incident_id, inc.correct_price) if inc.correct_price else None
        return status_of(uow, inc, plan, policy)


def status_of(uow: SqlAlchemyUnitOfWork, inc: Incident, plan: IncidentPlan | None,
              policy: DeskPolicy) -> IncidentStatusView:
    """Inside an open unit of work: :func:`incident_status` of ``inc`` with its ``plan`` as
    the caller read them (a page that shows them too reads each once)."""
    incident_id = int(inc.incident_id)
    msgs = uow.reads.message_counts_by_status(incident_id)
    notice_at, notice_missing = required_notice(uow, inc)
    owed = differences_owed(uow, incident_id, inc.wrong_price.currency)
    first_sent = uow.reads.first_resolution_sent_at(incident_id)
    first_pause = first_listing_pause(uow.reads.listing_sale_changes(inc.listing_ids),
                                      window_start=inc.window_start, until=inc.declared_at)
    waiting, first_due = uow.outbox.incident_apologies_waiting(incident_id)
    return IncidentStatusView(
        incident_id=incident_id, status=inc.status.value,
        listings=sorted(int(i) for i in inc.listing_ids),
        wrong_price=inc.wrong_price.as_dict(),
        correct_price=inc.correct_price.as_dict() if inc.correct_price else None,
        responsible=inc.responsible.value if inc.responsible else None, cause=inc.cause,
        opened_at=inc.opened_at, declared_at=inc.declared_at,
        notice_due_at=notice_due_at(inc.declared_at, policy.notice_sla) if inc.declared_at else None,
        first_notice_at=uow.cases.first_notice_at(incident_id), first_pause_at=first_pause,
        first_message_sent_at=first_sent,
        cases_by_status=dict(uow.cases.status_counts(incident_id)),
        choices=dict(uow.cases.choice_counts(incident_id)),
        messages_by_status=msgs,
        plan=None if plan is None else {
            "options": sorted(o.value for o in plan.options),
            "deadline": plan.deadline.isoformat(), "default": plan.default.value,
            "seller_share_pct": plan.seller_share_pct,
            "platform_share_pct": plan.platform_share_pct,
            "cancel_compensation": (plan.cancel_compensation.amount_minor
                                    if plan.cancel_compensation else None),
            "discount_pct": plan.discount_pct, "keep_max_units": plan.keep_max_units,
            "accept_late_choices": plan.accept_late_choices},
        money=incident_money(uow, incident_id, inc.wrong_price.currency),
        window_start=inc.window_start, window_end=inc.window_end,
        customers_told=uow.cases.told_count(incident_id),
        calls_owed=uow.reads.calls_owed(incident_id),
        differences_unpaid=owed.cases,
        notices_outdated=[n.as_dict() for n in outdated_notices(uow, incident_id, plan)],
        differences_unpaid_total=owed.total.as_dict(),
        differences_to_follow_up=due_in_incident(uow, policy, incident_id, owed.case_ids),
        cancelled_instead=uow.reads.cancelled_instead_count(incident_id),
        required_notice_at=notice_at, notice_languages_missing=notice_missing,
        apologies_queued=waiting, apologies_due_at=first_due,
        next_message_at=uow.reads.next_pending_message_at(incident_id),
        exposure_kept=_exposure_kept(uow, inc).as_dict(), dismissed=inc.dismissed)


def _exposure_kept(uow: SqlAlchemyUnitOfWork, inc: Incident) -> Money:
    """Inside an open unit of work: the incident's cases' ``exposure_kept`` added up (their
    orders as they stand, counted by unit price in the database: reading every case took the
    incident page 0.4 s at 20,000 cases)."""
    correct = inc.correct_price or inc.wrong_price  # as figures_of_cases takes it
    return exposure_kept_of_units(uow.cases.units_kept_by_price(int(inc.incident_id)), correct,
                                  inc.wrong_price.currency)


def incident_summaries(uow: SqlAlchemyUnitOfWork, *, limit: int,
                       offset: int) -> list[dict[str, Any]]:
    """Incidents newest first, as JSON-ready dicts, with their case and answer counts and the
    differences their customers still owe (a closed incident's too)."""
    with uow:
        return [_summary(row.incident, uow) for row in uow.incidents.list(limit=limit,
                                                                     offset=offset)]


def _summary(inc: Incident, uow: SqlAlchemyUnitOfWork) -> dict[str, Any]:
    iid = int(inc.incident_id)
    choices = uow.cases.choice_counts(iid)
    owed = (differences_owed(uow, iid, inc.wrong_price.currency)
            if choices.get(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT.value)
            else DifferencesOwed(0, Money(0, inc.wrong_price.currency)))
    return {"id": iid, "status": inc.status.value,
            "listings": sorted(int(i) for i in inc.listing_ids),
            "wrong_price": inc.wrong_price.as_dict(),
            "correct_price": inc.correct_price.as_dict() if inc.correct_price else None,
            "cause": inc.cause, "opened_at": inc.opened_at.isoformat(),
            "declared_at": inc.declared_at.isoformat() if inc.declared_at else None,
            "cases": sum(uow.cases.status_counts(iid).values()),
            "answered": answered_count(choices),
            # appended: customers owing a difference not recorded as paid, and what they owe
            "differences_unpaid": owed.cases, "differences_unpaid_total": owed.total.as_dict()}
