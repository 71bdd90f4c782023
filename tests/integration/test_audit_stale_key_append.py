"""A process whose keys lack the key of the audit log's last record may not chain after it.

A reviewer: a retired key (kept to verify the past; maybe rotated because it leaked) could key
records after the current key's, and they verified. Verification now refuses a retired key's
record after the current key's first; this is the other half — an old host still running with
the old secret after another host started with the new one is refused (``audit_key_unknown``,
nothing written) instead of writing records that verification would then call a rewrite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, select

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.tables import audit_log
from sagwa.domain.audit import AuditEvent, chain_key, chain_keys, verify_chain
from sagwa.errors import Conflict

pytestmark = pytest.mark.integration

OLD_SECRET, NEW_SECRET = "stale-key-test-old-secret-0001", "stale-key-test-new-secret-0002"


def _event(n: int) -> AuditEvent:
    return AuditEvent("api:boss", "incident.closed", "incident", str(n))


def test_an_old_host_cannot_write_after_a_new_key_took_over(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    old_host, new_host = chain_key(OLD_SECRET), chain_keys(NEW_SECRET, [OLD_SECRET])
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            AuditRepository(conn, old_host).append(_event(1), now)
        with engine.begin() as conn:  # a new host: the old key retired, the new one current
            AuditRepository(conn, new_host).append(_event(2), now)
        with pytest.raises(Conflict) as refused, engine.begin() as conn:
            AuditRepository(conn, old_host).append_many([_event(3), _event(4)], now)
        assert refused.value.details["reason"] == "audit_key_unknown"
        with pytest.raises(Conflict), engine.begin() as conn:
            AuditRepository(conn, old_host).append(_event(3), now)
        with engine.begin() as conn:
            assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 2
            AuditRepository(conn, new_host).append(_event(3), now)  # the new host goes on
            records = list(AuditRepository(conn, new_host).iter_all())
        assert verify_chain(records, key=new_host).ok
    finally:
        engine.dispose()
