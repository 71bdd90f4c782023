"""Times people type are held to 1970-2199 everywhere they enter: the API, the seller's page,
the CLI and the domain's promotion; a page shows a stored time it cannot put in Korea time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sagwa.cli.dates import parse_time
from sagwa.domain.moments import check_moment, out_of_range
from sagwa.domain.pricing import Promotion
from sagwa.errors import InvalidInput
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.forms import parse_local_time
from sagwa.web.pages.rendering import seoul

MINUS_NINE = timezone(timedelta(hours=-9))
PLUS_NINE = timezone(timedelta(hours=9))


@pytest.mark.parametrize(("moment", "outside"), [
    (datetime(1970, 1, 1, tzinfo=UTC), False),
    (datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC), False),
    (datetime(1970, 1, 1, 8, 59, tzinfo=PLUS_NINE), True),  # 1969 in UTC
    (datetime(2200, 1, 1, tzinfo=UTC), True),
    (datetime(9999, 12, 31, 23, tzinfo=MINUS_NINE), True),  # past year 9999 in UTC
    (datetime(1, 1, 1, 5, tzinfo=PLUS_NINE), True),  # before year 1 in UTC
])
def test_out_of_range(moment: datetime, outside: bool) -> None:
    assert out_of_range(moment) is outside
    if outside:
        with pytest.raises(InvalidInput, match="1970 to 2199") as refused:
            check_moment(moment, "deadline")
        assert refused.value.details["reason"] == "moment_out_of_range"
    else:
        assert check_moment(moment, "deadline") == moment


def test_a_promotion_names_the_time_that_is_out_of_range() -> None:
    with pytest.raises(InvalidInput) as refused:
        Promotion(10, ends_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    assert refused.value.details["field"] == "promotion.ends_at"
    with pytest.raises(InvalidInput) as refused:
        Promotion(10, starts_at=datetime(1900, 1, 1, tzinfo=UTC))
    assert refused.value.details["field"] == "promotion.starts_at"


def test_the_seller_page_and_the_cli_refuse_it_in_words() -> None:
    with pytest.raises(FormProblem, match="1970"):
        parse_local_time("9999-12-31T23:59", "promotion.ends_at")
    assert parse_local_time("2026-12-02T09:00", "x") == datetime(2026, 12, 2, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="1970 to 2199"):
        parse_time("0001-01-01T00:00", "window_start")


def test_a_page_shows_a_stored_time_past_what_korea_time_can_hold() -> None:
    assert seoul(datetime(2008, 6, 12, 5, tzinfo=UTC)) == "2008-06-12 14:00"
    assert seoul(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)) == "9999-12-31T23:59+00:00"
