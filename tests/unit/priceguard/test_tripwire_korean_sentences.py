"""The tripwire's Korean reason (the "멈춘 까닭" of the seller's pause email, the draft incident's
cause) is written in full sentences — a copy edit found "…0.1건 미만 예상; …까지 허용: 이렇게 짧은
시간에는 여전히 0.1건 미만(우연일 확률 …)" read as a machine translation — and says every number
the English says; the time of the price change is written as the seller's emails write a moment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.time_words import format_when
from sagwa.priceguard.tripwire import NormalRate, assess_order_velocity, count_orders
from sagwa.priceguard.tripwire_price import PriceContext

CHANGED = datetime(2026, 12, 5, 17, 27, tzinfo=UTC)  # Sunday 02:27 in Korea
CUT = PriceContext(price=19_900, currency="KRW", since=CHANGED, before=185_000, to=19_900)


def _rush(*, seconds: float, normal: NormalRate, units: list[int] | None = None,
          customers: list[int] | None = None):  # type: ignore[no-untyped-def]
    times = [CHANGED + timedelta(seconds=seconds * (n + 1) / 5) for n in range(5)]
    counts = count_orders(times, units, start=CHANGED, now=times[-1], recent_hours=1.0,
                          order_customers=customers or [1, 2, 3, 4, 5])
    return assess_order_velocity(counts=counts, changed_at=CHANGED, now=times[-1],
                                 baseline_per_hour=normal, price=CUT)


CASES = {
    "promotion on a quiet listing": {"seconds": 5.5, "normal": NormalRate(
        0.01, promotion_pct=90.0, promotion_reviewed=True)},
    "promotion that needed no reviewer": {"seconds": 9, "normal": NormalRate(
        0.01, promotion_pct=50.0)},
    "plain": {"seconds": 120, "normal": NormalRate(0.5)},
    "units": {"seconds": 3, "normal": NormalRate(0.5), "units": [100, 100, 100, 1, 1]},
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_korean_reason_is_full_sentences(case: str) -> None:
    result = _rush(**CASES[case])  # type: ignore[arg-type]
    assert result.tripped, result.reason_en
    ko = result.reason_ko
    assert ";" not in ko and ":" not in ko, ko
    assert not re.search(r"예상(?![가-힣])", ko), ko  # no clipped "0.1건 미만 예상"
    assert ko.endswith("입니다."), ko
    sentences = [s for s in re.split(r"(?<=\.) (?=[가-힣])", ko) if s]
    assert len(sentences) >= 3, sentences  # the count, the comparison, the chance
    assert all(re.search(r"다(\([^)]*\))?\.$", s) for s in sentences), sentences


def test_the_reported_reason_reads_as_korean_sentences_with_its_numbers() -> None:
    """The legal review's case: 5 customers, a declared 90% promotion, a listing that rarely
    sells — every number it stated is still said."""
    result = _rush(**CASES["promotion on a quiet listing"])  # type: ignore[arg-type]
    ko = result.reason_ko
    assert ("이 상품은 드물게 팔려 평소 판매 속도를 최저 기준인 시간당 0.05건 이하로 잡았습니다. 이 속도라면 "
            "이 시간 동안 예상되는 주문은 0.1건 미만입니다. 선언된 90% 할인 기간에는 평소의 10배인 시간당 0.50건까지 "
            "허용합니다. 이 속도로도 이렇게 짧은 시간에는 여전히 0.1건 미만입니다. 우연히 이만큼 주문될 "
            "확률은 10억분의 1 미만입니다.") in ko
    assert "고객 5명이 5건을 주문했습니다(시간당 약 3,300건의 속도)." in ko
    for number in ("185,000", "19,900", "0.05", "0.1", "90%", "10배", "0.50", "3,300"):
        assert number in ko, number


@pytest.mark.parametrize("hour", range(24))
@pytest.mark.parametrize("minute", [0, 7])
def test_the_change_time_is_written_as_the_messages_write_a_moment(hour: int,
                                                                   minute: int) -> None:
    moment = datetime(2026, 12, 6, hour, minute, tzinfo=UTC) - timedelta(hours=9)
    words = PriceContext(price=19_900, currency="KRW", since=moment, before=185_000,
                         to=19_900).change_words()
    assert words is not None
    assert words[1] == f"185,000원 → 19,900원, {format_when(moment, 'ko')}(한국 시간)"


def test_the_reason_names_the_price_change_in_that_format() -> None:
    result = _rush(**CASES["plain"])  # type: ignore[arg-type]
    assert result.reason_ko.startswith(
        "12월 6일(일) 오전 2시 27분(한국 시간)에 가격을 185,000원 → 19,900원으로 바꿨습니다. 그 뒤 2분 "
        "동안 ")
    assert "2026-12-06" not in result.reason_ko
