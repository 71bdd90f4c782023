"""The worker's periodic audit anchor, on real PostgreSQL: it appends the head of the log to the
anchors file of the worker's data directory. Before there was no anchor at all, so a deleted
last record went unnoticed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from periodic_jobs import run_periodic
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.jobs.audit_tasks import ANCHOR_CRON, anchor_audit_log_job
from sagwa.services import catalog
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration


def test_the_periodic_job_anchors_the_head(database: Database,
                                           session_factory: sessionmaker[Session],
                                           tmp_path: Path) -> None:
    catalog.register_seller(SqlAlchemyUnitOfWork(session_factory), code="seller-one", name="판매자",
                            actor="t")
    seq = run_periodic(anchor_audit_log_job, database, session_factory, load_desk_policy(),
                       anchors_path=tmp_path / "audit-anchors.jsonl")
    [line] = (tmp_path / "audit-anchors.jsonl").read_text(encoding="utf-8").splitlines()
    assert seq == 1 and json.loads(line)["seq"] == 1
    # the first keyed record, under the anchor's MAC: a log downgraded to plain hashes later
    # contradicts it (before, anchors did not say which records were keyed)
    assert json.loads(line)["keyed_from"] == 1
    assert ANCHOR_CRON == "*/15 * * * *"
