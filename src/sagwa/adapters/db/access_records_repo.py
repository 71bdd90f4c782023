"""Access records in PostgreSQL (``access_records``, migration 0027): the port
``services.access_records.AccessLog``, and :class:`AccessRecordRepository`, the unit of work's.

A record of what was shown is one INSERT in a transaction of its own (a page's reads are done
by then); a record of a change is written by the unit of work in the change's own transaction
(:meth:`AccessRecordRepository.add`), so that the two are kept or lost together. Either way
the customers it names are those given and those of the cases given, found in the same
statement (a page that shows cases need not look up whose they are). The table's triggers
stamp ``at`` with the database's clock and refuse UPDATE, TRUNCATE and the DELETE of a row less
than a year old.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.database import first_line
from sagwa.adapters.db.tables import (
    access_records,
    case_orders,
    cases,
    ledger_postings,
    orders,
    outbox,
)
from sagwa.domain.access_records import (
    AccessAction,
    AccessRecord,
    StoredAccess,
    WhoseData,
    access_not_recorded,
)
from sagwa.domain.access_review import ReviewedRow
from sagwa.domain.ledger import AccountKind

_log = logging.getLogger(__name__)

#: Rows the monthly review reads from the server at a time.
REVIEW_BATCH = 5_000


def _ids(ids: Sequence[int]) -> ColumnElement[Any]:
    return literal(sorted({int(i) for i in ids}), ARRAY(BigInteger))


def _sorted_once(*parts: Any) -> ColumnElement[Any]:
    """The ids the selects ``parts`` give, sorted, each once, as one array (empty: ``{}``)."""
    both = union(*parts).subquery()
    agg = select(func.array_agg(aggregate_order_by(both.c.id, both.c.id))).scalar_subquery()
    return func.coalesce(agg, _ids(()))


def cases_named(case_ids: Sequence[int], incident_ids: Sequence[int]) -> ColumnElement[Any]:
    """``case_ids`` and the cases of ``incident_ids`` as they stand when the INSERT runs — in
    a change's own transaction, after the change: the cases an incident's step just made are
    named too. One expression of the INSERT (no incidents: the case ids as given)."""
    if not incident_ids:
        return _ids(case_ids)
    return _sorted_once(select(func.unnest(_ids(case_ids)).label("id")),
                        select(cases.c.id.label("id")).where(
                            among(cases.c.incident_id, incident_ids)))


def customers_shown(customer_ids: Sequence[int], case_ids: Sequence[int],
                    incident_ids: Sequence[int] = ()) -> ColumnElement[Any]:
    """``customer_ids`` and the customers of ``case_ids`` and of ``incident_ids``' cases,
    sorted, each once: one expression of the INSERT (no cases: the customer ids as given)."""
    if not case_ids and not incident_ids:
        return _ids(customer_ids)
    whose = select(cases.c.customer_id.label("id")).where(
        or_(among(cases.c.id, case_ids), among(cases.c.incident_id, incident_ids))
        if incident_ids else among(cases.c.id, case_ids))
    return _sorted_once(select(func.unnest(_ids(customer_ids)).label("id")), whose)


def _values(record: AccessRecord) -> dict[str, Any]:
    return {"account": record.account, "role": record.role, "client": record.client,
            "request_id": record.request_id, "action": record.action.value,
            "what": record.what, "results": record.results, "reason": record.reason,
            "case_ids": cases_named(record.case_ids, record.incident_ids),
            "customer_ids": customers_shown(record.customer_ids, record.case_ids,
                                            record.incident_ids)}


def _stored(row: Any) -> StoredAccess:
    return StoredAccess(int(row.id), row.at, AccessRecord(
        account=row.account, role=row.role, client=row.client,
        action=AccessAction(row.action), what=row.what,
        customer_ids=tuple(row.customer_ids), case_ids=tuple(row.case_ids),
        request_id=row.request_id, results=row.results, reason=row.reason))


def _ids_of(conn: Connection, query: Any) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in conn.scalars(query) if i is not None}))


def _customer_whose(conn: Connection, customer_id: int) -> WhoseData:
    return WhoseData(customers=(customer_id,))


def _case_whose(conn: Connection, case_id: int) -> WhoseData:
    return WhoseData(cases=(case_id,))  # its customer: found by the record's INSERT


def _order_whose(conn: Connection, order_id: int) -> WhoseData:
    return WhoseData(
        _ids_of(conn, select(orders.c.customer_id).where(orders.c.id == order_id)),
        _ids_of(conn, select(case_orders.c.case_id).where(case_orders.c.order_id == order_id)))


def _message_whose(conn: Connection, message_id: int) -> WhoseData:
    return WhoseData(
        _ids_of(conn, select(outbox.c.customer_id).where(outbox.c.id == message_id)),
        _ids_of(conn, select(outbox.c.case_id).where(outbox.c.id == message_id)))


def _entry_whose(conn: Connection, entry_id: int) -> WhoseData:
    """The customers whose points the entry posts to, and the case it compensates."""
    return WhoseData(
        _ids_of(conn, select(ledger_postings.c.owner_id).where(
            ledger_postings.c.entry_id == entry_id,
            ledger_postings.c.account_kind == AccountKind.CUSTOMER_POINTS.value)),
        _ids_of(conn, select(cases.c.id).where(cases.c.compensation_entry_id == entry_id)))


#: How the rows an audit trail is about name their customers and cases, by the trail's
#: entity type: every one of ``domain.access_records.CUSTOMERS_AUDITED``.
WHOSE_AUDITED: dict[str, Callable[[Connection, int], WhoseData]] = {
    "customer": _customer_whose, "case": _case_whose, "order": _order_whose,
    "message": _message_whose, "ledger_entry": _entry_whose,
}


class AccessRecordRepository:
    """Access records in the unit of work's transaction, and whose data an audit trail shows."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, records: Iterable[AccessRecord]) -> None:
        """Write ``records`` in this transaction. One that cannot be written is
        :func:`~sagwa.domain.access_records.access_not_recorded` (503): the transaction then
        commits nothing, the change it was to record included."""
        try:
            for record in records:
                self.conn.execute(insert(access_records).values(**_values(record)))
        except DBAPIError as exc:
            _log.warning("access record not written, the change refused: %s",
                         first_line(exc.orig or exc))
            raise access_not_recorded() from exc

    def whose_audited(self, entity_type: str, entity_id: int) -> WhoseData:
        """The customers and cases whose data the audit trail of ``entity_type`` ``entity_id``
        shows; none for a type that is no customer's."""
        whose = WHOSE_AUDITED.get(entity_type)
        return whose(self.conn, entity_id) if whose else WhoseData()


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
