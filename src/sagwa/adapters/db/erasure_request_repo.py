"""Customers' erasure requests waiting for the law to let their data go (``erasure_requests``,
migration 0029; ``domain.erasure_requests``, ``services/customer_erasure.py``). The caller holds
the customer's row locked (``PersonalDataRepository.customer(lock=True)``) while it records or
closes one, so two refusals at once cannot both insert."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from sagwa.adapters.db.tables import cases, erasure_requests
from sagwa.domain.erasure_requests import ErasureRequest
from sagwa.domain.retention import Hold, Kept

_r = erasure_requests.c


def _holds_json(kept: Sequence[Hold]) -> list[dict[str, str | None]]:
    return [{"kept": h.kept.value, "until": h.until.isoformat() if h.until else None}
            for h in kept]


def _request(row: Any) -> ErasureRequest:
    kept = tuple(Hold(Kept(h["kept"]), datetime.fromisoformat(h["until"]) if h["until"] else None)
                 for h in row.holds)
    return ErasureRequest(int(row.id), int(row.customer_id), row.requested_at, row.requested_by,
                          kept, row.erase_from, row.done_at)


class ErasureRequestRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def pending(self) -> list[ErasureRequest]:
        """The requests not carried out yet, oldest first."""
        query = select(erasure_requests).where(_r.done_at.is_(None)).order_by(_r.id)
        return [_request(row) for row in self._conn.execute(query)]

    def pending_for(self, customer_id: int) -> ErasureRequest | None:
        """The customer's request not carried out yet, if any."""
        row = self._conn.execute(select(erasure_requests).where(
            _r.customer_id == customer_id, _r.done_at.is_(None))).one_or_none()
        return _request(row) if row else None

    def record(self, customer_id: int, *, at: datetime, by: str, kept: Sequence[Hold],
               erase_from: datetime | None) -> tuple[ErasureRequest, ErasureRequest | None]:
        """The customer's pending request, its holds as found now and asked at the earlier of
        its own time and ``at`` (a request found to have come earlier than entered); a new one
        only when none is pending. (the request, as it was before when one was pending)"""
        values = {"holds": _holds_json(kept), "erase_from": erase_from}
        pending = _r.customer_id == customer_id, _r.done_at.is_(None)
        before = self._conn.execute(select(erasure_requests).where(*pending)).first()
        if before is not None:
            found = self._conn.execute(
                update(erasure_requests).where(*pending)
                .values(**values, requested_at=func.least(_r.requested_at, at))
                .returning(erasure_requests)).one()
            return _request(found), _request(before)
        made = self._conn.execute(insert(erasure_requests).values(
            customer_id=customer_id, requested_at=at, requested_by=by, **values)
            .returning(erasure_requests)).one()
        return _request(made), None

    def close(self, customer_id: int, *, at: datetime) -> ErasureRequest | None:
        """Mark the customer's pending request carried out; the request so closed (None: none
        was pending)."""
        row = self._conn.execute(
            update(erasure_requests).where(_r.customer_id == customer_id, _r.done_at.is_(None))
            .values(done_at=at).returning(erasure_requests)).one_or_none()
        return _request(row) if row else None

    def marks(self) -> tuple[dict[int, datetime | None], dict[int, datetime | None]]:
        """From when each pending request may be carried out, by customer and by each of the
        customer's cases (the pages show a case or a customer)."""
        query = (select(_r.customer_id, _r.erase_from, cases.c.id.label("case_id"))
                 .outerjoin(cases, cases.c.customer_id == _r.customer_id)
                 .where(_r.done_at.is_(None)))
        by_customer: dict[int, datetime | None] = {}
        by_case: dict[int, datetime | None] = {}
        for row in self._conn.execute(query):
            by_customer[int(row.customer_id)] = row.erase_from
            if row.case_id is not None:
                by_case[int(row.case_id)] = row.erase_from
        return by_customer, by_case
