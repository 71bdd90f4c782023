"""The unit of work: one transaction, the repositories bound to it, and the clock.

An access record of a change (``services.access_records``) given with
:meth:`SqlAlchemyUnitOfWork.record_with_commit` is written by the commit, in the change's own
transaction: a record that cannot be written refuses the commit (``access_record_unwritten``),
so no change is made unrecorded.

Database errors are translated here, once: a unique or foreign-key violation that slipped past
a service's own checks becomes a :class:`~sagwa.errors.Conflict`, and a value PostgreSQL cannot
take (an id beyond bigint, a NUL in text) an :class:`~sagwa.errors.InvalidInput` — never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.access_records_repo import AccessRecordRepository
from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.case_repo import CaseRepository
from sagwa.adapters.db.catalog_repo import CatalogRepository
from sagwa.adapters.db.erasure_request_repo import ErasureRequestRepository
from sagwa.adapters.db.follow_up_repo import NoteFollowUpRepository
from sagwa.adapters.db.idempotency_repo import IdempotencyRepository
from sagwa.adapters.db.incident_repo import IncidentRepository
from sagwa.adapters.db.job_queue import JobQueue
from sagwa.adapters.db.ledger_repo import LedgerRepository
from sagwa.adapters.db.login_failures_repo import LoginFailureRepository
from sagwa.adapters.db.market_repo import MarketRepository
from sagwa.adapters.db.metrics_reads import MetricsReads
from sagwa.adapters.db.outbox_repo import OutboxRepository
from sagwa.adapters.db.personal_data_repo import PersonalDataRepository
from sagwa.adapters.db.read_repo import ReadRepository
from sagwa.adapters.db.refund_repo import RefundRepository
from sagwa.adapters.db.seller_orders_told_repo import SellerOrdersToldRepository
from sagwa.adapters.db.users_repo import UserRepository
from sagwa.domain.access_records import AccessRecord
from sagwa.errors import Conflict, DatabaseUnavailable, InvalidInput

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told: the demo's history, replays and tests."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


class SqlAlchemyUnitOfWork:
    """``with uow: ...; uow.commit()`` — leaving the block without commit rolls back."""

    catalog: CatalogRepository
    market: MarketRepository
    ledger: LedgerRepository
    audit: AuditRepository
    idempotency: IdempotencyRepository
    incidents: IncidentRepository
    cases: CaseRepository
    follow_ups: NoteFollowUpRepository
    refunds: RefundRepository
    personal_data: PersonalDataRepository
    erasure_requests: ErasureRequestRepository
    outbox: OutboxRepository
    orders_told: SellerOrdersToldRepository
    metrics: MetricsReads
    users: UserRepository
    login_failures: LoginFailureRepository
    reads: ReadRepository
    jobs: JobQueue
    access_records: AccessRecordRepository

    def __init__(self, session_factory: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._session: Session | None = None
        self._with_commit: list[AccessRecord] = []

    def now(self) -> datetime:
        return self._clock()

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        conn = self._session.connection()
        self.conn = conn
        self.catalog = CatalogRepository(conn)
        self.market = MarketRepository(conn)
        self.ledger = LedgerRepository(conn)
        self.audit = AuditRepository(conn)
        self.idempotency = IdempotencyRepository(conn)
        self.incidents = IncidentRepository(conn)
        self.cases = CaseRepository(conn)
        self.follow_ups = NoteFollowUpRepository(conn)
        self.refunds = RefundRepository(conn)
        self.personal_data = PersonalDataRepository(conn)
        self.erasure_requests = ErasureRequestRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.orders_told = SellerOrdersToldRepository(conn)
        self.metrics = MetricsReads(conn)
        self.users = UserRepository(conn)
        self.login_failures = LoginFailureRepository(conn)
        self.reads = ReadRepository(conn)
        self.jobs = JobQueue(conn)
        self.access_records = AccessRecordRepository(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._session is not None
        try:
            if exc_type is not None:
                self._session.rollback()
        finally:
            self._session.close()
            self._session = None
        if isinstance(exc, IntegrityError):
            raise _conflict(exc) from None
        if isinstance(exc, DataError):
            raise _invalid(exc) from None
        if isinstance(exc, OperationalError):
            raise DatabaseUnavailable(f"database error: {exc.orig}") from None

    def record_with_commit(self, record: AccessRecord) -> None:
        """Write ``record`` in the transaction of the next commit (see the module): once, with
        the first commit that succeeds; none when nothing is committed (nothing changed)."""
        self._with_commit.append(record)

    def naming_in_record(self, *, customers: Iterable[int]) -> None:
        """Add ``customers`` — made by this unit of work, their ids known only now — to the
        record :meth:`record_with_commit` was given (none given: nothing to name them in)."""
        self._with_commit = [replace(r, customer_ids=(*r.customer_ids, *customers))
                             for r in self._with_commit]

    def commit(self) -> None:
        assert self._session is not None
        if self._with_commit:
            self.access_records.add(self._with_commit)
        try:
            self._session.commit()
        except IntegrityError as exc:
            raise _conflict(exc) from None
        self._with_commit.clear()

    def rollback(self) -> None:
        assert self._session is not None
        self._session.rollback()


#: PostgreSQL's data errors a user can cause (SQLSTATE → reason and sentence): a number beyond
#: a column's range (an id or an amount typed with twenty digits), a time beyond year 9999, a
#: NUL character in text. Said plainly, not in the database's words.
_DATA_ERRORS = {
    "22003": ("number_too_large", ("a number is too large to be stored (ids at most "
                                   "9,223,372,036,854,775,807, counts and amounts less)")),
    "22008": ("time_out_of_range", "a time is out of range (years 1 to 9999)"),
    "22021": ("text_not_storable", "text contains a character that cannot be stored (NUL)"),
    "22P05": ("text_not_storable", "text contains a character that cannot be stored (NUL)"),
}


def _invalid(exc: DataError) -> InvalidInput:
    state = getattr(exc.orig, "sqlstate", None)
    if state is None and "NUL (0x00)" in str(exc.orig):  # psycopg refuses it before sending
        state = "22021"
    if state in _DATA_ERRORS:
        reason, said = _DATA_ERRORS[state]
        return InvalidInput(said, reason=reason)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return InvalidInput(f"a value cannot be stored: {detail}", reason="value_not_storable")


def _conflict(exc: IntegrityError) -> Conflict:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return Conflict(
        f"the change conflicts with stored data: {detail}", reason="stored_data_conflict"
    )
