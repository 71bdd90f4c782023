"""Price changes: old -> new, who and when, with an optional declared promotion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sagwa.domain.moments import check_moment
from sagwa.domain.money import Money, check_price
from sagwa.errors import InvalidInput


class PriceChangeStatus(StrEnum):
    APPLIED = "applied"      # the new price went live
    HELD = "held"            # waiting for a reviewer; the live price is unchanged
    APPROVED = "approved"    # a reviewer let a held change through; the new price went live
    REJECTED = "rejected"    # a reviewer refused it; the live price never moved
    SUPERSEDED = "superseded"  # a newer proposal for the listing replaced it while it was held
    WITHDRAWN = "withdrawn"    # its seller took it back while it was held (a mistyped price)


@dataclass(frozen=True)
class Promotion:
    """A declared promotion: ``percent`` off, valid from ``starts_at`` until ``ends_at``."""

    percent: float
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def __post_init__(self) -> None:
        if isinstance(self.percent, bool) or not 0 < float(self.percent) < 100:
            raise InvalidInput(
                f"promotion percent must be between 0 and 100, got {self.percent!r}",
                field="promotion.percent", reason="promotion_percent_range",
            )
        for stamp in (self.starts_at, self.ends_at):
            if stamp is not None and stamp.tzinfo is None:
                raise InvalidInput("promotion times must carry a timezone", field="promotion",
                                   reason="time_without_zone")
        for stamp, name in ((self.starts_at, "starts_at"), (self.ends_at, "ends_at")):
            if stamp is not None:
                check_moment(stamp, f"promotion.{name}")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise InvalidInput("promotion must end after it starts", field="promotion.ends_at",
                               reason="promotion_ends_before_start")


KST = ZoneInfo("Asia/Seoul")


def check_promotion_running(promotion: Promotion | None, now: datetime) -> None:
    """Refuse a promotion that is not running at ``now``: a price may lean on a promotion only
    while it runs (one that ended, or has not started, justifies no discount today)."""
    if promotion is None:
        return
    if promotion.ends_at is not None and promotion.ends_at <= now:
        raise InvalidInput(
            f"the promotion ended at {_kst(promotion.ends_at)}; "
            "a price cannot lean on a promotion that is over",
            field="promotion.ends_at",
            reason="promotion_ended",
            ends_at=promotion.ends_at.isoformat(),
        )
    if promotion.starts_at is not None and promotion.starts_at > now:
        raise InvalidInput(
            f"the promotion starts at {_kst(promotion.starts_at)}; "
            "propose the price when it starts",
            field="promotion.starts_at",
            reason="promotion_not_started",
            starts_at=promotion.starts_at.isoformat(),
        )


def kst_minute(stamp: datetime) -> str:
    """``stamp`` in Korea time to the minute ("2008-06-05 18:30")."""
    return stamp.astimezone(KST).strftime("%Y-%m-%d %H:%M")


def _kst(stamp: datetime) -> str:
    return f"{kst_minute(stamp)} KST"


@dataclass(frozen=True)
class PriceChangeProposal:
    listing_id: int
    old_price: Money
    new_price: Money
    proposed_by: str
    promotion: Promotion | None = None
    first_price: bool = False
    """A price for a listing that has never been on sale — the price a draft is published at
    (old == new), or a new price for a listing held at its publication: judged against the
    product's list price and other sellers, not as a move from the listing's own price."""

    def __post_init__(self) -> None:
        check_price(self.new_price)
        if self.new_price.currency != self.old_price.currency:
            raise InvalidInput(
                f"the listing is priced in {self.old_price.currency}; "
                f"a change to {self.new_price.currency} is not a price change",
                field="currency", reason="currency_mismatch",
            )
        if not self.proposed_by.strip():
            raise InvalidInput("proposed_by must say who proposes the change", field="proposed_by",
                               reason="proposer_missing")


@dataclass(frozen=True)
class GuardOpinion:
    """What the price guard said about a proposed change, kept with the change for review."""

    verdict: str
    score: float
    error_type: str
    reason_code: str
    reason_en: str
    reason_ko: str
    facts: dict[str, object]

    @property
    def holds(self) -> bool:
        return self.verdict == "hold"
