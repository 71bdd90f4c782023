"""The incident pages name a listing as staff know it — the product's title, the seller, its
status now — not by number alone; a draft's declare form offers the price before the change
that set the wrong one as the correct price (editable); and dismissing a draft vouches for the
listing's price on the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from test_incident_page_actions import _draft, _post
from test_pages_access import log_in
from world import World

from sagwa.domain.money import Money
from sagwa.services import desk, listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def test_the_list_and_the_page_name_the_listing_by_product_seller_and_status(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    listed = client.get("/ops/incidents").text
    assert "블루투스 스피커 미니</strong> · 하늘디지털" in listed
    assert "애플 맥북 13인치</strong> · 바다전자" in listed  # the world's declared incident
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert f'data-listing="{world.speaker_a}"' in page
    assert "블루투스 스피커 미니</strong> · 하늘디지털" in page
    assert f"상품 {world.speaker_a} · <span data-listing-status=\"paused\">판매 중지" in page
    english = client.get(f"/ops/incidents/{draft_id}?lang=en").text
    assert "Bluetooth speaker mini</strong> · 하늘디지털" in english


def test_a_drafts_correct_price_is_the_price_before_the_change_from_its_evidence(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    uow = SqlAlchemyUnitOfWork(session_factory)
    with uow:
        listing = uow.market.listing(world.speaker_a, for_update=True)
        draft_id = desk.open_draft_incident(
            uow, listing=listing, window_start=datetime.now(UTC) - timedelta(hours=1),
            cause="주문 급증", actor="system:tripwire",
            evidence={"observed": 5, "price_before": {"amount_minor": 89_000, "currency": "KRW"}})
        uow.commit()
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert 'name="correct_price" type="text" inputmode="numeric" maxlength="200" required ' \
           'value="89000"' in page


def test_without_evidence_the_correct_price_comes_from_the_price_history(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory), listing_id=world.ipod_a,
                                  new_price=Money(19_900, "KRW"), proposed_by="seller:haneul")
    draft_id = _draft(session_factory, world.ipod_a)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert 'id="draft-wrong_price" name="wrong_price"' in page and 'value="19900"' in page
    assert 'required value="199000"' in page
    # a first price has no price before it: the field is left for the operator
    first = client.get(f"/ops/incidents/{_draft(session_factory, world.speaker_a)}").text
    assert 'name="correct_price" type="text" inputmode="numeric" maxlength="200" required ' \
           'value=""' in first


def test_dismissing_a_draft_vouches_for_the_listings_price_on_the_audit_log(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    answer = _post(client, f"/ops/incidents/{draft_id}/dismiss", {"reason": "정상 할인 행사"})
    assert answer.status_code == 303, answer.text
    with SqlAlchemyUnitOfWork(session_factory) as u:
        vouched = u.audit.for_entity("listing", str(world.speaker_a))[-1].event
    assert vouched.action == "listing.vouched"
    assert vouched.after == {"price": {"amount_minor": 8_900, "currency": "KRW"},
                             "incident_id": draft_id, "reason": "정상 할인 행사"}
    assert "가격이 바뀌기 전까지는 주문이 몰려도" in client.get(f"/ops/incidents/{draft_id}").text
