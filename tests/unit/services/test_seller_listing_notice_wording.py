"""The seller emails about a listing (``seller_listing_notices``: the tripwire's pause, a held
price change approved or rejected), subject and body, in Korean and English and in each of
their variants, pass the message check as a ``seller_notice`` with no finding. Before, none of
these emails existed: a seller paused late on a Saturday, or whose held change a reviewer
decided, heard nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.messagecheck import check_message
from sagwa.priceguard.tripwire_words import trip_summary
from sagwa.services import desk_messages as dm
from sagwa.services import seller_listing_notices as sln
from sagwa.services.seller_notices import seller_when

KST = ZoneInfo("Asia/Seoul")
REASON = {"ko": "가격 변경 후 9초 동안 고객 5명이 5건을 주문했습니다(시간당 약 2,000건의 속도)",
          "en": "5 orders from 5 customers in 9 seconds, a pace of about 2,000 orders an hour"}
PAUSED = datetime(2026, 12, 5, 23, 35, tzinfo=KST)


def _paused(lang: str, look_now: bool, *, bulk: bool = False) -> dict[str, object]:
    what_en, what_ko = trip_summary(["bulk"] if bulk else ["orders"], orders=1)
    return {"what": what_ko if lang == "ko" else what_en, "price": "19,900원" if lang == "ko" else "19,900 KRW",
            "paused_at": seller_when(PAUSED, lang), "reason": REASON[lang],
            "look_now": look_now,
            "look_at": seller_when(datetime(2026, 12, 7, 9, 0, tzinfo=KST), lang),
            "hours": "평일 오전 9시~오후 6시" if lang == "ko" else "weekdays 9:00-18:00"}


def _decided(lang: str, reason: str, *, by_staff: bool = False) -> dict[str, object]:
    won = "원" if lang == "ko" else " KRW"
    return {"old_price": f"199,000{won}", "new_price": f"19,900{won}",
            "live_price": f"199,000{won}", "proposed_at": seller_when(PAUSED, lang),
            "decided_at": seller_when(PAUSED, lang), "reason": reason, "by_staff": by_staff}


def _by_staff(lang: str, *, live: bool, promotion: str = "") -> dict[str, object]:
    won = "원" if lang == "ko" else " KRW"
    return {"old_price": f"199,000{won}", "new_price": f"189,000{won}",
            "changed_at": seller_when(PAUSED, lang), "live": live, "promotion": promotion}


VARIANTS = [
    (sln.PAUSED, lambda lang: _paused(lang, look_now=False)),
    (sln.PAUSED, lambda lang: _paused(lang, look_now=True)),
    (sln.PAUSED, lambda lang: _paused(lang, look_now=False, bulk=True)),
    (sln.APPROVED, lambda lang: _decided(lang, "")),
    (sln.APPROVED, lambda lang: _decided(lang, "연말 재고 정리 행사 확인")),
    (sln.REJECTED, lambda lang: _decided(lang, "정가의 10%는 입력 실수로 보입니다")),
    (sln.APPROVED, lambda lang: _decided(lang, "", by_staff=True)),
    (sln.REJECTED, lambda lang: _decided(lang, "정가의 10%는 입력 실수로 보입니다", by_staff=True)),
    (sln.BY_STAFF, lambda lang: _by_staff(lang, live=True)),
    (sln.BY_STAFF, lambda lang: _by_staff(lang, live=False, promotion="30")),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("stage", "values"), VARIANTS)
def test_every_seller_listing_email_passes_with_no_finding(stage: str, values, lang: str
                                                           ) -> None:
    subject = sln._SUBJECTS[stage][0 if lang == "ko" else 1].format(n=12)
    body = dm.render(f"seller_{stage}_email", lang, seller_name="하늘디지털",
                     listing="애플 아이팟 나노 (#12)", listing_id=12,
                     link="https://sagwa.example/seller/listings/12", **values(lang))
    result = check_message(f"{subject}\n\n{body}", kind="seller_notice", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()


def test_every_stage_and_template_is_covered() -> None:
    assert {stage for stage, _ in VARIANTS} == set(sln._SUBJECTS)
