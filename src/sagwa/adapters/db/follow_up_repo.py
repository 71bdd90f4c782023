"""Call notes marked "follow-up needed" (``note_follow_ups``, with the note from
``contact_attempts``): adding one, resolving it, and the reads of the case pages and of the
team's follow-up list (``sagwa.domain.note_follow_ups``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Select, case, func, insert, literal, select, update

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.tables import (
    cases,
    contact_attempts,
    customers,
    incidents,
    note_follow_ups,
)
from sagwa.domain.note_follow_ups import NoteFollowUp

_f, _a = note_follow_ups, contact_attempts


@dataclass(frozen=True)
class ListedFollowUp:
    """An open follow-up as the team's list shows it: with whom it is about and how to reach
    them."""

    follow_up: NoteFollowUp
    incident_id: int
    incident_status: str
    customer_name: str
    phone: str | None
    locale: str
    outcome: str
    """How the call whose note asked it ended (``contact_attempts.outcome``)."""


def _follow_up(row: Any) -> NoteFollowUp:
    return NoteFollowUp(int(row.id), int(row.case_id), int(row.attempt_id), row.note or "",
                        row.asked_by, row.asked_at, row.due_at, row.resolved_at,
                        row.resolved_by, row.outcome)


def _columns() -> Select[Any]:
    return (select(_f.c.id, _f.c.case_id, _f.c.attempt_id, _a.c.note, _f.c.asked_by,
                   _f.c.asked_at, _f.c.due_at, _f.c.resolved_at, _f.c.resolved_by,
                   _f.c.outcome)
            .join(_a, _a.c.id == _f.c.attempt_id))


class NoteFollowUpRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, case_id: int, attempt_id: int, asked_by: str, asked_at: datetime,
            due_at: datetime | None) -> int:
        return int(self.conn.execute(insert(_f).values(
            case_id=case_id, attempt_id=attempt_id, asked_by=asked_by, asked_at=asked_at,
            due_at=due_at).returning(_f.c.id)).scalar_one())

    def get(self, follow_up_id: int, *, for_update: bool = False) -> NoteFollowUp | None:
        q = _columns().where(_f.c.id == follow_up_id)
        row = self.conn.execute(q.with_for_update(of=_f) if for_update else q).one_or_none()
        return _follow_up(row) if row is not None else None

    def resolve(self, follow_up_id: int, *, at: datetime, by: str, outcome: str) -> None:
        self.conn.execute(update(_f).where(_f.c.id == follow_up_id, _f.c.resolved_at.is_(None))
                          .values(resolved_at=at, resolved_by=by, outcome=outcome))

    def for_cases(self, case_ids: list[int]) -> dict[int, list[NoteFollowUp]]:
        """Case id -> its follow-ups, open or resolved, the latest asked first."""
        out: dict[int, list[NoteFollowUp]] = {}
        if not case_ids:
            return out
        q = _columns().where(among(_f.c.case_id, case_ids)).order_by(_f.c.id.desc())
        for row in self.conn.execute(q):
            out.setdefault(int(row.case_id), []).append(_follow_up(row))
        return out

    def open_list(self, *, now: datetime, limit: int) -> tuple[list[ListedFollowUp], int]:
        """The open follow-ups in the list's order (``note_follow_ups.list_order``: due first,
        the longest due at the top; then those waiting, the soonest first), at most ``limit``,
        and how many are open in all."""
        at = literal(now, DateTime(timezone=True))
        due = case((_f.c.due_at.is_(None), 0), (_f.c.due_at <= at, 0), else_=1)
        q = (select(*_columns().selected_columns, _a.c.outcome.label("call_outcome"),
                    cases.c.incident_id, incidents.c.status.label("incident_status"),
                    customers.c.name, customers.c.phone, customers.c.locale)
             .select_from(_f.join(_a, _a.c.id == _f.c.attempt_id)
                          .join(cases, cases.c.id == _f.c.case_id)
                          .join(incidents, incidents.c.id == cases.c.incident_id)
                          .join(customers, customers.c.id == cases.c.customer_id))
             .where(_f.c.resolved_at.is_(None))
             .order_by(due, func.coalesce(_f.c.due_at, _f.c.asked_at), _f.c.asked_at, _f.c.id)
             .limit(limit))
        items = [ListedFollowUp(_follow_up(r), int(r.incident_id), r.incident_status, r.name,
                                r.phone, r.locale, r.call_outcome)
                 for r in self.conn.execute(q)]
        total = self.conn.execute(select(func.count()).select_from(_f)
                                  .where(_f.c.resolved_at.is_(None))).scalar_one()
        return items, int(total)

    def open_counts(self, case_ids: list[int]) -> dict[int, int]:
        """Case id -> how many of its follow-ups are open (cases with none left out)."""
        if not case_ids:
            return {}
        q = (select(_f.c.case_id, func.count()).where(among(_f.c.case_id, case_ids),
                                                       _f.c.resolved_at.is_(None))
             .group_by(_f.c.case_id))
        return {int(c): int(n) for c, n in self.conn.execute(q)}
