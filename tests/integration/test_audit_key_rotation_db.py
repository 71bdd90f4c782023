"""Rotating the app's secret on real PostgreSQL: records written, the secret rotated (the old
one kept in ``SAGWA_PREVIOUS_SECRET_KEYS``), more records written; the service and ``sagwa audit
verify`` check the whole log, and the anchors file is where ``SAGWA_AUDIT_ANCHORS_PATH`` says.

Before: after the rotation every record keyed with the old secret failed verify ("keyed with
another key"), the anchors written before it too, and nothing could be configured to verify
them; the anchors file was always ``<data dir>/audit-anchors.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from sagwa.adapters.anchor_file import read_anchors
from sagwa.adapters.db.audit_repo import forget_process_chain_keys
from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import audit_log
from sagwa.cli.main import app
from sagwa.config import Settings, get_settings
from sagwa.domain.audit import chain_key
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.services import audit, catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration

OLD_SECRET, NEW_SECRET = "rotation-test-old-secret-0001", "rotation-test-new-secret-0002"
OLD, NEW = chain_key(OLD_SECRET), chain_key(NEW_SECRET)


@pytest.fixture
def rotate(monkeypatch: pytest.MonkeyPatch, committed_database: Database,
           tmp_path: Path) -> Iterator[Callable[..., None]]:
    """``rotate(secret, previous=...)``: this process's environment as after a restart with
    those settings (the CLI run in-process reads the same environment)."""
    monkeypatch.setenv("SAGWA_DATABASE_URL",
                       committed_database.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAGWA_AUDIT_ANCHORS_PATH", str(tmp_path / "shared" / "anchors.jsonl"))

    def restart(secret: str, *, previous: str = "") -> None:
        monkeypatch.setenv("SAGWA_SECRET_KEY", secret)
        monkeypatch.setenv("SAGWA_PREVIOUS_SECRET_KEYS", previous)
        forget_process_chain_keys()
        get_settings.cache_clear()

    yield restart
    forget_process_chain_keys()  # the suite's key again for the next test
    get_settings.cache_clear()


def _uow(db: Database) -> SqlAlchemyUnitOfWork:
    assert db.session_factory is not None
    return SqlAlchemyUnitOfWork(db.session_factory)


def _sellers(db: Database, codes: range) -> None:
    for i in codes:
        catalog.register_seller(_uow(db), code=f"rot{i}", name=f"판매자{i}", actor="t")


def _chains(db: Database) -> list[str | None]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.chain).order_by(audit_log.c.seq)).scalars())


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args))


def test_a_log_keyed_across_a_rotation_verifies_with_the_old_secret_kept(
        committed_database: Database, rotate: Callable[..., None], tmp_path: Path) -> None:
    anchors = tmp_path / "shared" / "anchors.jsonl"
    rotate(OLD_SECRET)
    _sellers(committed_database, range(3))
    assert sagwa("audit", "anchor").exit_code == 0  # into SAGWA_AUDIT_ANCHORS_PATH, old key

    rotate(NEW_SECRET, previous=OLD_SECRET)
    _sellers(committed_database, range(3, 5))
    assert _chains(committed_database) == [OLD.chain] * 3 + [NEW.chain] * 2  # new: current key
    anchored = json.loads(sagwa("audit", "anchor", "--json").stdout)
    assert anchored["seq"] == 5 and anchored["path"] == str(anchors)
    assert [json.loads(line)["key"] for line in anchors.read_text().splitlines()] == [
        OLD.fingerprint, NEW.fingerprint]

    verdict = audit.verify_audit_log(_uow(committed_database), anchors=read_anchors(anchors))
    assert verdict.ok and verdict.checked == 5 and verdict.anchors_checked == 2
    result = sagwa("audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    as_json = json.loads(result.stdout)
    assert as_json["ok"] is True and as_json["anchors_checked"] == 2
    assert "missing_key" not in as_json and OLD_SECRET not in result.output


def test_without_the_old_secret_verify_names_the_missing_key(
        committed_database: Database, rotate: Callable[..., None]) -> None:
    rotate(OLD_SECRET)
    _sellers(committed_database, range(2))
    rotate(NEW_SECRET, previous=OLD_SECRET)
    _sellers(committed_database, range(2, 3))
    rotate(NEW_SECRET)  # the old secret dropped afterwards (without it no write is chained on)

    verdict = audit.verify_audit_log(_uow(committed_database))
    assert not verdict.ok and verdict.first_bad_seq == 1
    assert verdict.missing_key == OLD.fingerprint
    broken = sagwa("audit", "verify")
    assert broken.exit_code == 1
    said = " ".join(broken.stderr.split())
    assert f"another key ({OLD.fingerprint})" in said and "SAGWA_PREVIOUS_SECRET_KEYS" in said
    as_json = json.loads(sagwa("audit", "verify", "--json").stdout)
    assert as_json["details"] == {"reason": "chain_broken", "first_bad_seq": 1,
                                  "missing_key": OLD.fingerprint}


def test_the_worker_job_anchors_where_the_setting_says(committed_database: Database,
                                                      rotate: Callable[..., None],
                                                      tmp_path: Path) -> None:
    rotate(NEW_SECRET)
    runtime = DeliveryRuntime.from_settings(Settings(), threads=1)
    try:
        assert runtime.anchors_path == tmp_path / "shared" / "anchors.jsonl"
    finally:
        runtime.close()
