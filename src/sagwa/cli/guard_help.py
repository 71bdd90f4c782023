"""The help of ``sagwa guard check`` and ``sagwa guard evaluate``: the files' columns, what
stops a run, and what the figures mean (Markdown, as the ``sagwa`` command renders help).

The column lists are the layouts of ``sagwa.adapters.guard_input`` (``*_COLUMNS``; a test
holds them equal), written out here so that ``sagwa --help`` need not import Polars.
"""

from __future__ import annotations

HISTORY_COLUMNS = "listing_id, product_id, seller_id, price, observed_at, currency"
CHANGE_COLUMNS = ("change_id, listing_id, product_id, seller_id, old_price, new_price, "
                  "proposed_at, promotion_pct, currency")
PRODUCT_COLUMNS = "product_id, list_price, currency, category"
VERDICT_COLUMNS = "change_id, verdict, score, error_type, reason"
LABEL_COLUMNS = "change_id, is_error, error_type"

_FILES = f"""\
**Files**: CSV or gzip CSV in UTF-8, comma-separated, a header line first naming the columns
exactly (lower case; in any order; other columns are ignored):

- --history: {HISTORY_COLUMNS}
- --changes: {CHANGE_COLUMNS} (promotion_pct may be empty)
- --products: {PRODUCT_COLUMNS} (list_price and category may be empty)"""

_VALUES = """\
Prices are plain numbers in major units with "." for decimals, without thousands separators
or currency symbols (199000, 19.99); currencies are codes such as KRW or USD, in any case;
promotion_pct is a number below 100, without "%"."""

_MALFORMED = """\
**Malformed rows** (a value that cannot be read, too many or too few fields, a repeated
change_id or product_id) are listed with their line numbers, and the run stops with exit
status 2 before anything is written, unless --skip-bad-rows: they are then listed and
skipped. A file none of whose rows can be read stops the run all the same. A file that
lacks a column or cannot be read as CSV stops it with one line."""

CHECK = f"""\
Judge every change: change_id, verdict (allow/hold), score, error_type, reason.

{_FILES}
- --out (written): {VERDICT_COLUMNS} (--format json: a list of objects with those keys)

{_VALUES}

{_MALFORMED}

A changes file with a header and no rows is valid: the output then holds only the header
(CSV) or [] (JSON). A history file with no rows means no history.

A price of 0 means no price. A history row at 0 (out of stock) is no evidence: it is
skipped, and stderr says how many were. A list_price of 0 is no list price. An old_price
of 0 is no current price: the change is judged like a first price, against the listing's
recent prices, other sellers and the list price. A new_price of 0 is judged, and held as a
penny price. A promotion_pct of 0, like an empty one, declares no promotion.

Categories match the rules' categories ignoring case and surrounding spaces ("Books" is
books); a sub-category without limits of its own takes its parent's ("electronics/mp3"
takes electronics'). A category that matches none gets the default limits, and stderr
names it.

The changes file may be larger than memory: it is read in blocks into a scratch directory
(under $TMPDIR, removed afterwards; up to about 2.5 times the unpacked file's size) and
judged in parts of time, so memory grows with the history and the number of listings, not
with the changes. The history and products files are read whole.
"""

EVALUATE = f"""\
Recall, false-hold rate (all and declared promotions), ≥5× recall, per error type.

{_FILES}
- --labels: {LABEL_COLUMNS}; is_error is 1 for a pricing error and 0 for a good change;
  error_type names the error's type, and is none when is_error is 0

{_MALFORMED}

Only labelled changes count. **Splits**, the table's rows: all, every labelled change;
tune, those proposed in the first 7 weeks (49 days) from the earliest proposed_at in the
changes file (the weeks the thresholds were set on); held_out, those proposed later.

**Columns**:

- recall: the share of errors held
- false holds: the share of good changes held; (promo): of those declaring a promotion
- recall ≥5×: the recall on errors that move the price 5 times or more, up or down
- type acc.: of the errors held, the share whose error_type the guard named as the label does

A rate that is undefined (a split without errors) shows as "—" in the table and null in
the JSON.

The changes file is read as check reads it (in blocks into a scratch directory under
$TMPDIR, judged in parts of time) and the labels file a block at a time: memory grows with
the history and the number of listings, and by some 40 bytes a label (a labelled change's
score, verdict and types are kept for the figures and the curve), not with the changes.
"""
