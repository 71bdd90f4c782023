"""API tokens that end by themselves and say when they were last used (an ops walk: a
contractor's token lived until someone remembered to revoke it, and nothing told which tokens
were still in use). A token issued to work through a Korean day is accepted to that day's end
and refused from the next day's 00:00 (Korea time) with ``token_expired``, which says when;
``last_used_at`` is written at most once a minute; a day already over is refused and nothing is
stored; the list tells live, expired and revoked tokens apart, never showing a token."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import api_tokens, audit_log
from sagwa.errors import InvalidInput, Unauthenticated
from sagwa.services import accounts
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 12, 7, 23, 30, tzinfo=SEOUL))


@pytest.fixture
def uow(session_factory: sessionmaker[Session], clock: ManualClock):  # type: ignore[no-untyped-def]
    accounts.create_user(SqlAlchemyUnitOfWork(session_factory, clock), username="contractor",
                         role="agent", password=PASSWORD, actor="t")
    return lambda: SqlAlchemyUnitOfWork(session_factory, clock)


def _last_used(uow, name: str) -> datetime | None:  # type: ignore[no-untyped-def]
    with uow() as u:
        return u.conn.execute(select(api_tokens.c.last_used_at)
                              .where(api_tokens.c.name == name)).scalar_one()


def test_a_token_works_through_its_last_day_and_is_refused_from_the_next(uow, clock) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_api_token(uow(), username="contractor", name="month",
                                     actor="admin:kim", expires_on=date(2026, 12, 7))
    assert accounts.account_for_token(uow(), token) is not None  # 23:30 on its last day
    clock.now = datetime(2026, 12, 7, 23, 59, 59, tzinfo=SEOUL)
    assert accounts.account_for_token(uow(), token) is not None
    clock.now = datetime(2026, 12, 8, 0, 0, tzinfo=SEOUL)
    with pytest.raises(Unauthenticated) as expired:
        accounts.account_for_token(uow(), token)
    assert expired.value.details["reason"] == "token_expired"
    assert "2026-12-08 00:00 (Korea time)" in str(expired.value)
    with uow() as u:
        after = u.conn.execute(select(audit_log.c.after)
                               .where(audit_log.c.action == "api_token.issued")).scalar_one()
    assert after["expires_at"] == "2026-12-08T00:00:00+09:00"


def test_a_token_without_a_day_never_expires(uow, clock) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_api_token(uow(), username="contractor", name="script", actor="t")
    clock.advance(timedelta(days=3650))
    assert accounts.account_for_token(uow(), token) is not None


def test_a_day_already_over_is_refused_and_nothing_is_stored(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as past:
        accounts.issue_api_token(uow(), username="contractor", name="late", actor="t",
                                 expires_on=date(2026, 12, 6))
    assert past.value.details["reason"] == "token_expiry_past"
    assert "2026-12-06 is before today (2026-12-07" in str(past.value)
    with uow() as u:
        assert u.conn.execute(select(func.count()).select_from(api_tokens)).scalar_one() == 0


def test_last_use_is_written_at_most_once_a_minute(uow, clock) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_api_token(uow(), username="contractor", name="busy", actor="t")
    assert _last_used(uow, "busy") is None
    first = clock.now
    accounts.account_for_token(uow(), token)
    assert _last_used(uow, "busy") == first
    clock.advance(timedelta(seconds=59))
    accounts.account_for_token(uow(), token)
    assert _last_used(uow, "busy") == first  # a busy token: no write a request
    clock.advance(timedelta(seconds=1))
    accounts.account_for_token(uow(), token)
    assert _last_used(uow, "busy") == first + timedelta(minutes=1)


def test_the_list_tells_live_expired_and_revoked_tokens_apart(uow, clock) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(uow(), username="bot", role="reviewer", password=PASSWORD, actor="t")
    accounts.issue_api_token(uow(), username="contractor", name="today", actor="t",
                             expires_on=date(2026, 12, 7))
    accounts.issue_api_token(uow(), username="contractor", name="old", actor="t")
    accounts.revoke_api_tokens(uow(), username="contractor", name="old", actor="t")
    used = accounts.issue_api_token(uow(), username="bot", name="queue", actor="t")
    accounts.account_for_token(uow(), used)
    clock.advance(timedelta(hours=1))  # past "today"'s end
    live = accounts.list_api_tokens(uow())
    assert [(t.username, t.name, t.state) for t in live] == [("bot", "queue", "live")]
    assert live[0].last_used_at == datetime(2026, 12, 7, 23, 30, tzinfo=SEOUL)
    everything = accounts.list_api_tokens(uow(), username="contractor", include_ended=True)
    assert {(t.name, t.state) for t in everything} == {("today", "expired"), ("old", "revoked")}
    assert all(t.role.value == "agent" for t in everything)


def test_an_expired_token_gives_its_name_back(uow, clock) -> None:  # type: ignore[no-untyped-def]
    """A review: an expired token still held its name ("already has a live token called
    'month'") while the list of live tokens showed none. It is revoked when the name is
    asked for again."""
    accounts.issue_api_token(uow(), username="contractor", name="month", actor="t",
                             expires_on=date(2026, 12, 7))
    clock.advance(timedelta(days=2))
    assert accounts.list_api_tokens(uow()) == []
    again = accounts.issue_api_token(uow(), username="contractor", name="month", actor="t")
    assert accounts.account_for_token(uow(), again) is not None
    listed = accounts.list_api_tokens(uow(), include_ended=True)
    assert sorted(t.state for t in listed) == ["live", "revoked"]


def test_a_deactivated_accounts_tokens_are_listed_as_refused(uow, clock) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(uow(), username="admin", role="admin", password=PASSWORD, actor="t")
    accounts.issue_api_token(uow(), username="contractor", name="api", actor="t")
    accounts.set_active(uow(), username="contractor", active=False, actor="admin:admin")
    [token] = accounts.list_api_tokens(uow(), username="contractor")
    assert token.state == "account_inactive"
