"""The customer's confirm steps have addresses of their own (``/c/<token>/confirm?choice=…``,
``/c/<token>/cancel-instead``): the first press redirects there, so Back after confirming, a
reload or the language link opens a page, never a form to send again. And the discount's confirm
step and confirmation say what is true of it — until its difference is paid it may still be
replaced by cancelling, and how to pay it, in the desk policy's words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import DISCOUNT_OPTIONS, discount_chosen, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import outbox
from sagwa.config import Settings
from sagwa.domain.money import Money
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
DISCOUNT = DISCOUNT_OPTIONS[2]


def _switch_lang(html: str) -> str:
    found = re.search(r'<a href="([^"]+)" hreflang="\w+" id="switch-lang"[^>]*>', html)
    assert found, "no language link"
    return unescape(found.group(1))


def test_the_first_press_leads_to_the_confirm_steps_own_address_and_back_to_the_case_page(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    pressed = client.post(f"/c/{token}/choose", data={"choice": "keep",
                                                      "csrf_token": csrf_of(page)})
    assert pressed.status_code == 303
    step_at = pressed.headers["location"]
    assert step_at == f"/c/{token}/confirm?choice=keep&lang=ko"
    step = client.get(step_at)
    assert step.status_code == 200 and 'id="confirm-step" data-choice="keep"' in step.text
    assert 'name="sagwa-address"' not in step.text  # it stands at its own address
    # the language link keeps the step (it used to drop the customer back on the case page)
    english_at = _switch_lang(step.text)
    assert english_at == f"/c/{token}/confirm?choice=keep&lang=en"
    english = client.get(english_at).text
    assert 'id="confirm-step" data-choice="keep"' in english and "Yes, confirm" in english
    assert client.get(step_at).status_code == 200  # opened again: still nothing recorded
    done = client.post(f"/c/{token}/choose?lang=ko", data={
        "choice": "keep", "confirmed": "yes", "csrf_token": csrf_of(step.text)})
    # in the language asked for (a redirect before any page set the cookie dropped it)
    assert done.status_code == 303 and done.headers["location"] == f"/c/{token}?lang=ko"
    back = client.get(step_at)  # Back from the case page: the choice is made, the case page
    assert back.status_code == 303 and back.headers["location"] == f"/c/{token}?lang=ko"


def test_the_confirm_step_of_a_choice_not_offered_or_needing_none_is_no_step(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    token = world.tokens["김민준"]
    wrong = client.get(f"/c/{token}/confirm?choice=explode")
    assert wrong.status_code == 422 and "고를 수 있는 방법이 아닙니다" in wrong.text
    assert 'id="confirm-step"' not in wrong.text
    person = client.get(f"/c/{token}/confirm?choice=talk_to_person")  # recorded at once
    assert person.status_code == 303 and person.headers["location"] == f"/c/{token}"
    english = client.get(f"/c/{token}/confirm?choice=talk_to_person&lang=en")
    assert english.headers["location"] == f"/c/{token}?lang=en"  # the language kept
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.cases.get(world.cases["김민준"]).case.consent is None  # opening asks nothing


def _discount_case(world: World, session_factory: sessionmaker[Session],
                   page_settings: Settings, options: list[str]):  # type: ignore[no-untyped-def]
    points = {"cancel_compensation": Money(5_000, "KRW")} if DISCOUNT_OPTIONS[1] in options else {}
    return notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2), options=options,
                                  discount_pct=20, **points)


def test_the_discount_is_confirmed_saying_it_may_still_become_a_cancellation_until_paid(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """A plan that offers the cancellation: the confirm step and the confirmation email say
    that, until the difference is paid, the discount may still be replaced by cancelling with
    a full refund (the case page offers it) — not that the choice can never change — and the
    email says how to pay, as the desk policy words it for agents."""
    case = _discount_case(world, session_factory, page_settings, DISCOUNT_OPTIONS)
    page = client.get(f"/c/{case.token}?lang=en").text
    step = unescape(client.post(f"/c/{case.token}/choose?lang=en", data={
        "choice": DISCOUNT, "csrf_token": csrf_of(page)}, follow_redirects=True).text)
    assert 'data-cancel-instead-later="yes"' in step
    assert ("Once you confirm, the one change you can still make, until the difference is paid, "
            "is to cancel your order instead, here on your page, with what you paid refunded in "
            "full; otherwise the choice stands.") in step
    assert "the choice cannot be changed later" not in step
    assert f"How to pay it: {POLICY.how_to_pay_in('en')}" in step
    korean = client.get(f"/c/{case.token}/confirm?choice={DISCOUNT}&lang=ko").text
    assert "확정한 뒤에도 차액을 결제하시기 전까지는 고객님 화면에서 주문 취소" in korean
    assert "확정한 선택은 나중에 바꿀 수 없습니다" not in korean
    done = client.post(f"/c/{case.token}/choose?lang=en", data={
        "choice": DISCOUNT, "confirmed": "yes", "csrf_token": csrf_of(step)})
    assert done.status_code == 303
    with SqlAlchemyUnitOfWork(session_factory) as u:
        [body] = u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "confirmation")).scalars()
    assert "확정하신 선택은 고객님께서 직접" not in body  # 김민준 reads Korean
    assert "차액을 결제하시기 전까지는 주문 취소로 바꾸실 수 있습니다." in body
    assert "사과의 뜻으로 5,000포인트(5,000원 상당)도 드립니다" in body
    assert ("그 밖에는 확정하신 선택을 고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도 없는 점 "
            "양해 부탁드립니다.") in body
    assert f"차액 결제 방법: {POLICY.how_to_pay_in('ko')}" in body
    assert "고객센터로 문의해 주세요" not in body
    after = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert 'id="cancel-instead-button"' in after  # what both said is there


def test_a_discount_without_a_cancellation_to_replace_it_is_final_as_before(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discount_case(world, session_factory, page_settings, ["keep", DISCOUNT])
    step = client.get(f"/c/{case.token}/confirm?choice={DISCOUNT}&lang=en").text
    assert 'data-cancel-instead-later="no"' in step
    assert "Once you confirm, the choice cannot be changed later." in step
    keep = client.get(f"/c/{case.token}/confirm?choice=keep&lang=en").text  # final as ever
    assert 'data-cancel-instead-later="no"' in keep


def test_cancelling_instead_has_its_confirm_step_at_its_own_address(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))
    page = client.get(f"/c/{case.token}?lang=en").text
    pressed = client.post(f"/c/{case.token}/cancel-instead?lang=en",
                          data={"csrf_token": csrf_of(page)})
    assert pressed.status_code == 303
    step_at = pressed.headers["location"]
    assert step_at == f"/c/{case.token}/cancel-instead?lang=en"
    step = client.get(step_at).text
    assert 'id="confirm-instead"' in step
    assert _switch_lang(step) == f"/c/{case.token}/cancel-instead?lang=ko"
    assert 'id="confirm-instead"' in client.get(_switch_lang(step)).text
    done = client.post(step_at, data={"csrf_token": csrf_of(step), "confirmed": "yes"})
    assert done.status_code == 303
    back = client.get(step_at)  # Back from the case page: done, so the case page
    assert back.status_code == 303 and back.headers["location"] == f"/c/{case.token}?lang=en"


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_back_after_confirming_opens_the_case_page_not_a_form_to_send_again(
        browser, site) -> None:  # type: ignore[no-untyped-def]
    """In Chromium, Back from the page a confirmed choice lands on used to open the form's
    answer again ("Confirm Form Resubmission", ERR_CACHE_MISS): now it opens the confirm step's
    address, which — the choice being made — is the case page."""
    from browsing import shot

    token = site.world.tokens["김민준"]
    context = browser.new_context(base_url=site.base_url, locale="ko-KR")
    page = context.new_page()
    page.goto(f"/c/{token}")
    page.click("#choose-keep")
    page.locator("#confirm-step").wait_for()
    assert page.url.endswith(f"/c/{token}/confirm?choice=keep&lang=ko")
    page.click("#switch-lang")  # the language link keeps the step
    page.wait_for_url("**/confirm?choice=keep&lang=en")
    page.locator("#confirm-step").wait_for()
    page.click("#confirm-choice")
    page.locator("#confirmation").wait_for()
    page.go_back()
    page.locator("#case-outcome").wait_for()
    assert page.url.endswith(f"/c/{token}?lang=en")  # in the language the step was in
    shot(page, "customer-back-after-confirming")
    context.close()
