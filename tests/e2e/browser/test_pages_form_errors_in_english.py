"""A value a form cannot read is answered in the page's language: in English too (it was a
server error there), on the full form and on the seller's live check (TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

from sagwa.web.pages.error_texts import FormProblem, error_text

pytestmark = pytest.mark.e2e


def test_a_form_problem_is_said_in_either_language() -> None:
    problem = FormProblem("새 가격: 숫자로 입력해 주세요.", "New price: enter a number.",
                          field="new_price")
    assert error_text(problem, "ko") == "새 가격: 숫자로 입력해 주세요."
    assert error_text(problem, "en") == "New price: enter a number."


@pytest.mark.parametrize("typed", ["18400O", "", "19900.5"])
def test_an_unreadable_price_on_the_english_page_is_a_sentence_not_a_server_error(
        client: TestClient, world: World, typed: str) -> None:
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}?lang=en"
    token = csrf_of(client.get(page).text)
    saved = client.post(f"/seller/listings/{world.ipod_a}/price?lang=en",
                        data={"new_price": typed, "csrf_token": token})
    assert saved.status_code == 422, saved.text[:300]
    assert "as a whole number of won, like 19,900" in saved.text
    checked = client.post(f"/seller/listings/{world.ipod_a}/check?lang=en",
                          data={"new_price": typed},
                          headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert checked.status_code in (200, 422), checked.text[:300]
    expected = ("Type a new price to see the price guard&#39;s verdict here." if not typed
                else "as a whole number of won, like 19,900")  # the earlier verdict is replaced
    assert expected in checked.text
