"""When a customer who asked to talk to a person will be called, in words: said on their page
(``web.pages.customer_case_words``), in the flash after they give a number or a time, and in
the note that acknowledges their request (``call_request_notice``)."""

from __future__ import annotations

from datetime import datetime

from sagwa.domain.contact_hours import next_opening
from sagwa.services.desk_messages import format_when
from sagwa.services.desk_policy import DeskPolicy


def _t(lang: str, ko: str, en: str) -> str:
    return ko if lang == "ko" else en


def call_when_given_up(attempts: int, lang: str) -> str:
    """After the desk gave up calling: we called, could not reach them, and they may call us —
    or, with ``attempts`` 0, we have no phone number for them, so they may call us."""
    if attempts == 0:
        return _t(lang, "저희에게 고객님의 전화번호가 없어 전화드릴 수 없습니다. 통화를 원하시면 편하신 때 아래 "
                        "연락처로 전화 주세요.",
                  "we have no phone number for you, so we cannot call you; to talk to us, "
                  "please call us when it suits you (below).")
    return _t(lang, f"상담원이 {attempts}번 전화드렸지만 연결되지 않았습니다. 편하신 때 아래 연락처로 "
                    "전화 주세요.",
              f"our staff called you {_times(attempts)} but could not reach you; please call us "
              "when it suits you (below).")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def call_when(policy: DeskPolicy, now: datetime, lang: str,
              gave_up_after: int | None = None, *, picked: datetime | None = None,
              named: datetime | None = None) -> str:
    """When a customer who asked to talk to a person will be called: at the time they
    ``picked`` on their page while it is ahead (``domain.call_times``), or the one they
    ``named`` on a call to us (``call_list_sql.call_time``); else "soon" only while
    the contact centre is open (whatever time is left before it closes: agents call until
    then); at night, at a weekend or on a holiday, from its next opening. Once the desk gave up
    after ``gave_up_after`` attempts: that we called and could not reach them, and to call us
    (0: we have no phone number for them)."""
    if gave_up_after is not None:
        return call_when_given_up(gave_up_after, lang)
    if picked is not None and picked > now:
        return _t(lang, f"고르신 시간인 {format_when(picked, 'ko')}(한국 시간)에 상담원이 전화드리겠습니다.",
                  f"one of our staff will call you at the time you picked: "
                  f"{format_when(picked, 'en')}.")
    if named is not None and named > now:
        return _t(lang, f"통화 중에 말씀하신 {format_when(named, 'ko')}(한국 시간)에 상담원이 다시 전화드리겠습니다.",
                  f"one of our staff will call you back at the time you told us on the phone: "
                  f"{format_when(named, 'en')}.")
    opens = next_opening(policy.schedule, now)
    if opens == now:
        return _t(lang, "상담원이 곧 전화드리겠습니다.", "one of our staff will call you soon.")
    return _t(lang, f"고객센터가 문을 여는 {format_when(opens, 'ko')}(한국 시간)부터 상담원이 전화드리겠습니다.",
              f"one of our staff will call you once our contact centre opens, from "
              f"{format_when(opens, 'en')}.")
