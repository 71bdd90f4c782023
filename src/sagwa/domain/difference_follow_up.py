"""When a person follows up a difference still unpaid.

A customer who chose to buy at the discounted correct price owes the difference
(``domain.difference``). sagwa takes no payment, and it never cancels their order without their
consent: the reminder says so, and they may cancel instead (``domain.cancel_instead``). So a
customer who neither pays nor cancels keeps a held order, and only a person can settle it.

The desk's policy (``[difference] follow_up_after_days``, :data:`DEFAULT_FOLLOW_UP_DAYS`) says
how long a difference may stay unpaid before an agent follows it up. From then on the case is
on the agents' list of differences to follow up (the call queue page, ``sagwa incident
follow-ups``, ``GET /api/difference-follow-ups``), the longest waiting first. The agent calls
and records how it went. The customer may pay, cancel instead, or ask for more time.

Any contact an agent logs on the case since the choice restarts the wait: a call, an email or
a text, however it ended. The case returns to the list ``follow_up_after`` after the latest
contact (:func:`follow_up_due`). A customer who was just called is not called again the next
day, and one who cannot be reached is tried again every period until they pay or cancel. The
order stays held: nobody cancels it for them.

Except when the customer asked to be called back (the latest contact's outcome is
``callback_requested``): then the case is due again as soon as another call counts on the call
list (``[calls] min_spacing_minutes`` after it, two hours by default), not a week later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: Days after the discount choice before an unpaid difference is followed up by a person, and
#: the most a policy file may set (0: the desk keeps no such list).
DEFAULT_FOLLOW_UP_DAYS = 7
MAX_FOLLOW_UP_DAYS = 60


#: The outcome of a contact after which the customer is called back soon, not a period later.
CALLBACK_REQUESTED = "callback_requested"


def follow_up_due(chosen_at: datetime, last_contact_at: datetime | None, after: timedelta, *,
                  last_outcome: str | None = None,
                  callback_after: timedelta = timedelta(0)) -> datetime:
    """When a case that chose the discount at ``chosen_at`` is next due a follow-up: ``after``
    the choice, or ``after`` the latest contact logged since it (``last_contact_at``, which
    ended in ``last_outcome``; a contact before the choice was about something else) —
    ``callback_after`` it when the customer asked to be called back."""
    if last_contact_at is None or last_contact_at < chosen_at:
        return chosen_at + after
    if last_outcome == CALLBACK_REQUESTED:
        return last_contact_at + callback_after
    return last_contact_at + after


def days_waiting(chosen_at: datetime, now: datetime) -> int:
    """Whole days since the choice (0 on its first day): how long the difference has been
    owed."""
    return max((now - chosen_at).days, 0)
