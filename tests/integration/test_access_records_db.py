"""The access records' table (migration 0027) on PostgreSQL: a record is dated by the database,
never changed, and not deleted before it is a year old — so a purge drops expired rows and
nothing else; the customers of the cases a record names are found by its INSERT; the list's
filters and the month's review read it back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.access_records_repo import SqlAccessLog
from sagwa.domain.access_records import AccessAction, AccessRecord
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput
from sagwa.services.access_records import list_access, purge_access, review_access
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import scoped_incident


def _record(action: AccessAction = AccessAction.VIEW, **fields: object) -> AccessRecord:
    base: dict[str, object] = {"account": "kim", "role": "agent", "client": "10.0.0.7",
                               "action": action, "what": "GET /cs/cases/1"}
    return AccessRecord(**{**base, **fields})  # type: ignore[arg-type]


def _one(session_factory: sessionmaker[Session], sql: str) -> object:
    with session_factory() as s:
        return s.execute(text(sql)).scalar()


def _old_row(session_factory: sessionmaker[Session], years: float) -> None:
    """A record dated ``years`` back, written by the table's owner with triggers off (as only
    the owner can): the app cannot date a row."""
    with session_factory() as s:
        s.execute(text("SET LOCAL session_replication_role = replica"))
        s.execute(text("INSERT INTO access_records (at, account, client, action, what) "
                       f"VALUES (now() - interval '{int(years * 365)} days', 'old', 'x', "
                       "'view', 'GET /cs/queue')"))
        s.execute(text("SET LOCAL session_replication_role = origin"))
        s.commit()


def test_a_record_is_dated_by_the_database_and_names_the_customers_of_its_cases(
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(lambda: SqlAlchemyUnitOfWork(session_factory))
    log = SqlAccessLog(session_factory)
    log.add(_record(case_ids=(made.case_id,), customer_ids=(made.customer_id, 77)))
    with session_factory() as s:
        s.execute(text("INSERT INTO access_records (at, account, client, action, what) "
                       "VALUES ('2001-01-01', 'x', 'x', 'view', 'x')"))
        s.commit()
    [first, second] = log.listed(limit=5)[::-1]
    assert first.record.customer_ids == tuple(sorted((made.customer_id, 77)))
    assert first.record.case_ids == (made.case_id,)
    assert second.at.year > 2001  # the insert's date was not taken
    assert _one(session_factory, "SELECT count(*) FROM access_records "
                                 "WHERE at = now()") == 2


@pytest.mark.parametrize("sql", ["UPDATE access_records SET account = 'someone else'",
                                 "DELETE FROM access_records",
                                 "TRUNCATE access_records"])
def test_a_recent_record_cannot_be_changed_deleted_or_truncated(
        session_factory: sessionmaker[Session], sql: str) -> None:
    SqlAccessLog(session_factory).add(_record())
    with session_factory() as s, pytest.raises(DBAPIError, match="access|append-only"):
        s.execute(text(sql))
    assert _one(session_factory, "SELECT account FROM access_records") == "kim"


def test_an_old_record_may_be_purged_and_the_purge_is_recorded(
        session_factory: sessionmaker[Session]) -> None:
    log = SqlAccessLog(session_factory)
    _old_row(session_factory, years=2.1)
    _old_row(session_factory, years=0.5)
    log.add(_record())
    now = datetime.now(UTC)
    with pytest.raises(InvalidInput) as refused:
        purge_access(log, before=now.astimezone(SEOUL).date(), now=now,
                     record=_record(AccessAction.PURGE), keep_years=1)
    assert refused.value.details["reason"] == "purge_too_recent"
    with session_factory() as s, pytest.raises(DBAPIError, match="kept"):  # the trigger holds
        s.execute(text("DELETE FROM access_records WHERE account = 'old'"))
    before = (now - timedelta(days=400)).astimezone(SEOUL).date()
    with pytest.raises(InvalidInput, match="SAGWA_ACCESS_RECORDS_KEEP_YEARS=2"):
        purge_access(log, before=before, now=now, record=_record(AccessAction.PURGE),
                     keep_years=2)  # 400 days: kept under two years
    assert purge_access(log, before=before, now=now, keep_years=1,
                        record=_record(AccessAction.PURGE, what="sagwa access purge")) == 1
    left = [(r.record.action.value, r.record.account, r.record.results)
            for r in log.listed(limit=10)]
    assert left == [("purge", "kim", 1), ("view", "kim", None), ("view", "old", None)]


def test_the_list_filters_by_customer_account_action_and_time(
        session_factory: sessionmaker[Session]) -> None:
    log = SqlAccessLog(session_factory)
    log.add(_record(customer_ids=(5, 6)))
    log.add(_record(AccessAction.SEARCH, account="lee", customer_ids=(6,), results=1))
    log.add(_record(AccessAction.SIGN_IN, account="lee"))
    assert [r.record.account for r in list_access(log, customer_id=5).records] == ["kim"]
    assert len(list_access(log, customer_id=6).records) == 2
    assert [r.record.action for r in list_access(log, account="lee", action="search").records
            ] == [AccessAction.SEARCH]
    later = datetime.now(UTC) + timedelta(hours=1)
    assert list_access(log, since=later).records == []
    page = list_access(log, until=later, limit=2)
    assert (len(page.records), page.more) == (2, True)


def test_the_months_review_counts_each_accounts_access(
        session_factory: sessionmaker[Session]) -> None:
    log = SqlAccessLog(session_factory)
    log.add(_record(customer_ids=(5, 6)))
    log.add(_record(AccessAction.EXPORT, customer_ids=(6, 7), what="sagwa refunds list"))
    month = _one(session_factory, "SELECT to_char(now() AT TIME ZONE 'Asia/Seoul', 'YYYY-MM')")
    found = review_access(log, month=str(month), schedule=load_desk_policy().schedule)
    [kim] = found.accounts
    assert (kim.account, len(kim.customers), kim.actions["view"], kim.actions["export"]) == (
        "kim", 3, 1, 1)
    assert "export_without_reason" in [f.code for f in kim.flags]
    assert review_access(log, month="2001-01", schedule=load_desk_policy().schedule
                         ).accounts == []
    assert found.since.date() == date(found.since.year, found.since.month, 1)
