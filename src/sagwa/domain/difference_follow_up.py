"""When a person follows up a difference still unpaid.

A customer who chose to buy at the discounted correct price owes the difference
(``domain.difference``). sagwa takes no payment, and it never cancels their order without their
consent: the reminder says so, and where the plan offers a cancellation they may cancel instead
(``domain.cancel_instead``). So a customer who neither pays nor cancels keeps a held order, and
only a person can settle it.

The desk's policy (``[difference] follow_up_after_days``, :data:`DEFAULT_FOLLOW_UP_DAYS`) says
how long a difference may stay unpaid before an agent follows it up. From then on the case is
on the agents' list of differences to follow up (the call queue page, ``sagwa incident
follow-ups``, ``GET /api/difference-follow-ups``), the longest due first. The agent calls and
logs how it went; the customer may pay, cancel instead, or ask for more time. What the latest
contact since the choice (a call, an email or a text) says decides when the case is due again
(:func:`follow_up_due`):

* ``reached``: the customer was told; they are due again a whole period after it (a customer
  who was just called is not called again the next day);
* ``callback_requested``: at the time the customer named, if they named one
  (``callback_at``); otherwise as soon as another call counts on the call list
  (``[calls] min_spacing_minutes`` after it, two hours by default);
* anything else (no answer, busy, voicemail, a wrong number) is a try that did not reach
  them: they are due again after that spacing too, as the call list tries again later that
  day — until ``[calls] max_attempts`` such tries in a row since they were last reached (or
  since the choice) have failed. Then the round rests: the next try is due a period after the
  last, and starts a new round.

The order stays held throughout: nobody cancels it for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

#: Days after the discount choice before an unpaid difference is followed up by a person, and
#: the most a policy file may set (0: the desk keeps no such list).
DEFAULT_FOLLOW_UP_DAYS = 7
MAX_FOLLOW_UP_DAYS = 60
#: The outcome of a contact that reached the customer.
REACHED = "reached"
#: The outcome of a contact after which the customer is called back soon, not a period later.
CALLBACK_REQUESTED = "callback_requested"


@dataclass(frozen=True)
class Contacts:
    """The contacts an agent logged since the choice, as far as the follow-up needs them: the
    latest (when and how it ended; None without one) and how many tries in a row, up to the
    latest, did not reach the customer (neither ``reached`` nor ``callback_requested``), and
    the time the customer asked to be called back at, if the latest was such a request with a
    time."""

    last_at: datetime | None = None
    last_outcome: str | None = None
    missed_in_a_row: int = 0
    callback_at: datetime | None = None


@dataclass(frozen=True)
class Cadence:
    """How often the follow-up comes back: a whole ``period`` (the policy's
    ``follow_up_after_days``), the ``spacing`` between tries, and the ``tries`` in a round."""

    period: timedelta
    spacing: timedelta
    tries: int


def follow_up_due(chosen_at: datetime, contacts: Contacts, cadence: Cadence) -> datetime:
    """When a case that chose the discount at ``chosen_at`` is next due a follow-up, given the
    ``contacts`` since the choice (a contact before it was about something else: the caller
    leaves it out)."""
    last = contacts.last_at
    if last is None or last < chosen_at:
        return chosen_at + cadence.period
    if contacts.last_outcome == REACHED:
        return last + cadence.period
    if contacts.last_outcome == CALLBACK_REQUESTED:
        return contacts.callback_at or last + cadence.spacing
    round_over = contacts.missed_in_a_row > 0 and contacts.missed_in_a_row % cadence.tries == 0
    return last + (cadence.period if round_over else cadence.spacing)


def days_waiting(chosen_at: datetime, now: datetime) -> int:
    """Whole days since the choice (0 on its first day): how long the difference has been
    owed."""
    return max((now - chosen_at).days, 0)
