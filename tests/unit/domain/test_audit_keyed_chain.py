"""The keyed audit chain and its anchors: database access without the secret is not enough.

Before: every hash was plain SHA-256, so someone who changed a record (as a superuser, with the
append-only trigger bypassed) recomputed every later hash with ``chain_hash`` and ``audit
verify`` said "intact"; deleting the last record also passed.
"""

import dataclasses
from datetime import UTC, datetime, timedelta

from sagwa.domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditRecord,
    ChainKey,
    chain_hash,
    chain_key,
    keyed_chain_hash,
    verify_chain,
)
from sagwa.domain.audit_anchors import anchor_line, parse_anchors, verify_with_anchors

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
KEY = chain_key("the-app-secret-key-0123456789")


def _event(seq: int) -> AuditEvent:
    return AuditEvent("api:boss", "incident.closed", "incident", str(seq), after={"n": seq})


def build(n: int, *, keyed_from: int | None = 1, key: ChainKey | None = KEY,
          start: list[AuditRecord] | None = None) -> list[AuditRecord]:
    """``n`` records; those from ``keyed_from`` on keyed with ``key`` (None: none keyed)."""
    records = list(start or [])
    prev = records[-1].hash if records else GENESIS_HASH
    for seq in range(len(records) + 1, n + 1):
        at, event = T0 + timedelta(minutes=seq), _event(seq)
        if keyed_from is not None and seq >= keyed_from and key is not None:
            digest, scheme = keyed_chain_hash(key, prev, seq, at, event), key.chain
        else:
            digest, scheme = chain_hash(prev, seq, at, event), None
        records.append(AuditRecord(seq, at, event, prev, digest, scheme))
        prev = digest
    return records


def recompute_unkeyed(records: list[AuditRecord], from_seq: int) -> list[AuditRecord]:
    """What the tester did: edit record ``from_seq`` and recompute every later hash with the
    public function (the scheme marker dropped, as it must be for plain hashes to check)."""
    out = records[:from_seq - 1]
    prev = out[-1].hash if out else GENESIS_HASH
    for rec in records[from_seq - 1:]:
        event = rec.event
        if rec.seq == from_seq:
            event = dataclasses.replace(event, after={"n": -1})
        digest = chain_hash(prev, rec.seq, rec.occurred_at, event)
        out.append(AuditRecord(rec.seq, rec.occurred_at, event, prev, digest, None))
        prev = digest
    return out


def test_keyed_chain_verifies_with_its_key() -> None:
    verdict = verify_chain(build(5), key=KEY)
    assert verdict.ok and verdict.checked == 5 and verdict.keyed_from == 1
    assert verdict.head_seq == 5


def test_old_unkeyed_records_still_verify_before_keyed_ones() -> None:
    verdict = verify_chain(build(6, keyed_from=4), key=KEY)
    assert verdict.ok and verdict.checked == 6 and verdict.keyed_from == 4


def test_a_keyed_hash_cannot_be_made_without_the_key() -> None:
    assert keyed_chain_hash(KEY, GENESIS_HASH, 1, T0, _event(1)) != chain_hash(
        GENESIS_HASH, 1, T0, _event(1))
    assert chain_key("another-secret-key-0123456789").fingerprint != KEY.fingerprint


def test_a_record_rewritten_and_rechained_without_the_key_is_caught() -> None:
    verdict = verify_chain(recompute_unkeyed(build(6, keyed_from=2), 4), key=KEY)
    assert not verdict.ok and verdict.first_bad_seq == 4
    assert "rewritten without the key" in (verdict.reason or "")


def test_recomputed_with_the_wrong_key_is_caught() -> None:
    forged = build(5, key=chain_key("the-attacker-guess-000000000"))
    verdict = verify_chain(forged, key=KEY)
    assert not verdict.ok and verdict.first_bad_seq == 1 and "another key" in (verdict.reason or "")


def test_an_altered_keyed_record_is_caught() -> None:
    records = build(5)
    records[2] = dataclasses.replace(records[2], event=_event(99))
    verdict = verify_chain(records, key=KEY)
    assert not verdict.ok and verdict.first_bad_seq == 3
    assert verdict.reason == "record 3 was altered after it was written"


def test_keyed_records_need_a_key() -> None:
    verdict = verify_chain(build(2))
    assert not verdict.ok and "no key" in (verdict.reason or "")


def _anchors(*lines: str) -> list:  # type: ignore[type-arg]
    return parse_anchors(lines)


def test_a_deleted_last_record_is_caught_by_an_anchor() -> None:
    records = build(5)
    line = anchor_line(KEY, 5, records[-1].hash, T0 + timedelta(hours=1))
    assert verify_with_anchors(records, key=KEY, anchors=_anchors(line)).ok
    verdict = verify_with_anchors(records[:-1], key=KEY, anchors=_anchors(line))
    assert not verdict.ok and verdict.first_bad_seq == 5
    assert verdict.anchor_failed == {"line": 1, "seq": 5, "at": "2026-12-05T10:00:00+00:00"}
    assert "no longer in the log" in (verdict.reason or "")


def test_a_chain_rewritten_from_its_first_record_is_caught_by_an_anchor() -> None:
    records = build(5, keyed_from=None)
    lines = (anchor_line(KEY, 2, records[1].hash, T0), anchor_line(KEY, 4, records[3].hash, T0))
    rewritten = recompute_unkeyed(records, 3)
    verdict = verify_with_anchors(rewritten, key=KEY, anchors=_anchors(*lines))
    assert not verdict.ok and verdict.anchors_checked == 1
    assert verdict.anchor_failed is not None and verdict.anchor_failed["line"] == 2
    assert "does not match record 4" in (verdict.reason or "")


def test_an_edited_anchor_line_is_refused() -> None:
    records = build(3)
    line = anchor_line(KEY, 3, records[-1].hash, T0).replace('"seq": 3', '"seq": 2')
    verdict = verify_with_anchors(records, key=KEY, anchors=_anchors(line))
    assert not verdict.ok and "not written with this key" in (verdict.reason or "")


def test_a_line_that_is_not_an_anchor_is_named() -> None:
    records = build(3)
    good = anchor_line(KEY, 3, records[-1].hash, T0)
    verdict = verify_with_anchors(records, key=KEY, anchors=_anchors(good, "", "garbage"))
    assert not verdict.ok and verdict.reason == "line 3 of the anchors file is not an anchor"
    assert verdict.anchors_checked == 1


def test_an_anchor_of_another_log_says_so() -> None:
    records, other = build(3), build(3, key=chain_key("another-database-secret-000"))
    line = anchor_line(KEY, 2, records[1].hash, T0, first=other[0].hash)
    verdict = verify_with_anchors(records, key=KEY, anchors=_anchors(line))
    assert not verdict.ok and "another database" in (verdict.reason or "")
    line = anchor_line(KEY, 2, records[1].hash, T0, first=records[0].hash)
    assert verify_with_anchors(records, key=KEY, anchors=_anchors(line)).ok
