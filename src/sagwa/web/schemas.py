"""Request and response bodies of the JSON API (``XCreate`` in, ``XPublic`` out)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
)

from sagwa.domain.moments import out_of_range
from sagwa.domain.money import Money


def _iso_text(value: object) -> object:
    """A time in a JSON body is ISO 8601 text: a bare number (0 → 1970-01-01) is refused."""
    digits_only = isinstance(value, str) and value.strip().lstrip("+-").isdigit()  # "0"
    if digits_only or (isinstance(value, int | float) and not isinstance(value, bool)):
        raise ValueError("give an ISO 8601 time with its UTC offset, e.g. "
                         "2026-12-02T09:00:00+09:00, not a number")
    return value


def _in_range(value: datetime) -> datetime:
    """From 1970 to 2199 (``domain.moments``): year 9999 in UTC cannot even be shown in Korea
    time."""
    if out_of_range(value):
        raise ValueError("give a time from 1970 to 2199")
    return value


#: A moment in a request body: ISO 8601 text with its offset (Asia/Seoul is +09:00), 1970-2199.
Timestamp = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_range)]
#: ISO 8601 text (a bare number refused), its offset and range checked by the use case, which
#: says what is wrong in its own words (a payment time without its zone: add +09:00).
IsoText = Annotated[datetime, BeforeValidator(_iso_text)]


def _day_alone(value: object) -> object:
    """A day is YYYY-MM-DD: pydantic also takes a midnight with a zone (``…T00:00:00Z``) as
    that day, read as Korea's day — nine hours from the moment the client meant."""
    if isinstance(value, str) and len(value.strip()) != len("2026-12-07"):
        raise ValueError("give a day as YYYY-MM-DD (a day in Korea), not a time")
    return value


#: A day in a query (YYYY-MM-DD, Korea's day), a time refused.
KoreaDay = Annotated[date, BeforeValidator(_day_alone)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MoneyIO(Body):
    """An exact amount: integer minor units (KRW has none: 19900 means 19,900 KRW)."""

    amount_minor: StrictInt = Field(examples=[19900])
    currency: str = Field(min_length=3, max_length=3, examples=["KRW"])

    def to_money(self) -> Money:
        return Money(self.amount_minor, self.currency.upper())

    @classmethod
    def of(cls, money: Money | None) -> MoneyIO | None:
        return None if money is None else cls(amount_minor=money.amount_minor, currency=money.currency)


class SellerCreate(Body):
    code: str = Field(examples=["haneul-digital"])
    name: str = Field(examples=["하늘디지털"])
    contact_email: str | None = None
    phone: str | None = None


class SellerPublic(BaseModel):
    id: int
    code: str
    name: str
    contact_email: str | None
    phone: str | None


class ProductCreate(Body):
    title: str = Field(examples=["애플 아이팟 나노 3세대 4GB 실버"])
    category: str = Field(examples=["electronics/mp3"])
    brand: str | None = None
    title_en: str | None = None
    list_price: MoneyIO | None = None
    gtin: str | None = None
    isbn: str | None = None
    sku: str | None = Field(default=None, max_length=40)


class ProductPublic(BaseModel):
    id: int
    sku: str | None
    title: str
    title_en: str | None
    brand: str | None
    category: str
    list_price: MoneyIO | None
    gtin: str | None
    isbn: str | None


class CustomerCreate(Body):
    name: str
    email: str | None = None
    phone: str | None = None
    locale: str = Field(default="ko", examples=["ko", "en"])


class CustomerPublic(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None
    locale: str
    erased_at: datetime | None = Field(
        default=None, description="When the customer's personal data was erased (name, email "
                                  "and phone blank since; ids, amounts and times kept).")
    erasure_requested_at: datetime | None = Field(
        default=None, description="GET and PATCH /api/customers/{id}: when the customer asked "
                                  "to be erased, a request a law or an open matter keeps "
                                  "waiting (Korea time; null: none waits; a customer just "
                                  "registered has none). Use the data for nothing but what "
                                  "keeps it (개인정보 보호법 제21조 제3항).")
    erasure_from: date | None = Field(
        default=None, description="GET and PATCH /api/customers/{id}: the day that request will be "
                                  "carried out (null while an open matter keeps the data, or "
                                  "none waits).")


class CustomerContactUpdate(Body):
    """A corrected email or phone number. Give only what changes: a field left out is kept,
    ``null`` (or an empty string) removes it; a customer keeps at least one of the two."""

    email: str | None = Field(default=None, max_length=320, examples=["minji@example.com"])
    phone: str | None = Field(default=None, max_length=40, examples=["010-1234-5678"])


class CustomerContactChanged(BaseModel):
    """What the correction did: ``changed`` names the details that changed and how
    (``{"phone": "added"}``, ``"changed"`` or ``"removed"``; empty: nothing did); messages still waiting on a corrected channel were sent to the new address or number
    (``messages_readdressed``) or withdrawn (``messages_withdrawn``), and of those withdrawn
    how many go instead by the channel the customer still has (``messages_resent``: the
    apology by text when the email was removed, …); ``calls_resumed``: cases
    the desk had given up calling, owed the call again with the new number;
    ``attempts_restarted``: cases still owed a call whose attempts count from the new number;
    ``calls_given_up``: cases owed a call, given up now there is no number, and written to
    (``messages_queued``)."""

    customer: CustomerPublic
    changed: dict[str, str]
    messages_readdressed: int
    messages_withdrawn: int
    messages_resent: int
    calls_resumed: list[int]
    attempts_restarted: list[int]
    calls_given_up: list[int]
    messages_queued: int
    escalated: list[int] = Field(description="cases put on the call list: their apology was "
                                 "withdrawn with the address removed and nothing else can "
                                 "tell them")


class ListingCreate(Body):
    seller_id: StrictInt
    product_id: StrictInt
    price: MoneyIO
    publish: bool = Field(default=False, description="Put the listing live right away.")


class ListingHoldPublic(BaseModel):
    """Why the price guard held the listing's price at its publication (as the reviewers see
    it): its reasons in English and Korean, the likely error and the score."""

    held_at: datetime
    reason_en: str | None
    reason_ko: str | None
    error_type: str | None
    score: float | None
    reason_code: str | None


class ListingPublic(BaseModel):
    id: int
    seller_id: int
    product_id: int
    price: MoneyIO
    status: str
    hold: ListingHoldPublic | None = Field(
        default=None, description="For a `held` listing, read one at a time (publishing it, or "
                                  "`GET /api/listings/{id}`): why the guard held it; else null.")


class ListingAction(StrEnum):
    """What a seller or operator may do to a listing through the API."""

    PUBLISH = "publish"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class ListingStatusChange(Body):
    reason: str | None = Field(default=None, max_length=500)


class ListingRelease(ListingStatusChange):
    expected_price: MoneyIO | None = Field(
        default=None,
        description="The price the reviewer saw; if the listing costs something else now (the "
                    "seller changed it), the release is refused (409, `listing_price_moved`).")


class ListingSendBack(ListingStatusChange):
    expected_price: MoneyIO | None = Field(
        default=None,
        description="The price the reviewer saw; if the listing costs something else now (the "
                    "seller changed it), the send-back is refused (409, `listing_price_moved`).")


class PromotionIO(Body):
    percent: StrictFloat | None = Field(
        default=None, allow_inf_nan=False, examples=[10],
        description="Percent off, a JSON number (not text) from 1 to 99.9 with at most one "
                    "decimal place (422, `promotion_percent_range`); required with dates (422, "
                    "`promotion_percent_missing`).")
    starts_at: Timestamp | None = None
    ends_at: Timestamp | None = None


class PriceChangeCreate(Body):
    new_price: MoneyIO
    proposed_by: str | None = Field(
        default=None, max_length=100,
        description="Recorded from the API token; if given, it must name the caller.")
    promotion: PromotionIO | None = None
    seen_price: MoneyIO | None = Field(
        default=None,
        description="The live price you saw before proposing: if it changed since (another "
                    "window, an approved change, a promotion's end), 409 "
                    "`price_moved_since_seen` and nothing is proposed.")


class GuardPublic(BaseModel):
    """The price guard's answer: `allow` or `hold`, a score (0..1), the likely error and why."""

    verdict: str = Field(examples=["hold"])
    score: float
    error_type: str = Field(examples=["inverted_percent"])
    reason_code: str
    reason_en: str
    reason_ko: str
    facts: dict = Field(description=(
        "What the guard weighed. `*_minor` figures (`reference_price_minor`, "
        "`recent_median_minor`, `other_sellers_median_minor`) are whole minor units of "
        "`facts.currency`, the price's currency (appended to the facts as stored)."))


class PriceCheckRequest(Body):
    listing_id: StrictInt
    new_price: MoneyIO
    promotion: PromotionIO | None = None


class PriceChangeDecision(Body):
    reviewer: str | None = Field(
        default=None, max_length=100,
        description="Recorded from the API token; if given, it must name the caller.")
    reason: str | None = Field(default=None, max_length=1000)


class ReviewItemPublic(BaseModel):
    change: PriceChangePublic
    listing: ListingPublic
    product_title: str
    seller_name: str
    stale: str | None = Field(
        default=None, description="Why the change can no longer be approved (the listing "
                                  "ended, its price moved or its promotion ended since the "
                                  "proposal), else null.")
    stale_ko: str | None = Field(default=None, description="The same in Korean, else null.")
    stale_reason: str | None = Field(
        default=None, description="The same as a code, as approving would be refused with in "
                                  "details.reason: listing_ended_since_proposal, "
                                  "live_price_moved or promotion_ended_since_proposal.")
    promotion_starts_at: datetime | None = Field(
        default=None, description="When the change's declared promotion starts (ISO 8601 with "
                                  "its offset), else null.")
    promotion_ends_at: datetime | None = Field(
        default=None, description="When the change's declared promotion ends (the price goes "
                                  "back then), else null.")


class HeldListingPublic(BaseModel):
    """A listing the price guard held at its publication, waiting for a reviewer."""

    listing: ListingPublic
    product_title: str
    seller_name: str
    held_by: str | None
    held_at: datetime | None
    reason_en: str | None
    reason_ko: str | None
    reference: MoneyIO | None = Field(
        description="What the guard compared the first price with, else null (nothing).")
    reference_kind: str | None = Field(description="`list_price` or `other_sellers`, else null.")
    release_needs_reason: bool = Field(
        description="A release needs a `reason` (the price is half or less, or twice or more, "
                    "of the reference, or there is none).")
    sent_back_at: datetime | None = Field(
        default=None, description="A reviewer sent it back earlier at this very price, then.")
    sent_back_by: str | None = None
    sent_back_reason: str | None = None


class PriceChangePublic(BaseModel):
    id: int
    listing_id: int
    old_price: MoneyIO
    new_price: MoneyIO
    proposed_by: str
    proposed_at: datetime
    promotion_pct: float | None
    status: str
    decided_by: str | None
    decision_reason: str | None
    decided_at: datetime | None = None
    guard: GuardPublic | None = None
    promotion_starts_at: datetime | None = Field(
        default=None, description="When the declared promotion starts (ISO 8601 with its "
                                  "offset), else null.")
    promotion_ends_at: datetime | None = Field(
        default=None, description="When the declared promotion ends and the price goes back "
                                  "(ISO 8601 with its offset), else null.")


class OrderCreate(Body):
    customer_id: StrictInt
    listing_id: StrictInt
    quantity: StrictInt = Field(default=1, examples=[1])


class OrderPublic(BaseModel):
    id: int
    customer_id: int
    listing_id: int
    quantity: int
    unit_price: MoneyIO
    total: MoneyIO
    status: str
    placed_at: datetime


class OrderMoneyPublic(OrderPublic):
    """An order with what its customer paid for it and got back (keys appended to
    ``OrderPublic``, so a client reading the older keys reads them in the same order)."""

    paid: MoneyIO
    refunded: MoneyIO


class PointsCredit(Body):
    points: StrictInt = Field(examples=[3000])
    memo: str = Field(min_length=1, max_length=500)
    seller_id: StrictInt | None = None
    seller_share_pct: StrictInt = Field(default=0, ge=0, le=100)


class PointsDebit(Body):
    points: StrictInt
    memo: str = Field(min_length=1, max_length=500)


class PointsReceiptPublic(BaseModel):
    entry_id: int
    customer_id: int
    balance: int


class PointsBalancePublic(BaseModel):
    customer_id: int
    balance: int = Field(description="Whole points (1 point = 1 won), not a money object.")


class ReversalCreate(Body):
    memo: str = Field(min_length=1, max_length=500)


class ReversalPublic(BaseModel):
    entry_id: int
    reversal_id: int


class AuditRecordPublic(BaseModel):
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict | None
    after: dict | None
    hash: str


class AuditVerifyPublic(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str | None
    #: appended: the first keyed record, the head as read, and the anchors (in the server's
    #: ``<data dir>/audit-anchors.jsonl``) checked against it, with the first that failed
    keyed_from: int | None = None
    head_seq: int | None = None
    head_hash: str | None = None
    anchors_checked: int = 0
    anchor_failed: dict[str, Any] | None = None
    #: appended: set when an intact log was checked against no anchor (a log rewritten whole,
    #: plain hashes from its first record, would not have been detected)
    anchors_warning: str | None = None


class ErrorPublic(BaseModel):
    code: str
    message: str
    details: dict | None = None
