"""A directory or file sagwa cannot write (a read-only file system; here, as the suite may run
as root, a place under /proc where nothing can be made) is one line, not a traceback: the
embedded database's data directory, and ``sagwa audit anchor``'s anchors file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner, Result

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.audit import AuditEvent

pytestmark = pytest.mark.e2e
NOWHERE = "/proc/sagwa-cannot-make-this"


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()


def _one_line(result: Result) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_an_embedded_database_in_a_directory_that_cannot_be_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAGWA_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAGWA_DATA_DIR", NOWHERE)
    result = sagwa("db", "status")
    assert result.exit_code == 1
    said = _one_line(result)
    assert f"cannot start the embedded PostgreSQL in {NOWHERE}/pg" in said
    assert "SAGWA_DATA_DIR" in said


def test_audit_anchor_to_a_file_that_cannot_be_written(
        scratch, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    url = scratch.create()
    engine = create_engine(url)
    with engine.begin() as conn:
        AuditRepository(conn).append(AuditEvent("admin:kim", "listing.pause", "listing", "1"),
                                     datetime.now(UTC))
    engine.dispose()
    monkeypatch.setenv("SAGWA_DATABASE_URL", url.render_as_string(hide_password=False))
    result = sagwa("audit", "anchor", "--anchors", f"{NOWHERE}/anchors.jsonl")
    assert result.exit_code == 2
    said = _one_line(result)
    assert f"cannot write the anchors file {NOWHERE}" in said
    assert "SAGWA_AUDIT_ANCHORS_PATH" in said
