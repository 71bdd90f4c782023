"""An expired link (its signature still good) of a customer who already chose shows that choice,
read-only: what they chose, when, what happens next and the desk — never "contact us to make
your choice". A customer who never chose is still asked to contact us to choose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.case_links import case_token

pytestmark = pytest.mark.e2e


def _expired(settings: Settings, world: World, name: str) -> str:
    return case_token(settings.secret_key, case_id=world.cases[name],
                      customer_id=world.customers[name],
                      expires_at=datetime.now(UTC) - timedelta(minutes=1))


@pytest.mark.parametrize(("name", "lang"), [("김민준", "ko"), ("Alex Kim", "en")])
def test_an_expired_link_of_a_customer_who_chose_shows_the_choice_read_only(
        client: TestClient, world: World, page_settings: Settings, name: str, lang: str) -> None:
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=world.cases[name],  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    answer = client.get(f"/c/{_expired(page_settings, world, name)}")
    assert answer.status_code == 403 and 'id="recorded-choice"' in answer.text
    if lang == "ko":
        assert "고객님의 선택" in answer.text and "주문 유지" in answer.text
        assert "원하시는 방법을 알려 주세요" not in answer.text
        assert "보내 드립니다" in answer.text  # what happens next
    else:
        assert "Your choice" in answer.text and "please contact us to make your choice" \
            not in answer.text
        assert "at the price you paid" in answer.text
    assert 'id="choose-' not in answer.text and "<form" not in answer.text.split(
        'id="recorded-choice"')[1].split("</section>")[0]
    assert POLICY.contact.phone in answer.text


def test_an_expired_link_of_a_customer_who_never_chose_asks_them_to_contact_us(
        client: TestClient, world: World, page_settings: Settings) -> None:
    answer = client.get(f"/c/{_expired(page_settings, world, 'Alex Kim')}")
    assert answer.status_code == 403 and 'id="recorded-choice"' not in answer.text
    assert "please contact us to make your choice" in answer.text
