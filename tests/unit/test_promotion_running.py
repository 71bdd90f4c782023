"""A price may lean on a declared promotion only while that promotion runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.pricing import Promotion, check_promotion_running
from sagwa.errors import InvalidInput

NOW = datetime(2008, 6, 12, 11, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def test_a_promotion_that_ended_is_refused_on_its_end_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_promotion_running(Promotion(50, NOW - timedelta(days=30), NOW - timedelta(days=29)),
                                NOW)
    assert caught.value.details["field"] == "promotion.ends_at"
    assert caught.value.details["reason"] == "promotion_ended"
    assert "2008-05-14 11:00 KST" in caught.value.message


def test_a_promotion_ending_exactly_now_has_ended() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_promotion_running(Promotion(50, ends_at=NOW), NOW)
    assert caught.value.details["reason"] == "promotion_ended"


def test_a_promotion_that_has_not_started_is_refused_on_its_start_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_promotion_running(Promotion(50, NOW + timedelta(days=300),
                                          NOW + timedelta(days=301)), NOW)
    assert caught.value.details["field"] == "promotion.starts_at"
    assert caught.value.details["reason"] == "promotion_not_started"
    assert "propose the price when it starts" in caught.value.message


@pytest.mark.parametrize("promotion", [
    None,
    Promotion(50),
    Promotion(50, starts_at=NOW),
    Promotion(50, NOW - timedelta(hours=2), NOW + timedelta(seconds=1)),
    Promotion(50, ends_at=NOW + timedelta(days=1)),
])  # fmt: skip
def test_a_running_or_open_ended_promotion_is_accepted(promotion: Promotion | None) -> None:
    check_promotion_running(promotion, NOW)
