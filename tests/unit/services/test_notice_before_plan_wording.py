"""A public notice drafted before the incident is scoped and planned (its SLA runs from the
declaration, so it is often published then): no customer count ("0 customers" while no case
exists yet) and no options a plan may not offer (any two options make a plan) — each customer
who ordered at the wrong price will be contacted individually with their options, and nothing
is cancelled without their consent. Every variant passes the notice check."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import make_plan
from sagwa.domain.incidents import declare
from sagwa.domain.money import Money
from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import load_desk_policy

KST = ZoneInfo("Asia/Seoul")
CORRECT = Money(199_000, "KRW")
INCIDENT = declare(
    incident_id="inc-1", listing_ids={101}, wrong_price=Money(19_900, "KRW"),
    correct_price=CORRECT, window_start=datetime(2008, 6, 12, 14, 0, tzinfo=KST),
    now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
    declared_by="operator:kim",
).incident  # fmt: skip
#: A plan that offers neither keeping with points nor cancelling: any two options make a plan.
PLAN = make_plan(
    incident=INCIDENT, options=["keep", "talk_to_person"],
    deadline=datetime(2008, 6, 17, 18, 0, tzinfo=KST), default="keep", seller_share_pct=50,
    platform_share_pct=50, now=datetime(2008, 6, 13, 9, 0, tzinfo=KST),
    schedule=ContactSchedule.from_mapping(
        {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}),
)  # fmt: skip
VARIANTS = [(approved, paused) for approved in (False, True) for paused in (False, True)]
FACTS = dm.IncidentFacts(INCIDENT, "애플 아이팟 나노 3세대 4GB", "Apple iPod nano 3rd gen 4GB",
                         "하늘디지털", CORRECT)
#: What only a scoped incident may say (a count), and what only a plan may say (its options).
COUNT = {"ko": "0명의 고객님", "en": "0 customers"}
OPTIONS_NAMED = {"ko": ["주문 유지", "주문 취소", "보상 포인트"],
                 "en": ["keep the order", "cancel it", "compensation points"]}
INDIVIDUALLY = {"ko": "한 분 한 분 개별적으로 연락드려 선택하실 수 있는 방법을 안내해 드리겠습니다",
                "en": "We will contact each customer who ordered at the wrong price individually, "
                      "with the options open to them."}
CONSENT = {"ko": "동의 없이 주문을 취소하지 않습니다", "en": "not cancel any order without the customer's consent"}
STILL_COUNTING = {"ko": "해당 주문을 모두 확인하고 있습니다", "en": "we are still confirming every order affected"}


def notice(lang: str, *, customers: int | None, planned: bool, approved: bool = False,
           paused: bool = False) -> str:
    return dm.render("notice", lang, product=FACTS.product_ko if lang == "ko" else FACTS.product_en,
                     customers=customers,
                     options_phrase=dm.options_phrase(PLAN, lang) if planned else None,
                     wrong_date=dm.format_date(INCIDENT.window_start, lang),
                     cause_ko=dm.cause(FACTS, "ko"), cause_en=dm.cause(FACTS, "en"),
                     approved_by_reviewer=approved, paused_by_tripwire=paused,
                     **dm.contact_values(load_desk_policy().contact, lang))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_before_scoping_and_planning_names_no_count_and_no_options(lang: str) -> None:
    text = notice(lang, customers=None, planned=False)
    assert COUNT[lang] not in text and "None" not in text
    assert STILL_COUNTING[lang] in text
    assert [o for o in OPTIONS_NAMED[lang] if o in text] == []
    assert INDIVIDUALLY[lang] in text and CONSENT[lang] in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_after_planning_names_the_count_and_the_plans_options(lang: str) -> None:
    text = notice(lang, customers=42, planned=True)
    assert ("42명의 고객님께서" if lang == "ko" else "42 customers") in text
    assert STILL_COUNTING[lang] not in text and INDIVIDUALLY[lang] not in text
    assert dm.options_phrase(PLAN, lang) in text


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("customers", [None, 1, 42])
@pytest.mark.parametrize("planned", [False, True])
@pytest.mark.parametrize(("approved", "paused"), VARIANTS)
def test_every_count_and_plan_variant_passes_the_notice_check(
        lang: str, customers: int | None, planned: bool, approved: bool, paused: bool) -> None:
    text = notice(lang, customers=customers, planned=planned, approved=approved, paused=paused)
    result = check_message(text, kind="notice", lang=lang)
    assert result.ok, (text, result.as_dict()["findings"])


def test_one_customer_is_not_plural() -> None:
    assert "1 customer ordered" in notice("en", customers=1, planned=True)
