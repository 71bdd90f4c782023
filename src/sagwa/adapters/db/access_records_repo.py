"""Access records in PostgreSQL (``access_records``, migration 0027): the port
``services.access_records.AccessLog``.

Each record is one INSERT in a transaction of its own (a page's reads are done by then): the
customers it names are those given and those of the cases given, found in the same statement
(a page that shows cases need not look up whose they are). The table's triggers stamp ``at``
with the database's clock and refuse UPDATE, TRUNCATE and the DELETE of a row less than a
year old.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, delete, func, insert, literal, select, union
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.tables import access_records, cases
from sagwa.domain.access_records import AccessAction, AccessRecord, StoredAccess
from sagwa.domain.access_review import ReviewedRow

#: Rows the monthly review reads from the server at a time.
REVIEW_BATCH = 5_000


def _ids(ids: Sequence[int]) -> ColumnElement[Any]:
    return literal(sorted({int(i) for i in ids}), ARRAY(BigInteger))


def customers_shown(customer_ids: Sequence[int], case_ids: Sequence[int]) -> ColumnElement[Any]:
    """``customer_ids`` and the customers of ``case_ids``, sorted, each once: one expression of
    the INSERT (no case ids: the customer ids as given)."""
    if not case_ids:
        return _ids(customer_ids)
    both = union(select(func.unnest(_ids(customer_ids)).label("id")),
                 select(cases.c.customer_id.label("id")).where(among(cases.c.id, case_ids))
                 ).subquery()
    agg = select(func.array_agg(aggregate_order_by(both.c.id, both.c.id))).scalar_subquery()
    return func.coalesce(agg, _ids(()))


def _values(record: AccessRecord) -> dict[str, Any]:
    return {"account": record.account, "role": record.role, "client": record.client,
            "request_id": record.request_id, "action": record.action.value,
            "what": record.what, "results": record.results, "reason": record.reason,
            "case_ids": _ids(record.case_ids),
            "customer_ids": customers_shown(record.customer_ids, record.case_ids)}


def _stored(row: Any) -> StoredAccess:
    return StoredAccess(int(row.id), row.at, AccessRecord(
        account=row.account, role=row.role, client=row.client,
        action=AccessAction(row.action), what=row.what,
        customer_ids=tuple(row.customer_ids), case_ids=tuple(row.case_ids),
        request_id=row.request_id, results=row.results, reason=row.reason))


class SqlAccessLog:
    """The access records of the database behind ``session_factory``."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def add(self, record: AccessRecord) -> None:
        with self._sessions() as session:
            session.execute(insert(access_records).values(**_values(record)))
            session.commit()

    def listed(self, *, customer_id: int | None = None, account: str | None = None,
               since: datetime | None = None, until: datetime | None = None,
               action: str | None = None, limit: int = 100) -> list[StoredAccess]:
        """The newest first, at most ``limit``; ``until`` not included."""
        t = access_records
        q = select(t).order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)
        if customer_id is not None:  # ``@>``: the GIN index on customer_ids
            q = q.where(t.c.customer_ids.contains(_ids([customer_id])))
        for column, value in ((t.c.account, account), (t.c.action, action)):
            if value is not None:
                q = q.where(column == value)
        if since is not None:
            q = q.where(t.c.at >= since)
        if until is not None:
            q = q.where(t.c.at < until)
        with self._sessions() as session:
            return [_stored(r) for r in session.execute(q)]

    def reviewed(self, since: datetime, until: datetime) -> Iterator[ReviewedRow]:
        """Every record from ``since`` to ``until`` (not included), read in batches."""
        t = access_records
        q = (select(t.c.account, t.c.role, t.c.action, t.c.at, t.c.customer_ids, t.c.what,
                    t.c.reason).where(t.c.at >= since, t.c.at < until).order_by(t.c.at, t.c.id)
             .execution_options(yield_per=REVIEW_BATCH))
        with self._sessions() as session:
            for r in session.execute(q):
                yield ReviewedRow(r.account, r.role, r.action, r.at, tuple(r.customer_ids),
                                  r.what, r.reason)

    def purge(self, before: datetime, record: AccessRecord) -> int:
        """Delete the records older than ``before`` and write ``record`` (with how many went)
        in one transaction; the trigger refuses the lot if any is less than a year old."""
        with self._sessions() as session:
            gone = session.execute(delete(access_records).where(access_records.c.at < before))
            count = int(gone.rowcount)
            done = replace(record, results=count)
            session.execute(insert(access_records).values(**_values(done)))
            session.commit()
        return count
