"""Anchors of the audit log: its head (seq, hash, time) written now and then to a file outside
the database, one JSON line each, MAC'd with the chain's key.

The chain alone cannot show that its last records were deleted, nor that someone rewrote it
whole; an anchor can: every anchor must still name a record of the chain, with the same hash.
An anchor is written by ``sagwa audit anchor``, after each incident is closed, and by the
worker's periodic job. Pure: parsing, making and checking lines; the file is the adapter's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sagwa.domain.audit import AuditRecord, ChainKey, ChainVerdict, canonical, verify_chain


@dataclass(frozen=True)
class Anchor:
    """One line of the anchors file: ``line`` is its number in the file (1 = first)."""

    line: int
    seq: int
    hash: str
    at: str
    mac: str | None
    valid: bool = True  # False: the line is not an anchor at all
    first: str | None = None  # the hash of record 1: which log the anchor is of


def anchor_mac(key: ChainKey, seq: int, digest: str, at: str, first: str | None) -> str:
    body = canonical({"seq": seq, "hash": digest, "at": at, "first": first}).encode("utf-8")
    return hmac.new(key.key, b"anchor:" + body, hashlib.sha256).hexdigest()


def anchor_line(key: ChainKey, seq: int, digest: str, now: datetime, *,
                first: str | None = None) -> str:
    """The JSON line (no newline) that anchors record ``seq`` with hash ``digest`` at ``now``;
    ``first``: the hash of record 1 (tells an anchors file of another database)."""
    at = now.astimezone(UTC).isoformat(timespec="seconds")
    return json.dumps({"seq": seq, "hash": digest, "at": at, "first": first,
                       "key": key.fingerprint, "mac": anchor_mac(key, seq, digest, at, first)})


def parse_anchors(lines: Iterable[str]) -> list[Anchor]:
    """The anchors of a file's lines (blank lines skipped; a line that is not an anchor kept,
    ``valid`` False, so that verifying says which line it was)."""
    out = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            first = data.get("first")
            out.append(Anchor(n, int(data["seq"]), str(data["hash"]), str(data["at"]),
                              data.get("mac"), first=None if first is None else str(first)))
        except (ValueError, KeyError, TypeError):
            out.append(Anchor(n, 0, "", "", None, valid=False))
    return out


def anchor_fault(anchor: Anchor, hashes: dict[int, str], head: int,
                 key: ChainKey | None) -> str | None:
    """Why ``anchor`` does not hold against the chain (``hashes``: seq → hash of the anchored
    records; ``head``: the last seq), or None if it holds."""
    named = f"anchor on line {anchor.line} (record {anchor.seq}, written {anchor.at})"
    if not anchor.valid:
        return f"line {anchor.line} of the anchors file is not an anchor"
    if key is not None and (anchor.mac is None or not hmac.compare_digest(
            anchor.mac, anchor_mac(key, anchor.seq, anchor.hash, anchor.at, anchor.first))):
        return f"{named} was not written with this key: forged, edited, or the key changed"
    if anchor.first is not None and hashes.get(1) != anchor.first:
        return (f"{named} is of a log whose first record differs: an anchors file of another "
                "database, or this log was rewritten from its first record")
    if anchor.seq > head:
        return (f"{named} names a record no longer in the log: the log ends at record {head}, "
                "so the records after it were deleted")
    if hashes.get(anchor.seq) != anchor.hash:
        return f"{named} does not match record {anchor.seq}: the log was rewritten"
    return None


def verify_with_anchors(records: Iterable[AuditRecord], *, key: ChainKey | None,
                        anchors: Sequence[Anchor]) -> ChainVerdict:
    """:func:`~sagwa.domain.audit.verify_chain`, then every anchor checked against the chain;
    the first anchor that fails makes the verdict not ok and is named in ``anchor_failed``."""
    wanted = {a.seq for a in anchors if a.valid} | {1}
    hashes: dict[int, str] = {}

    def tapped() -> Iterator[AuditRecord]:
        for rec in records:
            if rec.seq in wanted:
                hashes[rec.seq] = rec.hash
            yield rec

    verdict = verify_chain(tapped(), key=key)
    if not verdict.ok:
        return verdict
    for n, anchor in enumerate(anchors):
        fault = anchor_fault(anchor, hashes, verdict.head_seq or 0, key)
        if fault is not None:
            failed: dict[str, Any] = {"line": anchor.line, "seq": anchor.seq, "at": anchor.at}
            return replace(verdict, ok=False, first_bad_seq=min(anchor.seq, verdict.checked + 1)
                           if anchor.valid else None, reason=fault, anchors_checked=n,
                           anchor_failed=failed)
    return replace(verdict, anchors_checked=len(anchors))
