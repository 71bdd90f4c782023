"""Read and verify the audit log."""

from __future__ import annotations

from sagwa.domain.audit import AuditRecord, ChainVerdict, verify_chain
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def verify_audit_log(uow: SqlAlchemyUnitOfWork) -> ChainVerdict:
    """Recompute the whole hash chain, oldest record first."""
    with uow:
        return verify_chain(uow.audit.iter_all())


def audit_trail(uow: SqlAlchemyUnitOfWork, *, entity_type: str, entity_id: str) -> list[AuditRecord]:
    with uow:
        return uow.audit.for_entity(entity_type, entity_id)
