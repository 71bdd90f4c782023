"""Idempotent commands: the same key with the same request returns the first result."""

from __future__ import annotations

import hashlib
from typing import Any

from sagwa.domain.audit import canonical
from sagwa.errors import IdempotencyMismatch
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def prior_result(uow: SqlAlchemyUnitOfWork, scope: str, key: str | None,
                 payload: dict[str, Any]) -> dict[str, Any] | None:
    """The stored result of an earlier run with ``key``, or None when this run is the first."""
    if key is None:
        return None
    if not key.strip() or len(key) > 200:
        from sagwa.errors import InvalidInput

        raise InvalidInput("an idempotency key must be 1-200 characters", field="idempotency_key")
    prior = uow.idempotency.claim(scope, key, fingerprint(payload), uow.now())
    if prior is None:
        return None
    if prior.fingerprint != fingerprint(payload) or prior.result is None:
        raise IdempotencyMismatch(
            f"idempotency key {key!r} was already used for a different {scope} request",
            idempotency_key=key,
        )
    return prior.result


def remember(uow: SqlAlchemyUnitOfWork, scope: str, key: str | None, result: dict[str, Any]) -> None:
    if key is not None:
        uow.idempotency.record(scope, key, result)
