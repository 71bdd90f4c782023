"""The prices that repeat an incident's wrong price: a tenth of the way towards the correct
price, never more than 10% either side, never reaching the correct price."""

from __future__ import annotations

import pytest

from sagwa.domain.money import Money
from sagwa.domain.wrong_price_band import wrong_price_band


def krw(amount: int) -> Money:
    return Money(amount, "KRW")


def test_a_tenfold_slip_covers_ten_percent_either_side() -> None:
    band = wrong_price_band(krw(19_900), krw(185_000))
    assert (band.low_minor, band.high_minor) == (18_091, 21_890)
    assert krw(19_910) in band and krw(21_890) in band and krw(18_091) in band
    assert krw(21_891) not in band and krw(18_090) not in band
    assert Money(19_900, "USD") not in band


def test_a_small_slip_covers_a_tenth_of_the_gap_so_ordinary_discounts_stay_free() -> None:
    band = wrong_price_band(krw(150_000), krw(185_000))
    assert (band.low_minor, band.high_minor) == (146_887, 153_179)
    assert krw(140_000) not in band and krw(160_000) not in band


def test_a_price_too_high_is_banded_the_same_way() -> None:
    band = wrong_price_band(krw(1_850_000), krw(185_000))
    assert krw(1_900_000) in band and krw(185_000) not in band


@pytest.mark.parametrize("correct", [None, krw(19_900), Money(199, "USD")])
def test_without_a_usable_correct_price_only_the_wrong_price_itself(correct) -> None:
    band = wrong_price_band(krw(19_900), correct)
    assert band.exact and krw(19_900) in band and krw(19_910) not in band


@pytest.mark.parametrize(("wrong", "correct"), [(1, 2), (19_900, 185_000), (99, 100),
                                                (1_000_000, 10), (3, 1)])
def test_the_correct_price_is_never_in_the_band_and_the_wrong_one_always_is(wrong, correct) -> None:
    band = wrong_price_band(krw(wrong), krw(correct))
    assert krw(wrong) in band and krw(correct) not in band


def test_past_the_band_away_from_the_correct_price_is_the_same_mistake_made_worse() -> None:
    too_low = wrong_price_band(krw(10_000), krw(100_000))
    assert (too_low.low_minor, too_low.high_minor) == (9_091, 11_000)
    assert all(too_low.blocks(krw(p)) for p in (1, 9_000, 10_000, 11_000))
    assert not any(too_low.blocks(krw(p)) for p in (11_001, 100_000))
    assert not too_low.blocks(Money(9_000, "USD"))  # the incident's currency only
    assert (too_low.refused_low, too_low.refused_high) == (None, krw(11_000))
    too_high = wrong_price_band(krw(1_000_000), krw(100_000))
    assert too_high.blocks(krw(5_000_000)) and not too_high.blocks(krw(100_000))
    assert too_high.refused_high is None
    slip = wrong_price_band(krw(150_000), krw(185_000))  # a small slip: its band only
    assert slip.blocks(krw(150_000)) and not slip.blocks(krw(140_000))
    assert (slip.refused_low, slip.refused_high) == (slip.low, slip.high)
    draft = wrong_price_band(krw(10_000), None)  # no correct price: the wrong price only
    assert draft.blocks(krw(10_000)) and not draft.blocks(krw(9_000))
