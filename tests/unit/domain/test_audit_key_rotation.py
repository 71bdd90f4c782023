"""The keyed audit chain across a rotation of the app's secret.

Before: verification held one key only, so after ``SAGWA_SECRET_KEY`` was rotated every record
keyed with the old secret failed ("keyed with another key ... SAGWA_SECRET_KEY differs, or the
record was forged"), and so did every anchor written before the rotation ("not written with this
key"): an operator could no longer tell a rotation from a forgery.
"""

import dataclasses
import json
from datetime import UTC, datetime, timedelta

from sagwa.domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditRecord,
    ChainKey,
    ChainKeys,
    chain_key,
    chain_keys,
    keyed_chain_hash,
    verify_chain,
)
from sagwa.domain.audit_anchors import anchor_line, parse_anchors, verify_with_anchors

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
OLD_SECRET, NEW_SECRET = "the-old-app-secret-0123456789", "the-new-app-secret-9876543210"
OLD, NEW = chain_key(OLD_SECRET), chain_key(NEW_SECRET)
ROTATED = chain_keys(NEW_SECRET, [OLD_SECRET])


def _event(seq: int) -> AuditEvent:
    return AuditEvent("api:boss", "incident.closed", "incident", str(seq), after={"n": seq})


def chain(*keys: ChainKey, start: list[AuditRecord] | None = None) -> list[AuditRecord]:
    """One record per key given, appended to ``start``, each keyed with its key."""
    records = list(start or [])
    prev = records[-1].hash if records else GENESIS_HASH
    for key in keys:
        seq = len(records) + 1
        at, event = T0 + timedelta(minutes=seq), _event(seq)
        digest = keyed_chain_hash(key, prev, seq, at, event)
        records.append(AuditRecord(seq, at, event, prev, digest, key.chain))
        prev = digest
    return records


def test_a_chain_that_switches_keys_midway_verifies_with_both_keys() -> None:
    records = chain(OLD, OLD, OLD, NEW, NEW)
    verdict = verify_chain(records, key=ROTATED)
    assert verdict.ok and verdict.checked == 5 and verdict.keyed_from == 1
    assert verdict.missing_key is None


def test_without_the_old_key_the_failure_names_the_missing_fingerprint() -> None:
    verdict = verify_chain(chain(OLD, OLD, NEW), key=NEW)
    assert not verdict.ok and verdict.first_bad_seq == 1
    assert verdict.missing_key == OLD.fingerprint
    reason = verdict.reason or ""
    assert f"another key ({OLD.fingerprint})" in reason and "not configured" in reason
    assert "SAGWA_PREVIOUS_SECRET_KEYS" in reason and "altered" not in reason


def test_a_missing_key_after_the_switch_is_named_at_its_first_record() -> None:
    verdict = verify_chain(chain(OLD, NEW, NEW), key=OLD)
    assert not verdict.ok and verdict.first_bad_seq == 2 and verdict.checked == 1
    assert verdict.missing_key == NEW.fingerprint


def test_a_record_altered_under_a_retired_key_is_still_caught() -> None:
    records = chain(OLD, OLD, NEW)
    records[1] = dataclasses.replace(records[1], event=_event(99))
    verdict = verify_chain(records, key=ROTATED)
    assert not verdict.ok and verdict.first_bad_seq == 2
    assert verdict.reason == "record 2 was altered after it was written"
    assert verdict.missing_key is None


def test_a_key_nobody_holds_is_not_trusted_by_naming_it() -> None:
    forged = chain(OLD, chain_key("the-attacker-guess-000000000"))
    verdict = verify_chain(forged, key=ROTATED)
    assert not verdict.ok and verdict.first_bad_seq == 2
    assert verdict.missing_key == chain_key("the-attacker-guess-000000000").fingerprint


def test_chain_keys_keep_the_current_key_first_and_drop_repeats() -> None:
    keys = chain_keys(NEW_SECRET, [OLD_SECRET, NEW_SECRET, OLD_SECRET])
    assert keys == ChainKeys(NEW, (OLD,))
    assert keys.by_fingerprint(OLD.fingerprint) == OLD and keys.by_chain(NEW.chain) == NEW
    assert keys.by_chain("sha3:" + NEW.fingerprint) is None


def test_a_chain_key_does_not_show_its_key_bytes() -> None:
    assert OLD.key.hex() not in repr(OLD) and repr(OLD.key) not in repr(ROTATED)


def test_anchors_written_before_a_rotation_hold_after_it() -> None:
    before = chain(OLD, OLD, OLD)
    old_line = anchor_line(OLD, 3, before[-1].hash, T0, first=before[0].hash, keyed_from=1)
    records = chain(NEW, NEW, start=before)
    new_line = anchor_line(NEW, 5, records[-1].hash, T0 + timedelta(hours=1),
                           first=records[0].hash, keyed_from=1)
    verdict = verify_with_anchors(records, key=ROTATED,
                                  anchors=parse_anchors([old_line, new_line]))
    assert verdict.ok and verdict.anchors_checked == 2


def test_an_anchor_whose_key_is_not_configured_names_the_fingerprint() -> None:
    records = chain(NEW, NEW)
    line = anchor_line(OLD, 2, records[-1].hash, T0, first=records[0].hash, keyed_from=1)
    verdict = verify_with_anchors(records, key=NEW, anchors=parse_anchors([line]))
    assert not verdict.ok and verdict.anchor_failed is not None
    assert verdict.missing_key == OLD.fingerprint
    reason = verdict.reason or ""
    assert f"another key ({OLD.fingerprint})" in reason and "SAGWA_PREVIOUS_SECRET_KEYS" in reason


def test_an_anchor_relabelled_with_another_held_key_is_refused() -> None:
    records = chain(OLD, NEW)
    data = json.loads(anchor_line(OLD, 2, records[-1].hash, T0, keyed_from=1))
    data["key"] = NEW.fingerprint
    verdict = verify_with_anchors(records, key=ROTATED, anchors=parse_anchors([json.dumps(data)]))
    assert not verdict.ok and "not written with this key" in (verdict.reason or "")
    assert verdict.missing_key is None


def test_an_anchor_line_naming_no_key_is_checked_with_every_key_held() -> None:
    records = chain(OLD, NEW)
    data = json.loads(anchor_line(OLD, 2, records[-1].hash, T0, keyed_from=1))
    del data["key"]
    assert verify_with_anchors(records, key=ROTATED,
                               anchors=parse_anchors([json.dumps(data)])).ok
    data["mac"] = "0" * 64
    assert not verify_with_anchors(records, key=ROTATED,
                                   anchors=parse_anchors([json.dumps(data)])).ok


def test_a_retired_key_cannot_rewrite_records_after_the_current_key_took_over() -> None:
    """A reviewer: a secret rotated because it leaked stays listed (the past needs it), and a
    chain [old, new, new] rewritten from record 2 on with the old key — an amount changed —
    verified. A retired key may only have keyed the records before the current key's first."""
    genuine = chain(OLD, NEW, NEW)
    assert verify_chain(genuine, key=ROTATED).ok
    forged = chain(OLD, OLD, start=genuine[:1])  # records 2-3 rewritten with the leaked key
    verdict = verify_chain(forged, key=ROTATED)
    # nothing after it was keyed with the current key: the rule cannot tell, an anchor written
    # with the current key after the rotation does (it names record 2 as the current key wrote it)
    assert verdict.ok
    forged = chain(OLD, start=genuine[:2])  # record 3 rewritten after a current-key record
    verdict = verify_chain(forged, key=ROTATED)
    assert not verdict.ok and verdict.first_bad_seq == 3
    assert "retired key" in (verdict.reason or "") and "after record 2" in (verdict.reason or "")
