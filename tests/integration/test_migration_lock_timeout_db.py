"""``sagwa db upgrade`` behind an open transaction: it waits for a lock only so long
(``SAGWA_MIGRATION_LOCK_TIMEOUT``), then gives up, changing nothing, and names the transactions
open on the database. On real PostgreSQL, with a real transaction holding a lock."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from schema_at import migrated_to, version_row_held
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from sagwa.adapters.db.migrate import (
    current_revision,
    head_revision,
    upgrade_to_head,
)
from sagwa.adapters.db.schema_state import _revisions
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.errors import Conflict


@pytest.fixture
def one_revision_behind(scratch) -> URL:  # type: ignore[no-untyped-def]
    return migrated_to(scratch.create(migrate=False), "head-1")


@pytest.fixture
def holder(one_revision_behind: URL) -> Iterator[int]:
    """An open transaction holding the row every migration updates last; its pid."""
    with version_row_held(one_revision_behind) as pid:
        yield pid


def test_an_upgrade_behind_an_open_transaction_gives_up_and_names_it(
        one_revision_behind: URL, holder: int) -> None:
    engine = create_engine(one_revision_behind)
    before = current_revision(engine)
    started = time.monotonic()
    with pytest.raises(Conflict) as refused:
        upgrade_to_head(engine, lock_timeout=0.5)
    assert time.monotonic() - started < 10
    assert refused.value.details["reason"] == "migration_lock_timeout"
    message = refused.value.message
    assert f"pid {holder} (idle in transaction for" in message and "a-forgotten-psql" in message
    assert "retry" in message and "\n" not in message
    assert current_revision(engine) == before != head_revision()  # nothing changed
    engine.dispose()


def test_db_upgrade_says_so_in_one_line(one_revision_behind: URL, holder: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_DATABASE_URL", one_revision_behind.render_as_string(
        hide_password=False))
    monkeypatch.setenv("SAGWA_MIGRATION_LOCK_TIMEOUT", "0.5")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    assert "waited 0.5 s for a table lock" in flat and f"pid {holder}" in flat
    assert "Traceback" not in result.output


def test_without_a_holder_the_upgrade_runs(one_revision_behind: URL) -> None:
    engine = create_engine(one_revision_behind)
    upgrade_to_head(engine, lock_timeout=0.5)
    assert current_revision(engine) == head_revision() == _revisions()[0]
    engine.dispose()
