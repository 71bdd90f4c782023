"""Calls owed after an incident's deadline: how a call attempt can end, and when the desk stops
trying.

A customer is *owed a call* when their case took the default at the deadline while a call was
still due: they had asked to talk to a person, or their default is a follow-up call (the plan's
default, or a capped keep for more units than the cap: ``incident_plan.default_outcome``). Only
phone calls from the deadline on count towards that call (an email or a text message
neither makes the call nor uses up its attempts); one made before it was to get an answer
in time, not the call the default promised. Then:

* an attempt that ``reached`` the customer is the call: the customer leaves the call list;
* any other outcome is one attempt. After the desk policy's ``max_attempts`` of them
  (:func:`gives_up`) the case is marked "could not be reached" on the audit log
  (:data:`UNREACHABLE_ACTION`) and leaves the call list too;
* but only attempts spaced out count towards ``max_attempts``: an attempt logged less than the
  policy's ``min_spacing_minutes`` (default :data:`DEFAULT_MIN_SPACING`, two hours) after the
  last attempt that counted is recorded as usual and refused nothing, yet does not count
  (:func:`counted_attempts`). Three calls in one minute — no answer, busy, voicemail — find the
  customer in one moment (in a meeting, driving, asleep after a night shift); they say nothing
  about whether the customer can be reached at all. Two hours apart, the attempts that give up
  span at least four hours of the contact day (with the default three: morning, midday and
  afternoon, or different days), which is what "we tried and could not reach you" promises.
  Counting from the last *counted* attempt (not the last one logged) means calls every hour
  still count every second one, so an agent who keeps trying is not kept from ever
  concluding;
* and only attempts made while the contact centre is open count (:func:`uncountable`): one
  logged in the evening, at a weekend or on a holiday is recorded, refused nothing, and does
  not count — nor does one made before a time the customer asked to be called back at. A call
  at or after that time counts whatever the hour: the customer chose it;
* ``callback_requested`` counts as an attempt, but while it is the latest one the desk does not
  give up: the customer asked to be called back, so the call list keeps them, shows the
  request, and the next attempt decides. That holds after the mark too: a customer who asks
  to be called back once the case was marked is owed the call again (the mark stays on the
  log), and if the next attempt does not reach them either, :func:`gives_up` decides again
  and a new mark takes them off the list. The customer may name a time ("Monday at ten":
  ``callback_at``, :func:`check_callback_at`): the call list then puts the case first from
  that time on and after the others until then (nobody calls before it), and a difference's
  follow-up comes back at it (``difference_follow_up``).

A customer with no phone number on file cannot be called at all: the desk gives up at once,
when the call becomes owed (at the deadline, or when they ask for a person after it), with no
attempt (the mark says :data:`NO_PHONE` as ``why``), and the message says we have no number to
call them on instead of "we called" (``desk_unreachable``). Nothing else is waited for: spaced
attempts at a number that does not exist would only keep the incident from closing.

A new phone number changes that (``services.customer_contact``): when a number is recorded for
a customer owed a call after the deadline — none on file before, or a different one after
attempts at a wrong number — only the attempts from then on count towards the call
(:data:`CALL_RESUMED` on the audit log): tries at a number that could not reach them say
nothing about the new one; and if the desk had given up, the call is owed again. Removing the number of a customer still owed a call gives up at
once, as above.

Giving up ends only the desk's duty to call: an answer the customer gives later still counts
as before (``consent.record_choice``). Which cases are owed a call is one query,
``call_list_sql.owed_a_call``: not reached since the deadline and not given up — marked
unreachable with no ``callback_requested`` phone call after the mark. The mark is written only
where :func:`gives_up` says so, when an attempt is logged, so a change of ``max_attempts``
applies from each case's next attempt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sagwa.domain.consent import asked_for_a_person
from sagwa.domain.future_times import check_future_time
from sagwa.domain.incidents import Case
from sagwa.errors import InvalidInput

#: The channel of a call: only phone calls count towards a call owed.
CALL_CHANNEL = "phone"
REACHED = "reached"
CALLBACK_REQUESTED = "callback_requested"
#: How long a call-back nobody made stays on the call list after its time (or, with no time
#: named, after the request): "call now" all that while; after it the request has gone stale
#: and only the contact history keeps it (``call_list_sql.callback_pending``).
CALLBACK_KEPT = timedelta(days=7)
#: How an attempt to contact a customer ended, as agents record it. ``wrong_number`` also
#: stops text messages to the number tried (``domain.wrong_numbers``).
OUTCOMES = (REACHED, "no_answer", "busy", "wrong_number", "voicemail", CALLBACK_REQUESTED)

#: The audit action that says the desk stopped trying to reach a customer it owed a call.
UNREACHABLE_ACTION = "case.unreachable"
#: The mark's ``why`` when the customer has no phone number on file (given up with no attempt).
NO_PHONE = "no_phone"
#: The audit action of a call owed again after the desk gave up: a phone number was recorded
#: for the customer (``why``: :data:`PHONE_ADDED` or :data:`PHONE_CHANGED`); attempts count
#: from it.
CALL_RESUMED = "case.call_resumed"
PHONE_ADDED = "phone_added"
PHONE_CHANGED = "phone_changed"
#: The audit action of the same choice given again: asking for a person again after the desk
#: gave up calling puts the customer back on the call list.
CHOICE_REPEATED = "case.choice_repeated"

#: The desk policy's ``[calls] max_attempts``: its default and the range it may take.
DEFAULT_MAX_ATTEMPTS = 3
MIN_MAX_ATTEMPTS, MAX_MAX_ATTEMPTS = 1, 10
#: The desk policy's ``[calls] min_spacing_minutes``: how far after the last counted attempt
#: another one counts (see the module docstring), its default and the range it may take
#: (0 counts every attempt; at most a day).
DEFAULT_MIN_SPACING = timedelta(hours=2)
MAX_MIN_SPACING = timedelta(hours=24)
#: How far ahead a customer may ask to be called back at a time of their own
#: (:func:`check_callback_at`): two weeks. A later one is most likely a mistyped date, and a
#: call owed should not wait that long anyway.
MAX_CALLBACK_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class OwedCall:
    """A call still owed on a case: the attempts counted towards it (those since the deadline,
    none of which reached the customer, spaced out: :func:`counted_attempts`), how the latest
    attempt ended, and whether the latest one counted (``False``: it came too soon after the
    last counted one, and ``counts_from`` is when the next one would count)."""

    case_id: int
    attempts: int
    last_outcome: str | None
    last_counted: bool = True
    counts_from: datetime | None = None
    #: Why the latest attempt did not count (None when it did): :data:`TOO_SOON`,
    #: :data:`OUTSIDE_HOURS` or :data:`BEFORE_CALLBACK`.
    not_counted: str | None = None
    #: The time the customer asked to be called back at, still to come (None: none named, or
    #: a call came at or after it): calls before it do not count.
    callback_at: datetime | None = None


class CallTried(NamedTuple):
    """A phone call logged towards a call owed: when, how it ended, whether the contact
    centre was open then (``contact_hours``, as logged) and the time the customer asked to be
    called back at, when this call was their request and named one."""

    at: datetime
    outcome: str
    within_hours: bool = True
    callback_at: datetime | None = None
    #: A call-back request made before calls began to count (the deadline), for a time after
    #: it: no attempt of the call owed, but calls before that time do not count either.
    earlier: bool = False


#: Why a call did not count towards "could not be reached" (``OwedCall.not_counted``).
TOO_SOON = "too_soon"
OUTSIDE_HOURS = "outside_hours"
BEFORE_CALLBACK = "before_callback"


def uncountable(calls: Sequence[CallTried]) -> list[str | None]:
    """For calls in the order logged, why each may not count at all (None: it may, if spaced):

    * :data:`BEFORE_CALLBACK` — made before the time the customer asked, in an earlier call, to
      be called back at: calling earlier says nothing about reaching them then;
    * :data:`OUTSIDE_HOURS` — made while the contact centre was closed (evenings, weekends,
      holidays: ``contact_hours``): nobody is to be called then, and three evening tries said
      "we called you 3 times" to a customer nobody called in the day (a CS walk). A call at or
      after a time the customer named counts whatever the hour: they chose it.

    A call at or after the named time answers the request: later ones are judged as before."""
    return _uncountable(calls)[0]


def _uncountable(calls: Sequence[CallTried], *, asked_for: datetime | None = None
                 ) -> tuple[list[str | None], datetime | None]:
    """:func:`uncountable`'s answer, and the call-back time still to come after the calls
    (None: none named, or a call came at or after it); ``asked_for``: a time asked for before
    the calls (``CallTried.earlier``)."""
    why: list[str | None] = []
    for call in calls:
        if asked_for is not None and call.at < asked_for:
            why.append(BEFORE_CALLBACK)
        elif asked_for is None and not call.within_hours:
            why.append(OUTSIDE_HOURS)
        else:
            why.append(None)
            asked_for = None
        if call.outcome == CALLBACK_REQUESTED:
            asked_for = call.callback_at  # None: "call me back later", no time named
    return why, asked_for


def counted_attempts(times: Sequence[datetime], min_spacing: timedelta, *,
                     may_count: Sequence[bool] | None = None) -> list[bool]:
    """For attempts at ``times`` (in the order they were logged), whether each counts: the first
    does, and each later one that comes at least ``min_spacing`` after the last that counted
    (an earlier clock reading — two agents' clocks — does not count); with ``may_count``, only
    those it allows (:func:`uncountable`)."""
    counted: list[bool] = []
    last: datetime | None = None
    for i, at in enumerate(times):
        counts = (may_count is None or may_count[i]) and (last is None or at - last >= min_spacing)
        counted.append(counts)
        if counts:
            last = at
    return counted


def owed_call(case_id: int, attempts: Sequence[CallTried | tuple[datetime, str]],
              min_spacing: timedelta) -> OwedCall:
    """The call owed on ``case_id`` from its phone calls since the deadline, in the order
    logged (``(at, outcome)`` alone: made within the contact hours, naming no time)."""
    given = [a if isinstance(a, CallTried) else CallTried(*a) for a in attempts]
    asked_before = next((c.callback_at for c in reversed(given) if c.earlier), None)
    calls = [c for c in given if not c.earlier]
    why, asked_for = _uncountable(calls, asked_for=asked_before)
    counted = counted_attempts([c.at for c in calls], min_spacing,
                               may_count=[w is None for w in why])
    last_at = max((c.at for c, n in zip(calls, counted, strict=True) if n), default=None)
    last_counted = counted[-1] if counted else True
    not_counted = None if last_counted else (why[-1] or TOO_SOON)
    return OwedCall(case_id, sum(counted), calls[-1].outcome if calls else None, last_counted,
                    last_at + min_spacing if last_at is not None else None, not_counted,
                    asked_for)


def gives_up(call: OwedCall, max_attempts: int) -> bool:
    """Whether the desk stops trying: ``max_attempts`` attempts counted, the latest of them
    counted too (one that came too soon changes nothing), and it was not the customer asking
    to be called back."""
    return (call.attempts >= max_attempts and call.last_counted
            and call.last_outcome != CALLBACK_REQUESTED)


def attempt_counted(owed: OwedCall | None, *, channel: str, at: datetime,
                    deadline: datetime | None) -> bool:
    """Whether the attempt just logged (``channel``, ``at``) counted towards giving up on the
    call owed — towards "could not be reached": ``owed`` is the call still owed after it
    (None: no call is owed, or this attempt reached the customer and made it). Only a phone
    call from the deadline on counts (one before it was to get an answer in time), and only
    when spaced out (``owed.last_counted``: it is the latest of the calls ``owed`` counted)."""
    return (owed is not None and channel == CALL_CHANNEL and deadline is not None
            and at >= deadline and owed.last_counted)


def check_callback_at(outcome: str, callback_at: datetime | None, now: datetime, *,
                      channel: str = CALL_CHANNEL) -> None:
    """A time the customer asked to be called back at ("Monday at ten"), logged with the
    attempt: only with ``callback_requested`` on a phone call (the call list reads phone calls
    only; a customer who writes asking for a call is logged as the call that follows), with a
    time zone, after ``now`` and at most
    :data:`MAX_CALLBACK_AHEAD` ahead; InvalidInput (field ``callback_at``) otherwise. None is
    always fine: "call me back later" names no time (the call list then tries again after the
    spacing). Whatever the hour: the customer chose it, whether or not the contact centre's
    hours include it (the pages say when they do not)."""
    if callback_at is None:
        return
    if outcome != CALLBACK_REQUESTED:
        raise InvalidInput(f"a call-back time goes with the outcome {CALLBACK_REQUESTED}, not "
                           f"{outcome}", field="callback_at", reason="callback_time_without_request")
    if channel != CALL_CHANNEL:
        raise InvalidInput(f"a call-back time is logged with a phone call, not {channel}",
                           field="callback_at", reason="callback_time_not_phone")
    check_future_time(callback_at, now, max_ahead=MAX_CALLBACK_AHEAD, what="the call-back time",
                      field="callback_at", zone_reason="callback_time_without_zone",
                      past_reason="callback_time_past", too_far_reason="callback_time_too_far")


def callback_after_deadline(callback_at: datetime | None, deadline: datetime | None, *,
                            still_choosing: bool, case: Case) -> bool:
    """A call-back time (named on a call, or picked on the customer's page) after the answer
    deadline of a case ``still_choosing`` (the caller's reading: before the deadline and
    unanswered, or the page's answer state): by then the default has applied — unless the
    customer asked to talk to a person, whose answer is taken on the call whenever it comes
    (``consent.asked_for_a_person``). The one rule the agent's answer and the card say."""
    return (callback_at is not None and deadline is not None and still_choosing
            and callback_at > deadline and not asked_for_a_person(case))
