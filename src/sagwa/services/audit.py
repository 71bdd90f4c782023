"""Read and verify the audit log; anchor its head outside the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sagwa.adapters.anchor_file import append_anchor
from sagwa.domain.audit import AuditRecord, ChainKey, ChainKeys, ChainVerdict
from sagwa.domain.audit_anchors import Anchor, anchor_line, verify_with_anchors
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def verify_audit_log(uow: SqlAlchemyUnitOfWork, *, anchors: Sequence[Anchor] = (),
                     key: ChainKey | ChainKeys | None = None) -> ChainVerdict:
    """Recompute the whole hash chain, oldest record first (each keyed record with the key its
    fingerprint names, among ``key``: by default this process's current and retired keys),
    then check every anchor against it."""
    with uow:
        return verify_with_anchors(uow.audit.iter_all(), key=key or uow.audit.keys,
                                   anchors=anchors)


@dataclass(frozen=True)
class WrittenAnchor:
    seq: int
    hash: str
    at: datetime
    path: Path | None


def anchor_audit_log(uow: SqlAlchemyUnitOfWork, *, path: Path | None) -> WrittenAnchor | None:
    """The head of the audit log now (None for an empty log), appended to the anchors file at
    ``path`` (None: only read). Call it after the records it should cover were committed."""
    with uow:
        head = uow.audit.head()
        first = uow.audit.first()
        keyed_from = None if head is None else uow.audit.first_keyed_seq(upto=head.seq)
        key = uow.audit.key
        now = uow.now()
    if head is None or first is None:
        return None
    if path is not None:
        append_anchor(path, anchor_line(key, head.seq, head.hash, now, first=first.hash,
                                        keyed_from=keyed_from))
    return WrittenAnchor(head.seq, head.hash, now, path)


def audit_trail(uow: SqlAlchemyUnitOfWork, *, entity_type: str, entity_id: str) -> list[AuditRecord]:
    with uow:
        return uow.audit.for_entity(entity_type, entity_id)
