"""Listings the price guard held when they were published, on PostgreSQL: the reviewers' queue
of them (with the guard's reasons in Korean and English and who published them), and their
release — never by the account that published them, whichever channel each step came through."""

from __future__ import annotations

import re

import pytest
from test_price_review import ipod_market

from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict, Forbidden, InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review

GATE = price_review.guard_gate(load_rules())
KRW = "KRW"
HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
def market(session_factory):
    """The iPod nano (list price 199,000 KRW) sold by four sellers (:func:`ipod_market`)."""
    return ipod_market(session_factory)


def _published_at_a_tenth(uow, product_id: int, *, by: str) -> int:
    seller = catalog.register_seller(uow(), code="s-new", name="새판매자", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(19_900, KRW), actor=by)
    held = listings.change_listing_status(uow(), listing_id=draft.id,
                                          trigger=ListingTrigger.PUBLISH, actor=by, gate=GATE)
    assert held.status is ListingStatus.HELD
    return draft.id


def _with_draft_price_changes(uow, listing_id: int, n: int, *, by: str) -> None:
    """``n`` applied price changes of the draft on the audit log, as ``propose_price_change``
    writes them (in one bulk append: the hold lookup must not depend on how many there are)."""
    with uow() as u:
        u.audit.append_many([AuditEvent(by, "price_change.applied", "listing", str(listing_id),
                                        before={"price": Money(19_900 + k, KRW).as_dict()},
                                        after={"proposed": Money(19_901 + k, KRW).as_dict()})
                             for k in range(n)], u.now())
        u.commit()


def _status(uow, listing_id: int) -> ListingStatus:
    with uow() as u:
        return u.market.listing(listing_id).status


def _audit_count(uow, listing_id: int) -> int:
    with uow() as u:
        return len(u.audit.for_entity("listing", str(listing_id)))


def test_a_listing_held_at_publication_is_queued_with_the_guards_reasons_in_both_languages(
        market) -> None:
    uow, _clock, live_ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    [queued] = listings.held_listings(uow())  # the four live listings are not in it
    assert queued.listing.id == listing_id and queued.listing.id not in live_ids
    assert queued.listing.price == Money(19_900, KRW)
    assert (queued.product_title, queued.seller_name) == ("애플 아이팟 나노 3세대 4GB", "새판매자")
    hold = queued.hold
    assert hold is not None and hold.held_by == "api:seller-new"
    assert hold.reason_en and not HANGUL.search(hold.reason_en)
    assert hold.reason_ko and HANGUL.search(hold.reason_ko)
    assert "19,900" in hold.reason_en and "19,900" in hold.reason_ko


@pytest.mark.parametrize("releaser", ["api:boss", "admin:boss", "reviewer:boss"])
def test_the_account_that_published_it_cannot_release_it(market, releaser: str) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:boss")
    entries = _audit_count(uow, listing_id)
    with pytest.raises(Forbidden) as refused:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor=releaser,
                                       reason="제가 확인했습니다")
    assert refused.value.details["reason"] == "own_held_listing"
    assert _status(uow, listing_id) is ListingStatus.HELD  # nothing half-written
    assert _audit_count(uow, listing_id) == entries
    assert [h.listing.id for h in listings.held_listings(uow())] == [listing_id]


def test_the_publisher_cannot_release_it_after_a_thousand_earlier_entries_either(
        market) -> None:
    """The hold is the listing's latest ``listing.hold``, not one found among its oldest
    entries: 1,000 draft price changes before publishing do not hide it."""
    uow, _clock, _ids, product_id = market
    seller = catalog.register_seller(uow(), code="s-busy", name="바쁜판매자", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(19_900, KRW), actor="api:boss")
    _with_draft_price_changes(uow, draft.id, 1_000, by="api:boss")
    held = listings.change_listing_status(uow(), listing_id=draft.id,
                                          trigger=ListingTrigger.PUBLISH, actor="api:boss",
                                          gate=GATE)
    assert held.status is ListingStatus.HELD
    with uow() as u:  # the hold is the 1,002nd entry: beyond the oldest thousand
        assert [e.event.action for e in u.audit.for_entity("listing", str(draft.id),
                                                           limit=2_000)][1_001:] == ["listing.hold"]
    [queued] = listings.held_listings(uow())
    assert queued.hold is not None and queued.hold.held_by == "api:boss"
    with pytest.raises(Forbidden) as refused:
        listings.change_listing_status(uow(), listing_id=draft.id,
                                       trigger=ListingTrigger.RELEASE, actor="admin:boss")
    assert refused.value.details["reason"] == "own_held_listing"
    assert _status(uow, draft.id) is ListingStatus.HELD


def test_another_reviewer_releases_it_and_it_leaves_the_queue(market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:boss")
    released = listings.change_listing_status(uow(), listing_id=listing_id,
                                              trigger=ListingTrigger.RELEASE,
                                              actor="reviewer:park", reason="판매자와 확인함")
    assert released.status is ListingStatus.LIVE and released.orderable
    assert listings.held_listings(uow()) == []
    with uow() as u:
        last = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert (last.action, last.actor, last.after["reason"]) == (
        "listing.release", "reviewer:park", "판매자와 확인함")


def test_a_release_is_refused_when_the_seller_changed_the_price_since_the_reviewer_saw_it(
        market) -> None:
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(29_900, KRW),
                                  proposed_by="api:seller-new")  # a held listing's price moves
    [queued] = listings.held_listings(uow())
    assert queued.hold is not None and queued.hold.price == Money(19_900, KRW)  # what was held
    assert queued.listing.price == Money(29_900, KRW)  # what a release would put on sale
    entries = _audit_count(uow, listing_id)
    with pytest.raises(Conflict) as refused:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:park",
                                       expected_price=Money(19_900, KRW))
    assert refused.value.details["reason"] == "listing_price_moved"
    assert "29,900 KRW" in refused.value.message and "19,900 KRW" in refused.value.message
    assert _status(uow, listing_id) is ListingStatus.HELD and _audit_count(uow, listing_id) == entries
    released = listings.change_listing_status(uow(), listing_id=listing_id,
                                              trigger=ListingTrigger.RELEASE,
                                              actor="reviewer:park", reason="판매자와 확인함",
                                              expected_price=Money(29_900, KRW))
    assert released.status is ListingStatus.LIVE and released.price == Money(29_900, KRW)


def test_a_release_that_names_no_price_expects_the_price_that_was_held(market) -> None:
    """An API caller who sends no expected price cannot put on sale a price the seller set
    after the hold: the release expects the held price."""
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(189_000, KRW),
                                  proposed_by="api:seller-new")
    with pytest.raises(Conflict) as refused:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:park")
    assert refused.value.details["reason"] == "listing_price_moved"
    assert _status(uow, listing_id) is ListingStatus.HELD
    with pytest.raises(InvalidInput):  # the price seen in another currency is a mistake
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor="reviewer:park",
                                       expected_price=Money(18_900, "USD"))


def test_a_new_price_for_a_listing_held_at_publication_is_judged_as_a_first_price(
        market) -> None:
    """Held at 19,900 (list price 199,000): 9,900 is not "within range of the current price"
    — it is judged against the list price and the other sellers, as the first price was."""
    uow, _clock, _ids, _product_id = market
    solo = catalog.register_product(uow(), title="새 MP3 플레이어", category="electronics",
                                    actor="t", list_price=Money(199_000, KRW))  # no other seller
    listing_id = _published_at_a_tenth(uow, solo.id, by="api:seller-new")
    lower = listings.propose_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(9_900, KRW),
                                          proposed_by="api:seller-new", gate=GATE)
    assert lower.status.value == "held"
    fixed = listings.propose_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(195_000, KRW),
                                          proposed_by="api:seller-new", gate=GATE)
    assert fixed.status.value == "applied"  # the corrected price; the listing waits for release
    assert _status(uow, listing_id) is ListingStatus.HELD
    dry = price_review.check_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(9_900, KRW), rules=load_rules())
    assert dry.holds  # the seller's page says the same before saving


def test_the_review_page_counts_everything_waiting_not_only_the_cards_it_shows(market) -> None:
    """The page shows the oldest cards of each queue; its headings count all that wait, and it
    says that more are waiting."""
    from sagwa.web.pages.i18n import chooser
    from sagwa.web.pages.rendering import make_templates
    from sagwa.web.pages.review_cards import review_context

    uow, _clock, ids, product_id = market
    for n in range(3):
        seller = catalog.register_seller(uow(), code=f"s-new{n}", name=f"새판매자{n}", actor="t")
        draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                        price=Money(19_900 + n, KRW), actor="t")
        listings.change_listing_status(uow(), listing_id=draft.id, trigger=ListingTrigger.PUBLISH,
                                       actor=f"seller:s-new{n}", gate=GATE)
    for listing_id in ids[:2]:
        listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(19_900, KRW),
                                      proposed_by="seller:x", gate=GATE)
    context = review_context(uow(), viewer="reviewer:r", limit=1)
    assert (len(context["cards"]), len(context["held_cards"])) == (1, 1)
    assert context["totals"] == {"changes": 2, "listings": 3}
    page = make_templates().env.get_template("review/queue.html").render({
        "lang": "en", "t": chooser("en"), "account": None, "csrf": "token", "flash": None,
        "switch_lang": "", "money": str, "Money": Money, "problem": None, **context})
    assert 'data-total="2">(2)</small>' in page and 'data-total="3">(3)</small>' in page
    # both lists page through what waits (50 a page; here 1): the held listings and the changes
    assert "Page 1 of 3 (1–1 / 3)" in page  # by default
    assert "Page 1 of 2 (1–1 / 2)" in page
    oldest = review_context(uow(), viewer="reviewer:r", limit=1, order="oldest")
    page = make_templates().env.get_template("review/queue.html").render({
        "lang": "en", "t": chooser("en"), "account": None, "csrf": "token", "flash": None,
        "switch_lang": "", "money": str, "Money": Money, "problem": None, **oldest})
    assert "Page 1 of 3 (1–1 / 3)" in page
    assert "Page 1 of 2 (1–1 / 2)" in page


# A release overrules the guard: a first price far from its reference needs the reviewer's reason

def _release(uow, listing_id: int, *, reason: str | None = None,
             expected: Money | None = None):
    return listings.change_listing_status(uow(), listing_id=listing_id,
                                          trigger=ListingTrigger.RELEASE, actor="reviewer:park",
                                          reason=reason, expected_price=expected)


def _last_entry(uow, listing_id: int) -> AuditEvent:
    with uow() as u:
        return u.audit.for_entity("listing", str(listing_id))[-1].event


def _hold_everything(_uow, _listing, _proposal) -> listings.GateDecision:
    """A gate that holds every first price (as the guard holds a placeholder price, or one
    below the seller's floor, even with nothing to compare it with)."""
    return listings.GateDecision(hold=True, reason="held for review")


def _seller_listing(uow, product_id: int, code: str, price: int, *, gate=GATE) -> int:
    seller = catalog.register_seller(uow(), code=code, name=code, actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(price, KRW), actor=f"seller:{code}")
    listings.change_listing_status(uow(), listing_id=draft.id, trigger=ListingTrigger.PUBLISH,
                                   actor=f"seller:{code}", gate=gate)
    return draft.id


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_releasing_a_first_price_at_a_tenth_of_the_list_price_needs_a_reason(
        market, reason: str | None) -> None:
    """As approving a held change that halves the price does: the release is refused, nothing
    is written, and with a reason it goes through, the reason and the reference on the log."""
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    entries = _audit_count(uow, listing_id)
    with pytest.raises(InvalidInput) as refused:
        _release(uow, listing_id, reason=reason)
    reference = {"amount_minor": 199_000, "currency": KRW, "kind": "list_price"}
    assert refused.value.details == {"field": "reason", "reason": "release_needs_reason",
                                     "reference": reference}
    assert "19,900 KRW" in refused.value.message
    assert "list price 199,000 KRW" in refused.value.message
    assert _status(uow, listing_id) is ListingStatus.HELD
    assert _audit_count(uow, listing_id) == entries
    released = _release(uow, listing_id, reason="판매자와 통화: 전시품 정리 가격")
    assert released.status is ListingStatus.LIVE
    last = _last_entry(uow, listing_id)
    assert (last.action, last.after["reason"], last.after["reference"]) == (
        "listing.release", "판매자와 통화: 전시품 정리 가격", reference)


def test_a_first_price_near_its_reference_is_released_without_a_reason(market) -> None:
    """The seller corrected the held price to 195,000 (list price 199,000): nothing to explain."""
    uow, _clock, _ids, product_id = market
    listing_id = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    fixed = listings.propose_price_change(uow(), listing_id=listing_id,
                                          new_price=Money(195_000, KRW),
                                          proposed_by="api:seller-new", gate=GATE)
    assert fixed.status.value == "applied" and _status(uow, listing_id) is ListingStatus.HELD
    released = _release(uow, listing_id, expected=Money(195_000, KRW))
    assert released.status is ListingStatus.LIVE
    last = _last_entry(uow, listing_id)
    assert last.after["reason"] is None and last.after["reference"]["amount_minor"] == 199_000


@pytest.mark.parametrize(("price", "needs_reason"), [
    (55_000, True),     # exactly half the other sellers' median (110,000)
    (55_001, False),
    (219_999, False),
    (220_000, True),    # exactly twice it
])  # fmt: skip
def test_without_a_list_price_the_other_sellers_median_is_the_reference(
        session_factory, price: int, needs_reason: bool) -> None:
    uow, _clock, _ids, _ = ipod_market(session_factory)
    product = catalog.register_product(uow(), title="무명 MP3", category="electronics",
                                       actor="t").id  # no list price
    for n, other in enumerate((100_000, 110_000, 130_000)):
        _seller_listing(uow, product, f"other{n}", other, gate=listings.apply_every_change)
    listing_id = _seller_listing(uow, product, "newcomer", price, gate=_hold_everything)
    assert _status(uow, listing_id) is ListingStatus.HELD
    if needs_reason:
        with pytest.raises(InvalidInput) as refused:
            _release(uow, listing_id)
        assert refused.value.details["reference"] == {
            "amount_minor": 110_000, "currency": KRW, "kind": "other_sellers"}
        assert "other sellers' median 110,000 KRW" in refused.value.message
        assert _status(uow, listing_id) is ListingStatus.HELD
    else:
        assert _release(uow, listing_id).status is ListingStatus.LIVE


def test_a_first_price_with_nothing_to_compare_it_with_needs_a_reason(market) -> None:
    """No list price and no other seller: the guard held it on other grounds, the reviewer's
    card has nothing to check it against, so the release says what it rested on."""
    uow, _clock, _ids, _ = market
    product = catalog.register_product(uow(), title="신제품", category="electronics",
                                       actor="t").id
    listing_id = _seller_listing(uow, product, "solo", 100, gate=_hold_everything)
    with pytest.raises(InvalidInput) as refused:
        _release(uow, listing_id, reason=" ")
    assert refused.value.details == {"field": "reason", "reason": "release_needs_reason"}
    assert "nothing to compare it with" in refused.value.message
    assert _status(uow, listing_id) is ListingStatus.HELD
    _release(uow, listing_id, reason="신제품 출시가: 판매자 공지 확인")
    last = _last_entry(uow, listing_id)
    assert (last.after["status"], last.after["reference"]) == ("live", None)
    assert last.after["reason"] == "신제품 출시가: 판매자 공지 확인"


def test_the_review_card_marks_the_reason_required_as_the_release_would(market) -> None:
    from sagwa.web.pages.review_cards import review_context

    uow, _clock, _ids, product_id = market
    far = _published_at_a_tenth(uow, product_id, by="api:seller-new")
    near = _seller_listing(uow, product_id, "near", 185_000, gate=_hold_everything)
    cards = {c.held.listing.id: c for c in review_context(uow(), viewer="reviewer:r")[
        "held_cards"]}
    assert cards[far].needs_reason and cards[far].reference is not None
    assert cards[far].reference.amount_minor == 199_000
    assert not cards[near].needs_reason


def test_the_release_weighs_the_price_against_the_reference_the_guard_used_at_the_hold(
        session_factory) -> None:
    """Held at 55,000 against the other sellers' median 110,000; a fourth seller at 60,000
    brings the median down to 105,000 before the release: the hold's 110,000 still counts."""
    uow, _clock, _ids, _ = ipod_market(session_factory)
    product = catalog.register_product(uow(), title="무명 MP3", category="electronics",
                                       actor="t").id
    for n, other in enumerate((100_000, 110_000, 130_000)):
        _seller_listing(uow, product, f"other{n}", other, gate=listings.apply_every_change)
    listing_id = _seller_listing(uow, product, "newcomer", 55_000, gate=_hold_everything)
    assert _last_entry(uow, listing_id).after["reference"] == {
        "amount_minor": 110_000, "currency": KRW, "kind": "other_sellers"}
    _seller_listing(uow, product, "late", 60_000, gate=listings.apply_every_change)
    with pytest.raises(InvalidInput) as refused:
        _release(uow, listing_id)
    assert refused.value.details["reference"]["amount_minor"] == 110_000


def test_a_hold_that_recorded_no_reference_is_weighed_against_the_reference_now(market) -> None:
    """Holds written before they kept their reference: the list price as it stands."""
    uow, _clock, _ids, product_id = market
    seller = catalog.register_seller(uow(), code="s-old", name="옛판매자", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(19_900, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=draft.id, trigger=ListingTrigger.HOLD,
                                   actor="seller:s-old")  # a hold entry with no reference
    with uow() as u:
        hold = listings.publication_hold(u, draft.id)
    assert hold is not None and hold.at_publication and not hold.reference_recorded
    with pytest.raises(InvalidInput) as refused:
        _release(uow, draft.id)
    assert refused.value.details["reference"] == {
        "amount_minor": 199_000, "currency": KRW, "kind": "list_price"}
