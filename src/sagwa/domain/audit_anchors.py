"""Anchors of the audit log: its head (seq, hash, time) written now and then to a file outside
the database, one JSON line each, MAC'd with the chain's key.

The chain alone cannot show that its last records were deleted, nor that someone rewrote it
whole; an anchor can: every anchor must still name a record of the chain, with the same hash.
An anchor is written by ``sagwa audit anchor`` and by the worker's periodic job (every 15
minutes, into ``SAGWA_AUDIT_ANCHORS_PATH``); nothing else writes one. Pure: parsing, making
and checking lines; the file is the adapter's.

An anchor also holds ``keyed_from``, the first keyed record as of the anchor (None: none was
yet), under its MAC. Someone without the secret who sets ``chain`` to NULL from the first keyed
record on and recomputes plain hashes (a downgrade) leaves a chain that checks by itself; the
anchor does not: its first keyed record must still be the chain's, and since anchors are
written by keyed writers, every record after an anchor must be keyed. Lines written before the
field existed have no ``keyed_from`` (unknown: not checked). Without any anchor, a chain
rewritten whole is not detected: :func:`anchors_warning` says so.

Each line names its key's fingerprint (``key``) and is checked with that key, so anchors
written before a rotation of the secret hold while the old secret is kept to verify.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sagwa.domain.audit import (
    MISSING_KEY_HINT,
    AuditRecord,
    ChainKey,
    ChainKeys,
    ChainVerdict,
    as_chain_keys,
    canonical,
    verify_chain,
)


class Unknown(enum.Enum):
    """``keyed_from`` not recorded (anchor lines written before the field existed)."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN


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
    keyed_from: int | None = None  # the first keyed record as of the anchor (None: none was)
    keyed_known: bool = False  # False: a line from before ``keyed_from`` was written
    key: str | None = None  # the fingerprint of the key it was MAC'd with, as the line says


def anchor_mac(key: ChainKey, seq: int, digest: str, at: str, first: str | None,
               keyed_from: int | None = None, *, keyed_known: bool = False) -> str:
    fields: dict[str, Any] = {"seq": seq, "hash": digest, "at": at, "first": first}
    if keyed_known:  # older lines were MAC'd without the field
        fields["keyed_from"] = keyed_from
    body = canonical(fields).encode("utf-8")
    return hmac.new(key.key, b"anchor:" + body, hashlib.sha256).hexdigest()


def anchor_line(key: ChainKey, seq: int, digest: str, now: datetime, *,
                first: str | None = None, keyed_from: int | None | Unknown = UNKNOWN) -> str:
    """The JSON line (no newline) that anchors record ``seq`` with hash ``digest`` at ``now``;
    ``first``: the hash of record 1 (tells an anchors file of another database);
    ``keyed_from``: the first keyed record up to ``seq`` (None: none is; left out, a line as
    written before the field existed)."""
    at = now.astimezone(UTC).isoformat(timespec="seconds")
    known = not isinstance(keyed_from, Unknown)
    keyed = None if isinstance(keyed_from, Unknown) else keyed_from
    mac = anchor_mac(key, seq, digest, at, first, keyed, keyed_known=known)
    fields: dict[str, Any] = {"seq": seq, "hash": digest, "at": at, "first": first}
    if known:
        fields["keyed_from"] = keyed
    return json.dumps(fields | {"key": key.fingerprint, "mac": mac})


def parse_anchors(lines: Iterable[str]) -> list[Anchor]:
    """The anchors of a file's lines (blank lines skipped; a line that is not an anchor kept,
    ``valid`` False, so that verifying says which line it was)."""
    out = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            first, keyed, key = data.get("first"), data.get("keyed_from"), data.get("key")
            out.append(Anchor(n, int(data["seq"]), str(data["hash"]), str(data["at"]),
                              data.get("mac"), first=None if first is None else str(first),
                              keyed_from=None if keyed is None else int(keyed),
                              keyed_known="keyed_from" in data,
                              key=None if key is None else str(key)))
        except (ValueError, KeyError, TypeError):
            out.append(Anchor(n, 0, "", "", None, valid=False))
    return out


def anchor_fault(anchor: Anchor, hashes: dict[int, str], head: int,
                 key: ChainKey | ChainKeys | None, keyed_from: int | None = None) -> str | None:
    """Why ``anchor`` does not hold against the chain (``hashes``: seq → hash of the anchored
    records; ``head``: the last seq; ``keyed_from``: its first keyed record), or None.
    ``key``: the key (or current and retired keys) its MAC is checked with; None: not checked."""
    named = f"anchor on line {anchor.line} (record {anchor.seq}, written {anchor.at})"
    if not anchor.valid:
        return f"line {anchor.line} of the anchors file is not an anchor"
    keys = as_chain_keys(key)
    if keys is not None:
        mac_fault = _mac_fault(anchor, keys)
        if mac_fault is not None:
            return f"{named} {mac_fault}"
    if anchor.first is not None and hashes.get(1) != anchor.first:
        return (f"{named} is of a log whose first record differs: an anchors file of another "
                "database, or this log was rewritten from its first record")
    downgraded = _downgrade_fault(anchor, head, keyed_from)
    if downgraded is not None:
        return f"{named} {downgraded}: the log was rewritten without the key"
    if anchor.seq > head:
        return (f"{named} names a record no longer in the log: the log ends at record {head}, "
                "so the records after it were deleted")
    if hashes.get(anchor.seq) != anchor.hash:
        return f"{named} does not match record {anchor.seq}: the log was rewritten"
    return None


def _mac_fault(anchor: Anchor, keys: ChainKeys) -> str | None:
    """Why the anchor's MAC does not check with the key its line names (a line naming none:
    with any key held), or None."""
    candidates = keys.every
    if anchor.key is not None:
        named = keys.by_fingerprint(anchor.key)
        if named is None:
            return (f"was written with another key ({anchor.key}), which is not configured "
                    f"here ({keys.described()}): {MISSING_KEY_HINT}")
        candidates = (named,)
    for candidate in candidates:
        if anchor.mac is not None and hmac.compare_digest(anchor.mac, anchor_mac(
                candidate, anchor.seq, anchor.hash, anchor.at, anchor.first, anchor.keyed_from,
                keyed_known=anchor.keyed_known)):
            return None
    return "was not written with this key: forged or edited"


def missing_anchor_key(anchor: Anchor, keys: ChainKeys | None) -> str | None:
    """The fingerprint the anchor's line names when no key held has it (None: not checked)."""
    if keys is None or anchor.key is None or keys.by_fingerprint(anchor.key) is not None:
        return None
    return anchor.key


def _downgrade_fault(anchor: Anchor, head: int, keyed_from: int | None) -> str | None:
    """Why the chain's first keyed record (``keyed_from``) contradicts the anchor, or None."""
    if not anchor.keyed_known:
        return None
    if anchor.keyed_from is not None:
        if keyed_from == anchor.keyed_from:
            return None
        now = "no record is keyed now" if keyed_from is None else (
            f"the first keyed record is now {keyed_from}")
        return f"says record {anchor.keyed_from} was the first keyed record, but {now}"
    after = anchor.seq + 1
    if keyed_from is not None and keyed_from <= anchor.seq:
        return (f"says no record up to {anchor.seq} was keyed, but record {keyed_from} is: "
                "this log was rewritten")
    if head >= after and keyed_from != after:
        return f"was written by a keyed writer, and record {after} after it is not keyed"
    return None


def verify_with_anchors(records: Iterable[AuditRecord], *, key: ChainKey | ChainKeys | None,
                        anchors: Sequence[Anchor]) -> ChainVerdict:
    """:func:`~sagwa.domain.audit.verify_chain`, then every anchor checked against the chain;
    the first anchor that fails makes the verdict not ok and is named in ``anchor_failed``
    (and, when it names a key not given, its fingerprint in ``missing_key``)."""
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
        fault = anchor_fault(anchor, hashes, verdict.head_seq or 0, key, verdict.keyed_from)
        if fault is not None:
            failed: dict[str, Any] = {"line": anchor.line, "seq": anchor.seq, "at": anchor.at}
            return replace(verdict, ok=False, first_bad_seq=_bad_seq(anchor, verdict),
                           reason=fault, anchors_checked=n, anchor_failed=failed,
                           missing_key=missing_anchor_key(anchor, as_chain_keys(key)))
    return replace(verdict, anchors_checked=len(anchors))


def _bad_seq(anchor: Anchor, verdict: ChainVerdict) -> int | None:
    if not anchor.valid:
        return None
    keyed_from = verdict.keyed_from
    if _downgrade_fault(anchor, verdict.head_seq or 0, keyed_from) is not None:
        # the first record whose scheme contradicts the anchor
        seq = anchor.keyed_from or (keyed_from if keyed_from and keyed_from <= anchor.seq
                                    else anchor.seq + 1)
        return min(seq, verdict.checked + 1)
    return min(anchor.seq, verdict.checked + 1)


NO_ANCHORS_WARNING = "no anchors checked: a rewrite of the whole chain would not be detected"


def anchors_warning(verdict: ChainVerdict) -> str | None:
    """What an intact verdict could not check: with no anchor, someone with database access
    who rewrote every record (plain hashes from the first) is not caught."""
    return NO_ANCHORS_WARNING if verdict.ok and verdict.anchors_checked == 0 else None
