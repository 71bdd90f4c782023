"""A promotion declared on top of one still running does not cancel the first one's return:
the promotion-end job undoes them in order (``services.promotion_end``), and the seller's
listing page says so. Before the mend, once the inner promotion had ended the page forgot the
outer one (still running, still to put 199,000 back: no word of it, nor that a new price would
cancel that return); while both ran it named the wrong price to come back when the inner one
outlasted the outer; and the live check said a new promotion with an end "cancels" the running
one's return and that the new price "stays", both untrue. Typing the very price the promotion
goes back to was said to cancel its return too, where saving it ends the promotion now."""

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
from sagwa.domain.pricing import Promotion
from sagwa.domain.time_words import format_when
from sagwa.services import listings
from sagwa.services.promotion_end import PromotionEnd, end_promotion
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _promote(factory: sessionmaker[Session], clock: ManualClock, listing_id: int, price: int,
             pct: float, ends: datetime) -> int:
    """``price`` with ``pct`` declared, from a minute ago until ``ends``, live (no gate)."""
    return listings.propose_price_change(
        SqlAlchemyUnitOfWork(factory, clock), listing_id=listing_id,
        new_price=Money(price, "KRW"), proposed_by="seller:haneul",
        promotion=Promotion(pct, clock.now - timedelta(minutes=1), ends)).id


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def _running(page: str) -> str:
    assert 'id="promotion-running"' in page, "the page says no promotion is running"
    return page.split('id="promotion-running"')[1].split("</p>")[0]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_the_outer_promotion_is_still_said_once_the_inner_one_ended(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(_now() - timedelta(hours=3))
    outer_ends = _now() + timedelta(hours=5)
    _promote(session_factory, clock, world.ipod_a, 179_100, 10, outer_ends)  # 199,000 less 10%
    clock.advance(timedelta(minutes=1))
    inner = _promote(session_factory, clock, world.ipod_a, 161_190, 10,  # 179,100 less 10%
                     clock.now + timedelta(hours=1))
    clock.advance(timedelta(hours=1, minutes=1))
    assert end_promotion(SqlAlchemyUnitOfWork(session_factory, clock),
                         price_change_id=inner) is PromotionEnd.RESTORED
    log_in(client, "seller_a")
    page = _flat(client.get(f"/seller/listings/{world.ipod_a}?lang=ko").text)
    assert 'id="live-price">179,100원' in page
    assert (f"10% 할인 행사 중 · {format_when(outer_ends, 'ko')}(한국 시간)에 끝나면 199,000원으로 돌아갑니다"
            in _running(page))
    assert "새 가격을 저장하면 행사가 끝날 때 199,000원으로 자동으로 돌아가지 않습니다" in page
    assert "끝나는 시각을 정한 할인 행사를 함께 선언하면 이 복귀는 취소되지 않고" in page


def test_the_inner_promotion_outlasting_the_outer_goes_back_to_the_price_before_both(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(_now() - timedelta(minutes=10))
    outer = _promote(session_factory, clock, world.ipod_a, 179_100, 10, _now() + timedelta(hours=1))
    inner_ends = _now() + timedelta(hours=5)
    inner = _promote(session_factory, clock, world.ipod_a, 161_190, 10, inner_ends)
    log_in(client, "seller_a")
    page = _flat(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text)
    assert (f"10% promotion running · when it ends ({format_when(inner_ends, 'en')}) the price "
            "goes back to 199,000 KRW") in _running(page)
    # what the page said is what the job does: the outer one's end leaves the inner price, the
    # inner one's end puts back the price before both
    later = ManualClock(inner_ends + timedelta(minutes=1))
    assert end_promotion(SqlAlchemyUnitOfWork(session_factory, later),
                         price_change_id=outer) is PromotionEnd.PRICE_MOVED
    assert end_promotion(SqlAlchemyUnitOfWork(session_factory, later),
                         price_change_id=inner) is PromotionEnd.RESTORED
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        listing = uow.market.listing(world.ipod_a)
        assert listing is not None and listing.price == Money(199_000, "KRW")


def _local(moment: datetime) -> str:
    """As ``<input type=datetime-local>`` sends it, in Korea time."""
    return (moment + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")


def test_the_check_says_what_a_new_price_does_to_a_running_promotion(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    ends = _now() + timedelta(days=2)
    _promote(session_factory, ManualClock(_now()), world.ipod_a, 179_100, 10, ends)
    log_in(client, "seller_a")
    url = f"/seller/listings/{world.ipod_a}"
    token = csrf_of(client.get(url).text)

    def check(lang: str, **typed: str) -> str:
        answer = client.post(f"{url}/check?lang={lang}", headers={"HX-Request": "true"},
                             data={"csrf_token": token, **typed})
        assert answer.status_code == 200, answer.text
        return _flat(answer.text)

    # a promotion with an end, on top: the running one's return stays, in order
    stacked = {"new_price": "161,190", "promotion_pct": "10",
               "promotion_ends": _local(_now() + timedelta(hours=3))}
    said = check("ko", **stacked)
    assert "자동 복귀(199,000원)가 취소됩니다" not in said and "새 가격이 그대로 남습니다" not in said
    assert ("새 할인 행사가 끝나면 지금 가격 179,100원으로 돌아가고, 진행 중인 10% 할인 행사가 끝나면 "
            "199,000원으로 돌아갑니다") in said
    assert ("When the new promotion ends the price goes back to 179,100 KRW, and when the "
            "running 10% promotion ends, to 199,000 KRW") in check("en", **stacked)
    # outlasting the running one: the price before both comes back at its end
    longer = {**stacked, "promotion_ends": _local(ends + timedelta(days=1))}
    assert ("새 할인 행사가 끝날 때는 진행 중인 10% 할인 행사도 끝난 뒤라, 두 행사 전 가격 199,000원으로 "
            "돌아갑니다") in check("ko", **longer)
    # the price before the promotion, typed again: saving ends the promotion now
    back = check("ko", new_price="199,000")
    assert "자동 복귀(199,000원)가 취소됩니다" not in back
    assert "저장하면 진행 중인 10% 할인 행사를 지금 끝내고 행사 전 가격 199,000원으로 돌아갑니다" in back
    assert ("Saving ends the running 10% promotion now: the price goes back to 199,000 KRW, "
            "the price before it") in check("en", new_price="199,000")
    # any other price without a promotion still cancels the return, as before
    assert "저장하면 진행 중인 10% 할인 행사의 자동 복귀(199,000원)가 취소됩니다" in check(
        "ko", new_price="185,000")
