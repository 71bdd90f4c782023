"""A seller's listing page says when a promotion is running and when its price goes back — and,
before a new price is saved, that saving one cancels that return (the promotion-end job leaves a
price the seller changed alone: ``services.promotion_end``). Before the mend the page said
nothing: a seller changed the price of a listing at 50% off and the promotion's automatic end
never came, with no word of it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review
from sagwa.services.desk_messages import format_when
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _on_promotion(factory: sessionmaker[Session], listing_id: int, ends: datetime) -> None:
    """Half price on ``listing_id`` (199,000 -> 99,500) until ``ends``, live."""
    change = listings.propose_price_change(
        SqlAlchemyUnitOfWork(factory), listing_id=listing_id, new_price=Money(99_500, "KRW"),
        proposed_by="seller:seller_a", gate=guard_gate(load_rules()),
        promotion=Promotion(50, datetime.now(UTC) - timedelta(minutes=1), ends))
    if change.status is PriceChangeStatus.HELD:
        price_review.approve_price_change(SqlAlchemyUnitOfWork(factory), change_id=change.id,
                                          reviewer="reviewer:reviewer",
                                          reason="반값 행사로 확인했습니다")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def test_the_listing_says_the_promotion_runs_and_a_new_price_ends_its_return(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    ends = (datetime.now(UTC) + timedelta(hours=5)).replace(second=0, microsecond=0)
    _on_promotion(session_factory, world.ipod_a, ends)
    log_in(client, "seller_a")
    page = _flat(client.get(f"/seller/listings/{world.ipod_a}").text)
    running = page.split('id="promotion-running"')[1].split("</p>")[0]
    assert (f"50% 할인 행사 중 · {format_when(ends, 'ko')}(한국 시간)에 끝나면 199,000원으로 돌아갑니다"
            in running)
    warning = page.split('id="promotion-return-cancelled"')[1].split("</p>")[0]
    assert "새 가격을 저장하면 행사가 끝날 때 199,000원으로 자동으로 돌아가지 않습니다" in warning
    assert 'aria-describedby="new-price-hint promotion-return-cancelled verdict"' in page
    verdict = _flat(client.post(f"/seller/listings/{world.ipod_a}/check",
                                data={"csrf_token": csrf_of(page), "new_price": "145,000"},
                                headers={"HX-Request": "true"}).text)
    assert 'id="verdict-promotion-return"' in verdict
    assert "저장하면 진행 중인 50% 할인 행사의 자동 복귀(199,000원)가 취소됩니다" in verdict
    # a price the guard holds cancels nothing until approved (a seller walk read it would):
    # the return still happens, and the held change then lapses
    held = _flat(client.post(f"/seller/listings/{world.ipod_a}/check",
                             data={"csrf_token": csrf_of(page), "new_price": "9,950"},
                             headers={"HX-Request": "true"}).text)
    assert 'data-verdict="hold"' in held and 'data-after-saving="held"' in held
    assert ("이 변경은 보류되어 검토자가 승인할 때까지 적용되지 않습니다. 그 전에 진행 중인 50% 할인 "
            "행사가 끝나면 가격은 예정대로 199,000원으로 돌아가고, 이 변경은 더 이상 승인할 수 "
            "없습니다.") in held
    assert "자동 복귀(199,000원)가 취소됩니다" not in held
    english = _flat(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text)
    assert (f"50% promotion running · when it ends ({format_when(ends, 'en')}) the price goes "
            "back to 199,000 KRW") in english
    assert "Saving a new price cancels the automatic return to 199,000 KRW" in english


def test_no_promotion_no_word_of_one(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    assert 'id="promotion-running"' not in page and 'id="promotion-return-cancelled"' not in page
