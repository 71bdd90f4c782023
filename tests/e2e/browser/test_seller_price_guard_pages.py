"""The seller's listing page and the price guard (TestClient): the price check on a draft says
what publishing will say (a first price against the list price) and that the price applies when
the listing is published; promotion dates without a percent are refused, not dropped; the
automatic return at a promotion's end reads as the end of that promotion in the history; the
history's times say they are Korea time, in Korean too."""

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
from sagwa.services import catalog, listings
from sagwa.services.promotion_end import PromotionEnd, end_promotion
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e
MINUTE = r"\d{4}-\d\d-\d\d \d\d:\d\d"  # a time as the pages write it, in Korea time


def _draft_of_an_ipod_classic(session_factory: sessionmaker[Session], world: World) -> int:
    """Seller A's draft at 19,900 of a product listed at 259,000 (no other seller)."""
    uow = SqlAlchemyUnitOfWork(session_factory)
    product = catalog.register_product(uow, title="아이팟 클래식 80GB", category="electronics/mp3",
                                       actor="t", list_price=Money(259_000, "KRW"))
    return listings.create_listing(SqlAlchemyUnitOfWork(session_factory),
                                   seller_id=world.seller_a, product_id=product.id,
                                   price=Money(19_900, "KRW"), actor="seller:seller_a").id


def _check(client: TestClient, listing_id: int, token: str, lang: str = "",
           **typed: str) -> str:
    answer = client.post(f"/seller/listings/{listing_id}/check{lang}", data=typed,
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    return html.unescape(answer.text)


def test_the_price_check_on_a_draft_says_what_publishing_will_say(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    draft_id = _draft_of_an_ipod_classic(session_factory, world)
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{draft_id}").text)
    held = _check(client, draft_id, token, new_price="19900")
    assert 'data-verdict="hold"' in held and "259,000" in held
    assert "현재 가격" not in held and "통과" not in held
    fine = _check(client, draft_id, token, new_price="255000")
    assert 'data-verdict="allow"' in fine and 'data-applies="draft"' in fine
    assert "통과: 저장하면 이 가격으로 바뀌고, 판매를 시작하면 이 가격으로 팝니다" in fine
    assert "저장하면 바로 반영됩니다" not in fine
    english = _check(client, draft_id, token, "?lang=en", new_price="255000")
    assert "Allow: saving sets this price; it applies when you publish the listing" in english
    live = _check(client, world.ipod_a, token, "?lang=ko", new_price="195000")
    assert "통과: 저장하면 바로 반영됩니다" in live  # a live listing's price is live on saving


def test_the_price_check_at_a_drafts_own_price_speaks_of_publishing_not_saving(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A walkthrough's finding: typing the draft's own price, the check said "saving sets this
    price" (or "saving sends it to a reviewer"), and saving then refused: it is that price
    already."""
    draft_id = _draft_of_an_ipod_classic(session_factory, world)  # at 19,900
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{draft_id}").text)
    held = _check(client, draft_id, token, new_price="19,900")
    assert 'data-verdict="hold"' in held
    assert "보류: 지금 등록 중 가격입니다. 이 가격으로 판매를 시작하면 검토자에게 넘어갑니다" in held
    assert "저장하면" not in held and "의도한 가격이라면 판매를 시작하세요" in held
    other = _check(client, draft_id, token, new_price="25,900")  # another price: saving it
    assert "보류: 저장하면 검토자에게 넘어갑니다" in other and "지금 등록 중 가격" not in other
    saved = client.post(f"/seller/listings/{draft_id}/price",
                        data={"csrf_token": token, "new_price": "255000"})
    assert saved.status_code == 303, saved.text[:300]
    fine = _check(client, draft_id, token, "?lang=en", new_price="255000")
    assert 'data-verdict="allow"' in fine
    assert "Allow: this is the draft's price already; publishing puts it on sale at this " \
           "price" in fine
    assert "saving" not in fine.lower()
    refused = client.post(f"/seller/listings/{draft_id}/price",
                          data={"csrf_token": token, "new_price": "255000"})
    assert refused.status_code == 422  # what the check no longer promises


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_promotion_dates_without_a_percent_are_refused_not_dropped(
        client: TestClient, world: World, lang: str) -> None:
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}?lang={lang}").text
    now = datetime.now(UTC)
    typed = {"new_price": "179100", "promotion_pct": " ",
             "promotion_starts": local_input(now - timedelta(hours=1)),
             "promotion_ends": local_input(now + timedelta(days=2))}
    said = ("할인율을 입력해 주세요. 할인율 없이 기간만 넣으면 행사가 끝나도 가격이 돌아가지 않습니다." if lang == "ko"
            else "Enter the promotion percent: with dates but no percent, the price would not "
                 "go back when the promotion ends.")
    assert said in _check(client, world.ipod_a, csrf_of(page), f"?lang={lang}", **typed)
    saved = client.post(f"/seller/listings/{world.ipod_a}/price?lang={lang}",
                        data={**typed, "csrf_token": csrf_of(page)})
    assert saved.status_code == 422
    assert said in html.unescape(saved.text)
    assert 'id="promotion_pct" name="promotion_pct" value=" " aria-invalid="true"' in saved.text
    assert 'id="live-price">199,000' in saved.text or "199,000 KRW" in saved.text  # unchanged


def test_the_return_at_a_promotions_end_is_labelled_in_the_history(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    clock = ManualClock(start)
    promotion = Promotion(10, start - timedelta(minutes=5), start + timedelta(hours=1))
    change = listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory, clock),
                                           listing_id=world.ipod_a,
                                           new_price=Money(179_100, "KRW"),
                                           proposed_by="seller:seller_a", promotion=promotion)
    clock.advance(timedelta(hours=1, minutes=1))
    assert end_promotion(SqlAlchemyUnitOfWork(session_factory, clock),
                         price_change_id=change.id) is PromotionEnd.RESTORED
    log_in(client, "seller_a")
    korean = html.unescape(client.get(f"/seller/listings/{world.ipod_a}").text)
    row = korean[korean.index("<tr data-promotion-end>"):]
    row = row[:row.index("</tr>")]
    assert "행사 종료(10%)" in row
    # every time in the row says it is Korea time, as the promotion windows beside it do
    assert re.search(rf"10% 할인 행사가 {MINUTE}\(한국 시간\)에 끝나 행사 전 가격 199,000원으로 자동으로 "
                     "돌아왔습니다.", row), row
    assert re.search(rf"<time [^>]*>{MINUTE}\(한국 시간\)</time>", _untagged_times(row)), row
    assert "—" not in row
    english = html.unescape(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text)
    row = english[english.index("<tr data-promotion-end>"):]
    row = row[:row.index("</tr>")]
    assert "Promotion ended (10%)" in row
    assert re.search(rf"The 10% promotion ended \({MINUTE} KST\)", row), row
    assert re.search(rf"<time [^>]*>{MINUTE} KST</time>", _untagged_times(row))
    assert "한국 시간" not in row


def _untagged_times(text: str) -> str:
    """The times' words without the spans that let a phone's card wrap one before its zone."""
    return re.sub(r"<time [^>]*>.*?</time>",
                  lambda m: re.sub(r"<(?!/?time\b)[^>]+>", "", m.group(0)), text)


def test_every_time_in_the_price_change_table_says_korea_time(
        client: TestClient, world: World) -> None:
    """A walkthrough's finding: the history's times read "2008-06-12 14:00" on a Korean page,
    beside promotion windows that say "한국 시간"; in English they say KST, as elsewhere."""
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    token = csrf_of(page)
    saved = client.post(f"/seller/listings/{world.ipod_a}/price",
                        data={"new_price": "195000", "csrf_token": token})
    assert saved.status_code == 303
    for lang, zone in (("ko", "\\(한국 시간\\)"), ("en", " KST")):
        shown = html.unescape(client.get(f"/seller/listings/{world.ipod_a}?lang={lang}").text)
        table = shown[shown.index('<table id="changes"'):]
        table = table[:table.index("</table>")]
        times = re.findall(r"<time [^>]*>([^<]*)</time>", _untagged_times(table))
        assert times and all(re.fullmatch(MINUTE + zone, t) for t in times), times


def test_the_price_form_sent_twice_saves_one_change(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A walkthrough's finding: four quick clicks on "save" made four held changes (three then
    superseded), and a double click on an allowed price answered "already that price" for a
    save that worked. The form carries a key of its own, new each time it is drawn."""
    import re

    from sqlalchemy import func, select

    from sagwa.adapters.db.tables import price_changes

    def changes() -> int:
        with session_factory() as s:
            return int(s.scalar(select(func.count()).select_from(price_changes).where(
                price_changes.c.listing_id == world.ipod_a)) or 0)

    def key_of(text: str) -> str:
        found = re.search(r'name="form_key" value="([0-9a-f]{32})"', text)
        assert found, "the price form carries no key"
        return found.group(1)

    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    key, before = key_of(page), changes()
    assert key_of(client.get(f"/seller/listings/{world.ipod_a}").text) != key
    form = {"new_price": "189000", "csrf_token": csrf_of(page), "form_key": key}
    for _ in range(3):
        answer = client.post(f"/seller/listings/{world.ipod_a}/price", data=form)
        assert answer.status_code == 303, answer.text[:300]
    assert changes() == before + 1
    # the same form sent back from an earlier page with another price: said for a seller
    refused = client.post(f"/seller/listings/{world.ipod_a}/price",
                          data={**form, "new_price": "188000"})
    assert refused.status_code == 409, refused.text[:300]
    assert "이 양식으로는 이미 다른 가격을 저장했습니다" in html.unescape(refused.text)
    assert "Idempotency-Key" not in refused.text
    assert changes() == before + 1
    saved = client.post(f"/seller/listings/{world.ipod_a}/price",
                        data={**form, "new_price": "188000", "form_key": key_of(refused.text)})
    assert saved.status_code == 303 and changes() == before + 2
