"""What a customer sends from their case page (``/c/<token>``) as they really send it: a phone
number pasted from their contacts or typed in a full-width input mode is the number they see;
the page they come back to after saving is in the language they were reading, cookie or not;
a link whose case is not there does not send them round in a circle; and a confirm step
opened for something that is no option, once the case takes no choice, is the case page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import change_customer, discount_chosen, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import customers
from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.case_links import case_token
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _expired(settings: Settings, world: World, case_id: int) -> str:
    return case_token(settings.secret_key, case_id=case_id,
                      customer_id=world.customers["김민준"],
                      expires_at=datetime.now(UTC) - timedelta(minutes=1))


@pytest.mark.parametrize(("pasted", "shown"), [
    ("０１０－３３３３－４４４４", "010-3333-4444"),  # a full-width input mode (전각)
    ("010\u00a03333\u00a04444", "010 3333 4444"),  # no-break spaces, copied from a web page
    # the direction marks a phone's contacts app copies around a number
    ("\u202a010-3333-4444\u202c", "010-3333-4444"),
    ("010-3333-4444\u200b", "010-3333-4444"),  # a zero-width space after it
    ("010\u20133333\u20134444", "010-3333-4444"),  # en dashes, as autocorrect writes them
])
def test_a_pasted_or_full_width_phone_number_is_saved_as_the_number_it_shows(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        pasted: str, shown: str) -> None:
    customer = world.customers["김민준"]
    change_customer(session_factory, customer, phone=None)
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang=ko").text
    assert 'id="leave-phone"' in page
    saved = client.post(f"/c/{token}/phone?lang=ko",
                        data={"csrf_token": csrf_of(page), "phone": pasted},
                        follow_redirects=False)
    assert saved.status_code == 303, unescape(saved.text)
    with session_factory() as session:
        stored = session.scalar(select(customers.c.phone).where(customers.c.id == customer))
    assert stored == shown


def test_saving_a_number_or_a_call_time_comes_back_in_the_language_being_read(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    # a Korean customer reading in English, with no cookie to remember it (cookies blocked,
    # or cleared while the page stood open): the form's address says the language
    change_customer(session_factory, world.customers["김민준"], phone=None)
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang=en").text
    client.cookies.clear()
    saved = client.post(f"/c/{token}/phone?lang=en",
                        data={"csrf_token": csrf_of(page), "phone": "010-3333-4444"},
                        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/c/{token}?lang=en"
    asked = world.tokens["이서연"]  # asked for a person: on the call list, may pick a time
    page = client.get(f"/c/{asked}?lang=en").text
    assert 'id="call-time"' in page
    client.cookies.clear()
    picked = client.post(f"/c/{asked}/call-time?lang=en",
                         data={"csrf_token": csrf_of(page), "call_at": ""},
                         follow_redirects=False)
    assert picked.status_code == 303 and picked.headers["location"] == f"/c/{asked}?lang=en"
    # the ways back from a confirm step keep it too
    confirm = client.get(f"/c/{token}/confirm?choice=keep&lang=en").text
    assert f'href="/c/{token}?lang=en" id="back-to-options"' in confirm


def test_a_link_whose_case_is_not_there_does_not_offer_the_same_page_again(
        client: TestClient, world: World, page_settings: Settings) -> None:
    # signed, unexpired, but naming a case that is not this customer's (or no longer there)
    token = case_token(page_settings.secret_key, case_id=world.cases["김민준"],
                       customer_id=world.customers["Alex Kim"],
                       expires_at=datetime.now(UTC) + timedelta(days=3))
    answer = client.get(f"/c/{token}?lang=en")
    assert answer.status_code == 404
    said = unescape(answer.text)
    assert 'id="back-to-case"' not in said  # it would open this very page again
    assert "please check the address" not in said  # a link cannot be checked by its reader
    assert "We could not find your case from this link" in said
    korean = unescape(client.get(f"/c/{token}?lang=ko").text)
    assert "이 링크로 고객님의 주문 안내를 찾지 못했습니다" in korean and 'id="back-to-case"' not in korean


def test_a_confirm_step_for_no_option_on_a_case_that_takes_no_choice_is_the_case_page(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang=en").text
    client.post(f"/c/{token}/choose?lang=en", data={
        "csrf_token": csrf_of(page), "choice": "keep", "confirmed": "yes"})
    for address in (f"/c/{token}/confirm?lang=en",  # cut short where "&choice=" began
                    f"/c/{token}/confirm?choice=cancel_with_comp&lang=en"):
        answer = client.get(address, follow_redirects=False)
        assert answer.status_code == 303, address
        assert answer.headers["location"] == f"/c/{token}?lang=en"
    # while the case still takes a choice, the options are below the sentence that says so
    open_case = world.tokens["Alex Kim"]
    answer = client.get(f"/c/{open_case}/confirm?choice=cancel_with_comp&lang=en")
    assert answer.status_code == 422
    assert "please choose one of those below" in unescape(answer.text)
    assert 'id="choose-keep"' in answer.text


def test_the_case_page_says_the_day_the_customer_ordered_not_the_day_the_price_went_wrong(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    # the wrong price was live for days; 김민준 ordered on the third (a walkthrough: "On
    # Wednesday, November 11, ... when you ordered it" to a customer who ordered on December 5)
    went_wrong = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 2 March, 10:00 in Korea
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=went_wrong, ordered_after=timedelta(days=2),
                                  options=["keep", "talk_to_person"])
    korean = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert "2026년 3월 4일(수)에 주문하신 '무선 이어폰'의 가격이 잘못 표시되었습니다." in korean
    assert "3월 2일" not in korean
    english = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert ("On Wednesday, March 4, 2026, 'Wireless earphones' was shown at a wrong price when "
            "you ordered it.") in english


def test_an_expired_link_after_cancelling_instead_names_the_refund_of_what_was_paid(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    # 김민준 paid 39,800 for 2 earphones, chose the discount (the orders repriced to 296,000),
    # then cancelled instead of paying: 39,800 comes back, not the discounted total
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(days=1))
    cancel_instead_of_paying(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                             channel="web", evidence="pressed cancel instead",
                             taken_by="customer", policy=POLICY)
    for lang, refund, total in (("ko", "39,800원", "296,000원"),
                                ("en", "39,800 KRW", "296,000 KRW")):
        said = unescape(client.get(f"/c/{_expired(page_settings, world, case.case_id)}"
                                   f"?lang={lang}").text)
        assert 'id="recorded-choice"' in said
        assert refund in said and total not in said, lang


def test_an_expired_link_after_keeping_above_the_cap_names_the_refund_too(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    expired = _expired(page_settings, world, case.case_id)
    korean = unescape(client.get(f"/c/{expired}?lang=ko").text)
    assert "주문하신 상품 1개를 결제하신 가격 그대로 보내 드립니다." in korean
    assert "19,900원" in korean.split('id="recorded-next"')[1].split("</p>")[0]
    english = unescape(client.get(f"/c/{expired}?lang=en").text)
    assert "We will send your 1 item at the price you paid." in english
    assert "19,900 KRW" in english.split('id="recorded-next"')[1].split("</p>")[0]
