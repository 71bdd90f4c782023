"""JSON API clients for the e2e tests: an app on the test's rolled-back database, and API
tokens for an account of each staff role (made directly, without argon2: these accounts only
ever use tokens)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.users_repo import UserRepository
from sagwa.config import Settings, get_settings
from sagwa.services.accounts import issue_api_token
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

ApiClientFor = Callable[..., TestClient]


@pytest.fixture
def api_app(database: Database, session_factory: sessionmaker[Session],
            test_settings: Settings) -> FastAPI:
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    return create_app(test_settings, database=db)


def make_token(session_factory: sessionmaker[Session], username: str, role: str,
               seller_id: int | None = None) -> str:
    """An account (no usable password) with a fresh API token."""
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        repo = UserRepository(uow.conn)
        if repo.by_username(username) is None:
            repo.add(username=username, role=role, seller_id=seller_id,
                     password_hash="!tokens-only", now=uow.now())
            uow.commit()
    return issue_api_token(SqlAlchemyUnitOfWork(session_factory), username=username,
                           name=f"test-{uuid.uuid4().hex[:8]}", actor="test")


def _add_idempotency_key(request: httpx.Request) -> None:
    """Every create needs an Idempotency-Key; tests that do not care get a fresh one."""
    if request.method == "POST" and "idempotency-key" not in request.headers:
        request.headers["Idempotency-Key"] = f"test-{uuid.uuid4().hex}"


@pytest.fixture
def client_for(api_app: FastAPI,
               session_factory: sessionmaker[Session]) -> Iterator[ApiClientFor]:
    """``client_for("reviewer")`` → a client with that role's token; ``seller_id=`` for a
    seller account; ``token=None`` for an anonymous client; ``auto_keys=False`` to send
    requests without an Idempotency-Key."""
    opened: list[TestClient] = []

    def make(role: str | None = "admin", *, seller_id: int | None = None,
             username: str | None = None, auto_keys: bool = True) -> TestClient:
        headers = {}
        if role is not None:
            name = username or (f"{role}-{seller_id}" if seller_id is not None else role)
            headers["Authorization"] = "Bearer " + make_token(session_factory, name, role,
                                                              seller_id)
        c = TestClient(api_app, headers=headers)
        if auto_keys:
            c.event_hooks = {"request": [_add_idempotency_key], "response": []}
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def client(client_for: ApiClientFor) -> TestClient:
    """An admin's client: may do everything (the platform's own integration)."""
    return client_for("admin")


@pytest.fixture
def cli_database(committed_database: Database,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A committed database the CLI (run in-process with Typer's runner) opens, through
    ``SAGWA_DATABASE_URL``; the settings read afresh before and after."""
    url = committed_database.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SAGWA_DATABASE_URL", url)
    get_settings.cache_clear()
    yield committed_database
    get_settings.cache_clear()
