"""``GET /api/audit/verify`` reads the anchors file of ``SAGWA_AUDIT_ANCHORS_PATH`` and verifies
with the app's current and retired secrets.

Before: it read ``<data dir>/audit-anchors.jsonl`` whatever was configured (a shared anchors
file of a multi-host deployment was never checked), and it held one key only, so a log keyed
before a rotation of the secret could not be verified.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.config import Settings
from sagwa.domain.audit import chain_key
from sagwa.services import audit, catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SUITE_SECRET = os.environ["SAGWA_SECRET_KEY"]  # what this process keys new records with
NEW_SECRET = "the-secret-after-rotation-0123"


@pytest.fixture
def test_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    previous = getattr(request, "param", (SUITE_SECRET,))
    return Settings(database_url=None, data_dir=tmp_path / "data", environment="test",
                    audit_anchors_path=tmp_path / "shared" / "anchors.jsonl",
                    secret_key=NEW_SECRET, previous_secret_keys=previous)


def _records_and_anchor(factory: sessionmaker[Session], path: Path) -> None:
    catalog.register_seller(SqlAlchemyUnitOfWork(factory), code="rot-api", name="판매자",
                            actor="t")
    assert audit.anchor_audit_log(SqlAlchemyUnitOfWork(factory), path=path) is not None


def test_verify_checks_the_configured_anchors_file_with_the_retired_key(
        client: TestClient, session_factory: sessionmaker[Session],
        test_settings: Settings) -> None:
    assert test_settings.audit_anchors_path is not None
    _records_and_anchor(session_factory, test_settings.audit_anchors_path)
    verdict = client.get("/api/audit/verify").json()
    assert verdict["ok"] is True, verdict["reason"]
    assert verdict["anchors_checked"] == 1 and verdict["anchors_warning"] is None


@pytest.mark.parametrize("test_settings", [()], indirect=True)
def test_verify_without_the_retired_key_names_it(client: TestClient,
                                                 session_factory: sessionmaker[Session],
                                                 test_settings: Settings) -> None:
    assert test_settings.audit_anchors_path is not None
    _records_and_anchor(session_factory, test_settings.audit_anchors_path)
    verdict = client.get("/api/audit/verify").json()
    missing = chain_key(SUITE_SECRET).fingerprint
    assert verdict["ok"] is False and verdict["first_bad_seq"] == 1
    assert f"another key ({missing})" in verdict["reason"]
    assert "SAGWA_PREVIOUS_SECRET_KEYS" in verdict["reason"]
    assert list(verdict)[-1] == "anchors_warning"  # no key added: the reason names it
