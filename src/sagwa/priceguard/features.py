"""Evidence features, vectorised: how far a new price sits from each reference price.

A change is judged against the *median* of its references (current price, the listing's recent
median, other sellers' median, list price), so a price that returns to the listing's usual level
after a promotion, or matches other sellers, is not far off, while one odd reference (a current
price that is itself a promotion) cannot hide a dropped zero.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

LN10 = float(np.log(10.0))
#: Log-ratios are clipped here so a zero price gives a large, finite score input.
LOG_CLIP = 50.0


def median_reference(new: F64, refs: list[F64]) -> tuple[F64, F64]:
    """Signed log-distance from the new price to the *median* reference, and that reference.

    ``refs`` are up to four price columns; NaN or non-positive means absent. With an even number
    present, the middle one closer to the new price (in log terms) is taken, so one stale or odd
    reference can neither raise nor hide an alarm on its own. A sorting network on whole
    columns keeps this a handful of vector passes.
    """
    with np.errstate(invalid="ignore"):
        s = [np.where(ref > 0, ref, np.inf) for ref in refs]
    count = np.zeros(new.shape[0], dtype=np.int64)
    for col in s:
        count += np.isfinite(col)
    for i, j in ((0, 1), (2, 3), (0, 2), (1, 3), (1, 2)):
        s[i], s[j] = np.minimum(s[i], s[j]), np.maximum(s[i], s[j])
    small = np.where(count >= 3, s[1], s[0])
    large = np.where(count == 1, s[0], np.where(count == 4, s[2], s[1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_new = np.log(new)
        d_small = log_new - np.log(small)
        d_large = log_new - np.log(large)
    take_large = np.abs(d_large) <= np.abs(d_small)
    log_q = np.where(take_large, d_large, d_small)
    ref = np.where(take_large, large, small)
    log_q = np.where(count > 0, np.nan_to_num(log_q, nan=0.0), 0.0)
    return np.clip(log_q, -LOG_CLIP, LOG_CLIP), np.where(count > 0, ref, np.nan)


def reference_kind(refs: list[F64], ref: F64) -> I64:
    """Index of the first reference column equal to the chosen reference (for explanations)."""
    kind = np.zeros(ref.shape[0], dtype=np.int64)
    for k in range(len(refs) - 1, -1, -1):
        kind = np.where(refs[k] == ref, k, kind)
    return kind


def near_any(log_q: F64, anchors: F64, tol: float) -> npt.NDArray[np.bool_]:
    """True where ``|log_q|`` lies within ``tol`` of one of the *sorted* log ``anchors``."""
    if anchors.size == 0:
        return np.zeros(log_q.shape, dtype=bool)
    x = np.abs(log_q)
    i = np.searchsorted(anchors, x)
    right = anchors[np.minimum(i, anchors.size - 1)]
    left = anchors[np.maximum(i - 1, 0)]
    return np.asarray((np.abs(right - x) < tol) | (np.abs(x - left) < tol))


def is_round(values: F64, step: float) -> npt.NDArray[np.bool_]:
    """True where ``values`` is a whole multiple of ``step`` (NaN -> False)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.abs(values / step - np.round(values / step)) < 1e-9)
