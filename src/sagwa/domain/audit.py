"""The append-only audit log: who did what, when, before and after, hash-chained.

Each record's hash covers the previous record's hash and a canonical JSON of its own fields, so
changing, inserting or deleting any record breaks every hash after it. Records written since
keyed hashing (their ``chain`` names the scheme and the key's fingerprint, ``hmac1:<fp>``) are
HMAC-SHA256 with a key derived from the app's secret: someone who can write to the database
but does not hold the secret cannot recompute them. New records are keyed with the current
secret; after a rotation the retired secrets are kept to verify only (:class:`ChainKeys`), and
each record is checked with the key its fingerprint names. Older records (``chain`` None) stay plain
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

    key: bytes = field(repr=False)

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


MISSING_KEY_HINT = ("if SAGWA_SECRET_KEY was rotated, list the old secret in "
                    "SAGWA_PREVIOUS_SECRET_KEYS (kept to verify only); otherwise it was forged")


@dataclass(frozen=True)
class ChainKeys:
    """The keys a verifier holds: ``current`` keys every new record (and anchor); ``retired``
    ones (secrets rotated out) only verify what they keyed. A record and an anchor name their
    key by fingerprint, so a chain that switched keys verifies while every key is known."""

    current: ChainKey
    retired: tuple[ChainKey, ...] = ()

    @property
    def every(self) -> tuple[ChainKey, ...]:
        return (self.current, *self.retired)

    def by_fingerprint(self, fingerprint: str) -> ChainKey | None:
        return next((k for k in self.every if k.fingerprint == fingerprint), None)

    def by_chain(self, chain: str) -> ChainKey | None:
        """The key a record's ``chain`` (``hmac1:<fingerprint>``) names, if held."""
        fingerprint = chain_fingerprint(chain)
        return None if fingerprint is None else self.by_fingerprint(fingerprint)

    def described(self) -> str:
        retired = ", ".join(k.fingerprint for k in self.retired)
        return f"current key {self.current.fingerprint}" + (
            f", retired {retired}" if retired else ", no retired key")


def chain_keys(secret: str, previous: Iterable[str] = ()) -> ChainKeys:
    """The current key of ``secret`` and the retired keys of ``previous`` (the current one and
    repeats left out)."""
    current, retired = chain_key(secret), []
    for old in map(chain_key, previous):
        if old != current and old not in retired:
            retired.append(old)
    return ChainKeys(current, tuple(retired))


def foreign_key_refusal(newest_chain: str | None, keys: ChainKeys) -> str | None:
    """Why a process holding ``keys`` must not write to an audit log whose newest keyed record
    holds ``newest_chain`` in ``chain`` (None: no keyed record yet), or None when it may. The
    current key's records, and a retired key's (a rotation just took effect), are fine; any
    other key means this process would chain its records after ones it cannot check, and a
    verifier holding either key finds the chain broken from there on."""
    if newest_chain is None or keys.by_chain(newest_chain) is not None:
        return None
    written = chain_fingerprint(newest_chain) or newest_chain
    return (f"the database's audit log was written with key {written} and this process has "
            f"key {keys.current.fingerprint}; set the same SAGWA_SECRET_KEY on every host "
            "sharing the database (after a rotation, list the old secret in "
            "SAGWA_PREVIOUS_SECRET_KEYS)")


def as_chain_keys(key: ChainKey | ChainKeys | None) -> ChainKeys | None:
    return ChainKeys(key) if isinstance(key, ChainKey) else key


def chain_fingerprint(chain: str) -> str | None:
    """The key fingerprint of a keyed record's ``chain``; None for a scheme this code does not
    know."""
    scheme, colon, fingerprint = chain.partition(":")
    return fingerprint if scheme == KEYED and colon and fingerprint else None


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
    # appended: the fingerprint of a key that a record or an anchor names and no key given has
    missing_key: str | None = None


def verify_chain(records: Iterable[AuditRecord], *, start_hash: str = GENESIS_HASH,
                 key: ChainKey | ChainKeys | None = None) -> ChainVerdict:
    """Recompute every hash in order; report the first record that does not match.

    Sequence numbers are assigned without gaps, so a deleted record shows as a missing number.
    A keyed record needs the key its ``chain`` names (``key``: one key, or the current and
    retired keys); a plain one after a keyed one was rewritten without the key.
    Anchors are checked on top (:func:`sagwa.domain.audit_anchors.verify_with_anchors`).
    """
    keys = as_chain_keys(key)
    prev, checked, keyed_from, current_from = start_hash, 0, None, None
    for rec in records:
        bad = _record_fault(rec, checked, prev, keyed_from, keys) or _retired_after_current(
            rec, current_from, keys)
        if bad is not None:
            return ChainVerdict(False, checked, rec.seq, bad, keyed_from, checked or None,
                                prev if checked else None, missing_key=_missing_key(rec, keys))
        if rec.chain is not None and keyed_from is None:
            keyed_from = rec.seq
        if current_from is None and keys is not None and rec.chain == keys.current.chain:
            current_from = rec.seq
        prev = rec.hash
        checked += 1
    return ChainVerdict(True, checked, keyed_from=keyed_from, head_seq=checked or None,
                        head_hash=prev if checked else None)


def _record_fault(rec: AuditRecord, checked: int, prev: str, keyed_from: int | None,
                  keys: ChainKeys | None) -> str | None:
    if rec.seq != checked + 1:
        return f"record {checked + 1} is missing"
    if rec.prev_hash != prev:
        return f"record {rec.seq} does not follow the one before it"
    if rec.chain is None:
        if keyed_from is not None:
            return (f"record {rec.seq} is not keyed although record {keyed_from} before it "
                    "is: it was rewritten without the key")
        expected = chain_hash(prev, rec.seq, rec.occurred_at, rec.event)
    else:
        key = None if keys is None else keys.by_chain(rec.chain)
        if key is None:
            return _unknown_key_fault(rec.seq, rec.chain, keys)
        expected = keyed_chain_hash(key, prev, rec.seq, rec.occurred_at, rec.event)
    if rec.hash != expected:
        return f"record {rec.seq} was altered after it was written"
    return None


def _retired_after_current(rec: AuditRecord, current_from: int | None,
                           keys: ChainKeys | None) -> str | None:
    """A retired key signs only the records before the current key's first: after a rotation
    the retired key is kept to verify the past, and may have leaked (often why it was rotated),
    so a record it keyed after the current key took over is a rewrite (sagwa itself refuses to
    chain one: ``AuditRepository`` refuses a process whose keys lack the last record's key)."""
    if current_from is None or keys is None or rec.chain is None:
        return None
    if rec.chain == keys.current.chain:
        return None
    return (f"record {rec.seq} was keyed with a retired key ({chain_fingerprint(rec.chain)}) "
            f"after record {current_from} was keyed with the current one: a retired key may "
            "only have keyed the records before the rotation (it was rewritten)")


def _unknown_key_fault(seq: int, chain: str, keys: ChainKeys | None) -> str:
    fingerprint = chain_fingerprint(chain)
    if fingerprint is None:
        return (f"record {seq} names a hashing scheme this version does not know ({chain}): "
                "it was forged, or written by a newer sagwa")
    if keys is None:
        return f"record {seq} is keyed and no key was given to check it"
    return (f"record {seq} was keyed with another key ({fingerprint}), which is not configured "
            f"here ({keys.described()}): {MISSING_KEY_HINT}")


def _missing_key(rec: AuditRecord, keys: ChainKeys | None) -> str | None:
    """The fingerprint ``rec`` names when no key given has it."""
    fingerprint = None if rec.chain is None else chain_fingerprint(rec.chain)
    if fingerprint is None or (keys is not None and keys.by_fingerprint(fingerprint)):
        return None
    return fingerprint


def actor_parts(actor: str) -> tuple[str, str]:
    """(prefix, username) of an audit-log name: ``api:boss`` → ("api", "boss"); the CLI's
    ``admin:kim via cli (os user root)`` → ("admin", "kim"); a name without a prefix → ("", name)."""
    name = actor.strip().split(" via cli (", 1)[0]
    prefix, colon, username = name.partition(":")
    return (prefix, username) if colon and username else ("", name)
