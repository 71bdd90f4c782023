"""Every time on the seller's pages says it is Korea time, in Korean too (TestClient). A page walk
found Korean times with no zone beside others that said "한국 시간": when a pending change was
proposed, when a reviewer sent a listing back, when the sale was paused, when a reviewer decided
a change, when an order was placed, when a running promotion ends. Korean writes the zone as
"(한국 시간)", or ", 한국 시간" inside a parenthesis of its own (no nested brackets); English as
"KST" or "Korea time". A sentence that already says the zone once (a promotion's window) does
not say it twice. A time in a phone's card (``table.stack``) may wrap before its zone."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.price_review import guard_gate
from sagwa.services.promotion_end import PromotionEnd, end_promotion
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())
KRW = "KRW"

_ISO = r"\d{4}-\d\d-\d\d \d\d:\d\d"  # the `seoul` filter
#: the `when_in` filter: 6월 16일(월) 오후 6시 30분 / Monday, June 16 at 6:30 pm
_KO_WHEN = r"\d{1,2}월 \d{1,2}일(?:\([월화수목금토일]\))?(?: (?:(?:오전|오후|낮|밤|새벽) )?\d{1,2}시(?: \d{1,2}분)?)?"
_EN_WHEN = (r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, )?(?:January|February|March|April|"
            r"May|June|July|August|September|October|November|December) \d{1,2}"
            r"(?: at \d{1,2}(?::\d\d)? [ap]m)?")
TIMES = {"ko": re.compile(f"{_ISO}|{_KO_WHEN}"), "en": re.compile(f"{_ISO}|{_EN_WHEN}")}
ZONES = {"ko": re.compile("한국 시간"), "en": re.compile("KST|Korea time")}
#: where a clause ends: a line (a cell, a paragraph), " · ", a sentence's full stop
_CLAUSE_END = re.compile(r"\n| · |\. |\.$|。")
_BLOCKS = re.compile(r"<(?:/?(?:p|div|td|th|tr|li|ul|ol|table|h\d|section|details|summary|label|"
                     r"form|header|nav|footer|main|title|button|dl|dt|dd)|br)\b[^>]*>", re.IGNORECASE)


def _lines(page: str) -> str:
    """The page's words, one line per block (cell, paragraph); the quoted customer emails left
    out (their words are the customers' messages, not this page's)."""
    page = re.sub(r"<(script|style|blockquote)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"\s+", " ", page)
    page = re.sub(r"<[^>]+>", "", _BLOCKS.sub("\n", page))
    return html.unescape(page)


def unzoned_times(page: str, lang: str) -> list[str]:
    """Each time on ``page`` whose clause does not say its zone, or says it twice (up to the next
    time: "A부터 B까지, 한국 시간" says it once for both), with what follows it."""
    text, times, zone = _lines(page), TIMES[lang], ZONES[lang]
    wrong = []
    for found in times.finditer(text):
        rest = text[found.end():]
        clause = rest[:_CLAUSE_END.search(rest + "\n").start()]  # type: ignore[union-attr]
        following = times.search(clause)
        own = clause[:following.start()] if following else clause
        if not zone.search(clause[:45]) or len(zone.findall(own)) > 1:
            wrong.append(found.group(0) + clause[:45])
    return wrong


def count_times(page: str, lang: str) -> int:
    return len(TIMES[lang].findall(_lines(page)))


def _uow(factory: sessionmaker[Session], clock: ManualClock | None = None) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(factory, clock) if clock else SqlAlchemyUnitOfWork(factory)


def _promotions_on_ipod_a(factory: sessionmaker[Session], world: World) -> None:
    """A 10% promotion that ended two hours ago (its automatic return in the history), a 50% one
    running for five more hours, and a price change waiting for review on top."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    clock = ManualClock(start)
    ended = listings.propose_price_change(
        _uow(factory, clock), listing_id=world.ipod_a, new_price=Money(179_100, KRW),
        proposed_by="seller:seller_a",
        promotion=Promotion(10, start - timedelta(minutes=5), start + timedelta(hours=1)))
    clock.advance(timedelta(hours=1, minutes=1))
    assert end_promotion(_uow(factory, clock), price_change_id=ended.id) is PromotionEnd.RESTORED
    now = datetime.now(UTC)
    running = listings.propose_price_change(
        _uow(factory), listing_id=world.ipod_a, new_price=Money(99_500, KRW),
        proposed_by="seller:seller_a", gate=GATE,
        promotion=Promotion(50, now - timedelta(minutes=1), now + timedelta(hours=5)))
    if running.status is PriceChangeStatus.HELD:
        price_review.approve_price_change(_uow(factory), change_id=running.id,
                                          reviewer="reviewer:reviewer", reason="반값 행사 확인")
    pending = listings.propose_price_change(_uow(factory), listing_id=world.ipod_a,
                                            new_price=Money(995_000, KRW),
                                            proposed_by="seller:seller_a", gate=GATE)
    assert pending.status is PriceChangeStatus.HELD


def _rejected_then_paused(factory: sessionmaker[Session], listing_id: int) -> None:
    """A change a reviewer rejected (the list of listings says when), then a pause by the
    seller with a reason."""
    change = listings.propose_price_change(_uow(factory), listing_id=listing_id,
                                           new_price=Money(890_000, KRW),
                                           proposed_by="seller:seller_a", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    price_review.reject_price_change(_uow(factory), change_id=change.id,
                                     reviewer="reviewer:reviewer", reason="0이 하나 더 붙었습니다")
    listings.change_listing_status(_uow(factory), listing_id=listing_id,
                                   trigger=ListingTrigger.PAUSE, actor="seller:seller_a",
                                   reason="재고 확인")


def _sent_back_draft(factory: sessionmaker[Session], world: World) -> int:
    """Seller A's draft at 19,900 of a product listed at 259,000, held at publication and sent
    back by a reviewer."""
    product = catalog.register_product(_uow(factory), title="아이팟 클래식 80GB",
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(259_000, KRW))
    draft = listings.create_listing(_uow(factory), seller_id=world.seller_a,
                                    product_id=product.id, price=Money(19_900, KRW),
                                    actor="seller:seller_a").id
    listings.change_listing_status(_uow(factory), listing_id=draft,
                                   trigger=ListingTrigger.PUBLISH, actor="seller:seller_a",
                                   gate=GATE)
    listings.change_listing_status(_uow(factory), listing_id=draft,
                                   trigger=ListingTrigger.SEND_BACK, actor="reviewer:reviewer",
                                   reason="정가의 10분의 1도 안 됩니다. 0이 빠졌는지 확인해 주세요")
    return draft


#: what each page must show for the test to mean something: (seller, page, ids on it)
def _pages(world: World, draft: int) -> list[tuple[str, str, tuple[str, ...]]]:
    return [("seller_a", "/seller", ('data-decision="rejected"',)),
            ("seller_a", f"/seller/listings/{world.ipod_a}",
             ('id="promotion-running"', 'id="pending-change"', "data-promotion-end",
              "data-promotion-window")),
            ("seller_a", f"/seller/listings/{world.speaker_a}", ('id="pause-reason"',)),
            ("seller_a", f"/seller/listings/{draft}", ('id="sent-back"',)),
            ("seller_b", f"/seller/listings/{world.macbook_b}", ('id="pause-reason"',)),
            ("seller_b", f"/seller/incidents/{world.incident}",
             ('id="incident-terms"', 'id="seller-orders"')),
            ("seller_b", "/seller/incidents", ())]


def test_every_time_on_the_sellers_pages_says_it_is_korea_time(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    _promotions_on_ipod_a(session_factory, world)
    _rejected_then_paused(session_factory, world.speaker_a)
    draft = _sent_back_draft(session_factory, world)
    seen, wrong = 0, {}
    for seller, path, shows in _pages(world, draft):
        client.cookies.clear()
        log_in(client, seller)
        for lang in ("ko", "en"):
            page = client.get(f"{path}?lang={lang}").text
            assert all(s in page for s in shows), (path, lang, shows)
            seen += count_times(page, lang)
            if unzoned := unzoned_times(page, lang):
                wrong[f"{path}?lang={lang}"] = unzoned
    assert seen >= 20, seen  # the state above shows times on every one of these pages
    assert not wrong, "\n".join(f"{page}: {times}" for page, times in wrong.items())


def test_a_time_in_a_phones_card_may_wrap_before_its_zone(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """In a card's narrow value column (320 px) "2026-12-05 23:28(한국 시간)" is wider than the
    column: each such time is the `zoned` one, which may break before its zone."""
    _rejected_then_paused(session_factory, world.speaker_a)
    for seller, path, table in (("seller_a", "/seller", "listings"),
                                ("seller_a", f"/seller/listings/{world.speaker_a}", "changes"),
                                ("seller_b", f"/seller/incidents/{world.incident}",
                                 "seller-orders")):
        client.cookies.clear()
        log_in(client, seller)
        for lang in ("ko", "en"):
            page = client.get(f"{path}?lang={lang}").text
            cards = page[page.index(f'<table id="{table}" class="stack"'):]
            cards = cards[:cards.index("</table>")]
            times = re.findall(r"<time\b[^>]*>", cards)
            assert times and all('class="zoned"' in t for t in times), (path, lang, times)
            assert all("<wbr>" in t for t in re.findall(r"<time\b.*?</time>", cards)), cards


def test_the_check_finds_a_time_without_its_zone() -> None:
    """The check itself: a bare time is found; one window saying the zone once is not."""
    assert unzoned_times("<p>판매를 멈췄습니다(2026-12-05 23:28).</p>", "ko")
    assert unzoned_times("<p>6월 16일(월) 오후 6시에 끝나면 돌아갑니다</p>", "ko")
    assert unzoned_times("<td>2026-12-05 23:28(한국 시간)(한국 시간)</td>", "ko")
    assert not unzoned_times("<td>10%(2026-12-05 23:28부터 2026-12-06 10:00까지, 한국 시간)</td>",
                             "ko")
    assert unzoned_times("<p>paused (2026-12-05 23:28).</p>", "en")
    assert not unzoned_times("<p>ends (Monday, June 16 at 6 pm Korea time) the price</p>", "en")
