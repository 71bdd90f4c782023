"""The test helpers that pick a time the contact centre is open (``sagwa.testing.deadlines``),
so that a test does not depend on the day it runs: a Monday may be 설날, a Saturday closes at
14:00, Christmas is closed."""

from __future__ import annotations

from datetime import date, datetime

from sagwa.domain.moments import SEOUL
from sagwa.testing.deadlines import open_day_after, open_hour_after


def test_the_first_open_monday_skips_a_seollal_monday() -> None:
    # 2027-02-08 (Mon) is the third day of 설날 and 02-09 its alternative holiday
    assert open_day_after(datetime(2027, 2, 3, 12, tzinfo=SEOUL), weekday=0) == date(2027, 2, 15)
    assert open_day_after(datetime(2026, 12, 2, 12, tzinfo=SEOUL), weekday=0) == date(2026, 12, 7)


def test_the_first_open_day_is_after_the_days_given_not_on_it() -> None:
    assert open_day_after(datetime(2026, 12, 7, 8, tzinfo=SEOUL)) == date(2026, 12, 8)
    assert open_day_after(datetime(2026, 12, 24, 17, tzinfo=SEOUL)) == date(2026, 12, 26)


def test_an_open_hour_skips_a_holiday_and_a_saturday_afternoon() -> None:
    # from Wednesday 23 December: the 24th at 15:00 is open (Thursday)
    assert open_hour_after(datetime(2026, 12, 23, 12, tzinfo=SEOUL), 15) == datetime(
        2026, 12, 24, 15, tzinfo=SEOUL)
    # from Thursday 24 December: Christmas closed, Saturday open only 10:00-14:00, Sunday closed
    assert open_hour_after(datetime(2026, 12, 24, 12, tzinfo=SEOUL), 15) == datetime(
        2026, 12, 28, 15, tzinfo=SEOUL)
    assert open_hour_after(datetime(2026, 12, 24, 12, tzinfo=SEOUL), 11) == datetime(
        2026, 12, 26, 11, tzinfo=SEOUL)
