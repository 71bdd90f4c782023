"""The public notice says what the customers' own messages say of the plan: the answer deadline
in the apology's words ("6월 17일(화) 오후 6시(한국 시간)까지"), what happens without an answer
(the plan's default, ``dm.default_sentence``) and the cancellation's compensation
(``dm.points_words``, as the apology's option line writes it); it counts customers as people
("6명의 고객님께서"), never "고객님 6분께서" (read as "6 minutes"). Each draft passes the message
check as publishing runs it: the names quoted, and against the plan's default."""

from __future__ import annotations

import pytest
from test_desk_messages import CONTACT, INCIDENT, facts, plan

from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.money import Money
from sagwa.messagecheck import check_against_plan
from sagwa.services import desk_messages as dm
from sagwa.services.name_stand_ins import checked_quoting
from sagwa.services.notices import plan_terms

NAMED = facts()


def notice(lang: str, the_plan: IncidentPlan, *, customers: int | None = 6,
           terms: bool = True) -> str:
    text = dm.render("notice", lang, product=NAMED.product_ko if lang == "ko" else NAMED.product_en,
                     customers=customers, options_phrase=dm.options_phrase(the_plan, lang),
                     wrong_date=dm.format_date(INCIDENT.window_start, lang),
                     cause_ko=dm.cause(NAMED, "ko"), cause_en=dm.cause(NAMED, "en"),
                     approved_by_reviewer=False, paused_by_tripwire=False,
                     **(plan_terms(the_plan, lang) if terms else {}),
                     **dm.contact_values(CONTACT, lang))
    names = [NAMED.product_ko, NAMED.product_en, NAMED.seller_name]
    checked_quoting(text, kind="notice", lang=lang, names=names)  # raises when refused
    against = check_against_plan(text, kind="notice", lang=lang,
                                 plan_default=the_plan.default.value)
    assert against.ok, against.as_dict()["findings"]
    return text


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", ("해당 고객님께서는 6월 17일(화) 오후 6시(한국 시간)까지 원하시는 방법을 알려 주세요. "
            "답이 없으시면 주문은 그대로 유지됩니다.")),
    ("en", ("If you ordered at the wrong price, please tell us by Tuesday, June 17 at 6 pm "
            "Korea time. If we do not hear from you, your order stays as it is.")),
])
def test_the_notice_says_the_deadline_and_the_default_as_the_apology_does(
        lang: str, said: str) -> None:
    assert said in notice(lang, plan())


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("ko", "답이 없으시면 상담원이 연락드려 직접 여쭙고, 그때까지 주문은 바뀌지 않습니다.", "전화드려"),
    ("en", ("If we do not hear from you, our staff will contact you to ask; until then nothing "
           "changes."), "call you"),
])
def test_a_call_default_is_said_as_contact_not_a_call(lang: str, said: str,
                                                      not_said: str) -> None:
    """Not "we will call you": the notice speaks to every customer, and one with no phone
    number on file is written to instead (a reviewer's finding)."""
    text = notice(lang, plan(default="follow_up_call"))
    assert said in text and not_said not in text


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", ("답이 없으시면 주문은 그대로 유지됩니다. 다만 1인당 2개보다 많이 주문하신 고객님께는 상담원이 "
           "연락드려 여쭙고, 그때까지 주문은 바뀌지 않습니다.")),
    ("en", ("If we do not hear from you, your order stays as it is. A customer who ordered more "
           "than 2 items is contacted by our staff first; until then nothing changes.")),
])
def test_a_keep_default_with_a_limit_says_who_is_contacted_instead(lang: str,
                                                                   said: str) -> None:
    assert said in notice(lang, plan(keep_max_units=2))


def test_a_limit_of_one_item_is_said_in_the_singular() -> None:
    """A customer walk read "more than 1 items" on the English notice."""
    text = notice("en", plan(keep_max_units=1))
    assert "A customer who ordered more than 1 item is contacted" in text
    assert "1 items" not in text


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "주문을 취소하시면 결제 금액 전액 환불과 함께 사과의 뜻으로 5,000포인트(5,000원 상당)를 드립니다."),
    ("en", ("A customer who cancels gets a full refund plus 5,000 points (worth 5,000 KRW) as "
            "an apology.")),
])
def test_the_notice_names_the_compensation_for_cancelling(lang: str, said: str) -> None:
    assert said in notice(lang, plan())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_compensation_sentence_where_the_cancellation_gives_no_points(lang: str) -> None:
    text = notice(lang, plan(cancel_compensation=Money(0, "KRW")))
    assert "포인트" not in text and "points" not in text


@pytest.mark.parametrize(("customers", "said"), [
    (6, "6명의 고객님께서 잘못된 가격으로 주문하셨습니다."),
    (1, "1명의 고객님께서 잘못된 가격으로 주문하셨습니다."),
])
def test_customers_are_counted_as_people_not_minutes(customers: int, said: str) -> None:
    text = notice("ko", plan(), customers=customers)
    assert said in text and "분께서" not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_drafted_without_the_plans_terms_still_renders(lang: str) -> None:
    text = notice(lang, plan(), terms=False)
    assert "(한국 시간)까지" not in text and "please tell us by" not in text
