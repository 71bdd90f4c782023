"""The listing status table: exactly these moves are allowed; everything else is refused."""

import itertools

import pytest

from sagwa.domain.listings import TRANSITIONS, Listing, ListingStatus, ListingTrigger, advance
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition

S, T = ListingStatus, ListingTrigger
ALLOWED = {
    (S.DRAFT, T.PUBLISH): S.LIVE,
    (S.DRAFT, T.HOLD): S.HELD,
    (S.LIVE, T.HOLD): S.HELD,
    (S.HELD, T.RELEASE): S.LIVE,
    (S.HELD, T.SEND_BACK): S.DRAFT,
    (S.LIVE, T.PAUSE): S.PAUSED,
    (S.PAUSED, T.RESUME): S.LIVE,
    (S.DRAFT, T.END): S.ENDED,
    (S.LIVE, T.END): S.ENDED,
    (S.HELD, T.END): S.ENDED,
    (S.PAUSED, T.END): S.ENDED,
}
REFUSED = [pair for pair in itertools.product(S, T) if pair not in ALLOWED]


def test_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("status", "trigger"), list(ALLOWED))
def test_allowed_transition(status: ListingStatus, trigger: ListingTrigger) -> None:
    assert advance(status, trigger) is ALLOWED[(status, trigger)]


@pytest.mark.parametrize(("status", "trigger"), [
    (S.ENDED, T.PUBLISH), (S.ENDED, T.RESUME), (S.ENDED, T.END), (S.LIVE, T.PUBLISH),
    (S.PAUSED, T.RELEASE), (S.DRAFT, T.RESUME), (S.PAUSED, T.HOLD), (S.HELD, T.PUBLISH),
    (S.LIVE, T.SEND_BACK), (S.DRAFT, T.SEND_BACK), (S.PAUSED, T.SEND_BACK),
])
def test_refused_transition_says_what_and_why(status: ListingStatus,
                                             trigger: ListingTrigger) -> None:
    with pytest.raises(IllegalTransition) as info:
        advance(status, trigger)
    assert info.value.message.startswith(f"the listing is {status.value}: only a ")
    assert " listing can be " in info.value.message
    assert info.value.details == {
        "status": status.value,
        "trigger": trigger.value,
        "reason": "listing_status",
    }
    assert info.value.code == "illegal_transition"


def test_every_pair_outside_the_table_is_refused() -> None:
    assert len(REFUSED) == len(S) * len(T) - len(ALLOWED)
    for status, trigger in REFUSED:
        with pytest.raises(IllegalTransition):
            advance(status, trigger)


def test_nothing_leaves_ended() -> None:
    assert not [pair for pair in TRANSITIONS if pair[0] is S.ENDED]


@pytest.mark.parametrize("status", list(S))
def test_only_live_listings_are_orderable(status: ListingStatus) -> None:
    listing = Listing(1, 1, 1, Money(199000, "KRW"), status)
    assert listing.orderable is (status is S.LIVE)


def test_the_refusal_names_the_statuses_that_allow_it() -> None:
    with pytest.raises(IllegalTransition) as info:
        advance(S.DRAFT, T.RELEASE)
    assert info.value.message == "the listing is draft: only a held listing can be released"
    with pytest.raises(IllegalTransition) as info:
        advance(S.ENDED, T.PUBLISH)
    assert info.value.message == "the listing is ended: only a draft listing can be published"
