"""The policy rules are one list: the batch core applies exactly the rules the vocabulary calls
policy (and the review page explains), in one order that the single check follows too."""

from __future__ import annotations

from sagwa.priceguard import ChangeEvidence, check_one, check_prices, load_rules
from sagwa.priceguard.checks import POLICY_ORDER
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import POLICY_REASONS, REASON_CODES
from sagwa.web.pages.labels import POLICY_RULE

RULES = load_rules()


def test_the_core_applies_exactly_the_policy_reasons() -> None:
    assert len(POLICY_ORDER) == len(set(POLICY_ORDER))
    assert set(POLICY_ORDER) == POLICY_REASONS == set(POLICY_RULE)


def _reason_both_ways(ev: ChangeEvidence) -> str:
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    one = check_one(ev, RULES)
    assert REASON_CODES[int(batch.reason_code[0])] == one.reason_code
    return one.reason_code


def test_a_later_rule_names_the_reason_in_both_checks() -> None:
    """A penny price that also disagrees with its declared 10% (and is past the seller's
    floor) is held as a penny price, the last rule; without the floor and the penny ceiling
    reached it is the mismatch."""
    penny = ChangeEvidence(old_price_minor=1_999, new_price_minor=1, currency="USD",
                           promotion_pct=10.0)
    assert _reason_both_ways(penny) == POLICY_ORDER[-1] == "penny_price"
    mismatch = ChangeEvidence(old_price_minor=1_999, new_price_minor=1_199, currency="USD",
                              promotion_pct=10.0)
    assert _reason_both_ways(mismatch) == "promotion_mismatch"
