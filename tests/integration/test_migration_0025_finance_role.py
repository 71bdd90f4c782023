"""Migration 0025 lets ``users.role`` be ``finance`` (the accounts that read the ledger and the
refunds and mark refunds paid). Its downgrade refuses while a finance account exists — the older
code has no such role, and giving the account another one would hand finance powers it must
not have (an admin's) or take away the ones it has — and says which accounts and what to do;
without one, the downgrade puts the older check back, which refuses a finance account again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.migrate import alembic_config, current_revision, head_revision
from sagwa.adapters.db.tables import users
from sagwa.services.accounts import create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration
PASSWORD = "correct-horse-42"


def _alembic(engine: Engine, action: str, revision: str) -> None:
    getattr(command, action)(alembic_config(engine.url.render_as_string(hide_password=False)),
                             revision)


def _add_finance(engine: Engine, username: str) -> None:
    create_user(SqlAlchemyUnitOfWork(sessionmaker(bind=engine)), username=username,
                role="finance", password=PASSWORD, actor="test")


def test_the_downgrade_refuses_while_a_finance_account_exists(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        _add_finance(engine, "lee")
        with pytest.raises(Exception, match="finance") as refused:
            _alembic(engine, "downgrade", "0024")
        said = str(refused.value)
        assert "0025" in said and "'lee'" in said and "1 finance account" in said
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(select(users.c.role).where(users.c.username == "lee")
                                ).scalar_one() == "finance"
    finally:
        engine.dispose()


def test_without_finance_accounts_the_downgrade_refuses_the_role_again(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        _alembic(engine, "downgrade", "0024")
        assert current_revision(engine) == "0024"
        insert = text("INSERT INTO users (username, role, password_hash, created_at) "
                      "VALUES ('lee', 'finance', '!', now())")
        with pytest.raises(IntegrityError, match="ck_users_role_known"), engine.begin() as conn:
            conn.execute(insert)
        _alembic(engine, "upgrade", "head")
        _add_finance(engine, "lee")
        with engine.connect() as conn:
            assert conn.execute(select(users.c.role).where(users.c.username == "lee")
                                ).scalar_one() == "finance"
    finally:
        engine.dispose()
