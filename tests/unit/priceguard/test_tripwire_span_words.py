"""The tripwire says how long the counted orders took as it was: a walkthrough read "5 orders in
1 min" of five orders that all came within a second of the price change (under a minute was
rounded up to one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.priceguard import assess_order_velocity
from sagwa.priceguard.tripwire import VelocityAssessment

CHANGED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _five_orders_by(seconds: float, **kw) -> VelocityAssessment:  # type: ignore[no-untyped-def]
    """Five orders, the last ``seconds`` after the price change, on a quiet listing."""
    times = [CHANGED + timedelta(seconds=seconds * i / 5) for i in range(1, 6)]
    return assess_order_velocity(order_times=times, changed_at=CHANGED,
                                 now=times[-1], baseline_per_hour=0.1, **kw)


def test_five_orders_within_a_second_say_under_a_second() -> None:
    result = _five_orders_by(0.8)
    assert result.tripped
    assert result.reason_en.startswith("5 orders in under a second since the price change; ")
    assert result.reason_ko.startswith("가격 변경 후 1초도 안 되어 주문 5건이 들어왔습니다. ")
    assert " 1 min" not in result.reason_en and "1분" not in result.reason_ko


def test_five_orders_in_forty_seconds_say_forty_seconds() -> None:
    result = _five_orders_by(40)
    # with its pace an hour, which the hourly rates after it are compared with
    assert result.reason_en.startswith("5 orders in 40 seconds since the price change, a pace "
                                       "of about 450 orders an hour; ")
    assert result.reason_ko.startswith("가격 변경 후 40초 동안 주문 5건이 들어왔습니다"
                                       "(시간당 약 450건의 속도). ")


def test_one_second_is_said_in_the_singular() -> None:
    result = _five_orders_by(1.2)
    assert result.reason_en.startswith("5 orders in 1 second since the price change, a pace "
                                       "of about 15,000 orders an hour; ")
    assert result.reason_ko.startswith("가격 변경 후 1초 동안 주문 5건이 들어왔습니다"
                                       "(시간당 약 15,000건의 속도). ")


@pytest.mark.parametrize(("seconds", "en", "ko", "pace"), [
    (59.4, "59 seconds", "59초 동안", "300"),
    (59.6, "1 min", "1분 동안", "300"),
    (12 * 60, "12 min", "12분 동안", "25"),
    (90 * 60, "1.5 h", "1.5시간 동안", None),  # an hour or more: no pace
])
def test_minutes_and_hours_read_as_before(seconds: float, en: str, ko: str,
                                          pace: str | None) -> None:
    result = _five_orders_by(seconds)
    pace_en = f", a pace of about {pace} orders an hour" if pace else ""
    pace_ko = f"(시간당 약 {pace}건의 속도)" if pace else ""
    assert result.reason_en.startswith(f"5 orders in {en} since the price change{pace_en}; ")
    assert result.reason_ko.startswith(f"가격 변경 후 {ko} 주문 5건이 들어왔습니다{pace_ko}. ")


def test_a_return_to_sale_is_counted_from_and_said_so() -> None:
    """Paused and put back on sale: the count starts at the return, and says so."""
    back = CHANGED + timedelta(hours=2)
    times = [back + timedelta(seconds=0.1 * i) for i in range(1, 6)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, counted_from=back,
                                   now=times[-1], baseline_per_hour=0.1)
    assert result.reason_en.startswith(
        "5 orders in under a second since the listing went back on sale; ")
    assert result.reason_ko.startswith("판매 재개 후 1초도 안 되어 주문 5건이 들어왔습니다. ")


def test_the_pause_evidence_appends_how_long_the_count_ran() -> None:
    """The evidence the pause and the draft incident keep: its keys as before, then
    ``counted_ms``, the span the reasons put in words, then what tripped it (appended after)."""
    from sagwa.services.tripwire import _evidence

    evidence = _evidence(_five_orders_by(0.8))
    assert list(evidence) == ["observed", "units", "expected_x1000", "expected_units_x1000",
                              "watching", "compared_with", "expected_per_hour_x1000",
                              "reason_en", "reason_ko", "counted_ms", "tripped_by"]
    assert evidence["tripped_by"] == ["orders"]
    assert evidence["counted_ms"] == 800
    assert evidence["reason_en"].startswith("5 orders in under a second")
