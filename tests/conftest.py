"""Shared fixtures.

Integration and e2e tests run on real PostgreSQL: the embedded server (always) and the server in
``SAGWA_DATABASE_URL`` when that is set (CI: the machine's PostgreSQL on 127.0.0.1:5432). Each
backend gets a fresh database, migrated once per session; each test runs inside a transaction
that is rolled back (services' commits become savepoint releases).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.migrate import upgrade_to_head
from sagwa.config import Settings
from sagwa.services import accounts
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.included_routes_once import build_included_routes_once

# One signing key for the whole suite (the processes it starts inherit it): without it, every
# Settings() on the external database would warn that its generated key is not shared (and
# warnings are errors here). The generated key is tested in tests/unit/test_config.py.
os.environ.setdefault("SAGWA_SECRET_KEY", "sagwa-test-suite-signing-key")
# One console width for the CLI's tables and messages wherever the suite runs (a terminal, a
# CI log, a pytest-xdist worker whose temp paths are longer): Rich would wrap at 80 otherwise.
os.environ["COLUMNS"] = "200"

# Passwords in this test process: argon2 with the library's cheapest parameters (a hash in about
# a millisecond, not 130 ms: every page test's world makes five accounts and most of them log
# in — some 400 s of a suite run went to hashing). The same code hashes and verifies; a hash
# records its own parameters, so hashes made by the commands the tests start in other processes
# (the library's defaults, as in production) verify here too.
accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# Each included API route built once per test process, not once per app (most tests make an
# app; building its routes was about a third of the suite's CPU): sagwa/testing/included_routes_once.py
if os.environ.get("SAGWA_TEST_BUILD_ROUTES_PER_APP") != "1":
    build_included_routes_once()

EXTERNAL_URL = os.environ.get("SAGWA_DATABASE_URL")
BACKENDS = ["embedded"] + (["external"] if EXTERNAL_URL else [])


def _sqlalchemy_url(raw: str) -> URL:
    return make_url(Settings(database_url=raw).database_url or raw)


@pytest.fixture(scope="session")
def embedded_admin_url() -> URL:
    """An embedded server for the session, in its own short temp dir (not pytest's basetemp,
    which a concurrent pytest run may prune, and whose long paths strain the socket limit)."""
    from sagwa.adapters.embedded_pg import start_embedded

    root = Path(tempfile.mkdtemp(prefix="sagwa-pg-"))
    # pgserver stops the server and deletes root/pg when the test process exits.
    return make_url(start_embedded(root / "pg", cleanup_mode="delete"))


@pytest.fixture(scope="session", params=BACKENDS)
def admin_url(request: pytest.FixtureRequest) -> URL:
    """A server where tests may create and drop databases."""
    if request.param == "embedded":
        url: URL = request.getfixturevalue("embedded_admin_url")
        return url
    assert EXTERNAL_URL is not None
    return _sqlalchemy_url(EXTERNAL_URL)


class ScratchDatabases:
    """Creates migrated databases on a server and drops them afterwards."""

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []
        self._template: str | None = None

    def create(self, *, migrate: bool = True) -> URL:
        """A new database; migrated to head unless ``migrate=False``. Migrated ones are copies
        of one database migrated once per session (``CREATE DATABASE … TEMPLATE``): running every
        migration took about 0.3 s a database, and some 400 tests each want a fresh one."""
        template = self._migrated_template() if migrate else None
        return self._new_database(template)

    def _new_database(self, template: str | None) -> URL:
        name = f"sagwa_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        admin.dispose()
        self.created.append(name)
        return self.admin_url.set(database=name)

    def _migrated_template(self) -> str:
        if self._template is None:
            url = self._new_database(None)
            engine = create_engine(url)
            upgrade_to_head(engine)
            engine.dispose()  # a template must have no connections when it is copied
            self._template = url.database
        assert self._template is not None
        return self._template

    def drop(self, url: URL) -> None:
        """Drop one database :meth:`create` made (a test's own, when the test is done)."""
        self._drop([str(url.database)])
        self.created.remove(str(url.database))

    def drop_all(self) -> None:
        self._drop(self.created)
        self.created.clear()

    def _drop(self, names: list[str]) -> None:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Backend:
    """A server's scratch databases and its session database, made once per test process."""

    def __init__(self, admin_url: URL) -> None:
        self.scratch = ScratchDatabases(admin_url)
        # the template is migrated here, before any test runs: not inside the first test that
        # asks for a database, whose patches (environment, settings) would then be in every copy
        self.scratch._migrated_template()
        self.database = Database(create_engine(self.scratch.create()),
                                 embedded="host=/" in str(admin_url)
                                 or admin_url.query.get("host") is not None)

    def close(self) -> None:
        self.database.close()
        self.scratch.drop_all()


@pytest.fixture(scope="session")
def backends() -> Iterator[dict[str, Backend]]:
    """Each server's :class:`Backend`, kept for the whole session. pytest sets a parametrized
    session fixture up again each time the tests switch between its parameters — with
    pytest-xdist sending a file at a time, at nearly every file, where migrating a template
    and copying the session database cost 1–3 s — so ``scratch`` and ``database`` take theirs
    from here instead of making them."""
    made: dict[str, Backend] = {}
    yield made
    for backend in made.values():
        backend.close()


def _backend(backends: dict[str, Backend], admin_url: URL) -> Backend:
    key = admin_url.render_as_string(hide_password=False)
    if key not in backends:
        backends[key] = Backend(admin_url)
    return backends[key]


@pytest.fixture(scope="session")
def scratch(admin_url: URL, backends: dict[str, Backend]) -> ScratchDatabases:
    return _backend(backends, admin_url).scratch


@pytest.fixture(scope="session")
def database(admin_url: URL, backends: dict[str, Backend]) -> Database:
    """One migrated database per backend for the whole session."""
    return _backend(backends, admin_url).database


@pytest.fixture
def session_factory(database: Database) -> Iterator[sessionmaker[Session]]:
    """Sessions joined to an outer transaction that is rolled back after the test."""
    connection = database.engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                           expire_on_commit=False)
    yield factory
    outer.rollback()
    connection.close()


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> Callable[[], SqlAlchemyUnitOfWork]:
    """A factory of units of work inside the test's rolled-back transaction."""
    return lambda: SqlAlchemyUnitOfWork(session_factory)


@pytest.fixture
def committed_database(scratch: ScratchDatabases) -> Iterator[Database]:
    """A fresh migrated database whose commits are real (for concurrency tests)."""
    url = scratch.create()
    db = Database(create_engine(url, pool_size=10), embedded=False)
    yield db
    db.close()
    scratch.drop(url)  # the session keeps the scratch databases: not a copy per test on disk


@pytest.fixture
def test_settings(tmp_path: Path) -> Settings:
    return Settings(database_url=None, data_dir=tmp_path / "data", environment="test")


#: Integration modules whose subject is the database itself — migrations, the audit log's
#: triggers and keys, locks, races, the outbox and its workers, a lost connection, query counts
#: and the planner's choice of an index (the external server in CI is PostgreSQL 15, the
#: embedded one 16), text PostgreSQL refuses — run on both servers. The other integration
#: modules are the services' scenarios (a desk's day, the tripwire, reviews, notices): they run
#: on the embedded server only. They reach PostgreSQL through the same repositories that the
#: modules below and the API tests of E2E_BOTH_SERVERS run on the external one, and
#: running them twice cost about 300 process-seconds of a CI run that must stay under 20
#: minutes. A new integration module runs on the embedded server unless it is named here.
BOTH_SERVERS = frozenset({
    "test_audit_anchor_job", "test_audit_case_index", "test_audit_key_rotation_db",
    "test_audit_log_db", "test_audit_stale_key_append", "test_audit_tampering_db",
    "test_access_records_db", "test_case_lookup_phone_index",
    "test_case_lookup_tails_and_email_starts", "test_customer_erasure_db", "test_data_errors",
    "test_delivery", "test_delivery_contact_hours", "test_delivery_job_error_count",
    "test_delivery_outcome_after_restart", "test_erasure_requests_db",
    "test_delivery_retries", "test_desk_callback_time", "test_desk_close_race",
    "test_desk_concurrency", "test_desk_difference_races", "test_desk_undelivered_races",
    "test_embedded_pg", "test_failed_messages", "test_idempotency", "test_incident_case_reads",
    "test_ledger_reports", "test_ledger_reversal_race", "test_listing_lookups_one_query",
    "test_login_throttle_db", "test_migration_0021_downgrade", "test_migration_0023_refunds",
    "test_migration_0024_claimed_at", "test_migration_idempotency_owner",
    "test_migration_lock_timeout_db", "test_migrations", "test_outbox", "test_outbox_claim_fence",
    "test_services_points", "test_smoke_services", "test_startup_checks_db", "test_worker_crash",
    "test_worker_database_outage", "test_worker_job_finished_elsewhere",
    "test_wrong_number_key_rotation"})


#: The API and CLI modules (tests/e2e) that also run on the external server: the API's
#: foundation (catalogue, listings, price changes, orders, incidents through HTTP), its health
#: and idempotency, money (refunds, the ledger), a lost database, and the commands that start a
#: server or read their settings. The other e2e modules reach the database through the same
#: services and repositories as these and as the integration modules of :data:`BOTH_SERVERS`;
#: they ran twice for about 130 process-seconds of a CI run. A new e2e module runs on the
#: embedded server unless it is named here.
E2E_BOTH_SERVERS = frozenset({
    "test_api_foundation", "test_api_healthz", "test_api_idempotency", "test_api_refunds",
    "test_api_ledger_entries", "test_api_database_unreachable", "test_api_usd_compensation",
    "test_cli_json_errors", "test_cli_serve_log_format", "test_cli_serve_startup",
    "test_cli_unwritable_paths", "test_cli_database_unreachable"})


def _embedded_only(path: Path) -> bool:
    """Pages and browser paths, the integration modules not in :data:`BOTH_SERVERS` and the
    e2e modules not in :data:`E2E_BOTH_SERVERS`."""
    here = Path(__file__).parent
    if here / "e2e" / "browser" in path.parents:
        return True
    if path.parent == here / "e2e":
        return path.stem not in E2E_BOTH_SERVERS
    return path.parent == here / "integration" and path.stem not in BOTH_SERVERS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Pages and browser paths run on the embedded database only: they reach PostgreSQL through
    the same services and repositories that the API tests of :data:`E2E_BOTH_SERVERS` and the
    integration modules of :data:`BOTH_SERVERS` run on both backends, and building their shop
    for each backend doubled the suite's longest part. So do the integration and e2e modules
    not named there."""
    for names, folder in ((BOTH_SERVERS, "integration"), (E2E_BOTH_SERVERS, "e2e")):
        unknown = {name for name in names
                   if not (Path(__file__).parent / folder / f"{name}.py").exists()}
        if unknown:
            raise pytest.UsageError(f"no such {folder} module (tests/conftest.py names it to "
                                    f"run on both servers): {sorted(unknown)}")
    kept, dropped = [], []
    for item in items:
        param = getattr(getattr(item, "callspec", None), "params", {}).get("admin_url")
        dropped_here = param == "external" and _embedded_only(Path(str(item.path)))
        (dropped if dropped_here else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
