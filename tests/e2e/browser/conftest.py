"""Fixtures for the page tests: the world (see ``world.py``), an app on a rolled-back database
for TestClient tests, and for browser tests a real uvicorn server on a committed database plus
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import World, build_world

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.services.unit_of_work import ManualClock
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def page_settings(test_settings: Settings) -> Settings:
    return test_settings


@pytest.fixture
def world(session_factory: sessionmaker[Session], page_settings: Settings) -> World:
    return build_world(session_factory, page_settings.secret_key)


@pytest.fixture
def client(database: Database, session_factory: sessionmaker[Session],
           page_settings: Settings, world: World) -> Iterator[TestClient]:
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(page_settings, database=db), follow_redirects=False) as c:
        yield c


@pytest.fixture
def client_at(database: Database, session_factory: sessionmaker[Session],
              page_settings: Settings, world: World) -> Iterator[Callable[[datetime], TestClient]]:
    """``client_at(moment)``: a client of an app whose clock says ``moment`` (the world built
    before, at the real time) — a page read at a time the test chose, not whenever it runs."""
    made: list[TestClient] = []

    def at(moment: datetime) -> TestClient:
        db = Database(database.engine, embedded=database.embedded,
                      session_factory=session_factory)
        client = TestClient(create_app(page_settings, database=db, clock=ManualClock(moment)),
                            follow_redirects=False)
        made.append(client.__enter__())
        return client

    yield at
    for client in made:
        client.__exit__(None, None, None)


@dataclass
class Site:
    base_url: str
    world: World
    settings: Settings
    database: Database


@pytest.fixture
def site(committed_database: Database, test_settings: Settings) -> Iterator[Site]:
    """A real server on 127.0.0.1 in a background thread, on its own committed database."""
    import uvicorn

    assert committed_database.session_factory is not None
    world = build_world(committed_database.session_factory, test_settings.secret_key)
    port = free_port()
    config = uvicorn.Config(create_app(test_settings, database=committed_database),
                            host="127.0.0.1", port=port, log_level="warning", ws="none",
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    yield Site(f"http://127.0.0.1:{port}", world, test_settings, committed_database)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site: Site) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.base_url, locale="ko-KR",
                                  viewport={"width": 1100, "height": 900})
    context.set_default_timeout(10_000)
    # a page load waits longer: on a loaded CI machine the first /login took over 10 s once
    context.set_default_navigation_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()
