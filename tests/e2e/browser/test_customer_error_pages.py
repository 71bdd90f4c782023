"""A customer's refusals (``/c/...``) are their own page: in the language their case page was
in (or their case's), with the desk's phone, email and hours and the way back to their case —
never the staff pages' Korean "go back · home". And once they have chosen, nothing promises
that someone can change the choice: the rule is that nobody can."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.case_links import case_token

pytestmark = pytest.mark.e2e
STAFF_ERROR = ("열 수 없는 페이지입니다", "뒤로 가기", "처음으로", "Go back")


def _reaches_a_person(html: str, lang: str) -> None:
    assert POLICY.contact.phone in html and POLICY.contact.email in html
    assert (POLICY.contact.hours_ko if lang == "ko" else POLICY.contact.hours_en) in html
    for staff in STAFF_ERROR:
        assert staff not in html


def test_an_english_customers_stale_form_is_refused_in_english_with_the_desks_contact(
        client: TestClient, world: World) -> None:
    token = world.tokens["Alex Kim"]
    page = client.get(f"/c/{token}").text  # English: the customer's own language
    assert 'lang="en"' in page
    assert csrf_of(page)  # a form token that is not this link's (the link's needs no cookie)
    answer = client.post(f"/c/{token}/choose", data={"choice": "keep",
                                                      "csrf_token": "from-another-page"})
    assert answer.status_code == 403
    assert 'lang="en"' in answer.text and "This page had expired" in answer.text
    assert "nothing has changed" in answer.text
    assert f'href="/c/{token}?lang=en" id="back-to-case"' in answer.text
    # the answer stands at the case page's address: a reload opens the page, posts nothing
    assert f'<meta name="sagwa-address" content="/c/{token}">' in answer.text
    # any form's: the words say "what you sent", not "your choice"
    assert "we did not take what you sent" in answer.text
    _reaches_a_person(answer.text, "en")


def test_the_page_language_the_customer_used_wins_over_the_cases(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]  # a Korean customer reading the page in English
    page = client.get(f"/c/{token}?lang=en").text
    assert f'action="/c/{token}/choose?lang=en"' in page
    client.cookies.clear()
    answer = client.post(f"/c/{token}/choose?lang=en", data={"choice": "keep",
                                                              "csrf_token": "stale"})
    assert answer.status_code == 403 and "This page had expired" in answer.text
    _reaches_a_person(answer.text, "en")
    client.cookies.clear()  # nor the language cookie that English answer set: the case's own
    korean = client.post(f"/c/{token}/choose", data={"choice": "keep", "csrf_token": "stale"})
    assert korean.status_code == 403 and "화면이 오래되어" in korean.text
    _reaches_a_person(korean.text, "ko")


def test_an_expired_link_is_refused_in_the_cases_language(
        client: TestClient, world: World, page_settings: Settings) -> None:
    expired = case_token(page_settings.secret_key, case_id=world.cases["Alex Kim"],
                         customer_id=world.customers["Alex Kim"],
                         expires_at=datetime.now(UTC) - timedelta(minutes=1))
    answer = client.get(f"/c/{expired}")
    assert answer.status_code == 403 and 'id="link-refused"' in answer.text
    assert "This link has expired" in answer.text and 'id="back-to-case"' not in answer.text
    _reaches_a_person(answer.text, "en")


def test_a_form_sent_wrong_and_an_address_that_is_no_page_still_show_the_desk(
        client: TestClient, world: World) -> None:
    token = world.tokens["Alex Kim"]
    page = client.get(f"/c/{token}").text
    too_long = client.post(f"/c/{token}/choose", data={"choice": "k" * 61,
                                                        "csrf_token": csrf_of(page)})
    assert too_long.status_code == 422 and 'lang="en"' in too_long.text
    _reaches_a_person(too_long.text, "en")
    nowhere = client.get(f"/c/{token}/somewhere")
    assert nowhere.status_code == 404 and "There is no page at this address" in nowhere.text
    _reaches_a_person(nowhere.text, "en")
    reopened = client.get(f"/c/{token}/choose")  # the confirm step's address opened again
    assert reopened.status_code == 303 and reopened.headers["location"] == f"/c/{token}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_second_choice_tells_the_customer_nobody_can_change_it(
        client: TestClient, world: World, lang: str) -> None:
    token = world.tokens["김민준"]
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=world.cases["김민준"],  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    assert 'id="choose-' not in client.get(f"/c/{token}?lang={lang}").text
    stale = csrf_of(client.get("/login").text)  # the page has no form left: an old tab's
    again = client.post(f"/c/{token}/choose?lang={lang}", data={
        "choice": "cancel_with_compensation", "confirmed": "yes", "csrf_token": stale})
    assert again.status_code == 409
    for promise in ("바꾸려면 상담원과 통화해 주세요", "to change it, please talk to a person",
                    "상담원이 직접 확인해 드립니다"):
        assert promise not in again.text
    # true of every choice: an unpaid discount may still be cancelled instead (the page says
    # so), so the refusal no longer says "carried out" and "cannot be undone" (a walkthrough)
    said = ("다른 방법을 새로 고르실 수 없습니다" if lang == "ko"
            else "so another one cannot be made")
    assert said in again.text
    _reaches_a_person(again.text, lang)
