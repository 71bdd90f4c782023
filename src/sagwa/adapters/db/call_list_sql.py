"""The call list's rule in SQL: which cases are owed a call, which calls count and how the
latest ended — the expressions the call list (``call_list_reads``) and the agents' case lookup
(``case_lookup_reads``) share, so both see the same list. Over ``cases`` joined to
``incident_plans`` and ``contact_attempts``; pure expressions, nothing is run here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ScalarSelect,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    true,
    union_all,
)

from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.difference_reads import may_owe
from sagwa.adapters.db.tables import (
    audit_log,
    case_orders,
    cases,
    contact_attempts,
    customers,
    incident_plans,
    incidents,
    orders,
)
from sagwa.domain.call_attempts import (
    CALL_CHANNEL,
    CALL_RESUMED,
    CALLBACK_KEPT,
    CALLBACK_REQUESTED,
    CHOICE_REPEATED,
    REACHED,
    UNREACHABLE_ACTION,
)


def owed_a_call(*, given_up_too: bool = False) -> ColumnElement[bool]:
    """A case on the call list, in an incident not closed: escalated (unanswered near the
    deadline, or the customer asked to talk to a person), or defaulted while a call is still
    owed — the case's default is a follow-up call (the plan's default, a capped keep for a
    customer holding more units than the cap, or any default of a customer never told: their
    apology never went out, ``first_notified_at`` is NULL; ``incident_plan.default_outcome``),
    or the customer had asked for a person — until an attempt since the deadline reached the
    customer or the desk gave up after the policy's attempts (:func:`given_up`). The one rule for the call
    list, the count that holds back closing, and the attempt that may give up. (``cases``
    joined to ``incident_plans``.) ``given_up_too``: also those the desk gave up on, which
    would be owed the call again if the customer asked (or gave a new number)."""
    reached = exists().where(since_deadline(), contact_attempts.c.outcome == REACHED)
    units = (select(func.coalesce(func.sum(orders.c.quantity), 0))
             .select_from(case_orders.join(orders, orders.c.id == case_orders.c.order_id))
             .where(case_orders.c.case_id == cases.c.id).scalar_subquery())
    follow_up = or_(incident_plans.c.default_action == "follow_up_call",
                    cases.c.first_notified_at.is_(None),
                    and_(incident_plans.c.default_action == "keep",
                         incident_plans.c.keep_max_units.is_not(None),
                         units > incident_plans.c.keep_max_units))
    still_open = exists().where(incidents.c.id == cases.c.incident_id,
                                incidents.c.status != "closed")
    return and_(still_open, or_(
        cases.c.status == "escalated",
        and_(cases.c.status == "defaulted",
             or_(cases.c.choice == "talk_to_person", follow_up),
             ~reached, true() if given_up_too else ~given_up())))


def given_up() -> ColumnElement[bool]:
    """The desk gave up on the case's call: it is marked "could not be reached"
    (``case.unreachable``, written where ``sagwa.domain.call_attempts.gives_up`` says so) and
    the customer has not asked to be called back since (a ``callback_requested`` phone call,
    or a choice to talk to a person, after the mark puts them back on the list; the next attempt that does not reach them
    decides again, and may write a new mark). "After" is by the order calls were logged: the
    mark keeps the id of the call that used up the attempts (``last_attempt_id``; a mark
    without one is compared by time), since a clock may read the same or earlier for both."""
    mark = and_(audit_log.c.entity_type == "case",
                audit_log.c.entity_id == cast(cases.c.id, Text),
                audit_log.c.action == UNREACHABLE_ACTION)
    marked_after = audit_log.c.after["last_attempt_id"].astext
    later = case(
        (marked_after.is_(None), contact_attempts.c.attempted_at > audit_log.c.occurred_at),
        else_=contact_attempts.c.id > cast(marked_after, BigInteger))
    called_back_since = (exists().where(since_deadline(),
                                        contact_attempts.c.outcome == CALLBACK_REQUESTED, later)
                         .correlate_except(contact_attempts))  # the outer case and the mark
    # asking for a person after the mark (on their page, say), first or again, is a callback
    # request too
    asked_since = func.coalesce(and_(cases.c.choice == "talk_to_person",  # NULL: not asked
                                     cases.c.choice_at > audit_log.c.occurred_at), False)
    # so is a phone number recorded for them after it (``CALL_RESUMED``)
    again = audit_log.alias("asked_again")
    asked_again = (exists().where(again.c.entity_type == "case",
                                  again.c.entity_id == cast(cases.c.id, Text),
                                  or_(and_(again.c.action == CHOICE_REPEATED,
                                           again.c.after["choice"].astext == "talk_to_person"),
                                      again.c.action == CALL_RESUMED),
                                  again.c.seq > audit_log.c.seq)
                   .correlate_except(again))
    return exists().where(mark, ~called_back_since, ~asked_since, ~asked_again)


def latest_mark_why() -> ScalarSelect[str]:
    """The ``why`` of the case's latest "could not be reached" mark (NULL: none, or marked after
    the attempts, which says none)."""
    mark = audit_log.alias("latest_mark")
    return (select(mark.c.after["why"].astext)
            .where(mark.c.entity_type == "case", mark.c.entity_id == cast(cases.c.id, Text),
                   mark.c.action == UNREACHABLE_ACTION)
            .order_by(mark.c.seq.desc()).limit(1).correlate_except(mark).scalar_subquery())


def phone_calls() -> ColumnElement[bool]:
    """The case's phone calls (``CALL_CHANNEL``): an email or a text message is no call."""
    return and_(contact_attempts.c.case_id == cases.c.id,
                contact_attempts.c.channel == CALL_CHANNEL)


def since_deadline() -> ColumnElement[bool]:
    """The case's phone calls from its plan's deadline on: those a call owed counts (an email
    or a text message neither makes the call nor uses up its attempts) — from the moment the
    call was owed again instead, if it was (``CALL_RESUMED``: a new phone number; tries at the
    old one say nothing about it)."""
    return and_(phone_calls(), contact_attempts.c.attempted_at >= counts_from())


def counts_from() -> ColumnElement[object]:
    """When the case's calls start to count towards the call owed: its plan's deadline, the
    latest moment the call was owed again (``CALL_RESUMED``), or the time the customer picked
    for it (``domain.call_times``: calls tried before it say nothing about reaching them then;
    ``cases.call_time_set_at`` keeps that moment once the call it asked for was made, and the
    moment they last picked or cleared a time on their page), whichever is latest."""
    resumed = audit_log.alias("call_resumed")
    resumed_at = (select(func.max(resumed.c.occurred_at))
                  .where(resumed.c.entity_type == "case",
                         resumed.c.entity_id == cast(cases.c.id, Text),
                         resumed.c.action == CALL_RESUMED)
                  .correlate_except(resumed).scalar_subquery())
    return func.greatest(incident_plans.c.deadline, resumed_at, cases.c.call_at,
                         cases.c.call_time_set_at)


def call_resumed() -> ColumnElement[bool]:
    """The case's call was owed again with a new phone number (``CALL_RESUMED``): its attempts
    count from then, at the new number, not from the deadline (the pages say so)."""
    resumed = audit_log.alias("call_resumed")
    return exists().where(resumed.c.entity_type == "case",
                          resumed.c.entity_id == cast(cases.c.id, Text),
                          resumed.c.action == CALL_RESUMED).correlate_except(resumed)


def calls_on_card() -> ColumnElement[bool]:
    """The phone calls a call-list card's last outcome is taken from: for a defaulted case
    those since the deadline, or since the call was owed again (the ones :func:`owed_a_call`
    counts: not a wrong number's outcome beside the new number), for an escalated one (still
    before the deadline) all of them."""
    return and_(phone_calls(), or_(cases.c.status != "defaulted",
                                    contact_attempts.c.attempted_at >= counts_from()))


def count_calls(calls: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(contact_attempts).where(calls).scalar_subquery()


def last_outcome(calls: ColumnElement[bool]) -> ScalarSelect[str]:
    """How the latest of ``calls`` ended (NULL when there is none): the last one logged, as
    :func:`given_up` orders them (two agents' clocks may disagree)."""
    return (select(contact_attempts.c.outcome).where(calls)
            .order_by(contact_attempts.c.id.desc()).limit(1).scalar_subquery())


def callback_pending(now: ColumnElement[Any], *, follow_ups: bool) -> ColumnElement[bool]:
    """The customer's latest phone call asked to be called back (``callback_requested``), at a
    time they named (:func:`last_callback_at`) or at none ("call me back later": as soon as the
    queue reaches it), and the call list is what brings them back: such a case is
    on the call queue whether or not a call is owed — before the deadline, after the customer
    chose, after the incident closed — and holds nothing back (``calls_owed`` counts
    :func:`owed_a_call` only). Not when:

    * the list of differences to follow up calls them instead (``follow_ups``: the desk
      policy keeps one): the case owes the discount's difference (``owes_a_difference``, with
      ``difference_reads.may_owe``: the discount leaves one to pay);
    * the customer has no phone number (nobody can call; the desk refuses such a time now);
    * since asking, the customer chose, or paid the difference: they have what they rang
      about (the latest call's time against ``choice_at`` and ``difference_paid_at``);
    * the time (or, with none named, the request) is more than :data:`CALLBACK_KEPT` behind
      ``now``: stale.

    Over ``cases`` joined to ``customers`` and ``incident_plans``."""
    callback = last_callback_at(phone_calls())
    asked_at = (select(contact_attempts.c.attempted_at).where(phone_calls())
                .order_by(contact_attempts.c.id.desc()).limit(1).scalar_subquery())
    stale = now - CALLBACK_KEPT
    # the two partial indexes of the few call-back requests: with a time, and without one
    recent = union_all(
        select(contact_attempts.c.case_id).where(contact_attempts.c.callback_at > stale),
        select(contact_attempts.c.case_id)
        .where(contact_attempts.c.outcome == CALLBACK_REQUESTED,
               contact_attempts.c.callback_at.is_(None), contact_attempts.c.attempted_at > stale))
    pending = and_(cases.c.id.in_(recent),
                   last_outcome(phone_calls()) == CALLBACK_REQUESTED,
                   func.coalesce(callback, asked_at) > stale,
                   customers.c.phone.is_not(None),
                   or_(cases.c.choice_at.is_(None), cases.c.choice_at <= asked_at),
                   or_(cases.c.difference_paid_at.is_(None),
                       cases.c.difference_paid_at <= asked_at))
    if not follow_ups:
        return pending
    inc, plan = incidents.alias("owing_incident"), incident_plans.alias("owing_plan")
    followed = and_(owes_a_difference(),
                    exists().where(inc.c.id == cases.c.incident_id,
                                   plan.c.incident_id == cases.c.incident_id, may_owe(inc, plan)))
    return and_(pending, ~followed)


def last_callback_at(calls: ColumnElement[bool]) -> ScalarSelect[object]:
    """The time the customer asked to be called back at in the latest of ``calls`` (NULL when
    the latest named none, or was no call-back request: only one carries a time)."""
    return (select(contact_attempts.c.callback_at).where(calls)
            .order_by(contact_attempts.c.id.desc()).limit(1).scalar_subquery())


def call_time() -> ColumnElement[Any]:
    """When the case's call is to be made, where someone said: the time the customer picked on
    their page (``cases.call_at``, ``domain.call_times``) — newer than any call-back time an
    agent logged, since a call-back request clears it — else the one the customer named in
    their latest phone call (:func:`last_callback_at`) if that call came at or after they
    last picked or cleared a time on their page (``call_time_set_at``: "as soon as you can"
    there outranks a time named on an earlier call). NULL: as soon as the queue reaches it."""
    since_page = or_(cases.c.call_time_set_at.is_(None),
                     contact_attempts.c.attempted_at >= cases.c.call_time_set_at)
    return func.coalesce(cases.c.call_at, last_callback_at(and_(phone_calls(), since_page)))


def soon_on_page() -> ColumnElement[bool]:
    """The customer's latest word on their page was "as soon as you can": no time picked
    (``call_at`` NULL) since they last chose there (``call_time_set_at``), and no phone call
    logged since (a call that made the call they asked for also moves ``call_time_set_at``,
    to no later than itself)."""
    called_since = exists().where(phone_calls(),
                                  contact_attempts.c.attempted_at >= cases.c.call_time_set_at)
    return and_(cases.c.call_at.is_(None), cases.c.call_time_set_at.is_not(None),
                ~called_since)
