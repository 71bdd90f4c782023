"""The contact centre's call list and the record of phone calls to cases, for the pages that
show a case: who is owed a call, by when, how often they were tried and how the latest call
ended. The rule of who is on the list is ``call_list_sql``'s; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.call_list_sql import (
    call_resumed,
    call_time,
    callback_pending,
    calls_on_card,
    count_calls,
    counts_from,
    given_up,
    last_outcome,
    latest_mark_why,
    owed_a_call,
    phone_calls,
    since_deadline,
    soon_on_page,
)
from sagwa.adapters.db.tables import cases, contact_attempts, customers, incident_plans
from sagwa.domain.call_attempts import (
    CALLBACK_REQUESTED,
    DEFAULT_MIN_SPACING,
    NO_PHONE,
    REACHED,
    CallTried,
    OwedCall,
    owed_call,
)
from sagwa.domain.money import Money


@dataclass(frozen=True)
class QueuedCase:
    """One case on the contact centre's call queue, with whom to call and by when;
    ``attempts_counted`` are the phone calls since the deadline that count towards a call owed,
    spaced out (``sagwa.domain.call_attempts.counted_attempts``), ``phone_calls`` all of the
    case's phone calls
    (an email or a text message is no call), and ``last_outcome`` how the latest call the card
    is about ended (:func:`calls_on_card`). ``told``: the customer was sent the apology or
    reached by phone (``cases.first_notified_at``); a defaulted case never told hears of the
    incident first from the agent."""

    case_id: int
    incident_id: int
    customer_id: int
    customer_name: str
    phone: str | None
    locale: str
    status: str
    choice: str | None
    exposure: Money
    deadline: datetime | None
    attempts_counted: int = 0
    phone_calls: int = 0
    last_outcome: str | None = None
    told: bool = True
    #: The attempts count from a new phone number given after the deadline
    #: (:func:`call_resumed`), not from the deadline.
    new_number: bool = False
    #: The time the customer asked to be called back at, in their latest phone call (None:
    #: they named none, or the latest call was no call-back request).
    callback_at: datetime | None = None
    #: ``callback_at`` is the time the customer picked on their own page
    #: (``domain.call_times``), not one they named on a call.
    time_picked: bool = False
    #: The customer chose "as soon as you can" on their page (after a time named on a call,
    #: or one they had picked) and no phone call came since.
    soon_on_page: bool = False

    def callback_waits(self, now: datetime) -> bool:
        """The customer asked to be called back at a time still ahead: nobody calls before."""
        return self.callback_at is not None and self.callback_at > now


@dataclass(frozen=True)
class CallRecord:
    """The phone calls to one case as its pages show them: all calls, those since the deadline
    (counted towards a call owed), how the latest on its card ended (:func:`calls_on_card`),
    whether one of those reached the customer, whether the desk gave up (marked "could not be
    reached": :func:`given_up`) and whether the case is on the call list now."""

    case_id: int
    phone_calls: int
    attempts_counted: int
    last_outcome: str | None
    reached: bool
    unreachable: bool
    on_call_list: bool
    #: The customer has no phone number on file: nobody can call them (a mark then means the
    #: desk gave up at once, with no attempt: ``call_attempts.NO_PHONE``).
    no_phone: bool = False
    #: The latest "could not be reached" mark says why: no number to call (not the attempts).
    marked_no_phone: bool = False
    #: The attempts count from a new phone number given after the deadline
    #: (:func:`call_resumed`), not from the deadline.
    new_number: bool = False

    @property
    def given_up_no_phone(self) -> bool:
        """The desk gave up calling because there was no number to call: what the pages say
        instead of "called N times" (also after the customer called in and asked to be called
        back, a phone call on the record that marked them again) — not after attempts that used
        up the tries, whose number was removed later."""
        return self.unreachable and self.marked_no_phone


class CallListReads:
    """The reads of the call list and of the calls made (a part of ``ReadRepository``)."""

    conn: Connection

    def call_queue(self, *, limit: int = 100, min_spacing: timedelta = DEFAULT_MIN_SPACING,
                   now: datetime | None = None, follow_ups: bool = True) -> list[QueuedCase]:
        """Cases waiting for a call (:func:`owed_a_call`, or a call-back at the customer's
        time: :func:`callback_pending`): first those whose customer asked to be called back at
        a time, or picked one on their page (:func:`call_time`), now come (``now``; the
        database's clock without it), that
        time first; then the others by deadline (cases without a plan last), then case id;
        last those asked to be called back at a time still ahead, the soonest first (nobody
        calls before it). Their attempts counted spaced ``min_spacing`` apart; ``follow_ups``:
        the desk policy keeps a list of differences to follow up (which calls those cases
        back instead: :func:`callback_pending`)."""
        callback = call_time()
        at = func.now() if now is None else literal(now, DateTime(timezone=True))
        part = case((callback <= at, 0), (callback > at, 2), else_=1)
        # two indexed reads of ids, not one OR over every case ever recorded
        owed = (select(cases.c.id)
                .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
                .where(owed_a_call()).correlate(None))
        pending = (select(cases.c.id).join(customers, customers.c.id == cases.c.customer_id)
                   .outerjoin(incident_plans,
                              incident_plans.c.incident_id == cases.c.incident_id)
                   .where(callback_pending(at, follow_ups=follow_ups)).correlate(None))
        q = (_queued_columns().where(cases.c.id.in_(union_all(owed, pending)))
             .order_by(part, callback, incident_plans.c.deadline.asc().nulls_last(),
                       cases.c.id).limit(limit))
        return self._spaced([_queued(r) for r in self.conn.execute(q)], min_spacing)

    def calls_waiting_for_a_time(self, case_ids: list[int], *, now: datetime,
                                 follow_ups: bool = True) -> dict[int, datetime]:
        """Of ``case_ids``, those on the call queue (:meth:`call_queue`'s rule: a call owed, or
        a call-back pending) whose call waits for a time someone said (:func:`call_time`):
        case id -> that time. One query; the agents' lookup marks them."""
        if not case_ids:
            return {}
        at = literal(now, DateTime(timezone=True))
        q = (select(cases.c.id, call_time().label("at"))
             .join(customers, customers.c.id == cases.c.customer_id)
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(among(cases.c.id, case_ids), call_time().is_not(None),
                    or_(owed_a_call(), callback_pending(at, follow_ups=follow_ups))))
        return {int(r.id): r.at for r in self.conn.execute(q)}

    def call_time_of(self, case_id: int) -> datetime | None:
        """When the case's call is to be made, where someone said (:func:`call_time`: the
        customer's picked time, else the one named in their latest phone call)."""
        return self.conn.execute(select(call_time()).select_from(cases)
                                 .where(cases.c.id == case_id)).scalar_one_or_none()

    def calls_owed(self, incident_id: int) -> int:
        """How many of the incident's customers are still owed a call (:func:`owed_a_call`)."""
        return int(self.conn.execute(
            select(func.count()).select_from(cases)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .where(cases.c.incident_id == incident_id, owed_a_call())).scalar_one())

    def owed_without_phone(self, incident_id: int,
                           case_ids: list[int] | None = None) -> list[int]:
        """The incident's cases owed a call after the deadline (:func:`owed_a_call`, defaulted:
        not given up) whose customer has no phone number on file — nobody can call them
        (``call_attempts.NO_PHONE``); only among ``case_ids`` when given. By case id. A case
        still escalated (before the deadline's job) is not: it may still answer, and the
        deadline's job writes to it."""
        q = (select(cases.c.id).join(customers, customers.c.id == cases.c.customer_id)
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(cases.c.incident_id == incident_id, customers.c.phone.is_(None),
                    cases.c.status == "defaulted", owed_a_call())
             .order_by(cases.c.id))
        if case_ids is not None:
            q = q.where(among(cases.c.id, case_ids))
        return [int(i) for i in self.conn.execute(q).scalars()]

    def calls_after_deadline(self, case_ids: list[int]) -> dict[int, bool]:
        """Those of ``case_ids`` owed a call after the deadline (defaulted, unreached, incident
        not closed: :func:`owed_a_call`) or that were until the desk gave up (:func:`given_up`:
        could not reach them, or no number to call): case id -> given up; by case id."""
        if not case_ids:
            return {}
        q = (select(cases.c.id, given_up().label("given_up"))
             .join(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(among(cases.c.id, case_ids), cases.c.status == "defaulted",
                    owed_a_call(given_up_too=True))
             .order_by(cases.c.id))
        return {int(r.id): bool(r.given_up) for r in self.conn.execute(q)}

    def owed_call(self, case_id: int, *,
                  min_spacing: timedelta = DEFAULT_MIN_SPACING) -> OwedCall | None:
        """The case's call still owed, if it is on the call list (:func:`owed_a_call`): the
        attempts since the deadline that count, spaced ``min_spacing`` apart
        (``call_attempts.owed_call``), and the latest one's outcome."""
        listed = self.conn.execute(
            select(cases.c.id).select_from(cases)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
            .where(cases.c.id == case_id, owed_a_call())).one_or_none()
        if listed is None:
            return None
        return owed_call(case_id, self.calls_since_deadline([case_id]).get(case_id, []),
                         min_spacing)

    def calls_since_deadline(self, case_ids: list[int]) -> dict[int, list[CallTried]]:
        """Case id -> its phone calls from its plan's deadline on (the ones a call owed counts),
        in the order logged — after any call-back request made before it for a time after it
        (``CallTried.earlier``: no attempt, but nobody's call before that time counts; a
        review: asked on Thursday for Monday 10:00, Saturday's calls gave up on them)."""
        out: dict[int, list[CallTried]] = {}
        if not case_ids:
            return out
        starts = counts_from()
        earlier = contact_attempts.c.attempted_at < starts
        q = (select(contact_attempts.c.case_id, contact_attempts.c.attempted_at,
                    contact_attempts.c.outcome, contact_attempts.c.centre_open,
                    contact_attempts.c.callback_at, earlier.label("earlier"))
             .join(cases, cases.c.id == contact_attempts.c.case_id)
             .join(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(among(cases.c.id, case_ids), phone_calls(),
                    or_(~earlier, and_(contact_attempts.c.outcome == CALLBACK_REQUESTED,
                                       contact_attempts.c.callback_at > starts)))
             .order_by(contact_attempts.c.id))
        for row in self.conn.execute(q):
            # NULL: logged before the centre's hours were kept with a call; counted as then
            out.setdefault(int(row.case_id), []).append(CallTried(
                row.attempted_at, row.outcome, row.centre_open is not False, row.callback_at,
                earlier=bool(row.earlier)))
        return out

    def _spaced(self, queued: list[QueuedCase], min_spacing: timedelta) -> list[QueuedCase]:
        """``queued`` with ``attempts_counted`` as the desk counts them: spaced out."""
        calls = self.calls_since_deadline([q.case_id for q in queued])
        return [replace(q, attempts_counted=owed_call(q.case_id, calls.get(q.case_id, []),
                                                      min_spacing).attempts)
                for q in queued]

    def attempts_by_case(self, case_ids: list[int]) -> dict[int, list[Any]]:
        """Contact attempts of many cases at once (``contact_attempts`` rows), oldest first."""
        out: dict[int, list[Any]] = {}
        if not case_ids:
            return out
        q = (select(contact_attempts).where(among(contact_attempts.c.case_id, case_ids))
             .order_by(contact_attempts.c.attempted_at, contact_attempts.c.id))
        for row in self.conn.execute(q):
            out.setdefault(int(row.case_id), []).append(row)
        return out

    def call_records(self, case_ids: list[int], *,
                     min_spacing: timedelta = DEFAULT_MIN_SPACING) -> dict[int, CallRecord]:
        """How the desk's phone calls to these cases went (:class:`CallRecord`), for the pages
        that show a case: the same rules as the call list (:func:`owed_a_call`; attempts
        counted spaced ``min_spacing`` apart)."""
        if not case_ids:
            return {}
        reached = exists().where(calls_on_card(), contact_attempts.c.outcome == REACHED)
        q = (select(cases.c.id, count_calls(phone_calls()).label("calls"),
                    count_calls(since_deadline()).label("counted"),
                    last_outcome(calls_on_card()).label("last_outcome"),
                    reached.label("reached"), given_up().label("unreachable"),
                    owed_a_call().label("on_call_list"),
                    customers.c.phone.is_(None).label("no_phone"),
                    latest_mark_why().label("mark_why"), call_resumed().label("new_number"))
             .join(customers, customers.c.id == cases.c.customer_id)
             .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .where(among(cases.c.id, case_ids)))
        since = self.calls_since_deadline(case_ids)
        return {int(r.id): CallRecord(int(r.id), int(r.calls),
                                      owed_call(r.id, since.get(int(r.id), []), min_spacing).attempts,
                                      r.last_outcome, bool(r.reached), bool(r.unreachable),
                                      bool(r.on_call_list), bool(r.no_phone),
                                      r.mark_why == NO_PHONE, bool(r.new_number))
                for r in self.conn.execute(q)}

    def case_on_desk(self, case_id: int, *,
                     min_spacing: timedelta = DEFAULT_MIN_SPACING) -> QueuedCase | None:
        """One case with :meth:`call_queue`'s columns, whether or not it is on the call list:
        the card an agent works from after finding the case with the lookup."""
        row = self.conn.execute(_queued_columns().where(cases.c.id == case_id)).one_or_none()
        if row is None:
            return None
        return self._spaced([_queued(row)], min_spacing)[0]


def _queued_columns() -> Select[Any]:
    """A case with what its call-list card shows (:class:`QueuedCase`), over ``cases``."""
    return (select(cases, customers.c.name, customers.c.phone, customers.c.locale,
                   incident_plans.c.deadline, count_calls(since_deadline()).label("counted"),
                   count_calls(phone_calls()).label("calls"),
                   last_outcome(calls_on_card()).label("last_outcome"),
                   call_resumed().label("new_number"),
                   call_time().label("callback_at"), soon_on_page().label("soon_on_page"))
            .join(customers, customers.c.id == cases.c.customer_id)
            .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id))


def _queued(r: Any) -> QueuedCase:
    """A row of :func:`_queued_columns` (attempts counted as logged: ``_spaced`` spaces them)."""
    return QueuedCase(r.id, r.incident_id, r.customer_id, r.name, r.phone, r.locale, r.status,
                      r.choice, Money(r.exposure_minor, r.currency), r.deadline, int(r.counted),
                      int(r.calls), r.last_outcome, r.first_notified_at is not None,
                      bool(r.new_number), r.callback_at, r.call_at is not None,
                      bool(r.soon_on_page))
