"""A time the customer picks on their own page for the call the desk owes them ("call me on
Monday at ten"), and the times the page offers.

A customer on the call list (they asked to talk to a person, or their default is a call) is
told "one of our staff will call you soon"; a customer at work would rather say when. Their
case page offers the contact centre's open hours of the next :data:`OFFER_DAYS` days, on the
hour (:func:`call_slots`), and "as soon as you can"; the call queue keeps the case below the
others until the time and first from then on, as it does a call-back time an agent logged
(``call_attempts.check_callback_at``). Unlike an agent's call-back, whose time the customer
named on the phone, a time picked on the page must be one when someone is there to call
(:func:`check_call_time`).

The picked time lasts until the call it asks for is made: a phone call logged at or after it,
or a call-back the customer asked for on a call (its own time, or none), replaces it
(:func:`call_replaces_time`); their final answer clears it. A call before the time leaves it
standing, even one that reached them with no answer taken: their request is not fulfilled. So a picked time still on record and well past is a call we
promised and did not make (:func:`call_time_missed`): the customer's page apologises and asks
for a new time, and the agent's card says by how much it is overdue. Pure: ``now`` is always
passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.call_attempts import (
    CALL_CHANNEL,
    CALLBACK_REQUESTED,
    MAX_CALLBACK_AHEAD,
)
from sagwa.domain.consent import asked_for_a_person
from sagwa.domain.contact_hours import (
    ContactSchedule,
    contact_time_between,
    is_open,
    require_aware,
)
from sagwa.domain.future_times import check_future_time
from sagwa.domain.incidents import Case, CaseStatus
from sagwa.errors import InvalidInput

#: The audit action of a call time the customer picked (or cleared: "as soon as you can").
CALL_TIME_CHOSEN = "case.call_time_chosen"
#: How many calendar days the page offers times on (today included): a week ahead and the
#: same weekday next week (a customer writing on Saturday afternoon can still pick a Saturday).
OFFER_DAYS = 8
#: The offered times' spacing, from each open day's opening.
SLOT_STEP = timedelta(hours=1)
#: The soonest a time is offered after now: an agent needs a moment to see the card.
MIN_LEAD = timedelta(minutes=30)
#: A picked time is missed once more than this much *open* contact-centre time has passed
#: since it with the time still standing (no call made at or after it): agents had two open
#: hours to call and did not. Counted in open hours, so a time picked for 17:00 is not "missed"
#: overnight, but one picked for a Sunday 10:00 is by Monday lunchtime.
MISSED_AFTER = timedelta(hours=2)


def may_pick_call_time(case: Case, on_call_list: bool) -> bool:
    """Whose call may wait for a time of the customer's: a case on the call list
    (``on_call_list``, the list's own rule) whose customer asked to talk to a person
    (``consent.asked_for_a_person``: the call stays owed after the deadline) or whose deadline
    passed with a call as the default (``defaulted``). Not one the desk put on the list before
    the deadline without being asked (unanswered, or the apology undelivered): that call is to
    get an answer in time, and the default applies at the deadline whatever time was picked;
    such a customer can ask for a person first."""
    return on_call_list and (asked_for_a_person(case) or case.status is CaseStatus.DEFAULTED)


def call_time_missed(schedule: ContactSchedule, call_at: datetime | None,
                     now: datetime) -> bool:
    """The picked time ``call_at`` (still standing: no call replaced it) is more than
    :data:`MISSED_AFTER` of open contact-centre time behind ``now``: we did not call when we
    said we would."""
    return call_at is not None and contact_time_between(schedule, call_at, now) > MISSED_AFTER


def call_slots(schedule: ContactSchedule, now: datetime, *, days: int = OFFER_DAYS,
               step: timedelta = SLOT_STEP, lead: timedelta = MIN_LEAD) -> list[datetime]:
    """The times the page offers, in the centre's zone, earliest first: each open day's
    opening and every ``step`` after it while a whole ``step`` is left before closing (09:00 …
    17:00 for 09:00-18:00), from ``now + lead`` over the ``days`` calendar days from today
    (closed days and Korean holidays skipped, as the schedule says)."""
    local = require_aware(now, "now").astimezone(schedule.zone)
    soonest = local + lead
    slots: list[datetime] = []
    for offset in range(days):
        hours = schedule.opening(local.date() + timedelta(days=offset))
        if hours is None:
            continue
        at, closes = hours
        while at + step <= closes:
            if at >= soonest:
                slots.append(at)
            at += step
    return slots


def check_call_time(schedule: ContactSchedule, call_at: datetime, now: datetime, *,
                    max_ahead: timedelta = MAX_CALLBACK_AHEAD) -> None:
    """A time the customer may pick: with a time zone, after ``now``, at most ``max_ahead``
    ahead, and when the contact centre is open (``contact_hours.is_open``: someone is there to
    call). InvalidInput (field ``call_at``) otherwise. Any such time, not only an offered one:
    the offer is the page's convenience, the rule is this."""
    check_future_time(call_at, now, max_ahead=max_ahead, what="the call time", field="call_at",
                      zone_reason="call_time_without_zone", past_reason="call_time_past",
                      too_far_reason="call_time_too_far", passed="has passed")
    if not is_open(schedule, call_at):
        raise InvalidInput(f"the contact centre is closed at {call_at.isoformat()}: nobody "
                           "could call then", field="call_at", reason="call_time_closed")


def call_replaces_time(call_at: datetime | None, *, channel: str, outcome: str,
                       attempted_at: datetime) -> bool:
    """A contact attempt that replaces the customer's picked time ``call_at``: a phone call
    made at or after the time — the call they asked for — or one where they asked to be called
    back (the customer's new wish: the call names its own time, or none). An email, a text
    message, or any other call before the time leaves it: someone tried early, or even reached
    them early, and the customer's request stands until it is fulfilled — by the call at their
    time, or by their final answer, which clears the time when it is recorded
    (``case_repo.save``), whether taken on that early call or not."""
    if call_at is None or channel != CALL_CHANNEL:
        return False
    return outcome == CALLBACK_REQUESTED or attempted_at >= call_at
