"""Keeping accounts: a password changed (a leaked one, the demo's) ends the account's sign-ins;
an account deactivated (someone who left) signs in no more, its API token is refused and its
sessions end, nothing it did removed; activated again, it may; the last active admin is kept.
Every change is on the audit log, never with a password or its hash. The deploy walkthrough
found no way to do any of this: a demo account loaded into production could not be fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sagwa.adapters.db.tables import audit_log
from sagwa.errors import Conflict, InvalidInput, NotFound
from sagwa.services import accounts
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

PASSWORD = "correct horse battery"
NEW = "a new one, not leaked"


@pytest.fixture
def uow(session_factory):  # type: ignore[no-untyped-def]
    return lambda: SqlAlchemyUnitOfWork(session_factory)


def _signed_in(uow, username: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A live session id and an API token of ``username``."""
    account = accounts.authenticate(uow(), username=username, password=PASSWORD)
    assert account is not None
    sid = accounts.start_session(uow(), account, lasts=timedelta(hours=1))
    token = accounts.issue_api_token(uow(), username=username, name="api", actor="t")
    return sid, token


def _actions(uow) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        rows = u.conn.execute(select(audit_log.c.action, audit_log.c.after)
                              .where(audit_log.c.action.like("user.%"))
                              .order_by(audit_log.c.seq)).all()
    return [(r.action, r.after) for r in rows]


def test_a_changed_password_signs_in_and_ends_the_old_sessions(uow) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(uow(), username="lee", role="agent", password=PASSWORD, actor="t")
    sid, _ = _signed_in(uow, "lee")
    assert accounts.set_password(uow(), username="lee", password=NEW, actor="admin:kim") == 1
    assert accounts.session_account(uow(), sid) is None
    assert accounts.authenticate(uow(), username="lee", password=PASSWORD) is None
    assert accounts.authenticate(uow(), username="lee", password=NEW) is not None
    action, after = _actions(uow)[-1]
    assert (action, after) == ("user.password_changed", {"username": "lee", "sessions_ended": 1})
    with pytest.raises(InvalidInput) as short:
        accounts.set_password(uow(), username="lee", password="short", actor="t")
    assert short.value.details["reason"] == "password_too_short"
    with pytest.raises(NotFound):
        accounts.set_password(uow(), username="nobody", password=NEW, actor="t")


def test_a_deactivated_account_signs_in_no_more_until_activated_again(uow) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(uow(), username="admin", role="admin", password=PASSWORD, actor="t")
    accounts.create_user(uow(), username="park", role="reviewer", password=PASSWORD, actor="t")
    sid, token = _signed_in(uow, "park")
    done = accounts.set_active(uow(), username="park", active=False, actor="admin:admin")
    assert (done.changed, done.sessions_ended) == (True, 1)
    assert accounts.authenticate(uow(), username="park", password=PASSWORD) is None
    assert accounts.session_account(uow(), sid) is None
    assert accounts.account_for_token(uow(), token) is None
    assert [a.active for a in accounts.list_accounts(uow()) if a.username == "park"] == [False]
    again = accounts.set_active(uow(), username="park", active=False, actor="admin:admin")
    assert not again.changed  # nothing more to do, nothing more recorded
    back = accounts.set_active(uow(), username="park", active=True, actor="admin:admin")
    assert back.changed and accounts.account_for_token(uow(), token) is not None
    assert accounts.authenticate(uow(), username="park", password=PASSWORD) is not None
    assert [a for a, _ in _actions(uow)].count("user.deactivated") == 1
    assert _actions(uow)[-1][0] == "user.activated"


def test_the_last_active_admin_is_not_deactivated(uow) -> None:  # type: ignore[no-untyped-def]
    accounts.create_user(uow(), username="root", role="admin", password=PASSWORD, actor="t")
    with pytest.raises(Conflict) as last:
        accounts.set_active(uow(), username="root", active=False, actor="admin:root")
    assert last.value.details["reason"] == "last_active_admin"
    accounts.create_user(uow(), username="second", role="admin", password=PASSWORD, actor="t")
    assert accounts.set_active(uow(), username="root", active=False, actor="admin:second").changed
    with pytest.raises(Conflict):
        accounts.set_active(uow(), username="second", active=False, actor="admin:second")
