"""Anchors remember which records were keyed, so a chain downgraded to plain hashes is caught.

Before: someone with database access but without the secret edited a keyed record, set
``chain`` to NULL from the first keyed record on and recomputed plain SHA-256 hashes; ``audit
verify`` said "intact", and an anchor taken before the keyed records did not notice either. A
verify with no anchor at all said "intact" without saying that nothing outside the database
was checked.
"""

import json
from datetime import timedelta

from test_audit_keyed_chain import KEY, T0, build, recompute_unkeyed

from sagwa.domain.audit import AuditRecord, canonical
from sagwa.domain.audit_anchors import anchor_line, parse_anchors, verify_with_anchors


def _anchor_of(records: list[AuditRecord], seq: int, keyed_from: int | None) -> str:
    return anchor_line(KEY, seq, records[seq - 1].hash, T0 + timedelta(hours=1),
                       first=records[0].hash, keyed_from=keyed_from)


def test_a_downgrade_after_an_anchor_of_a_keyed_record_names_the_anchor() -> None:
    records = build(5, keyed_from=3)
    anchors = parse_anchors([_anchor_of(records, 4, keyed_from=3)])
    assert verify_with_anchors(records, key=KEY, anchors=anchors).ok
    verdict = verify_with_anchors(recompute_unkeyed(records, 3), key=KEY, anchors=anchors)
    assert not verdict.ok and verdict.anchor_failed is not None
    assert verdict.anchor_failed["line"] == 1
    assert "anchor on line 1" in (verdict.reason or "")
    assert "record 3 was the first keyed record" in (verdict.reason or "")
    assert "the log was rewritten without the key" in (verdict.reason or "")


def test_keyed_records_after_an_anchor_of_plain_records_cannot_be_downgraded() -> None:
    """The anchor was written by a keyed writer: every record after it was keyed."""
    records = build(6, keyed_from=4)
    anchors = parse_anchors([_anchor_of(records, 3, keyed_from=None)])
    assert verify_with_anchors(records, key=KEY, anchors=anchors).ok
    downgraded = recompute_unkeyed(records, 4)
    verdict = verify_with_anchors(downgraded, key=KEY, anchors=anchors)
    assert not verdict.ok and verdict.anchor_failed is not None
    assert verdict.first_bad_seq == 4
    assert "record 4 after it is not keyed" in (verdict.reason or "")


def test_an_anchor_that_saw_keyed_records_fails_when_none_is_left() -> None:
    records = build(4, keyed_from=2)
    anchors = parse_anchors([_anchor_of(records, 4, keyed_from=2)])
    verdict = verify_with_anchors(recompute_unkeyed(records, 2), key=KEY, anchors=anchors)
    assert not verdict.ok and "no record is keyed now" in (verdict.reason or "")


def test_keyed_from_is_covered_by_the_anchor_mac() -> None:
    records = build(5, keyed_from=3)
    data = json.loads(_anchor_of(records, 4, keyed_from=3))
    data["keyed_from"] = None
    verdict = verify_with_anchors(records, key=KEY, anchors=parse_anchors([json.dumps(data)]))
    assert not verdict.ok and "not written with this key" in (verdict.reason or "")
    del data["keyed_from"]
    verdict = verify_with_anchors(records, key=KEY, anchors=parse_anchors([json.dumps(data)]))
    assert not verdict.ok and "not written with this key" in (verdict.reason or "")


def test_an_old_anchor_line_without_keyed_from_still_verifies() -> None:
    import hashlib
    import hmac

    records = build(5, keyed_from=3)
    at = "2026-12-05T10:00:00+00:00"
    body = canonical({"seq": 4, "hash": records[3].hash, "at": at, "first": None})
    mac = hmac.new(KEY.key, b"anchor:" + body.encode(), hashlib.sha256).hexdigest()
    old = json.dumps({"seq": 4, "hash": records[3].hash, "at": at, "first": None,
                      "key": KEY.fingerprint, "mac": mac})
    [anchor] = parse_anchors([old])
    assert anchor.keyed_from is None and not anchor.keyed_known
    assert verify_with_anchors(records, key=KEY, anchors=[anchor]).ok


def test_without_anchors_a_downgrade_passes_and_the_verdict_says_so() -> None:
    from sagwa.domain.audit_anchors import anchors_warning

    records = build(5, keyed_from=3)
    verdict = verify_with_anchors(recompute_unkeyed(records, 3), key=KEY, anchors=[])
    assert verdict.ok and verdict.anchors_checked == 0
    assert anchors_warning(verdict) == (
        "no anchors checked: a rewrite of the whole chain would not be detected")
    anchors = parse_anchors([_anchor_of(records, 5, keyed_from=3)])
    assert anchors_warning(verify_with_anchors(records, key=KEY, anchors=anchors)) is None
