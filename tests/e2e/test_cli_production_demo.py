"""Production keeps the demo out: ``sagwa seed demo`` refuses to load it (its logins' passwords
are public: they are printed, and in the README), and ``sagwa serve`` refuses to start while an
account still signs in with one of them. A deployer's walkthrough found both accepted: the demo
loaded with ``SAGWA_ENVIRONMENT=production``, and the server let ``admin`` /
``sagwa-admin-demo`` in."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sagwa.adapters.db.database import Database
from sagwa.cli.main import app
from sagwa.cli.serve_checks import check_no_demo_logins
from sagwa.config import Settings, get_settings
from sagwa.errors import Conflict
from sagwa.seed.accounts import accounts_with_demo_password
from sagwa.seed.demo import database_is_empty
from sagwa.services.accounts import Role, create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
STRONG_KEY = "Zq3-vN8pLw2_Xk7rTb5yHc1uMd9sGe4j"
PRODUCTION = {"SAGWA_ENVIRONMENT": "production", "SAGWA_SECRET_KEY": STRONG_KEY,
              "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "smtp.sagwa.example",
              "SAGWA_MAIL_FROM": "사과 고객센터 <help@shop.example>",
              "SAGWA_SMS_LOG_ONLY": "true", "SAGWA_PUBLIC_BASE_URL": "https://sagwa.example"}


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def sagwa(db: Database, tmp_path: Path, *args: str, **env: str) -> Result:
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env={
            **PRODUCTION, "SAGWA_DATABASE_URL": _url(db),
            "SAGWA_DATA_DIR": str(tmp_path / "data"), **env})
    finally:
        get_settings.cache_clear()


def _account(db: Database, username: str, password: str, role: Role = Role.ADMIN) -> None:
    assert db.session_factory is not None
    create_user(SqlAlchemyUnitOfWork(db.session_factory), username=username, role=role,
                password=password, actor="test")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_demo_is_not_loaded_in_production(committed_database: Database,
                                              tmp_path: Path) -> None:
    result = sagwa(committed_database, tmp_path, "seed", "demo", "--products", "5",
                   "--customers", "5", "--orders", "5")

    assert result.exit_code == 1, result.output
    assert "SAGWA_ENVIRONMENT is production" in result.output
    assert "sagwa-admin-demo" not in result.output and "demo logins" not in result.output
    assert committed_database.session_factory is not None
    assert database_is_empty(committed_database.session_factory)


def test_the_demo_refused_in_production_is_a_json_conflict(committed_database: Database,
                                                           tmp_path: Path) -> None:
    result = sagwa(committed_database, tmp_path, "seed", "demo", "--if-empty", "--json")

    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert (body["code"], body["details"]["reason"]) == ("conflict", "demo_in_production")


@pytest.mark.timeout(60)  # a server that starts anyway would serve until stopped
def test_serve_refuses_production_while_a_demo_password_signs_in(
        committed_database: Database, tmp_path: Path) -> None:
    _account(committed_database, "admin", "sagwa-admin-demo")
    _account(committed_database, "agent", "sagwa-agent-demo", Role.AGENT)

    # the accounts' audit records are keyed with this test process's key: a rotation's
    result = sagwa(committed_database, tmp_path, "serve", "--no-worker",
                   "--port", str(_free_port()),
                   SAGWA_PREVIOUS_SECRET_KEYS=os.environ["SAGWA_SECRET_KEY"])

    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "admin, agent" in said and "public demo password" in said
    assert "on http://" not in result.output  # no banner: it never served


def _settings(db: Database, environment: str) -> Settings:
    extra = {key[6:].lower(): value for key, value in PRODUCTION.items()
             if key != "SAGWA_ENVIRONMENT"}
    return Settings(database_url=_url(db), environment=environment,  # type: ignore[arg-type]
                    **extra)


def test_changed_passwords_and_other_names_pass(committed_database: Database) -> None:
    _account(committed_database, "admin", "a-password-of-this-shop-only")
    _account(committed_database, "kim", "sagwa-admin-demo")  # not a demo login's name
    assert committed_database.session_factory is not None

    check_no_demo_logins(_settings(committed_database, "production"),
                         committed_database.session_factory)


def test_outside_production_the_demo_logins_are_allowed(committed_database: Database) -> None:
    _account(committed_database, "admin", "sagwa-admin-demo")
    assert committed_database.session_factory is not None

    check_no_demo_logins(_settings(committed_database, "development"),
                         committed_database.session_factory)
    with pytest.raises(Conflict) as refused:
        check_no_demo_logins(_settings(committed_database, "production"),
                             committed_database.session_factory)
    assert refused.value.details == {"reason": "demo_password_in_production",
                                     "accounts": ["admin"]}


@pytest.mark.parametrize("command", [
    ("users", "create", "--username", "admin", "--role", "admin"),
    ("users", "set-password", "--username", "kim"),
])
def test_production_refuses_a_demo_password_for_an_account(
        committed_database: Database, tmp_path: Path, command: tuple[str, ...]) -> None:
    """An ops walk: ``users create --username admin --password sagwa-admin-demo`` succeeded in
    production; only ``serve`` refused, later."""
    _account(committed_database, "kim", "a-fine-password-1")
    refused = sagwa(committed_database, tmp_path, *command, "--password", "sagwa-admin-demo",
                    "--actor", "cli")
    assert refused.exit_code == 2, refused.output
    assert "one of the demo's" in " ".join(refused.output.split())
    assert accounts_with_demo_password(committed_database.session_factory) == []
    # elsewhere than production the demo's passwords are the demo's business
    elsewhere = sagwa(committed_database, tmp_path, *command, "--password", "sagwa-admin-demo",
                      "--actor", "cli", SAGWA_ENVIRONMENT="development",
                      SAGWA_SECRET_KEY=os.environ["SAGWA_SECRET_KEY"])
    assert elsewhere.exit_code == 0, elsewhere.output
