"""What a process checks on its database before it starts (``open_database``'s
``ready_for_writes``, and the worker's runtime): the audit log's key, and the schema's revision.
On real PostgreSQL, each test on a fresh database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.database import open_database
from sagwa.adapters.db.migrate import head_revision
from sagwa.cli.main import app
from sagwa.config import Settings, get_settings
from sagwa.domain.audit import AuditEvent, chain_key
from sagwa.errors import Conflict
from sagwa.jobs.runtime import DeliveryRuntime

OLD_SECRET = "the-first-secret-of-this-shop-0001"
OTHER_SECRET = "a-host-started-with-another-secret-02"
EVENT = AuditEvent("admin:kim", "listing.pause", "listing", "1")


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _settings(url: URL, secret: str, **more: object) -> Settings:
    return Settings(database_url=_url(url), secret_key=secret, environment="test",
                    **more)  # type: ignore[arg-type]


def _keyed_with(url: URL, secret: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        AuditRepository(conn, chain_key(secret)).append(EVENT, datetime.now(UTC))
    engine.dispose()


def sagwa(env: pytest.MonkeyPatch, url: URL, secret: str, *args: str) -> Result:
    env.setenv("SAGWA_DATABASE_URL", _url(url))
    env.setenv("SAGWA_SECRET_KEY", secret)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()


@pytest.fixture
def written_with_old_key(scratch) -> URL:  # type: ignore[no-untyped-def]
    url: URL = scratch.create()
    _keyed_with(url, OLD_SECRET)
    return url


def test_a_host_with_another_secret_refuses_to_start(written_with_old_key: URL) -> None:
    with pytest.raises(Conflict) as refused:
        open_database(_settings(written_with_old_key, OTHER_SECRET))
    assert refused.value.details["reason"] == "audit_key_unknown"
    old, other = chain_key(OLD_SECRET).fingerprint, chain_key(OTHER_SECRET).fingerprint
    message = refused.value.message
    assert f"written with key {old}" in message and f"this process has key {other}" in message
    assert "SAGWA_SECRET_KEY" in message and "SAGWA_PREVIOUS_SECRET_KEYS" in message
    assert "\n" not in message


def test_the_worker_refuses_as_serve_does(written_with_old_key: URL) -> None:
    with pytest.raises(Conflict, match="written with key"):
        DeliveryRuntime.from_settings(_settings(written_with_old_key, OTHER_SECRET), threads=1)


def test_the_same_key_or_a_rotation_just_made_starts(written_with_old_key: URL) -> None:
    open_database(_settings(written_with_old_key, OLD_SECRET)).close()
    rotated = _settings(written_with_old_key, OTHER_SECRET, previous_secret_keys=(OLD_SECRET,))
    open_database(rotated).close()
    DeliveryRuntime.from_settings(rotated, threads=1).close()


def test_an_empty_or_unkeyed_log_starts_with_any_key(scratch) -> None:  # type: ignore[no-untyped-def]
    open_database(_settings(scratch.create(), OTHER_SECRET)).close()


def test_a_command_that_writes_refuses_and_audit_verify_still_runs(
        written_with_old_key: URL, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = sagwa(monkeypatch, written_with_old_key, OTHER_SECRET, "audit", "anchor",
                    "--print-only")
    assert refused.exit_code == 1, refused.output
    assert "audit_key_unknown" not in refused.output  # the line, not a traceback
    assert "written with key" in " ".join(refused.output.split())
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    verified = sagwa(monkeypatch, written_with_old_key, OTHER_SECRET, "audit", "verify")
    assert verified.exit_code == 1  # it runs, and says the record's key is not configured
    assert "audit log broken" in " ".join(verified.output.split())
    assert "written with key" not in verified.output


# -- the schema's revision -------------------------------------------------------------


@pytest.fixture
def behind(scratch) -> URL:  # type: ignore[no-untyped-def]
    """A database at no revision (as a new one is)."""
    url: URL = scratch.create(migrate=False)
    return url


@pytest.fixture
def ahead(scratch) -> Iterator[URL]:  # type: ignore[no-untyped-def]
    """A database a newer sagwa migrated (a revision this code does not know)."""
    url: URL = scratch.create()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    engine.dispose()
    yield url


def test_with_auto_migrate_off_a_schema_behind_is_refused(behind: URL) -> None:
    with pytest.raises(Conflict) as refused:
        open_database(_settings(behind, OLD_SECRET, auto_migrate=False))
    assert refused.value.details["reason"] == "schema_behind"
    assert "run `sagwa db upgrade`" in refused.value.message
    with pytest.raises(Conflict, match="sagwa db upgrade"):
        DeliveryRuntime.from_settings(_settings(behind, OLD_SECRET, auto_migrate=False),
                                      threads=1)
    open_database(_settings(behind, OLD_SECRET)).close()  # on by default: migrated
    open_database(_settings(behind, OLD_SECRET, auto_migrate=False)).close()  # now current


def test_a_schema_ahead_of_the_code_is_refused_in_one_line(ahead: URL) -> None:
    for auto in (True, False):
        with pytest.raises(Conflict) as refused:
            open_database(_settings(ahead, OLD_SECRET, auto_migrate=auto))
        assert refused.value.details["reason"] == "schema_ahead"
        assert "revision 0999_from_the_future is unknown" in refused.value.message
    with pytest.raises(Conflict, match="ahead of this code"):
        DeliveryRuntime.from_settings(_settings(ahead, OLD_SECRET), threads=1)


def test_db_status_and_upgrade_say_the_database_is_ahead(
        ahead: URL, monkeypatch: pytest.MonkeyPatch) -> None:
    status = sagwa(monkeypatch, ahead, OLD_SECRET, "db", "status")
    assert status.exit_code == 1
    assert "needs `sagwa db upgrade`" not in status.output
    assert "ahead of this code" in " ".join(status.output.split())
    as_json = sagwa(monkeypatch, ahead, OLD_SECRET, "db", "status", "--json")
    assert as_json.exit_code == 1
    body = __import__("json").loads(as_json.stdout.splitlines()[0])
    assert list(body) == ["database", "current", "latest", "up_to_date", "state"]
    assert (body["current"], body["latest"], body["up_to_date"], body["state"]) == (
        "0999_from_the_future", head_revision(), False, "ahead")
    upgrade = sagwa(monkeypatch, ahead, OLD_SECRET, "db", "upgrade")
    assert upgrade.exit_code == 1
    assert "Can't locate revision" not in upgrade.output
    assert "revision 0999_from_the_future is unknown" in " ".join(upgrade.output.split())
    assert upgrade.exception is None or isinstance(upgrade.exception, SystemExit)
