"""How a moment is said to people, in Korea time: ``6월 16일(월) 오후 6시`` / ``Monday, June 16
at 6 pm Korea time``. Pure.

The customer and seller messages say moments this way (``services.desk_messages`` hands these
on to its templates and pages), and so does the price guard's tripwire when it says when a
price changed (``priceguard.tripwire_price``), which may import nothing from the services.
"""

from __future__ import annotations

from datetime import datetime

from sagwa.domain.moments import SEOUL

_KO_DAYS = "월화수목금토일"


def format_when(moment: datetime, lang: str) -> str:
    """``6월 16일(월) 오후 6시`` / ``Monday, June 16 at 6 pm Korea time`` in Asia/Seoul (an
    English reader may be anywhere: the zone is said)."""
    local = moment.astimezone(SEOUL)
    if lang == "ko":
        return f"{day_words(local, lang)} {hour_words(local, lang)}"
    return f"{day_words(local, lang)} at {hour_words(local, lang)} Korea time"


def day_words(local: datetime, lang: str) -> str:
    """``6월 16일(월)`` / ``Monday, June 16``: the day of ``local`` as its own clock reads it
    (no zone conversion: :func:`format_when` converts first)."""
    if lang == "ko":
        return f"{local.month}월 {local.day}일({_KO_DAYS[local.weekday()]})"
    return f"{local:%A, %B} {local.day}"


def hour_words(local: datetime, lang: str) -> str:
    """``오후 6시`` / ``6 pm`` (minutes when there are any: ``오전 10시 17분`` / ``10:17 am``),
    as ``local``'s own clock reads it; noon as Koreans say it, ``낮 12시``, and midnight as
    ``0시`` of its day (오후 12시 / 오전 12시 are read the wrong way, and "밤 12시" of a date is
    taken for the end of that day, not its start)."""
    hour12 = local.hour % 12 or 12
    if lang == "ko":
        minute = f" {local.minute}분" if local.minute else ""
        if local.hour == 0:
            return f"0시{minute}"
        return f"{'낮' if local.hour == 12 else '오전' if local.hour < 12 else '오후'} {hour12}시{minute}"
    minute = f":{local.minute:02d}" if local.minute else ""
    return f"{hour12}{minute} {'am' if local.hour < 12 else 'pm'}"
