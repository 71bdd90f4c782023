"""A busy day's findings on the review queue: the seller's newer price is pointed to wherever a
reviewer would decide on an older one. A held change its seller replaced since the page was
drawn is refused naming the newer change, its price and a link to it (it may be on another
page); a listing held at publication whose seller has since proposed a corrected price (held
for review) says so beside its Release button, with a link (each link's particle follows its
number). A refusal for a card no longer on the page gives the queue's address without an empty
``#`` and puts the keyboard at its summary; a release refused because the price moved says
the price seen and the price now."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_review_card_listing_facts import GATE, _card, _held, _uow
from test_review_held_listings_paging import _held_listing
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import Conflict
from sagwa.services import listings

pytestmark = pytest.mark.e2e


def _held_at_publication(session_factory: sessionmaker[Session], world: World) -> int:
    """Seller A's listing published at 19,900 for a product listed at 199,000: held."""
    return _held_listing(session_factory, world.seller_a, 0)


def test_a_change_replaced_since_the_page_was_drawn_is_refused_naming_the_newer_one(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """The seller typed 19,900 (a dropped zero), then 1,990 while the reviewer read the card:
    approving #old said only "now: superseded"; the newer change sat on page 2."""
    old = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=en").text
    newer = _held(session_factory, world.ipod_a, 1_990)
    refused = client.post(f"/ops/review/{old}/approve", headers={"HX-Request": "true"},
                          data={"reason": "checked with the seller", "csrf_token": csrf_of(page)})
    assert refused.status_code == 409
    summary = html.unescape(re.search(r'id="problem-summary"[^>]*>(.*?)</p>', refused.text,
                                      re.DOTALL).group(1))
    assert (f"A new price, 1,990 KRW, has been proposed since (change #{newer}, held for "
            "review)." in summary), summary
    assert f'href="/ops/review?listing={world.ipod_a}#change-{newer}"' in summary, summary
    assert refused.headers["HX-Replace-Url"] == "/ops/review"
    korean = client.post(f"/ops/review/{old}/reject?lang=ko",
                         data={"reason": "판매자와 확인함", "csrf_token": csrf_of(page)})
    said = html.unescape(korean.text)
    assert f"그 뒤 새 가격 1,990원이 제안되었습니다(가격 변경 #{newer}, 검토 대기)." in said


def test_a_held_listing_with_a_corrected_price_waiting_says_so_at_its_release(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """Held at publication at 19,900 (list price 199,000); its seller then proposed 1,990,000
    (one zero too many this time), which waits for review: the card said only "First price:
    19,900" and Release put it on sale at the price the seller had already replaced."""
    held_id = _held_at_publication(session_factory, world)
    corrected = _held(session_factory, held_id, 1_990_000)
    log_in(client, "reviewer")
    for lang, said in (
            ("ko", (f"새 가격 1,990,000원이 제안되었습니다(가격 변경 #{corrected}, 검토 대기). "
                   "판매자가 바꾼 이전 가격(19,900원)으로 판매되지 않도록, 그 변경을 먼저 승인하거나 거절해야 "
                   "보류를 풀 수 있습니다.")),
            ("en", (f"A new price, 1,990,000 KRW, has been proposed (change #{corrected}, "
                   "held for review). So that the listing does not go on sale at the price its "
                   "seller replaced (19,900 KRW), it can be released only once that change is "
                   "approved or rejected."))):
        card = html.unescape(_card(client.get(f"/ops/review?lang={lang}").text,
                                   f"listing-{held_id}"))
        found = re.search(r'<p class="finding warning" data-pending-change="(\d+)">(.*?)</p>',
                          card, re.DOTALL)
        assert found, card
        assert found.group(1) == str(corrected)
        assert said in re.sub(r"<[^>]+>", "", found.group(2)), found.group(2)
        assert f'href="/ops/review?listing={held_id}#change-{corrected}"' in found.group(2)


def test_the_link_to_a_newer_change_takes_the_particle_its_number_reads_with(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """"가격 변경 #53로 이동" read wrong (오십삼 ends in a consonant: #53으로); the links used a
    fixed 로. The seller keeps retyping until a change's number ends in 0, 3 or 6."""
    first = _held(session_factory, world.ipod_a, 19_900)
    newest = first
    for price in range(19_800, 18_800, -100):
        newest = _held(session_factory, world.ipod_a, price)
        if newest % 10 in (0, 3, 6):
            break
    assert newest % 10 in (0, 3, 6)
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=ko").text
    refused = html.unescape(client.post(f"/ops/review/{first}/approve", data={
        "reason": "판매자와 확인함", "csrf_token": csrf_of(page)}).text)
    assert f">가격 변경 #{newest}으로 이동</a>" in refused, refused
    assert f"#{newest}로" not in refused


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_a_refusal_for_a_card_gone_from_the_queue_focuses_its_summary(page, site) -> None:  # type: ignore[no-untyped-def]
    """The refused change was replaced, so no card of it is left: the page opened at its top
    with the summary (and its link to the newer change) in sight, but the keyboard was put at
    the next card's heading, further down, so Tab never reached the link."""
    from browsing import login, wait_until
    from world import PASSWORD

    factory = site.database.session_factory
    old = _held(factory, site.world.ipod_a, 19_900)
    _held(factory, site.world.ipod_b, 19_500)
    page.set_viewport_size({"width": 390, "height": 640})
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    newer = _held(factory, site.world.ipod_a, 1_990)
    page.locator(f"#reason-{old}").fill("판매자와 확인했습니다")
    page.locator(f"#change-{old} button.primary").click()
    page.locator("#problem-summary").wait_for()
    wait_until(page, "document.activeElement && document.activeElement !== document.body")
    assert page.evaluate("document.activeElement.id") == "problem-summary"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-newer-change')") == \
        str(newer)
    assert page.evaluate("window.scrollY") == 0


def test_a_release_refused_because_the_price_moved_says_both_prices(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """"Check the new price, then decide again" named neither price: the card a reviewer
    released showed 19,900, and the refusal did not say what it is now."""
    held_id = _held_at_publication(session_factory, world)
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=en").text
    moved = listings.propose_price_change(_uow(session_factory), listing_id=held_id,
                                          new_price=Money(199_000, "KRW"),
                                          proposed_by="seller:seller_a", gate=GATE)
    assert moved.status is PriceChangeStatus.APPLIED
    form = {"reason": "checked with the seller", "csrf_token": csrf_of(page),
            "seen_price_minor": "19900", "seen_currency": "KRW"}
    for lang, said in (("en", "You saw 19,900 KRW; it is 199,000 KRW now."),
                       ("ko", "보신 가격은 19,900원, 지금 가격은 199,000원입니다.")):
        refused = client.post(f"/ops/review/listings/{held_id}/release?lang={lang}", data=form)
        assert refused.status_code == 409
        problem = re.search(rf'id="listing-problem-{held_id}">(.*?)</p>', refused.text,
                            re.DOTALL)
        assert problem and said in html.unescape(problem.group(1)), refused.text


def test_a_held_listing_is_not_released_while_its_sellers_newer_price_waits(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """Released at 19,900 while the seller's corrected 45,900 waited, the listing went on sale
    at the price its seller had replaced (and the change stayed in the queue). The release is
    refused (``newer_price_waiting``) until that change is decided; nothing changes."""
    held_id = _held_at_publication(session_factory, world)
    corrected = _held(session_factory, held_id, 45_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=ko").text
    refused = client.post(f"/ops/review/listings/{held_id}/release?lang=ko", data={
        "reason": "판매자와 통화해 첫 가격을 확인함", "seen_price_minor": "19900",
        "seen_currency": "KRW", "csrf_token": csrf_of(page)})
    assert refused.status_code == 409
    said = html.unescape(refused.text)
    assert (f"판매자가 그 뒤 새 가격을 제안해 검토를 기다리고 있습니다(가격 변경 #{corrected})" in said), said
    with _uow(session_factory) as u:
        listing = u.market.listing(held_id)
        assert listing is not None and listing.status.value == "held"
        assert listing.price == Money(19_900, "KRW")
        change = u.market.price_change(corrected)
        assert change is not None and change.status is PriceChangeStatus.HELD
    with pytest.raises(Conflict) as in_service:  # the API's and the CLI's way in too
        listings.change_listing_status(_uow(session_factory), listing_id=held_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:other",
                                       gate=GATE, reason="판매자와 통화해 확인함",
                                       expected_price=Money(19_900, "KRW"))
    assert in_service.value.details["reason"] == "newer_price_waiting"
    assert in_service.value.details["change_id"] == corrected
