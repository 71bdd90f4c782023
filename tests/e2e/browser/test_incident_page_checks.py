"""The incident pages refuse what the services refuse, in the page's language: a declaration
over a listing that never had the wrong price (nothing paused), and a notice title over the one
limit the page's field, the CLI and the API share."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

from sagwa.domain.listings import ListingStatus
from sagwa.services.notices import TITLE_MAX_CHARS
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e


def _status(session_factory, listing_id: int) -> ListingStatus:  # type: ignore[no-untyped-def]
    with SqlAlchemyUnitOfWork(session_factory) as u:
        return u.market.listing(listing_id).status


def _incident_count(session_factory) -> int:  # type: ignore[no-untyped-def]
    with SqlAlchemyUnitOfWork(session_factory) as u:
        return len(u.incidents.list())


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "가격이 100원인 적이 없습니다(그동안의 가격: {id}번 8,900원)"),
    ("en", "never had the price 100 KRW from"),
])
def test_declaring_a_listing_at_another_price_is_refused_and_pauses_nothing(
        client: TestClient, world: World, session_factory, lang: str,  # type: ignore[no-untyped-def]
        said: str) -> None:
    log_in(client, "admin")
    before = _incident_count(session_factory)
    token = csrf_of(client.get("/ops/incidents").text)
    start = local_input(datetime.now(UTC) - timedelta(hours=1))
    answer = client.post(f"/ops/incidents?lang={lang}", data={
        "listing_ids": str(world.speaker_a), "wrong_price": "100", "correct_price": "200",
        "window_start": start, "cause": "가격 입력 실수", "responsible": "seller",
        "csrf_token": token})
    assert answer.status_code == 422, answer.text
    assert said.format(id=world.speaker_a) in answer.text
    assert re.search(r'id="wrong_price"[^>]*aria-invalid="true"', answer.text)
    assert _status(session_factory, world.speaker_a) is ListingStatus.LIVE
    assert _incident_count(session_factory) == before


def test_the_notice_title_field_has_the_services_limit(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor").text
    assert f'id="notice-title" name="title" type="text" maxlength="{TITLE_MAX_CHARS}"' in editor


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "공지 제목이 400자로 너무 깁니다. 제목은 300자까지"),
    ("en", "The notice title is 400 characters long; a title takes at most 300"),
])
def test_a_notice_title_over_the_limit_is_refused_in_the_pages_language(
        client: TestClient, world: World, session_factory, lang: str,  # type: ignore[no-untyped-def]
        said: str) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice?lang={lang}", data={
        "title": "가" * 400, "body": "죄송합니다.", "lang": "ko", "csrf_token": token})
    assert answer.status_code == 422, answer.text
    assert said in answer.text
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.cases.notices(world.incident) == []
