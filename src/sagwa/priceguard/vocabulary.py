"""Stable codes the guard emits: error types, reason codes and reference kinds.

Arrays carry the small integer index; files and APIs carry the string. The error types are the
vocabulary of the labelled data (``labels.csv.gz``) so evaluations compare like with like.
"""

from __future__ import annotations

ERROR_TYPES: tuple[str, ...] = (
    "none",
    "decimal_slip",
    "extra_zero",
    "digit_typo",
    "currency",
    "percent_inverted",
    "inflated_promotion",
    "discount_as_price",
    "unit_error",
    "penny",
    # not a label of the dev set: named only by the streak rule (``checks._from_streak_start``)
    "repricer_runaway",
)
ERROR_CODE: dict[str, int] = {name: i for i, name in enumerate(ERROR_TYPES)}

REASON_CODES: tuple[str, ...] = (
    "within_range",
    "far_below_references",
    "far_above_references",
    "below_all_other_sellers",
    "above_all_other_sellers",
    "penny_price",
    "promotion_too_deep",
    "below_seller_floor",
    "above_seller_ceiling",
    "promotion_mismatch",
    "undeclared_cut_too_deep",
    "below_list_price_floor",
    "cut_too_deep_in_steps",
    # appended: the codes above keep their numbers
    "above_list_price_ceiling",
)
REASON_CODE: dict[str, int] = {name: i for i, name in enumerate(REASON_CODES)}

#: The reasons that are pricing policy, not a judgement of the numbers (``checks._apply_floors``:
#: they hold whatever ``hold_score`` is): a book under the fixed-book-price floor or above its
#: list price (the law's ceiling), a promotion at or past its category's limit, the seller's own
#: floor or ceiling, a placeholder price, a price that disagrees with its declared promotion, an
#: undeclared cut as deep as a declared one would need review for, or one that deep from the
#: listing's regular price made in steps or on top of a running promotion. Approving a change
#: they held needs a reason (``services.price_review``).
POLICY_REASONS: frozenset[str] = frozenset({
    "below_list_price_floor", "promotion_too_deep", "below_seller_floor",
    "above_seller_ceiling", "penny_price", "promotion_mismatch", "undeclared_cut_too_deep",
    "cut_too_deep_in_steps", "above_list_price_ceiling"})
#: The policy reasons that name no error type where no shape names one (the fallback "a
#: mistyped digit" is left out): a cut held only because it was not declared is a sale more
#: often than a slip, and a price past the seller's own limit may be any move (5% under the
#: floor is no typo, nor a book 19% over its list price). ``recognisers.classify`` and
#: ``scalar._classify`` both read it.
NO_GUESS_REASONS: tuple[str, ...] = (
    "undeclared_cut_too_deep", "below_list_price_floor", "cut_too_deep_in_steps",
    "below_seller_floor", "above_seller_ceiling", "above_list_price_ceiling")

#: Which price the change was compared with (the median reference, see ``features.median_reference``).
REF_KINDS: tuple[str, ...] = (
    "current",
    "recent_median",
    "other_sellers",
    "list_price",
    "lowest_other_seller",
    "highest_other_seller",
    "promotion_price",
    # the price a streak of moves in one direction started from (``priceguard.streak``)
    "streak_start",
)
REF_KIND: dict[str, int] = {name: i for i, name in enumerate(REF_KINDS)}

VERDICTS: tuple[str, str] = ("allow", "hold")
