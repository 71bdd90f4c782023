"""The pages' edge: repeated wrong passwords lock ``/login`` for a while (per name and per
address, saying nothing about which names exist), a form body over the cap is an error page,
and a customer's signed link works without cookies."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of
from world import PASSWORD, World

from sagwa.web.pages.i18n import COOKIE

pytestmark = pytest.mark.e2e
TOO_MANY_KO = "로그인 시도가 너무 많습니다. 1분 뒤에 다시 시도해 주세요."


def sign_in(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token})
    return answer.status_code


@pytest.mark.parametrize("username", ["admin", "no-such-person"])
def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(
        client: TestClient, world: World, username: str) -> None:
    """A QA finding: 30 wrong passwords in a row were all 401, then the right one signed in.
    A name no account has is locked the same way: the refusal says nothing of who exists."""
    assert [sign_in(client, username, "wrong-guess") for _ in range(5)] == [401] * 5
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": f" {username.upper()} ",
                                         "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 429 and answer.headers["retry-after"] == "60"
    assert TOO_MANY_KO in answer.text
    client.cookies.set(COOKIE, "en")
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token})
    assert "Too many sign-in attempts. Try again in 1 minute." in answer.text
    assert sign_in(client, "reviewer", PASSWORD) == 303  # another name is not locked


def test_signing_in_clears_the_names_failures(client: TestClient, world: World) -> None:
    assert [sign_in(client, "admin", "wrong-guess") for _ in range(4)] == [401] * 4
    assert sign_in(client, "admin", PASSWORD) == 303
    client.cookies.clear()  # signed out
    assert [sign_in(client, "admin", "wrong-guess") for _ in range(4)] == [401] * 4  # afresh


def test_many_names_tried_from_one_address_lock_the_address(client: TestClient,
                                                           world: World) -> None:
    assert {sign_in(client, f"guess-{n}", "wrong-guess") for n in range(20)} == {401}
    assert sign_in(client, "reviewer", PASSWORD) == 429


def test_a_form_over_the_body_cap_is_an_error_page(client: TestClient, world: World) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "admin", "password": "x" * 2_000_000,
                                         "csrf_token": token})
    assert answer.status_code == 413
    assert "보낸 내용이 너무 커서 받을 수 없습니다" in answer.text and "<html" in answer.text


def without_cookies(client: TestClient) -> None:
    """An in-app browser that keeps no cookies: each request arrives without any."""
    client.cookies.clear()


def test_a_customer_without_cookies_can_choose_through_the_confirm_step(
        client: TestClient, world: World) -> None:
    """A QA finding: the CSRF token was tied to the session cookie, so a customer whose
    browser keeps no cookies got 403 on ``/c/<token>/choose``."""
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    without_cookies(client)
    pressed = client.post(f"/c/{token}/choose", data={"choice": "keep",
                                                      "csrf_token": csrf_of(page)})
    assert pressed.status_code == 303, pressed.text
    step = client.get(pressed.headers["location"])
    without_cookies(client)
    done = client.post(f"/c/{token}/choose?lang=ko", data={
        "choice": "keep", "confirmed": "yes", "csrf_token": csrf_of(step.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/c/{token}?lang=ko"


def test_a_customer_links_token_opens_no_other_link_and_no_staff_page(
        client: TestClient, world: World) -> None:
    mine, other = world.tokens["김민준"], next(t for n, t in world.tokens.items() if n != "김민준")
    from_link = csrf_of(client.get(f"/c/{mine}").text)
    without_cookies(client)
    assert client.post(f"/c/{other}/choose", data={"choice": "keep",
                                                   "csrf_token": from_link}).status_code == 403
    assert client.post(f"/c/{mine}/choose", data={"choice": "keep"}).status_code == 403
    assert client.post("/login", data={"username": "admin", "password": PASSWORD,
                                       "csrf_token": from_link}).status_code == 403
