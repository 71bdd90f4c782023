"""Migration 0021's downgrade keeps the keyed audit chain verifiable.

Before: ``alembic downgrade 0020`` dropped ``audit_log.chain`` even when keyed records existed,
after which those records could never verify again (nothing said which were keyed).
"""

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.migrate import alembic_config, current_revision
from sagwa.domain.audit import AuditEvent, chain_key

pytestmark = pytest.mark.integration


def _downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine.url.render_as_string(hide_password=False)), revision)


def test_downgrade_refuses_while_keyed_records_exist(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        with engine.begin() as conn:
            AuditRepository(conn, chain_key("a-secret-for-this-test-000000")).append(
                AuditEvent("t", "seller.registered", "seller", "1"), datetime.now(UTC))
        head = current_revision(engine)  # 0021 or a later head: the refusal rolls it all back
        with pytest.raises(Exception, match="keyed audit records") as refused:
            _downgrade(engine, "0020")
        assert "SAGWA_SECRET_KEY" in str(refused.value)
        assert current_revision(engine) == head
        assert "chain" in {c["name"] for c in inspect(engine).get_columns("audit_log")}
    finally:
        engine.dispose()


def test_downgrade_without_keyed_records_drops_the_column(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        _downgrade(engine, "0020")
        assert current_revision(engine) == "0020"
        assert "chain" not in {c["name"] for c in inspect(engine).get_columns("audit_log")}
    finally:
        engine.dispose()
