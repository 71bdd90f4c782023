"""The append-only audit log: who did what, when, before and after, hash-chained.

Each record's hash is SHA-256 over the previous record's hash and a canonical JSON of its own
fields, so changing, inserting or deleting any record breaks every hash after it.
"""

from __future__ import annotations

import hashlib
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


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, seq: int, occurred_at: datetime, event: AuditEvent) -> str:
    stamp = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = canonical({
        "seq": seq, "at": stamp, "actor": event.actor, "action": event.action,
        "entity_type": event.entity_type, "entity_id": event.entity_id,
        "before": event.before, "after": event.after,
    })
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(records: Iterable[AuditRecord], *, start_hash: str = GENESIS_HASH) -> ChainVerdict:
    """Recompute every hash in order; report the first record that does not match.

    Sequence numbers are assigned without gaps, so a deleted record shows as a missing number.
    """
    prev = start_hash
    checked = 0
    for rec in records:
        if rec.seq != checked + 1:
            return ChainVerdict(False, checked, rec.seq, f"record {checked + 1} is missing")
        if rec.prev_hash != prev:
            return ChainVerdict(False, checked, rec.seq, f"record {rec.seq} does not follow the one before it")
        if rec.hash != chain_hash(prev, rec.seq, rec.occurred_at, rec.event):
            return ChainVerdict(False, checked, rec.seq, f"record {rec.seq} was altered after it was written")
        prev = rec.hash
        checked += 1
    return ChainVerdict(True, checked)


def actor_parts(actor: str) -> tuple[str, str]:
    """(prefix, username) of an audit-log name: ``api:boss`` → ("api", "boss"); the CLI's
    ``admin:kim via cli (os user root)`` → ("admin", "kim"); a name without a prefix → ("", name)."""
    name = actor.strip().split(" via cli (", 1)[0]
    prefix, colon, username = name.partition(":")
    return (prefix, username) if colon and username else ("", name)
