"""Pages across a rotation of the app's secret (TestClient): with the old secret kept in
``SAGWA_PREVIOUS_SECRET_KEYS``, a customer's case link texted before the rotation still opens
their page (and its form, loaded before, still posts), and staff signed in before stay signed
in; what is signed after, with the new secret only.

Before: links, link forms and the sign-in cookie were checked with ``SAGWA_SECRET_KEY``
alone, so rotating it refused every link already sent to customers mid-incident (before their
deadline) and signed everyone out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

KEY_B = "page-rotation-new-secret-0002"
AppFor = Callable[..., TestClient]


@pytest.fixture
def app_for(database: Database, session_factory: sessionmaker[Session], tmp_path: Path,
            world: World) -> Iterator[AppFor]:
    """``app_for(secret, previous=(...))``: a client of the app restarted with those secrets,
    on the test's database (the world was built with ``page_settings``' secret)."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with ExitStack() as opened:
        def make(secret: str, previous: tuple[str, ...] = ()) -> TestClient:
            settings = Settings(database_url=None, data_dir=tmp_path / "data",
                                environment="test", secret_key=secret,
                                previous_secret_keys=previous)
            return opened.enter_context(TestClient(create_app(settings, database=db),
                                                   follow_redirects=False))
        yield make


def test_a_case_link_sent_before_a_rotation_still_opens_and_posts(
        app_for: AppFor, page_settings: Settings, world: World) -> None:
    old = page_settings.secret_key
    token = world.tokens["김민준"]  # signed with the old secret, as texted
    loaded = app_for(old).get(f"/c/{token}")  # the page open in the customer's browser
    assert loaded.status_code == 200

    rotated = app_for(KEY_B, (old,))
    page = rotated.get(f"/c/{token}")
    assert page.status_code == 200 and "김민준" in page.text
    # the form loaded before the restart still posts (its token is of the old secret)
    asked = rotated.post(f"/c/{token}/choose", data={"choice": "talk_to_person",
                                                    "csrf_token": csrf_of(loaded.text)})
    assert asked.status_code == 303, asked.text

    refused = app_for(KEY_B).get(f"/c/{token}")  # the old secret not kept
    assert refused.status_code == 403 and "김민준" not in refused.text


def test_staff_signed_in_before_a_rotation_stay_signed_in(
        app_for: AppFor, page_settings: Settings, world: World) -> None:
    old = page_settings.secret_key
    before = app_for(old)
    log_in(before, "admin")
    cookie = before.cookies.get("sagwa_session")
    assert cookie

    rotated = app_for(KEY_B, (old,))
    rotated.cookies.set("sagwa_session", cookie)
    assert rotated.get("/ops/incidents").status_code == 200

    alone = app_for(KEY_B)  # the old secret not kept: signed out, as before
    alone.cookies.set("sagwa_session", cookie)
    answer = alone.get("/ops/incidents")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_after_a_rotation_cookies_are_signed_with_the_new_secret(
        app_for: AppFor, page_settings: Settings, world: World) -> None:
    old = page_settings.secret_key
    rotated = app_for(KEY_B, (old,))
    log_in(rotated, "admin")
    cookie = rotated.cookies.get("sagwa_session")
    assert cookie
    new_only, old_only = app_for(KEY_B), app_for(old)
    new_only.cookies.set("sagwa_session", cookie)
    old_only.cookies.set("sagwa_session", cookie)
    assert new_only.get("/ops/incidents").status_code == 200
    assert old_only.get("/ops/incidents").status_code == 303
