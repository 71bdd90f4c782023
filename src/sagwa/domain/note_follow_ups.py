"""Call notes that ask someone to act: the contact centre's handoff between agents.

Every note an agent writes when logging a call (``contact_attempts.note``) is shown to whoever
handles the case next, newest first (:func:`notes_newest_first`). A note may also ask for a
*follow-up*: what the customer raised cannot be settled on the call (a refund they say did not
arrive, a question for the seller, "call me when you know"). The agent marks the note
"follow-up needed", optionally with a time to follow up by (:func:`check_follow_up`); the case
is then on the team's follow-up list (under the call queue) until someone records what was done
(:func:`check_follow_up_outcome`), which resolves it. Both steps are on the audit log
(:data:`FOLLOW_UP_ASKED`, :data:`FOLLOW_UP_RESOLVED`).

A follow-up is *due* from the moment it is asked when it names no time, else from that time
(:meth:`NoteFollowUp.due`); the list puts those due first, the longest due at the top, then
those still waiting for their time, the soonest first (:func:`list_order`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sagwa.domain.future_times import check_future_time
from sagwa.errors import InvalidInput

#: The audit action of a note marked "follow-up needed", and of the outcome that resolves it.
FOLLOW_UP_ASKED = "case.follow_up_asked"
FOLLOW_UP_RESOLVED = "case.follow_up_resolved"
#: The furthest ahead a follow-up's time may be (as a call-back time:
#: ``call_attempts.MAX_CALLBACK_AHEAD``).
MAX_FOLLOW_UP_AHEAD = timedelta(days=14)
#: The longest outcome a resolution takes (as a call note: ``contact_centre.MAX_WORDS``).
MAX_OUTCOME = 4000


@dataclass(frozen=True)
class NoteFollowUp:
    """One note's follow-up: asked with the note of ``attempt_id``; resolved once
    ``resolved_at`` is set, with what was done (``outcome``) and by whom."""

    follow_up_id: int
    case_id: int
    attempt_id: int
    note: str
    asked_by: str
    asked_at: datetime
    due_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    outcome: str | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    def due(self, now: datetime) -> bool:
        """Open, and its time (if it named one) has come."""
        return self.open and (self.due_at is None or self.due_at <= now)

    def waits(self, now: datetime) -> bool:
        """Open, with a time still ahead: nobody needs to act before it."""
        return self.open and self.due_at is not None and self.due_at > now


def check_follow_up(*, note: str | None, due_at: datetime | None, now: datetime) -> None:
    """A follow-up says what is to be done (the note: the next agent reads nothing else) and,
    if it names a time, one with a zone, after ``now`` and at most :data:`MAX_FOLLOW_UP_AHEAD`
    ahead. InvalidInput otherwise (fields ``note`` and ``follow_up_at``)."""
    if not (note or "").strip():
        raise InvalidInput("a follow-up needs a note saying what is to be done", field="note",
                           reason="follow_up_needs_note")
    if due_at is None:
        return
    check_future_time(due_at, now, max_ahead=MAX_FOLLOW_UP_AHEAD, what="the follow-up time",
                      field="follow_up_at", zone_reason="follow_up_time_without_zone",
                      past_reason="follow_up_time_past", too_far_reason="follow_up_time_too_far")


def check_follow_up_outcome(outcome: str | None) -> str:
    """What was done, as recorded to resolve a follow-up: something (the next reader learns
    nothing from an empty one), at most :data:`MAX_OUTCOME` characters. The text, stripped."""
    text = (outcome or "").strip()
    if not text:
        raise InvalidInput("say what was done to resolve the follow-up", field="outcome",
                           reason="follow_up_outcome_required")
    if len(text) > MAX_OUTCOME:
        raise InvalidInput(f"the follow-up outcome is at most {MAX_OUTCOME} characters",
                           field="outcome", reason="follow_up_outcome_too_long",
                           max_chars=MAX_OUTCOME)
    return text


def list_order(follow_up: NoteFollowUp, now: datetime) -> tuple[Any, ...]:
    """Sort key of the team's list: due first, the longest due at the top (from its time, or
    from when it was asked); then those waiting for a time ahead, the soonest first."""
    since = follow_up.due_at or follow_up.asked_at
    return (0 if follow_up.due(now) else 1, since, follow_up.asked_at, follow_up.follow_up_id)


class _Attempt(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def attempted_at(self) -> datetime: ...
    @property
    def note(self) -> str | None: ...


A = TypeVar("A", bound=_Attempt)


def notes_newest_first(attempts: Iterable[A]) -> list[A]:
    """The attempts that carry a note (not blank), the latest logged first (two agents' clocks
    may read the same minute: the one logged later comes first)."""
    return sorted((a for a in attempts if (a.note or "").strip()),
                  key=lambda a: (a.attempted_at, a.id), reverse=True)
