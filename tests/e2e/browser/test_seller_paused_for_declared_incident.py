"""A listing the order tripwire paused, then named in a declared pricing incident, is listed as
paused for that incident (with its number), not still as "주문 급증으로 자동 판매 중지": the
seller's list kept the tripwire's words after the operator had declared the incident."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.domain.particles import with_particle
from sagwa.services import desk, tripwire
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _row(page: str, listing_id: int) -> str:
    return page.split(f'<a href="/seller/listings/{listing_id}">')[1].split("</tr>")[0]


def test_a_tripwire_pause_reads_as_the_incident_once_it_is_declared(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        listing = u.market.listing(world.speaker_a)
        assert listing is not None
        tripwire._pause(u, listing, u.now(), {"reason_en": "orders surged",
                                              "reason_ko": "주문이 몰렸습니다"})
        u.commit()
    log_in(client, "seller_a")
    before = html.unescape(_row(client.get("/seller").text, world.speaker_a))
    assert "주문 급증으로 자동 판매 중지" in before
    row = desk.declare(SqlAlchemyUnitOfWork(session_factory), listing_ids=[world.speaker_a],
                       wrong_price=Money(8_900, "KRW"), correct_price=Money(89_000, "KRW"),
                       window_start=datetime.now(UTC) - timedelta(hours=2),
                       cause="스피커 가격 89,000원을 8,900원으로 잘못 입력", responsible="seller",
                       actor="admin:test")
    incident = int(row.incident.incident_id)
    after = html.unescape(_row(client.get("/seller").text, world.speaker_a))
    assert with_particle(f"가격 오류 사고 #{incident}", "(으)로") + " 판매 중지" in after
    assert "주문 급증" not in after and 'data-mark="paused_for_incident"' in after
    assert f'href="/seller/incidents/{incident}"' in after
    english = html.unescape(_row(client.get("/seller?lang=en").text, world.speaker_a))
    assert f"paused for pricing incident #{incident}" in english
