"""One order of 100 units at a tenth of the price trips the tripwire's ``bulk`` rule (a tester's
listing 437). The seller's page, the draft incident and its timeline said a surge of orders
had paused it ("orders came in far faster than usual", "Opened when a surge of orders paused
the listing", "1 orders observed"); they say what happened: one order far larger than usual."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.services import desk, tripwire
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

BULK = {"observed": 1, "units": 100, "tripped_by": ["bulk"],
        "reason_en": "1 order from 1 customer in 3 seconds since the price change; …",
        "reason_ko": "가격 변경 후 3초 동안 고객 1명이 1건을 주문했습니다; …"}


def _tripped(session_factory: sessionmaker[Session], listing_id: int) -> int:
    """What the tripwire leaves for one large order: the pause and a draft incident."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        listing = u.market.listing(listing_id, for_update=True)
        assert listing is not None
        tripwire._pause(u, listing, u.now(), BULK)
        draft_id = desk.open_draft_incident(u, listing=listing, window_start=u.now(),
                                            cause="bulk", evidence=BULK,
                                            actor="system:tripwire")
        u.commit()
    return draft_id


def _text(client: TestClient, path: str) -> str:
    return " ".join(html.unescape(client.get(path).text).split())


def test_the_sellers_page_says_one_large_order_paused_it_not_a_surge(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    _tripped(session_factory, world.speaker_a)
    log_in(client, "seller_a")
    en = _text(client, f"/seller/listings/{world.speaker_a}?lang=en")
    assert ("sagwa paused the sale automatically: one order far larger than usual came in at a "
            "price far below its references") in en
    assert "far faster than usual" not in en
    ko = _text(client, f"/seller/listings/{world.speaker_a}?lang=ko")
    assert ("기준 가격보다 크게 낮은 가격에 평소보다 훨씬 많은 수량이 한 번에 주문되어 "
            "자동으로 판매를 멈췄습니다") in ko
    assert "크게 몰려" not in ko


def test_the_draft_and_its_timeline_say_one_large_order_not_a_surge(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    draft_id = _tripped(session_factory, world.speaker_a)
    log_in(client, "admin")
    en = _text(client, f"/ops/incidents/{draft_id}?lang=en")
    assert ("Opened when the tripwire paused the listing: one order far larger than usual came "
            "in at a price far below its references.") in en
    assert "surge" not in en
    ko = _text(client, f"/ops/incidents/{draft_id}?lang=ko")
    assert "한 번에 주문되어 자동 감시가 상품 판매를 멈추고 연 초안입니다" in ko
    timeline = _text(client, f"/ops/incidents/{draft_id}/timeline?lang=en")
    assert "paused automatically: an order far larger than usual" in timeline
    assert "1 order observed" in timeline and "1 orders" not in timeline
    timeline = _text(client, f"/ops/incidents/{draft_id}/timeline?lang=ko")
    assert "평소보다 훨씬 큰 주문 한 건으로 자동 판매 중지" in timeline
    assert "주문 급증으로" not in timeline


def test_the_korean_pause_says_when_in_the_pages_date_style_without_nested_brackets(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A reviewer read "…멈췄습니다(2026-12-06 11:49). 가격 변경(… 12월 6일(일) 오전 11시 47분(한국
    시간)) 후 …": two date styles in one paragraph. The pause's time is said as the reason says
    its own, before the sentence."""
    _tripped(session_factory, world.speaker_a)
    log_in(client, "seller_a")
    ko = _text(client, f"/seller/listings/{world.speaker_a}?lang=ko")
    said = re.search(r"\d+월 \d+일\(.\) [^()]*?\d+시[^()]*\(한국 시간\)에 기준 가격보다", ko)
    assert said, ko
    assert not re.search(r"멈췄습니다\s*\(\d{4}-\d\d-\d\d", ko)


def test_the_english_pause_reason_reads_as_a_sentence(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """The stored reason is a clause (tools read it as it is); the page ends it with a full
    stop, as it does the guard's (a walkthrough found "… (chance less than 1 in a billion)")."""
    clause = {**BULK, "reason_en": ("1 order from 1 customer in 3 seconds since the price "
                                    "change; 100 units (chance less than 1 in a billion)")}
    with SqlAlchemyUnitOfWork(session_factory) as u:
        listing = u.market.listing(world.speaker_a, for_update=True)
        assert listing is not None
        tripwire._pause(u, listing, u.now(), clause)
        u.commit()
    log_in(client, "seller_a")
    page = html.unescape(client.get(f"/seller/listings/{world.speaker_a}?lang=en").text)
    reason = re.search(r'id="pause-reason">.*?<span class="small"[^>]*>(.*?)</span>', page,
                       re.DOTALL)
    assert reason, page
    said = " ".join(reason.group(1).split())
    assert said.endswith("(chance less than 1 in a billion)."), said
