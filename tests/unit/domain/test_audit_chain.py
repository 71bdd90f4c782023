"""The audit hash chain detects any change, reordering, deletion or splice."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sagwa.domain.audit import GENESIS_HASH, AuditEvent, AuditRecord, chain_hash, verify_chain

T0 = datetime(2008, 6, 12, 9, 0, tzinfo=UTC)


def build_chain(n: int = 5) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        event = AuditEvent(f"seller:{seq}", "price_change.applied", "listing", str(seq),
                           before={"price": 199000}, after={"price": 19900 + seq})
        at = T0 + timedelta(minutes=seq)
        digest = chain_hash(prev, seq, at, event)
        records.append(AuditRecord(seq, at, event, prev, digest))
        prev = digest
    return records


def test_intact_chain_verifies() -> None:
    verdict = verify_chain(build_chain())
    assert verdict.ok and verdict.checked == 5 and verdict.first_bad_seq is None


def test_empty_chain_verifies() -> None:
    assert verify_chain([]).ok


def test_hash_ignores_the_timezone_a_time_is_written_in() -> None:
    event = build_chain(1)[0].event
    seoul = T0.astimezone(timezone(timedelta(hours=9)))
    assert chain_hash(GENESIS_HASH, 1, T0, event) == chain_hash(GENESIS_HASH, 1, seoul, event)


def test_altered_field_is_detected_at_its_record() -> None:
    records = build_chain()
    event = dataclasses.replace(records[2].event, after={"price": 199000})
    records[2] = dataclasses.replace(records[2], event=event)
    verdict = verify_chain(records)
    assert not verdict.ok
    assert verdict.first_bad_seq == 3 and verdict.checked == 2
    assert "altered" in (verdict.reason or "")


def test_altered_record_with_recomputed_hash_breaks_the_next_link() -> None:
    records = build_chain()
    event = dataclasses.replace(records[1].event, actor="someone-else")
    forged = chain_hash(records[1].prev_hash, 2, records[1].occurred_at, event)
    records[1] = dataclasses.replace(records[1], event=event, hash=forged)
    verdict = verify_chain(records)
    assert not verdict.ok and verdict.first_bad_seq == 3
    assert "does not follow" in (verdict.reason or "")


def test_reordered_records_are_detected() -> None:
    records = build_chain()
    records[1], records[2] = records[2], records[1]
    verdict = verify_chain(records)
    assert not verdict.ok and verdict.first_bad_seq == 3
    assert verdict.reason == "record 2 is missing"


def test_deleted_record_is_detected() -> None:
    records = build_chain()
    del records[3]
    verdict = verify_chain(records)
    assert not verdict.ok and verdict.first_bad_seq == 5 and verdict.checked == 3
    assert "record 4 is missing" == verdict.reason


def test_deleting_the_last_record_is_not_detectable_by_the_chain_alone() -> None:
    # The chain proves order and content, not length: a truncated tail still verifies.
    assert verify_chain(build_chain()[:-1]).ok


def test_wrong_prev_hash_is_detected() -> None:
    records = build_chain()
    records[3] = dataclasses.replace(records[3], prev_hash="f" * 64)
    verdict = verify_chain(records)
    assert not verdict.ok and verdict.first_bad_seq == 4
    assert "does not follow" in (verdict.reason or "")


def test_chain_is_anchored_at_its_start_hash() -> None:
    records = build_chain()
    assert verify_chain(records, start_hash=GENESIS_HASH).ok
    assert not verify_chain(records, start_hash="1" * 64).ok
    # a tail alone does not verify: numbering must start at 1
    assert not verify_chain(records[2:], start_hash=records[1].hash).ok


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_json = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                     lambda kids: st.dictionaries(_text, kids, max_size=3), max_leaves=5)
EVENT_FIELDS = ["actor", "action", "entity_type", "entity_id", "before", "after"]
RECORD_FIELDS = ["seq", "occurred_at", "prev_hash", "hash"]


def _changed(draw: Any, old: Any, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy.filter(lambda new: new != old))


@st.composite
def tampered(draw: st.DrawFn) -> tuple[list[AuditRecord], int]:
    records = build_chain(5)
    index = draw(st.integers(0, 4))
    field = draw(st.sampled_from(EVENT_FIELDS + RECORD_FIELDS))
    rec = records[index]
    if field in EVENT_FIELDS:
        old = getattr(rec.event, field)
        if field in ("before", "after"):
            new = _changed(draw, old, st.dictionaries(_text, _json, max_size=3) | st.none())
        else:
            new = _changed(draw, old, _text)
        rec = dataclasses.replace(rec, event=dataclasses.replace(rec.event, **{field: new}))
    elif field == "seq":
        rec = dataclasses.replace(rec, seq=_changed(draw, rec.seq, st.integers(-5, 50)))
    elif field == "occurred_at":
        delta = draw(st.integers(1, 10**12).map(lambda us: timedelta(microseconds=us))
                     | st.integers(1, 10**12).map(lambda us: -timedelta(microseconds=us)))
        rec = dataclasses.replace(rec, occurred_at=rec.occurred_at + delta)
    else:
        hexes = st.text("0123456789abcdef", min_size=64, max_size=64)
        rec = dataclasses.replace(rec, **{field: _changed(draw, getattr(rec, field), hexes)})
    records[index] = rec
    return records, index + 1


@given(tampered())
def test_any_single_field_change_breaks_verification(case: tuple[list[AuditRecord], int]) -> None:
    records, seq = case
    verdict = verify_chain(records)
    assert not verdict.ok
    assert verdict.first_bad_seq is not None
    assert verdict.checked == seq - 1
