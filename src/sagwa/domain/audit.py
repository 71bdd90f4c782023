"""The append-only audit log: who did what, when, before and after, hash-chained.

Each record's hash covers the previous record's hash and a canonical JSON of its own fields, so
changing, inserting or deleting any record breaks every hash after it. Records written since
keyed hashing (their ``chain`` names the scheme and the key's fingerprint, ``hmac1:<fp>``) are
HMAC-SHA256 with a key derived from the app's secret: someone who can write to the database
but does not hold the secret cannot recompute them. Older records (``chain`` None) stay plain
SHA-256 and are verified as written; none may follow a keyed one. A deleted tail, a chain
rewritten from its first record, or keyed records turned back into plain ones (``chain`` set
to NULL from the first keyed record on, hashes recomputed: the chain alone still checks) is
caught by anchors (:mod:`sagwa.domain.audit_anchors`): the head of the chain, and its first
keyed record, written now and then to a file outside the database. Without anchors it is not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

GENESIS_HASH = "0" * 64
# the actions that take a listing off sale (only a live listing takes orders): the desk pausing
# it for an incident, the order tripwire, and anyone pausing, holding or ending it through the
# listing's own status change (``listing.<trigger>``)
LISTING_PAUSE_ACTIONS = (
    "listing.paused", "listing.paused_by_tripwire", "listing.pause", "listing.hold", "listing.end",
)


# the actions that put a listing back on sale (``listing.<trigger>``)
LISTING_RETURN_ACTIONS = ("listing.resume", "listing.release", "listing.publish")


class LoggedAction(Protocol):
    """What ``first_listing_pause`` reads of an audit entry (a stored row will do)."""

    @property
    def entity_type(self) -> str: ...

    @property
    def entity_id(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def occurred_at(self) -> datetime: ...


def first_listing_pause(entries: Iterable[LoggedAction], *, window_start: datetime,
                        until: datetime | None = None) -> datetime | None:
    """When an incident was contained: the earliest listing pause at or after ``window_start``
    (when the wrong price went live) and no later than ``until`` (the declaration, which pauses
    every listing; None = no bound) that held — the same listing was not put back on sale after
    it and before ``until`` — or None if there was none.

    A pause before the window start cannot have contained the wrong price, which was not live
    yet: the report shows such a pause in its timeline as context, but it never counts here. A
    pause undone before the declaration (a seller pausing for a minute to edit, then resuming at
    the wrong price) contained nothing either. Entries may come in any order and may include
    other actions and entities.
    """
    listed = [e for e in entries if e.entity_type == "listing"]
    returns: dict[str, list[datetime]] = {}
    for e in listed:
        if e.action in LISTING_RETURN_ACTIONS and (until is None or e.occurred_at <= until):
            returns.setdefault(e.entity_id, []).append(e.occurred_at)
    return min((e.occurred_at for e in listed
                if e.action in LISTING_PAUSE_ACTIONS and e.occurred_at >= window_start
                and (until is None or e.occurred_at <= until)
                and not any(t > e.occurred_at for t in returns.get(e.entity_id, ()))),
               default=None)


@dataclass(frozen=True)
class AuditEvent:
    """What happened, before it is chained."""

    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    occurred_at: datetime
    event: AuditEvent
    prev_hash: str
    hash: str = field(default="")
    chain: str | None = None  # None: plain SHA-256 (before keyed hashing); else KEYED:<fp>


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _payload(prev_hash: str, seq: int, occurred_at: datetime, event: AuditEvent) -> bytes:
    stamp = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = canonical({
        "seq": seq, "at": stamp, "actor": event.actor, "action": event.action,
        "entity_type": event.entity_type, "entity_id": event.entity_id,
        "before": event.before, "after": event.after,
    })
    return (prev_hash + payload).encode("utf-8")


def chain_hash(prev_hash: str, seq: int, occurred_at: datetime, event: AuditEvent) -> str:
    """The plain SHA-256 of records written before keyed hashing (anyone can compute it)."""
    return hashlib.sha256(_payload(prev_hash, seq, occurred_at, event)).hexdigest()


KEYED = "hmac1"
"""The keyed scheme's name in a record's ``chain``: HMAC-SHA256 with :func:`chain_key`."""


@dataclass(frozen=True)
class ChainKey:
    """The key that signs the chain, derived from the app's secret (so the secret itself, which
    also signs cookies and links, is never the HMAC key), and its public fingerprint."""

    key: bytes

    @property
    def fingerprint(self) -> str:
        return hmac.new(self.key, b"sagwa audit key id", hashlib.sha256).hexdigest()[:12]

    @property
    def chain(self) -> str:
        """What a record keyed with this key holds in ``chain``."""
        return f"{KEYED}:{self.fingerprint}"


def chain_key(secret: str) -> ChainKey:
    return ChainKey(hmac.new(secret.encode("utf-8"), b"sagwa audit chain v1",
                             hashlib.sha256).digest())


def keyed_chain_hash(key: ChainKey, prev_hash: str, seq: int, occurred_at: datetime,
                     event: AuditEvent) -> str:
    """HMAC-SHA256 over what :func:`chain_hash` hashes: only the key's holder can compute it."""
    return hmac.new(key.key, _payload(prev_hash, seq, occurred_at, event),
                    hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str | None = None
    # appended: the first keyed record (None: none is), the head of the chain as read (its
    # seq and hash: what an anchor written now would hold), and the anchors checked against it
    keyed_from: int | None = None
    head_seq: int | None = None
    head_hash: str | None = None
    anchors_checked: int = 0
    anchor_failed: dict[str, Any] | None = None


def verify_chain(records: Iterable[AuditRecord], *, start_hash: str = GENESIS_HASH,
                 key: ChainKey | None = None) -> ChainVerdict:
    """Recompute every hash in order; report the first record that does not match.

    Sequence numbers are assigned without gaps, so a deleted record shows as a missing number.
    A keyed record needs ``key``; a plain one after a keyed one was rewritten without the key.
    Anchors are checked on top (:func:`sagwa.domain.audit_anchors.verify_with_anchors`).
    """
    prev, checked, keyed_from = start_hash, 0, None
    for rec in records:
        bad = _record_fault(rec, checked, prev, keyed_from, key)
        if bad is not None:
            return ChainVerdict(False, checked, rec.seq, bad, keyed_from, checked or None,
                                prev if checked else None)
        if rec.chain is not None and keyed_from is None:
            keyed_from = rec.seq
        prev = rec.hash
        checked += 1
    return ChainVerdict(True, checked, keyed_from=keyed_from, head_seq=checked or None,
                        head_hash=prev if checked else None)


def _record_fault(rec: AuditRecord, checked: int, prev: str, keyed_from: int | None,
                  key: ChainKey | None) -> str | None:
    if rec.seq != checked + 1:
        return f"record {checked + 1} is missing"
    if rec.prev_hash != prev:
        return f"record {rec.seq} does not follow the one before it"
    if rec.chain is None:
        if keyed_from is not None:
            return (f"record {rec.seq} is not keyed although record {keyed_from} before it "
                    "is: it was rewritten without the key")
        expected = chain_hash(prev, rec.seq, rec.occurred_at, rec.event)
    elif key is None:
        return f"record {rec.seq} is keyed and no key was given to check it"
    elif rec.chain != key.chain:
        return (f"record {rec.seq} was keyed with another key ({rec.chain}, this one is "
                f"{key.chain}): SAGWA_SECRET_KEY differs, or the record was forged")
    else:
        expected = keyed_chain_hash(key, prev, rec.seq, rec.occurred_at, rec.event)
    if rec.hash != expected:
        return f"record {rec.seq} was altered after it was written"
    return None


def actor_parts(actor: str) -> tuple[str, str]:
    """(prefix, username) of an audit-log name: ``api:boss`` → ("api", "boss"); the CLI's
    ``admin:kim via cli (os user root)`` → ("admin", "kim"); a name without a prefix → ("", name)."""
    name = actor.strip().split(" via cli (", 1)[0]
    prefix, colon, username = name.partition(":")
    return (prefix, username) if colon and username else ("", name)
