"""How a moment is said, in Korea time: one formatter for the customer and seller messages and
the price guard's tripwire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.moments import SEOUL
from sagwa.domain.time_words import day_words, format_when, hour_words
from sagwa.services import desk_messages

#: ``12월 6일(일) 오후 2시 3분``: the day, its weekday, the half of the day, the hour, the minutes.
KOREAN = re.compile(r"\d{1,2}월 \d{1,2}일\([월화수목금토일]\) (?:0시|(?:오전|낮|오후) \d{1,2}시)"
                    r"(?: \d{1,2}분)?")


@pytest.mark.parametrize("hour", range(24))
@pytest.mark.parametrize("minute", [0, 7])
def test_every_hour_of_a_korean_day_reads_in_one_shape(hour: int, minute: int) -> None:
    moment = datetime(2026, 12, 6, hour, minute, tzinfo=SEOUL)
    said = format_when(moment, "ko")
    assert KOREAN.fullmatch(said), said
    assert said.startswith("12월 6일(일) ")
    assert said.endswith(f"{minute}분") == bool(minute)


@pytest.mark.parametrize(("hour", "minute", "ko", "en"), [
    (0, 0, "0시", "12 am"),  # midnight is the start of its day, not "밤 12시" of the one before
    (0, 30, "0시 30분", "12:30 am"),
    (10, 17, "오전 10시 17분", "10:17 am"),
    (12, 0, "낮 12시", "12 pm"),  # not 오후 12시, which is read as midnight
    (18, 0, "오후 6시", "6 pm"),
    (23, 59, "오후 11시 59분", "11:59 pm"),
])  # fmt: skip
def test_the_hour_as_people_say_it(hour: int, minute: int, ko: str, en: str) -> None:
    local = datetime(2026, 12, 7, hour, minute, tzinfo=SEOUL)
    assert (hour_words(local, "ko"), hour_words(local, "en")) == (ko, en)


def test_a_moment_is_said_in_korea_time_wherever_it_was_stored() -> None:
    moment = datetime(2026, 12, 5, 17, 27, tzinfo=UTC)  # Sunday 02:27 in Korea
    assert format_when(moment, "ko") == "12월 6일(일) 오전 2시 27분"
    assert format_when(moment, "en") == "Sunday, December 6 at 2:27 am Korea time"
    assert day_words(moment.astimezone(SEOUL), "ko") == "12월 6일(일)"
    assert format_when(moment - timedelta(hours=2, minutes=27), "ko") == "12월 6일(일) 0시"


def test_the_messages_say_a_moment_with_this_formatter() -> None:
    assert desk_messages.format_when is format_when
    assert (desk_messages.day_words, desk_messages.hour_words) == (day_words, hour_words)
