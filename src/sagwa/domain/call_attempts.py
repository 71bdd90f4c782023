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
* ``callback_requested`` counts as an attempt, but while it is the latest one the desk does not
  give up: the customer asked to be called back, so the call list keeps them, shows the
  request, and the next attempt decides. That holds after the mark too: a customer who asks
  to be called back once the case was marked is owed the call again (the mark stays on the
  log), and if the next attempt does not reach them either, :func:`gives_up` decides again
  and a new mark takes them off the list.

Giving up ends only the desk's duty to call: an answer the customer gives later still counts
as before (``consent.record_choice``). Which cases are owed a call is one query,
``ReadRepository``'s ``_owed_a_call``: not reached since the deadline and not given up — marked
unreachable with no ``callback_requested`` phone call after the mark. The mark is written only
where :func:`gives_up` says so, when an attempt is logged, so a change of ``max_attempts``
applies from each case's next attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The channel of a call: only phone calls count towards a call owed.
CALL_CHANNEL = "phone"
REACHED = "reached"
CALLBACK_REQUESTED = "callback_requested"
#: How an attempt to contact a customer ended, as agents record it.
OUTCOMES = (REACHED, "no_answer", "busy", "wrong_number", "voicemail", CALLBACK_REQUESTED)

#: The audit action that says the desk stopped trying to reach a customer it owed a call.
UNREACHABLE_ACTION = "case.unreachable"

#: The desk policy's ``[calls] max_attempts``: its default and the range it may take.
DEFAULT_MAX_ATTEMPTS = 3
MIN_MAX_ATTEMPTS, MAX_MAX_ATTEMPTS = 1, 10


@dataclass(frozen=True)
class OwedCall:
    """A call still owed on a case: the attempts counted towards it (those since the deadline,
    none of which reached the customer) and how the latest of them ended."""

    case_id: int
    attempts: int
    last_outcome: str | None


def gives_up(call: OwedCall, max_attempts: int) -> bool:
    """Whether the desk stops trying: ``max_attempts`` attempts made, and the latest was not
    the customer asking to be called back."""
    return call.attempts >= max_attempts and call.last_outcome != CALLBACK_REQUESTED
