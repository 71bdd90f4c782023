"""The test suite's route cache (sagwa/testing/included_routes_once.py): a second app gets the
routes the first one built, and an app that overrides a dependency is refused rather than given
routes that would consult another app's overrides. (Every page and API test runs through the
shared routes, each on its own app and database.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import _IncludedRouter
from fastapi.testclient import TestClient

from sagwa.config import Settings
from sagwa.testing.included_routes_once import build_included_routes_once
from sagwa.web.app import create_app
from sagwa.web.query_params import strict_query


def _routes(app) -> list[object]:  # type: ignore[no-untyped-def]
    found: list[object] = []

    def walk(router: _IncludedRouter) -> None:
        for candidate in router.effective_candidates():
            if isinstance(candidate, _IncludedRouter):
                walk(candidate)
            else:
                found.append(candidate)

    for route in app.router.routes:
        if isinstance(route, _IncludedRouter):
            walk(route)
    return found


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=None, data_dir=tmp_path / "data", environment="test")


def test_a_second_app_reuses_the_routes_the_first_built(tmp_path: Path) -> None:
    assert build_included_routes_once()  # installed by tests/conftest.py; again is a no-op
    first, second = _routes(create_app(_settings(tmp_path))), _routes(create_app(_settings(tmp_path)))
    assert len(first) == len(second) > 100
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_an_app_that_overrides_a_dependency_is_refused(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path))
    app.dependency_overrides[strict_query] = lambda: None
    try:
        with pytest.raises(RuntimeError, match="dependency_overrides"):
            _routes(app)
    finally:
        app.dependency_overrides.clear()  # or every later app's requests would fail


def test_an_override_set_after_the_routes_were_built_fails_a_request_of_any_app(
        tmp_path: Path) -> None:
    """Not ignored (the routes another app built would not consult this one) and not applied
    to another app through the routes they share: the next request says why."""
    first, second = create_app(_settings(tmp_path)), create_app(_settings(tmp_path))
    _routes(first), _routes(second)
    client = TestClient(second)  # no lifespan: no database is opened
    assert client.get("/api/products", params={"unknown": "1"}).status_code == 422  # shared route
    first.dependency_overrides[strict_query] = lambda: None
    try:
        with pytest.raises(RuntimeError, match="dependency_overrides"):
            client.get("/api/products", params={"unknown": "1"})
    finally:
        first.dependency_overrides.clear()
    assert client.get("/api/products", params={"unknown": "1"}).status_code == 422
