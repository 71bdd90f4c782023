"""Judging a batch run's changes, chunk by chunk, into one set of answers for the run.

A chunk of many changes is judged with the array check (``check_prices``) on the state's array
lookups; a chunk of a few — where a product changes every row — one change at a time with the
plain-float check (``scalar.judge``) on ``state_one``'s lookups, the web request's fast path,
which gives the same answers (``tests/unit/priceguard/test_priceguard_single_matches_batch.py``;
a score may differ in its last bit, ``math.log`` against NumPy's, never after its rounding to 4
places in the searches made) at a fraction of the array path's fixed cost per call.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import polars as pl

from sagwa.priceguard.checks import GuardResult, PriceColumns, check_prices
from sagwa.priceguard.explain import render_reasons
from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.scalar import ScalarInputs, judge
from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.state_one import evidence_one
from sagwa.priceguard.vocabulary import ERROR_TYPES
from sagwa.services.guard_batch_order import FROM_CHANGES, ChangeRows

#: The ``PriceColumns`` fields the state fills (the others come from the changes).
_FROM_STATE = ("recent_median", "peer_median", "peer_low", "peer_high", "peer_count",
               "streak_start", "streak_moves")


class Answers:
    """What the check saw and said, a row per change of the run (in time order), filled in as
    the chunks are judged; the reasons are rendered once, at the end."""

    def __init__(self, rows: ChangeRows) -> None:
        n = rows.lidx.size
        self.cols = PriceColumns(**{f: rows.prices[c] for f, c in FROM_CHANGES.items()},
                                 **{f: np.full(n, np.nan) for f in _FROM_STATE})
        codes = [np.zeros(n, dtype=np.int8) for _ in range(3)]
        self.result = GuardResult(np.zeros(n, dtype=bool), np.zeros(n), *codes,
                                  np.full(n, np.nan), np.zeros(n))
        self.n_recent = np.zeros(n, dtype=np.int64)
        self.n_peers = np.zeros(n, dtype=np.int64)
        self.spread = np.full(n, np.nan)
        self._rows = rows

    def judge_chunk(self, start: int, end: int, state: EvidenceState,
                    rules: PriceRules) -> np.ndarray:
        """Judge rows ``start:end`` at once on ``state``; whether each was allowed."""
        rows = self._rows
        lidx, pidx, cidx = rows.lidx[start:end], rows.pidx[start:end], rows.cidx[start:end]
        cols = self.cols.rows(start, end)  # views: what the state says is written into them
        cols.streak_start[:], cols.streak_moves[:] = state.streak(
            lidx, cidx, current=cols.old, at=rows.at_s[start:end])
        peer, n_peers, cols.peer_low[:], cols.peer_high[:] = state.peer_stats(lidx, pidx, cidx)
        cols.peer_median[:], cols.peer_count[:], self.n_peers[start:end] = peer, n_peers, n_peers
        cols.recent_median[:] = state.recent_median(lidx, cidx)
        self.n_recent[start:end] = state.recent_count(lidx, cidx)
        self.spread[start:end] = state.recent_log_range(lidx, cidx)
        result = check_prices(cols, rules)
        for f in fields(GuardResult):
            getattr(self.result, f.name)[start:end] = getattr(result, f.name)
        return ~result.hold

    def judge_one(self, i: int, state: EvidenceState, rules: PriceRules) -> bool:
        """Judge row ``i`` alone on ``state`` (the same answer as in a chunk); whether it was
        allowed."""
        rows, cols = self._rows, self.cols
        ev = evidence_one(state, int(rows.lidx[i]), int(rows.pidx[i]), int(rows.cidx[i]),
                          float(cols.old[i]), float(rows.at_s[i]))
        cols.recent_median[i], cols.peer_median[i] = ev.recent_median, ev.peer_median
        cols.peer_low[i], cols.peer_high[i] = ev.peer_low, ev.peer_high
        cols.peer_count[i], cols.streak_start[i] = ev.peer_count, ev.streak_start
        cols.streak_moves[i] = ev.streak_moves
        self.n_recent[i], self.n_peers[i] = ev.recent_count, ev.peer_count
        self.spread[i] = ev.recent_log_range
        res = judge(ScalarInputs(*(float(getattr(cols, f)[i]) for f in ScalarInputs._fields)),
                    rules)
        result = self.result
        result.hold[i], result.score[i], result.error_code[i] = res.hold, res.score, res.error_code
        result.reason_code[i], result.ref_kind[i] = res.reason_code, res.ref_kind
        result.ref_price[i], result.log_q[i] = res.ref_price, res.log_q
        return not res.hold

    def frame(self, todo: pl.DataFrame, lang: str) -> pl.DataFrame:
        """Verdicts and evidence, a row per change of ``todo`` (in its order); the reasons are
        rendered here, once for the run."""
        cols, result = self.cols, self.result
        reasons = render_reasons(result, cols, todo["currency"].to_list(),
                                 n_peers=self.n_peers, lang=lang,
                                 categories=todo["category"].to_list())
        return pl.DataFrame(
            {
                "change_id": todo["change_id"],
                "verdict": result.verdicts(),
                "score": np.round(result.score, 4),
                "error_type": np.asarray(ERROR_TYPES)[result.error_code],
                "reason": reasons,
                "proposed_at": todo["proposed_at"],
                "old_price_minor": todo["old_price_minor"],
                "new_price_minor": todo["new_price_minor"],
                "promotion_pct": todo["promotion_pct"],
                "recent_median_minor": cols.recent_median,
                "peer_median_minor": cols.peer_median,
                "n_recent": self.n_recent,
                "n_peers": self.n_peers,
                "recent_log_range": self.spread,
            }
        )
