"""The test suite's route cache (sagwa/testing/included_routes_once.py): a second app gets the
routes the first one built, and an app that overrides a dependency is refused rather than given
routes that would consult another app's overrides. (Every page and API test runs through the
shared routes, each on its own app and database.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import _IncludedRouter

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
    with pytest.raises(RuntimeError, match="dependency_overrides"):
        _routes(app)
