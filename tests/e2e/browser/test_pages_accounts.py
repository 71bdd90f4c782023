"""Accounts for the pages: the service (argon2, one answer for every failed login) and the
``sagwa users create`` command."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import users
from sagwa.cli.main import app
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import catalog
from sagwa.services.accounts import Role, authenticate, create_user, issue_api_token
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-42"


def test_a_password_is_stored_only_as_an_argon2_hash(
        uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    create_user(uow(), username="park", role="reviewer", password=PASSWORD, actor="t")
    with uow() as u:
        stored = u.conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_login_answers_the_same_for_a_wrong_password_and_an_unknown_name(
        uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    create_user(uow(), username="park", role="agent", password=PASSWORD, actor="t")
    account = authenticate(uow(), username="park", password=PASSWORD)
    assert account is not None and account.role is Role.AGENT and account.actor == "agent:park"
    assert authenticate(uow(), username="park", password="wrong-password") is None
    assert authenticate(uow(), username="nobody", password=PASSWORD) is None


def test_a_seller_account_needs_its_seller_and_only_a_seller_account_has_one(
        uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    with pytest.raises(InvalidInput):
        create_user(uow(), username="s", role="seller", password=PASSWORD, actor="t")
    with pytest.raises(InvalidInput):
        create_user(uow(), username="a", role="admin", password=PASSWORD, seller_id=seller.id,
                    actor="t")
    made = create_user(uow(), username="s", role="seller", password=PASSWORD,
                       seller_id=seller.id, actor="t")
    assert made.seller_id == seller.id


def test_names_are_unique_and_passwords_not_too_short(
        uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    create_user(uow(), username="park", role="agent", password=PASSWORD, actor="t")
    with pytest.raises(Conflict) as taken:
        create_user(uow(), username="park", role="admin", password=PASSWORD, actor="t")
    assert taken.value.details["reason"] == "username_taken"
    issue_api_token(uow(), username="park", name="laptop", actor="t")
    with pytest.raises(Conflict) as taken:
        issue_api_token(uow(), username="park", name="laptop", actor="t")
    assert taken.value.details["reason"] == "token_name_taken"
    with pytest.raises(InvalidInput):
        create_user(uow(), username="kim", role="admin", password="short", actor="t")



def test_users_create_makes_an_account_that_can_log_in(cli_database: Database) -> None:
    result = CliRunner().invoke(app, ["users", "create", "--username", "lee", "--role", "admin",
                                      "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "created lee" in result.stdout
    assert cli_database.session_factory is not None
    factory = cli_database.session_factory
    assert authenticate(SqlAlchemyUnitOfWork(factory), username="lee", password=PASSWORD)


def test_users_create_makes_a_finance_account_that_can_log_in(cli_database: Database) -> None:
    result = CliRunner().invoke(app, ["users", "create", "--username", "lee", "--role",
                                      "finance", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "created lee (재무 · finance)" in result.stdout
    assert cli_database.session_factory is not None
    account = authenticate(SqlAlchemyUnitOfWork(cli_database.session_factory), username="lee",
                           password=PASSWORD)
    assert account is not None and account.role is Role.FINANCE


def test_users_create_asks_for_the_password_when_not_given(cli_database: Database) -> None:
    result = CliRunner().invoke(app, ["users", "create", "--username", "choi", "--role",
                                      "agent"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.stdout.replace("Password:", "")


def test_users_create_refuses_a_seller_without_its_seller(cli_database: Database) -> None:
    result = CliRunner().invoke(app, ["users", "create", "--username", "s", "--role", "seller",
                                      "--password", PASSWORD])
    assert result.exit_code == 2  # what was given is wrong
    assert "seller" in result.output


def test_seed_demo_prints_one_login_per_role_and_they_work(cli_database: Database) -> None:
    result = CliRunner().invoke(app, ["seed", "demo", "--products", "40", "--customers", "5", "--orders", "0"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert cli_database.session_factory is not None
    factory = cli_database.session_factory
    for role in ("admin", "reviewer", "agent", "finance", "seller"):
        password = f"sagwa-{role}-demo"
        assert f"{role} {role} {password}" in out
        account = authenticate(SqlAlchemyUnitOfWork(factory), username=role, password=password)
        assert account is not None and account.role.value == role
    again = CliRunner().invoke(app, ["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "sagwa-admin-demo" in again.stdout
