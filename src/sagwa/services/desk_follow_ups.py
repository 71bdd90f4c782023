"""The contact centre's handoff: a call note marked "follow-up needed" stays on the team's
follow-up list until someone records what was done (``sagwa.domain.note_follow_ups``).

:func:`ask_follow_up` runs inside the transaction that logs the call (``desk_cases.
log_call_attempt``), so a note and its follow-up are written together or not at all;
:func:`resolve_follow_up` is its own use case; :func:`read_follow_up_list` and
:func:`follow_ups_of` are the reads of the queue page and the case page. Both steps are on the
audit log, and so on the incident timeline: ``case.follow_up_asked``, ``case.follow_up_resolved``
(the note and the outcome as digests, ``recorded_texts``: the texts stay in their tables).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sagwa.adapters.db.follow_up_repo import ListedFollowUp
from sagwa.domain.audit import AuditEvent
from sagwa.domain.note_follow_ups import (
    FOLLOW_UP_ASKED,
    FOLLOW_UP_RESOLVED,
    NoteFollowUp,
    check_follow_up_outcome,
)
from sagwa.errors import NotFound
from sagwa.services.recorded_texts import audit_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at is not None else None


def ask_follow_up(uow: SqlAlchemyUnitOfWork, *, case_id: int, attempt_id: int, note: str,
                  asked_by: str, due_at: datetime | None, now: datetime) -> int:
    """Inside the caller's unit of work (checked: ``note_follow_ups.check_follow_up``): the note
    of ``attempt_id`` asks for a follow-up, due at ``due_at`` (None: at once). Its id."""
    follow_up_id = uow.follow_ups.add(case_id=case_id, attempt_id=attempt_id, asked_by=asked_by,
                                      asked_at=now, due_at=due_at)
    uow.audit.append(AuditEvent(asked_by, FOLLOW_UP_ASKED, "case", str(case_id), after={
        "follow_up_id": follow_up_id, "attempt_id": attempt_id, **audit_text(uow, "note", note),
        "due_at": _iso(due_at)}), now)
    return follow_up_id


@dataclass(frozen=True)
class FollowUpResolved:
    """A follow-up as it stands after :func:`resolve_follow_up`; ``changed`` False when it had
    been resolved already (by someone else, or the same form sent twice): the first outcome
    stands and nothing was written."""

    follow_up: NoteFollowUp
    changed: bool

    def as_dict(self) -> dict[str, Any]:
        f = self.follow_up
        return {"id": f.follow_up_id, "case_id": f.case_id, "attempt_id": f.attempt_id,
                "changed": self.changed, "resolved_at": f.resolved_at,
                "resolved_by": f.resolved_by, "outcome": f.outcome}


def resolve_follow_up(uow: SqlAlchemyUnitOfWork, *, case_id: int, follow_up_id: int,
                      actor: str, outcome: str) -> FollowUpResolved:
    """Record what was done about the follow-up ``follow_up_id`` of ``case_id``: it leaves the
    team's list. NotFound for a follow-up of another case; InvalidInput for an empty or
    over-long outcome (``note_follow_ups.check_follow_up_outcome``)."""
    text = check_follow_up_outcome(outcome)
    with uow:
        now = uow.now()
        found = uow.follow_ups.get(follow_up_id, for_update=True)
        if found is None or found.case_id != case_id:
            raise NotFound(f"case {case_id} has no follow-up {follow_up_id}",
                           reason="follow_up_not_found")
        if not found.open:
            return FollowUpResolved(found, False)
        uow.follow_ups.resolve(follow_up_id, at=now, by=actor, outcome=text)
        uow.audit.append(AuditEvent(actor, FOLLOW_UP_RESOLVED, "case", str(case_id), before={
            "asked_by": found.asked_by, "asked_at": _iso(found.asked_at),
            "due_at": _iso(found.due_at)}, after={
            "follow_up_id": follow_up_id, "attempt_id": found.attempt_id,
            **audit_text(uow, "outcome", text)}), now)
        uow.commit()
    return FollowUpResolved(replace(found, resolved_at=now, resolved_by=actor, outcome=text),
                            True)


@dataclass(frozen=True)
class FollowUpList:
    """The team's open follow-ups as read at ``now``: the first ones in the list's order, and
    how many are open in all (``open_count`` > ``len(items)``: more than shown)."""

    items: list[ListedFollowUp]
    open_count: int
    now: datetime

    @property
    def more(self) -> bool:
        return self.open_count > len(self.items)

    @property
    def due_count(self) -> int:
        return sum(1 for i in self.items if i.follow_up.due(self.now))


def read_follow_up_list(uow: SqlAlchemyUnitOfWork, *, limit: int = 50) -> FollowUpList:
    """The open follow-ups, due first (``follow_up_repo.open_list``)."""
    with uow:
        return follow_up_list(uow, now=uow.now(), limit=limit)


def follow_up_list(uow: SqlAlchemyUnitOfWork, *, now: datetime, limit: int) -> FollowUpList:
    """:func:`read_follow_up_list` inside an open unit of work (the queue page's)."""
    items, total = uow.follow_ups.open_list(now=now, limit=limit)
    return FollowUpList(items, total, now)


def follow_ups_of(uow: SqlAlchemyUnitOfWork, case_ids: list[int]) -> dict[int, list[NoteFollowUp]]:
    """Inside an open unit of work: each case's follow-ups, open or resolved, latest first."""
    return uow.follow_ups.for_cases(case_ids)
