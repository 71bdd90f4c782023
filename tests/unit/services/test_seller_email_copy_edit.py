"""The seller emails as a Korean copy editor asked for them (legal review C3, C4, C7, C9): no
"사과(sagwa)" in the Korean — it reads "the apology paused your sales" — but "운영팀" and "판매
보호 시스템"; every moment as the customers' messages write it, with the zone said once in the
same way ("12월 8일(화) 오후 6시(한국 시간)" / "Tuesday, December 8 at 6 pm (Korea time)");
"고객 5분께", not "5명께"; English that reads as English ("On … a reviewer approved the price
change you requested on …"; a subject that ends in "cancel"). Each still passes the message
check."""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial

import pytest
from test_seller_notice_wording import INCIDENT, NAMES, PLANS, TOLD, _email

from sagwa.messagecheck import check_message
from sagwa.priceguard.tripwire_words import trip_summary
from sagwa.services import desk_messages as dm
from sagwa.services import seller_listing_notices as sln
from sagwa.services import seller_notices as sn
from sagwa.services.seller_notices import seller_when

KST = INCIDENT.window_start.tzinfo
APPROVED_AT = datetime(2026, 12, 6, 2, 27, tzinfo=KST)
PROPOSED_AT = datetime(2026, 12, 6, 2, 20, tzinfo=KST)
PLAN = PLANS["every option, capped keep"]


def _checked(text: str, lang: str) -> str:
    result = check_message(text, kind="seller_notice", lang=lang)
    assert result.ok and result.findings == (), (text, result.as_dict())
    return text


def _incident_email(stage: str, lang: str, **kwargs: object) -> str:
    values = partial(sn._stage_values, INCIDENT, stage, kwargs.get("plan"), kwargs.get("told"),
                     NAMES, [12], kwargs.get("customers", 0))
    return _checked(_email(stage, lang, values(lang)), lang)


def _listing_email(stage: str, lang: str, values: dict[str, object]) -> str:
    subject = sln._SUBJECTS[stage][0 if lang == "ko" else 1].format(n=12)
    body = dm.render(f"seller_{stage}_email", lang, seller_name="북마루",
                     listing="애플 아이팟 나노 (#12)", listing_id=12,
                     link="https://sagwa.example/seller/listings/12", **values)
    return _checked(f"{subject}\n\n{body}", lang)


def _paused(lang: str) -> str:
    what_en, what_ko = trip_summary(["orders"])
    return _listing_email(sln.PAUSED, lang, {
        "what": what_ko if lang == "ko" else what_en, "price": "19,900원",
        "paused_at": seller_when(APPROVED_AT, lang), "reason": "…", "look_now": False,
        "look_at": seller_when(datetime(2026, 12, 7, 9, 0, tzinfo=KST), lang),
        "hours": "평일 오전 9시~오후 6시"})


def _decided(stage: str, lang: str) -> str:
    return _listing_email(stage, lang, {
        "old_price": "185,000원", "new_price": "19,900원", "live_price": "185,000원",
        "proposed_at": seller_when(PROPOSED_AT, lang), "decided_at": seller_when(APPROVED_AT, lang),
        "reason": "확인함"})


def test_a_moment_is_written_as_the_customers_messages_write_it_with_its_zone() -> None:
    assert seller_when(datetime(2026, 12, 8, 18, 0, tzinfo=KST), "ko") == "12월 8일(화) 오후 6시(한국 시간)"
    assert seller_when(APPROVED_AT, "ko") == "12월 6일(일) 오전 2시 27분(한국 시간)"
    assert seller_when(APPROVED_AT, "en") == "Sunday, December 6 at 2:27 am (Korea time)"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_seller_email_names_the_brand_as_the_one_acting_in_korean(lang: str) -> None:
    declared = _incident_email(sn.DECLARED, lang)
    paused = _paused(lang)
    if lang == "ko":
        assert "사과(sagwa)" not in declared + paused and "sagwa)" not in declared + paused
        assert "운영팀이 가격 오류 사고 7번으로 처리합니다" in declared
        assert "판매 보호 시스템이 12월 6일(일) 오전 2시 27분(한국 시간)에 아래 상품의 판매를" in paused
    else:
        assert "so our sales protection system paused sales of the listing below " \
               "automatically on Sunday, December 6 at 2:27 am (Korea time)." in paused


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_time_in_the_incident_emails_says_korea_time_one_way(lang: str) -> None:
    declared = _incident_email(sn.DECLARED, lang)
    told = _incident_email(sn.NOTIFIED, lang, plan=PLAN, told=TOLD, customers=5)
    text = declared + told
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
    if lang == "ko":
        assert "6월 12일(목) 오후 2시(한국 시간)" in declared
        assert "6월 13일(금) 오전 9시(한국 시간)부터" in told and "6월 17일(화) 오후 6시(한국 시간)까지" in told
    else:
        assert "Thursday, June 12 at 2 pm (Korea time)" in declared
        assert "From Friday, June 13 at 9 am (Korea time), within our contact centre's hours," in told
        assert ") (" not in told


def test_the_customers_are_counted_with_the_honorific() -> None:
    told = _incident_email(sn.NOTIFIED, "ko", plan=PLAN, told=TOLD, customers=5)
    assert "고객 5분께" in told and "명께" not in told


def test_the_declared_subject_ends_in_a_whole_sentence() -> None:
    subject = _incident_email(sn.DECLARED, "en").split("\n")[0]
    assert subject.endswith("please do not cancel orders or ask customers to cancel")


@pytest.mark.parametrize(("stage", "verb"), [(sln.APPROVED, "approved"),
                                             (sln.REJECTED, "did not approve")])
def test_a_reviewers_decision_reads_as_english(stage: str, verb: str) -> None:
    body = _decided(stage, "en")
    assert (f"On Sunday, December 6 at 2:27 am (Korea time) a reviewer {verb} the price change "
            "you requested on Sunday, December 6 at 2:20 am (Korea time).") in body
    assert "at Sunday" not in body
    korean = _decided(stage, "ko")
    assert "12월 6일(일) 오전 2시 20분(한국 시간)에 요청하신 가격 변경을 검토자가 12월 6일(일) 오전 2시 " \
           "27분(한국 시간)에" in korean
