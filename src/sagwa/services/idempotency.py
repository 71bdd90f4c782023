"""Idempotent commands: the same key with the same request returns the first result.

A key belongs to whoever sent it: the API passes an :class:`IdempotencyKey` naming the calling
account (its audit name, ``api:<username>``), so two accounts that happen to pick the same key
never meet — neither is refused, and neither learns that the other used it. A plain ``str`` key
(the demo seed, the CLI, tests calling a service directly) has no owner (:data:`UNSCOPED`).

The request is compared by a canonical hash (:func:`fingerprint`) of what the use case was asked
to do, plus anything the caller asked for beside it (``IdempotencyKey.request``: the API's
``publish`` flag on a new listing); the same key with a different request is refused (409
``idempotency_key_reused``, reason ``idempotency_request_differs``).

A key may carry ``on_replay``, called when a run answers with the first run's stored result
instead of running again: the API uses it to answer ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Self

from sagwa.domain.audit import canonical
from sagwa.errors import IdempotencyMismatch, InvalidInput
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The owner of keys given without one (in-process callers), and of keys stored before keys
#: were kept per account whose account could not be told (migration 0010).
UNSCOPED = ""
MAX_KEY_LENGTH = 200


class IdempotencyKey(str):
    """A client's key as one account sent it, with the request parts a use case does not see.

    A ``str`` (services take and pass it as one), so a use case needs no change to honour it.
    """

    owner: str
    request: dict[str, Any]
    on_replay: Callable[[], None] | None

    def __new__(cls, key: str, *, owner: str, request: dict[str, Any] | None = None,
                on_replay: Callable[[], None] | None = None) -> Self:
        made = super().__new__(cls, key)
        made.owner = owner
        made.request = dict(request or {})
        made.on_replay = on_replay
        return made

    def with_request(self, **parts: Any) -> IdempotencyKey:
        """The same key, its request also naming ``parts`` (compared on a retry)."""
        return IdempotencyKey(str(self), owner=self.owner, request={**self.request, **parts},
                              on_replay=self.on_replay)


def check_key(key: str) -> None:
    """Refuse a blank or over-long key (422)."""
    if not key.strip():
        raise InvalidInput("this call creates something and needs an 'Idempotency-Key' header "
                           "(any unique string, e.g. a UUID; a retry sends the same one)",
                           field="Idempotency-Key", reason="idempotency_key_missing")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"an idempotency key must be at most {MAX_KEY_LENGTH} characters, "
                           f"got {len(key)}", field="Idempotency-Key",
                           reason="idempotency_key_too_long")
    if not (key.isascii() and key.isprintable()):
        # an HTTP header carries Latin-1: a Hangul key arrives as other characters and would
        # be stored so; a control character is no one's key
        raise InvalidInput("an idempotency key is printable ASCII (letters, digits and "
                           "punctuation, e.g. a UUID); this one has another character",
                           field="Idempotency-Key", reason="idempotency_key_not_ascii")


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def _owner(key: str) -> str:
    return key.owner if isinstance(key, IdempotencyKey) else UNSCOPED


def _request_fingerprint(key: str, payload: dict[str, Any]) -> str:
    extra = key.request if isinstance(key, IdempotencyKey) else {}
    return fingerprint({**payload, "request": extra} if extra else payload)


def _same_request(stored: str, key: str, payload: dict[str, Any], wanted: str) -> bool:
    """Whether a stored fingerprint is this request's.

    Keys stored before request parts were compared (they came with migration 0010) were
    fingerprinted on the payload alone; a retry of such a request after the upgrade is still the
    same request (its parts were not compared then), not a different one. Since then a key sent
    with request parts is always stored with them, so only such an older row matches this way.
    """
    if stored == wanted:
        return True
    return isinstance(key, IdempotencyKey) and bool(key.request) and stored == fingerprint(payload)


def prior_result(uow: SqlAlchemyUnitOfWork, scope: str, key: str | None,
                 payload: dict[str, Any]) -> dict[str, Any] | None:
    """The stored result of an earlier run with ``key`` by the same owner (the key's
    ``on_replay`` told), or None when this run is the first."""
    if key is None:
        return None
    check_key(key)
    wanted = _request_fingerprint(key, payload)
    prior = uow.idempotency.claim(scope, _owner(key), str(key), wanted, uow.now())
    if prior is None:
        return None
    if prior.result is None or not _same_request(prior.fingerprint, key, payload, wanted):
        raise IdempotencyMismatch(
            f"idempotency key {str(key)!r} was already used for a different {scope} request; "
            "send a new key for a new request, or repeat the first request exactly",
            idempotency_key=str(key), reason="idempotency_request_differs",
        )
    if isinstance(key, IdempotencyKey) and key.on_replay is not None:
        key.on_replay()
    return prior.result


def remember(uow: SqlAlchemyUnitOfWork, scope: str, key: str | None, result: dict[str, Any]) -> None:
    if key is not None:
        uow.idempotency.record(scope, _owner(key), str(key), result)
