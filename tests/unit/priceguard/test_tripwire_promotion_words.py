"""The tripwire's evidence for a listing on a declared promotion says the rate the promotion
allows, and never the same rounded count for "usual" and "ten times that": an audit read "less
than 0.1 expected at the usual 0.05/h; during the declared 90% promotion 10 times that is
allowed, less than 0.1" (Korean the same) where 0.001 was allowed at a lifted 0.5/h."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.priceguard.tripwire import NormalRate, allowed_count, assess_order_velocity

CHANGED = datetime(2008, 6, 12, 3, 0, tzinfo=UTC)


def test_a_quiet_listings_promotion_says_the_lifted_rate_and_a_count_that_differs() -> None:
    """Five orders in seven seconds on a listing selling 0.05 an hour, at a declared 90% off."""
    times = [CHANGED + timedelta(seconds=s) for s in (2, 4, 5, 6, 7)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=NormalRate(0.05, promotion_pct=90.0))
    assert result.tripped  # the verdict is the tripwire's; only its words are tested here
    assert ("less than 0.1 expected at the usual 0.05/h; during the declared 90% promotion 10 "
            "times that is allowed, 0.50/h: about 0.001 (chance" in result.reason_en)
    assert ("평소 시간당 0.05건이면 0.1건 미만 예상; 선언된 90% 할인 기간이라 그 10배인 시간당 "
            "0.50건, 약 0.001건까지 허용(우연일 확률" in result.reason_ko)
    assert result.reason_en.count("less than 0.1") == 1
    assert result.reason_ko.count("0.1건 미만") == 1


@pytest.mark.parametrize(("expected", "usual", "en", "ko"), [
    (2.5, 0.25, "about 2.5", "약 2.5건"),  # told apart already: as expected_count says it
    (0.25, 0.025, "about 0.2", "약 0.2건"),
    (0.03, 0.003, "about 0.03", "약 0.03건"),
    (0.00097, 0.000097, "about 0.001", "약 0.001건"),
    (1.04, 1.0, "about 1.04", "약 1.04건"),  # a promotion over a sliver of the count
    (0.00002, 0.000002, "less than 0.0001", "0.0001건 미만"),
])  # fmt: skip
def test_the_allowed_count_is_said_with_the_decimals_that_tell_it_from_the_usual(
        expected: float, usual: float, en: str, ko: str) -> None:
    assert allowed_count(expected, usual=usual) == (en, ko)
