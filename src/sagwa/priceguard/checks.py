"""The batch check: columnar evidence in, verdicts out. No loops over rows, no I/O.

``check_prices(PriceColumns(...), rules)`` scores each change by how far its new price sits
from the *median* of its references (current price, the listing's recent median, the median of
other sellers, the list price), in units of the policy threshold::

    z = max(drop / ln(1/down_ratio), rise / ln(up_ratio))      drop, rise = |ln(new/ref)|

A declared promotion within policy that matches the actual drop relaxes the drop threshold; a
ratio with the shape of a known error (×10ⁿ, an FX rate, a pack size) raises z by
``shape_boost``; penny prices, over-deep promotions, an undeclared cut (from the current price)
as deep as the category's promotion limit, a declared promotion the new price disagrees with
(``promo_mismatch_log``), a price under or over the category's share of the list price (the
fixed book price law) and seller floors/ceilings set a floor on z, one at which the change is held whatever
``hold_score`` is. A rise is also scored against the list price alone, and a change that
continues a long streak of moves in one direction against the streak's start (repricers).
``score = z / (1 + z)``; a change is held when ``score >= hold_score`` (z = 1 is the threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import numpy.typing as npt

from sagwa.priceguard.features import (
    F64,
    LOG_CLIP,
    is_round,
    median_reference,
    reference_kind,
)
from sagwa.priceguard.recognisers import (
    I8,
    classify,
    ends_in_zero_cents,
    fx_from_a_reference,
    is_placeholder,
    is_shaped,
    near_fx,
    promotion_mismatch_named_by,
    typed_discount_amount,
)
from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.vocabulary import ERROR_CODE, REASON_CODE, REF_KIND

LOWEST = REF_KIND["lowest_other_seller"]
HIGHEST = REF_KIND["highest_other_seller"]

PENNY_Z = 2.0
SELLER_LIMIT_Z = 1.5
ROUND_PCT_BONUS = 0.25
#: z for a declared promotion the price disagrees with, plus the log-size of the disagreement.
PROMO_MISMATCH_Z = 1.25
MISMATCH = REASON_CODE["promotion_mismatch"]
#: Log slack on the undeclared-cut limit: 210,800 of 527,000 is exactly 60% off, whatever the
#: last bit of the logarithms says.
CUT_SLACK = 1e-9
PROMOTION_PRICE = REF_KIND["promotion_price"]
LIST_FLOOR = REASON_CODE["below_list_price_floor"]
LIST_CEILING = REASON_CODE["above_list_price_ceiling"]
LIST_PRICE = REF_KIND["list_price"]
FAR_ABOVE = REASON_CODE["far_above_references"]
FAR_BELOW = REASON_CODE["far_below_references"]
STREAK_START = REF_KIND["streak_start"]
IN_STEPS = REASON_CODE["cut_too_deep_in_steps"]
RUNAWAY = ERROR_CODE["repricer_runaway"]


#: The policy rules, in the order ``_apply_floors`` applies them (a later one names the reason):
#: exactly ``vocabulary.POLICY_REASONS`` (a test holds the two together).
POLICY_ORDER: tuple[str, ...] = (
    "undeclared_cut_too_deep",
    "cut_too_deep_in_steps",
    "promotion_mismatch",
    "promotion_too_deep",
    "below_list_price_floor",
    "above_list_price_ceiling",
    "above_seller_ceiling",
    "below_seller_floor",
    "penny_price",
)


_NOT_GIVEN: F64 = np.empty(0)


@dataclass(frozen=True)
class PriceColumns:
    """Evidence for n changes. Prices are float64 *minor* units; NaN marks unknown evidence.

    ``minor_per_major`` is 100 for USD, 1 for KRW; ``penny_minor`` the penny ceiling in minor
    units; ``max_depth_pct`` the promotion depth allowed for the change's category.
    ``list_floor`` the least price the category allows (a share of the list price: the fixed
    book price law), NaN when none; ``list_ceiling`` the most (a new book never above its list
    price), NaN when none, and NaN in every row when not given (columns built by hand, as the
    benchmarks' are, need not know it).
    ``peer_low`` / ``peer_high`` / ``peer_count``: the lowest and highest latest price among the
    other sellers of the product and how many there are (the guard uses the range from
    ``peer_range_min_sellers`` sellers up).
    ``streak_start`` / ``streak_moves``: the price the listing's current streak of moves in one
    direction started from and how many moves it has made (NaN and 0: none; ``priceguard.streak``).
    ``fx_set``: the FX rates each change's currency is checked against (an index in
    ``PriceRules.fx_log_sets``, ``PriceRules.fx_set``), 0 in every row when not given.
    """

    new: F64
    old: F64
    recent_median: F64
    peer_median: F64
    peer_low: F64
    peer_high: F64
    peer_count: F64
    list_price: F64
    promotion_pct: F64
    max_depth_pct: F64
    minor_per_major: F64
    penny_minor: F64
    floor: F64
    ceiling: F64
    list_floor: F64
    streak_start: F64
    streak_moves: F64
    list_ceiling: F64 = field(default_factory=lambda: _NOT_GIVEN)
    fx_set: F64 = field(default_factory=lambda: _NOT_GIVEN)

    def __post_init__(self) -> None:
        if self.list_ceiling is _NOT_GIVEN:
            object.__setattr__(self, "list_ceiling", np.full(self.new.shape, np.nan))
        if self.fx_set is _NOT_GIVEN:
            object.__setattr__(self, "fx_set", np.zeros(self.new.shape))

    def __len__(self) -> int:
        return int(self.new.shape[0])

    def rows(self, start: int, stop: int) -> PriceColumns:
        """Rows ``start:stop`` of every column (views, no copy)."""
        return PriceColumns(*(getattr(self, f.name)[start:stop] for f in fields(self)))


@dataclass(frozen=True)
class GuardResult:
    """Per-change outputs; codes index ``vocabulary.ERROR_TYPES`` / ``REASON_CODES`` / ``REF_KINDS``."""

    hold: npt.NDArray[np.bool_]
    score: F64
    error_code: I8
    reason_code: I8
    ref_kind: I8
    ref_price: F64
    log_q: F64

    def verdicts(self) -> npt.NDArray[np.str_]:
        return np.where(self.hold, "hold", "allow")


BLOCK_ROWS = 65_536
"""Rows scored at a time: each step's temporaries (a few dozen arrays) then stay in the CPU
cache instead of streaming through memory; on 1M rows this about doubles the throughput
(measured side by side in ``bench/guard_throughput.py``)."""


def check_prices(cols: PriceColumns, rules: PriceRules) -> GuardResult:
    """Score and classify every change in ``cols`` under ``rules``, in cache-sized blocks."""
    n = len(cols)
    if n <= BLOCK_ROWS:
        return _check_block(cols, rules)
    parts = [
        _check_block(cols.rows(start, start + BLOCK_ROWS), rules)
        for start in range(0, n, BLOCK_ROWS)
    ]
    return GuardResult(
        *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(GuardResult))
    )


def _check_block(cols: PriceColumns, rules: PriceRules) -> GuardResult:
    refs = [cols.old, cols.recent_median, cols.peer_median, cols.list_price]
    log_q, ref_price = median_reference(cols.new, refs)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.log1p(-cols.promotion_pct / 100.0)
        promo_gap = np.log(cols.new / cols.old) - expected
        promo_matches = np.abs(promo_gap) < rules.promo_match_log
        explained = promo_matches & (cols.promotion_pct < cols.max_depth_pct)
    mismatched = _promotion_mismatch(cols, expected, promo_gap, rules)
    placeholder = is_placeholder(cols.new, cols.minor_per_major, log_q)
    z, reason, log_down = _base_z(log_q, explained, expected, placeholder, rules, cols.fx_set)
    z, reason, range_ref = _add_peer_range(z, reason, cols, rules, explained)
    z, reason, log_list = _above_list_price(z, reason, cols, rules)
    z, reason, streak_rows = _from_streak_start(z, reason, cols, rules, log_down)
    log_list[streak_rows] = np.nan  # the streak decides there
    regular = regular_price(cols, rules)
    z, reason = _apply_floors(z, reason, cols, rules, mismatched, promo_gap, log_q, regular)
    score = z / (1.0 + z)
    hold = score >= rules.hold_score
    reason = np.where(hold, reason, REASON_CODE["within_range"]).astype(np.int8)
    on_promo = reason == MISMATCH
    # held for its rise past the list price: said (and named) against the list price
    on_list = (reason == FAR_ABOVE) & ~np.isnan(log_list)
    # held for how far a streak of moves has taken the price (no policy rule took the reason
    # over, and held): said against the streak's start
    on_streak = streak_rows[(reason[streak_rows] == FAR_ABOVE) | (reason[streak_rows] == FAR_BELOW)]
    kind = reference_kind(refs, ref_price)
    kind = np.where(range_ref == 0, kind, range_ref)
    ref_price = np.where(range_ref == LOWEST, cols.peer_low, ref_price)
    ref_price = np.where(range_ref == HIGHEST, cols.peer_high, ref_price)
    kind = np.where(on_list, LIST_PRICE, kind)
    ref_price = np.where(on_list, cols.list_price, ref_price)
    kind[on_streak] = STREAK_START
    ref_price[on_streak] = cols.streak_start[on_streak]
    kind = np.where(on_promo, PROMOTION_PRICE, kind)
    ref_price = np.where(on_promo, cols.old * (1.0 - cols.promotion_pct / 100.0), ref_price)
    in_steps = reason == IN_STEPS  # said against the price the run of cuts started from
    kind = np.where(in_steps, STREAK_START, kind)
    ref_price = np.where(in_steps, regular, ref_price)
    # said against the list price the floor or the ceiling is a share of
    on_floor = (reason == LIST_FLOOR) | (reason == LIST_CEILING)
    kind = np.where(on_floor, LIST_PRICE, kind)
    ref_price = np.where(on_floor, cols.list_price, ref_price)
    # a price that disagrees with its declared promotion is named by how it sits from the
    # price the promotion gives (or from the current price, a power of ten off it), not from
    # the references
    name_q = np.where(on_promo, promo_gap, np.where(on_list, log_list, log_q))
    held = np.flatnonzero(hold)
    mismatch = np.flatnonzero(on_promo & hold)  # few: named here, not over every row
    name_q[mismatch] = promotion_mismatch_named_by(promo_gap[mismatch], cols.new[mismatch],
                                                   cols.old[mismatch], rules)
    error = np.zeros(hold.shape[0], dtype=np.int8)
    error[held] = _name_held(cols, rules, held, refs, name_q, promo_matches, placeholder,
                             reason, (kind, ref_price))
    error[on_streak] = RUNAWAY
    return GuardResult(hold, score, error, reason, kind.astype(np.int8), ref_price, log_q)


def _name_held(
    cols: PriceColumns,
    rules: PriceRules,
    held: npt.NDArray[np.intp],
    refs: list[F64],
    name_q: F64,
    promo_matches: npt.NDArray[np.bool_],
    placeholder: npt.NDArray[np.bool_],
    reason: I8,
    said: tuple[npt.NDArray[np.int64], F64],
) -> I8:
    """Error types of the ``held`` rows (``recognisers.classify``), named by ``name_q``.

    ``said``: the reference kind and price each reason quotes. Where that is the lowest or the
    highest other seller, not the median reference the change is named by, and the ratio to it
    is an FX rate, the change is a currency mix-up unless another shape names it ("new price
    $4,036.50 is 1,350.0 times the highest of 40 other sellers" is no mistyped digit).
    """
    new, old, pct = cols.new[held], cols.old[held], cols.promotion_pct[held]
    kind, ref_price = said[0][held], said[1][held]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_said = np.log(new / ref_price)
    fx_set = cols.fx_set[held]
    fx_said = ((kind == LOWEST) | (kind == HIGHEST)) & near_fx(
        log_said, fx_set, rules, rules.shape_tolerance_log)
    return classify(
        log_q=name_q[held],
        new_major=new / cols.minor_per_major[held],
        zero_cents=ends_in_zero_cents(new, cols.minor_per_major[held]),
        promo_pct=pct,
        promo_matches=promo_matches[held],
        placeholder=placeholder[held],
        reason=reason[held],
        rules=rules,
        fx_confirmed=fx_from_a_reference(
            new, [r[held] for r in (*refs, cols.peer_low, cols.peer_high)], rules, fx_set),
        fx_said=fx_said,
        discount_amount=typed_discount_amount(new, old, pct, rules),
        fx_set=fx_set,
    )


def _promotion_mismatch(
    cols: PriceColumns, expected: F64, promo_gap: F64, rules: PriceRules
) -> npt.NDArray[np.bool_]:
    """Declared promotions the new price disagrees with by ``promo_mismatch_log`` or more.

    The percent may be meant off the listing's usual (recent median) or list price rather than
    the current one (a deeper promotion on top of a running one): a match there is no mismatch.
    Only the rows already off the current price are checked against those (most rows declare
    no promotion at all). A new price at or above every such base is always a mismatch.
    """
    tol = rules.promo_mismatch_log
    with np.errstate(invalid="ignore"):
        comparable = (
            (cols.promotion_pct > 0) & (cols.promotion_pct < 100) & (cols.old > 0) & (cols.new > 0)
        )
        mismatched = comparable & (np.abs(promo_gap) >= tol)
    rows = np.flatnonzero(mismatched)
    with np.errstate(divide="ignore", invalid="ignore"):
        for base in (cols.recent_median[rows], cols.list_price[rows]):
            matched = np.abs(np.log(cols.new[rows] / base) - expected[rows]) < tol
            mismatched[rows[matched]] = False
    # a "discount" that leaves the price at or above every regular price it could be taken off
    # (current, usual, list) discounts nothing, however close it lands to one of them
    declared = np.flatnonzero(comparable)  # most rows declare nothing: look at the few that do
    regular = np.fmax(np.fmax(cols.old[declared], cols.recent_median[declared]),
                      cols.list_price[declared])
    mismatched[declared[cols.new[declared] >= regular]] = True
    return mismatched


def depth_cap(max_depth_pct: F64) -> F64:
    """A category's promotion depth as the deepest cut without review, -ln(new/reference)
    (the depth clipped to 0..99.99%)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(-np.log1p(-np.clip(max_depth_pct, 0.0, 99.99) / 100.0))


def undeclared_cut_cap(promotion_pct: F64, max_depth_pct: F64) -> F64:
    """The deepest cut (as -ln(new/reference)) a change with no declared promotion may make
    without review: the category's promotion depth ("Deep discounts need a declared, approved
    promotion"); infinite for a change that declares one."""
    return np.where(np.isnan(promotion_pct), depth_cap(max_depth_pct), np.inf)


def _undeclared_too_deep(cols: PriceColumns, rules: PriceRules, log_q: F64) -> npt.NDArray[np.bool_]:
    """Undeclared cuts at or past their category's promotion limit. Where the limit is so loose
    that the drop ratio holds such a cut anyway (the default 80%), nothing is computed."""
    no_op = 100.0 * -np.expm1(-rules.log_down * rules.z_policy)  # ~79%: the ratio holds past it
    if not np.any(cols.max_depth_pct < no_op):
        return np.zeros(len(cols), dtype=np.bool_)
    cut_cap = undeclared_cut_cap(cols.promotion_pct, cols.max_depth_pct)
    with np.errstate(invalid="ignore"):
        # a cut, from the current price too: raising a price during a promotion cuts nothing
        return np.asarray((-log_q >= cut_cap - CUT_SLACK) & (cols.new < cols.old))


def peer_range_excess(
    cols: PriceColumns, rules: PriceRules, explained: npt.NDArray[np.bool_]
) -> F64:
    """How far (log) the new price lies beyond every other seller's price, past the margins.

    0 inside the margins or when fewer than ``peer_range_min_sellers`` other sellers are known.
    The margin below is wide (a lone seller's 70% promotion must pass), the one above narrow;
    a drop ``explained`` by a declared promotion within policy is not counted below the range.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        below = np.log(cols.peer_low / cols.new) - rules.log_peer_margin_down
        below = np.where(explained, -np.inf, below)
        above = np.log(cols.new / cols.peer_high) - rules.log_peer_margin_up
        outside = np.maximum(below, above)
    outside = np.where(cols.peer_count >= rules.peer_range_min_sellers, outside, 0.0)
    return np.asarray(np.clip(np.nan_to_num(outside, nan=0.0), 0.0, LOG_CLIP), dtype=np.float64)


def _add_peer_range(
    z: F64,
    reason: I8,
    cols: PriceColumns,
    rules: PriceRules,
    explained: npt.NDArray[np.bool_],
) -> tuple[F64, I8, npt.NDArray[np.int64]]:
    """Add ``peer_range_weight`` × the excess; when that dominates, it becomes the reason."""
    z_range = rules.peer_range_weight * peer_range_excess(cols, rules, explained)
    dominant = z_range > z
    below = cols.new < cols.peer_low
    reason = np.where(
        dominant,
        np.where(
            below, REASON_CODE["below_all_other_sellers"], REASON_CODE["above_all_other_sellers"]
        ),
        reason,
    ).astype(np.int8)
    range_ref = np.where(dominant, np.where(below, LOWEST, HIGHEST), 0)
    return z + z_range, reason, range_ref


def _above_list_price(
    z: F64, reason: I8, cols: PriceColumns, rules: PriceRules
) -> tuple[F64, I8, F64]:
    """A rise past the product's list price, measured against the list price alone.

    The listing's own current and recent prices take part in the median reference, so prices
    that climbed step by step vouch for the next step: two repricers pricing off each other
    each stay under ``up_ratio`` of their own recent median (and each is the other's "highest
    other seller") while leaving the list price far behind. Nothing outside the listing vouches
    for such a price: where this ratio gives more than the other terms, it is the reason
    (``far_above_references``, said against the list price). The other sellers' median is not
    used here: in real data a listing can sit at several times the others' median for good
    (another pack size under the same product) and rise further (docs/benchmarks.md, "Repricer
    runaways"). Returns z, the reasons and ``ln(new / list price)`` where this term decides
    (NaN elsewhere)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_list = np.log(cols.new / np.where(cols.list_price > 0, cols.list_price, np.nan))
    z_list = np.clip(np.nan_to_num(log_list, nan=0.0, neginf=0.0), 0.0, LOG_CLIP) / rules.log_up
    decides = z_list > z
    reason = np.where(decides, FAR_ABOVE, reason).astype(np.int8)
    return np.maximum(z, z_list), reason, np.where(decides, log_list, np.nan)


def _from_streak_start(
    z: F64, reason: I8, cols: PriceColumns, rules: PriceRules, log_down: F64
) -> tuple[F64, I8, npt.NDArray[np.intp]]:
    """A change that continues a streak of at least ``streak_min_moves`` moves in one direction
    (itself included), scored as one move from the price the streak started at.

    A repricer cutting 3% at a time, or two raising 27% above each other, makes every step
    ordinary next to the listing's recent prices, which walk with it, and the partner of a
    spiral is the highest "other seller": without a list price nothing outside the listing
    sees the runaway. The streak's start does. The thresholds are the single move's
    (``log_down``: ``down_ratio``, relaxed by a declared promotion that explains the drop, as
    for one move; ``up_ratio``). The term raises z; it becomes the reason
    (``far_below_references`` / ``far_above_references``, said against the streak's start,
    named ``repricer_runaway``) only where the other terms would not hold the change: a dropped
    zero at the end of a walk is still named a dropped zero. Returns z, the reasons and the rows
    where this term is the reason."""
    # only the rows with a long enough streak (few, in real data) are looked at
    rows = np.flatnonzero(cols.streak_moves >= rules.streak_min_moves - 1)
    if rows.size == 0:
        return z, reason, rows
    new, old, start = cols.new[rows], cols.old[rows], cols.streak_start[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        # a move (new != old) the same way as the streak's (old from start), all known
        goes_on = (new != old) & ((new > old) == (old > start)) & (old != start) & (old > 0) & (
            start > 0)
        rows, new, start = rows[goes_on], new[goes_on], start[goes_on]
        log_here = np.log(new / start)
        z_s = np.maximum(log_here / rules.log_up, -log_here / log_down[rows])
    z_s = np.clip(z_s, 0.0, LOG_CLIP)
    before = z[rows]
    raises = z_s > before
    z[rows[raises]] = z_s[raises]  # z and reason are this block's own arrays
    takes = raises & (before / (1.0 + before) < rules.hold_score)
    rows = rows[takes]
    reason[rows] = np.where(log_here[takes] < 0, FAR_BELOW, FAR_ABOVE)
    return z, reason, rows


def _base_z(
    log_q: F64,
    explained: npt.NDArray[np.bool_],
    expected: F64,
    placeholder: npt.NDArray[np.bool_],
    rules: PriceRules,
    fx_set: F64,
) -> tuple[F64, I8, F64]:
    """z from the ratio to the median reference, the reasons, and each row's drop threshold
    (``ln(1/down_ratio)``, relaxed where a declared promotion explains the drop)."""
    promo_floor = -expected - np.log(rules.promo_slack)
    log_down = np.where(explained, np.maximum(rules.log_down, promo_floor), rules.log_down)
    z = np.maximum(-log_q / log_down, log_q / rules.log_up)
    z = np.maximum(z, 0.0)
    shaped = is_shaped(log_q, fx_set, rules) | placeholder
    z = np.where(shaped, z * rules.shape_boost, z)
    reason = np.where(
        log_q < 0, REASON_CODE["far_below_references"], REASON_CODE["far_above_references"]
    )
    return z, reason.astype(np.int8), log_down


def regular_price(cols: PriceColumns, rules: PriceRules) -> F64:
    """The price a run of cuts started from, when the current price ends one (``streak_start``
    above the old price: each cut within ``streak_max_gap`` of the one before); NaN otherwise.
    Not the recent median: on real weekly prices it swings too far to measure cuts from (it
    held 10 legitimate changes of the dev set, and 5 errors).

    Nor a start more than ``up_ratio`` times the listing's usual price (:func:`usual_price`):
    a run that begins by taking a wrong price back down is a correction, not a discount (a
    review approved a ×10 slip, took it back, and the next 0.8% cut was held as "90% below the
    price before this run of 2 cuts")."""
    usual = usual_price(cols.recent_median, cols.peer_median, cols.list_price)
    with np.errstate(invalid="ignore"):
        run = (cols.streak_moves >= 1) & (cols.streak_start > cols.old)
        run &= ~(cols.streak_start > rules.up_ratio * usual)  # NaN usual: nothing says so
        return np.where(run, cols.streak_start, np.nan)


def usual_price(*columns: F64) -> F64:
    """The median of what is known of ``columns`` row by row (NaN where none is), without
    NumPy's all-NaN warning."""
    values = np.sort(np.stack(columns, axis=1), axis=1)  # NaN sorts last
    known = np.sum(~np.isnan(values), axis=1)
    low = values[np.arange(len(known)), np.maximum((known - 1) // 2, 0)]
    high = values[np.arange(len(known)), np.maximum(known // 2, 0)]
    return np.where(known > 0, (low + high) / 2.0, np.nan)


def _too_deep_in_steps(cols: PriceColumns, regular: F64) -> npt.NDArray[np.bool_]:
    """Cuts that take the price as far below where a run of cuts began (:func:`regular_price`)
    as the category lets a promotion go without review — made in steps, or a promotion
    declared on top of one just applied (each step short of the limit, the sum past it: "Deep
    discounts need a declared, approved promotion")."""
    out = np.zeros(len(cols), dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero((regular > cols.old) & (cols.new < cols.old))  # few: runs of cuts
    if rows.size:
        with np.errstate(divide="ignore"):
            cut = -np.log(cols.new[rows] / regular[rows])
        out[rows] = cut >= depth_cap(cols.max_depth_pct[rows]) - CUT_SLACK
    return out


def _apply_floors(
    z: F64,
    reason: I8,
    cols: PriceColumns,
    rules: PriceRules,
    mismatched: npt.NDArray[np.bool_],
    promo_gap: F64,
    log_q: F64,
    regular: F64,
) -> tuple[F64, I8]:
    """Policy rules that hold a change whatever its ratios; later rules win the reason."""
    pct = cols.promotion_pct
    with np.errstate(invalid="ignore"):
        masks = {
            # an undeclared cut as deep as the category lets a declared promotion go without
            # review (a hair of slack: exactly 60% off must count as 60%)
            "undeclared_cut_too_deep": _undeclared_too_deep(cols, rules, log_q),
            "cut_too_deep_in_steps": _too_deep_in_steps(cols, regular),
            "promotion_mismatch": mismatched,
            "promotion_too_deep": pct >= cols.max_depth_pct,
            "below_list_price_floor": cols.new < cols.list_floor,
            "above_list_price_ceiling": cols.new > cols.list_ceiling,
            "above_seller_ceiling": cols.new > cols.ceiling,
            "below_seller_floor": cols.new < cols.floor,
            "penny_price": cols.new <= cols.penny_minor,
        }
    rules_in_order = [(masks[name], name) for name in POLICY_ORDER]
    for mask, name in rules_in_order:
        hit = np.flatnonzero(mask)
        if hit.size == 0:
            continue
        if name in ("undeclared_cut_too_deep", "cut_too_deep_in_steps"):
            # the reason only where the policy is what holds it: a deeper drop the ratio already
            # holds keeps its own reason (and its shape's name: a dropped zero)
            weak = z[hit] < rules.z_policy
            z[hit] = np.maximum(z[hit], rules.z_policy)
            reason[hit[weak]] = REASON_CODE[name]
            continue
        if name == "promotion_mismatch":
            floor_z = PROMO_MISMATCH_Z + np.minimum(np.abs(promo_gap[hit]), LOG_CLIP)
        elif name == "promotion_too_deep":
            bonus = np.where(is_round(pct[hit], rules.round_pct_step), ROUND_PCT_BONUS, 0.0)
            floor_z = 1.0 + (pct[hit] - cols.max_depth_pct[hit]) / 100.0 + bonus
        else:
            floor_z = np.full(hit.size, PENNY_Z if name == "penny_price" else SELLER_LIMIT_Z)
        # a policy rule holds whatever hold_score is (a declared 61% where 60% needs review)
        z[hit] = np.maximum(z[hit], np.maximum(floor_z, rules.z_policy))
        reason[hit] = REASON_CODE[name]
    return z, reason
