"""Evidence features, vectorised: how far a new price sits from each reference price.

A change is judged against the reference *closest* to its new price, so a price that returns
to the listing's usual level after a promotion, or matches other sellers, is never far off.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

LN10 = float(np.log(10.0))
#: Log-ratios are clipped here so a zero price gives a large, finite score input.
LOG_CLIP = 50.0


def log_ratio(new: F64, ref: F64) -> F64:
    """``ln(new / ref)``; NaN where ``ref`` is unknown, ``-inf`` for a zero new price."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(new) - np.log(ref)


def nearest_reference(new: F64, refs: F64) -> tuple[F64, I64]:
    """Signed log-distance to the *median* reference of ``refs`` (n×k, NaN = absent), and its column.

    With an even number of references the middle one closer to the new price is taken, so one
    stale or odd reference can neither raise nor hide an alarm on its own.
    """
    dev = log_ratio(new[:, None], refs)
    present = ~np.isnan(dev)
    n = present.sum(axis=1)
    order = np.argsort(np.where(present, dev, np.inf), axis=1, kind="stable")
    lo = np.take_along_axis(order, np.maximum((n - 1) // 2, 0)[:, None], axis=1)[:, 0]
    hi = np.take_along_axis(order, (n // 2)[:, None], axis=1)[:, 0]
    rows = np.arange(dev.shape[0])
    kind = np.where(np.abs(dev[rows, lo]) <= np.abs(dev[rows, hi]), lo, hi)
    nearest = np.clip(np.nan_to_num(dev[rows, kind], nan=0.0), -LOG_CLIP, LOG_CLIP)
    return nearest, kind.astype(np.int64)


def near_any(log_q: F64, anchors: F64, tol: float) -> npt.NDArray[np.bool_]:
    """True where ``|log_q|`` lies within ``tol`` of one of the log ``anchors``."""
    if anchors.size == 0:
        return np.zeros(log_q.shape, dtype=bool)
    gap = np.abs(np.abs(log_q)[:, None] - anchors[None, :])
    return np.asarray(np.min(gap, axis=1) < tol)


def promo_explains_drop(
    log_q_old: F64, promo_pct: F64, max_depth_pct: F64, tol: float
) -> npt.NDArray[np.bool_]:
    """A declared promotion within policy whose depth matches the actual drop from the current price."""
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.log1p(-promo_pct / 100.0)
        return np.asarray((np.abs(log_q_old - expected) < tol) & (promo_pct < max_depth_pct))


def is_round(values: F64, step: float) -> npt.NDArray[np.bool_]:
    """True where ``values`` is a whole multiple of ``step`` (NaN -> False)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.abs(values / step - np.round(values / step)) < 1e-9)
