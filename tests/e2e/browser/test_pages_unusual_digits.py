"""The seller's price form with a circled or superscript digit: the form comes back with the
field's message (422), not a server error, and the price is unchanged (TestClient)."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("typed", ["①", "1990²"])
def test_a_price_with_an_unusual_digit_is_refused_on_the_form(
    client: TestClient, world: World, typed: str
) -> None:
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}"
    token = csrf_of(client.get(page).text)
    answer = client.post(f"{page}/price", data={"new_price": typed, "csrf_token": token})
    assert answer.status_code == 422, answer.text[:500]
    assert "19,900처럼 원 단위 숫자로 입력해 주세요" in answer.text
    assert "199,000" in client.get(page).text


def test_a_full_width_price_is_checked_like_an_ascii_one(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    answer = client.post(f"/seller/listings/{world.ipod_a}/check",
                         data={"new_price": "１９，９００"},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert answer.status_code == 200
    assert 'data-verdict="hold"' in answer.text


@pytest.mark.parametrize(("typed", "ko", "en"), [
    ("185.000", "185,000원이라면 185000 또는 185,000처럼", "for 185,000 won, write 185000 or 185,000"),
    ("185 000", "185,000원이라면 185000 또는 185,000처럼 빈칸 없이", "write 185000 or 185,000"),
    ("$149", "'$' 없이 원으로 바꾼 금액을", "not in another currency"),
    ("18.5만", "185,000원이라면 185000, 185,000 또는 18만 5천처럼", "write 185000 or 185,000"),
])
def test_the_price_check_says_how_to_write_a_dot_a_space_a_dollar_or_a_decimal_unit(
        client: TestClient, world: World, typed: str, ko: str, en: str) -> None:
    """A tester's four prices all got "19,900처럼 원 단위 숫자로 입력해 주세요"."""
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    for lang, said in (("ko", ko), ("en", en)):
        answer = client.post(f"/seller/listings/{world.ipod_a}/check?lang={lang}",
                             data={"new_price": typed},
                             headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert answer.status_code == 200
        assert said in html.unescape(answer.text), answer.text
        assert "19,900처럼 원 단위 숫자로 입력해 주세요" not in answer.text
