"""How long a customer's personal data must be kept, and from when it must be destroyed.

Korean law sets the floor and the ceiling both. 전자상거래법 시행령 제6조 제1항 keeps a
seller's records: of contracts and their withdrawal 5 years (제2호), of payments and the supply
of goods 5 years (제3호), of consumer complaints and dispute handling 3 years (제4호).
개인정보 보호법 제21조 then wants the personal data destroyed without delay once no law keeps
it, and 제36조 lets a customer ask for it to be deleted, except where a law keeps it (then it is
kept apart and used for nothing else until the law lets it go).

For a customer sagwa knows: an order is a contract (5 years from when it was placed); a refund
paid, a discount difference the customer paid or compensation booked is a payment (5 years from
it); a case is the handling of a complaint (3 years from when its incident closed). While a case
is still open, a refund or a discount's difference is owed, a follow-up is open or the customer
holds unused points, the data is needed to finish it: nothing is erased.

A period in years is counted as 민법 제157조·제160조 count it: from the day after the event (the
first day is not counted), ending at the end of the day before the same date N years on (at the
end of the month when that date does not exist: 29 February). So data kept "3 years" from an
event on 6 December 2026 (Korea time) may be erased from 7 December 2029, 00:00 Korea time.
Pure: the facts are read elsewhere (``services.customer_erasure``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sagwa.domain.moments import SEOUL

#: What an erased text that must not be empty reads (a choice's words, a payment's reference):
#: the records that hold it stay readable — a consent needs words — and say what happened.
ERASED_TEXT = "(개인정보 파기됨)"
#: 전자상거래법 시행령 제6조 제1항 제2·3호 and 제4호, in years.
CONTRACT_YEARS = 5
PAYMENT_YEARS = 5
DISPUTE_YEARS = 3


class Kept(StrEnum):
    """What keeps a customer's data."""

    ORDERS = "orders"        # records of contracts (orders)
    PAYMENTS = "payments"    # records of payments (refunds, compensation, differences)
    DISPUTES = "disputes"    # records of complaint and dispute handling (cases)
    OPEN_CASES = "open_cases"  # a case not yet settled: needed to settle it
    REFUNDS_OWED = "refunds_owed"  # money still to pay the customer
    DIFFERENCE_OWED = "difference_owed"  # a discount's difference the customer still owes
    FOLLOW_UP_OPEN = "follow_up_open"  # a call note's follow-up not yet resolved
    POINTS_HELD = "points_held"  # points the customer has not used


#: Each reason, as a person reads it (Korean, English) and the law behind it.
KEPT_WORDS: dict[Kept, tuple[str, str, str]] = {
    Kept.ORDERS: ("계약에 관한 기록(주문)", "records of contracts (orders)",
                  "전자상거래법 시행령 제6조 제1항 제2호 (5년)"),
    Kept.PAYMENTS: ("대금 결제에 관한 기록(환불·보상·차액)",
                    "records of payments (refunds, compensation, differences)",
                    "전자상거래법 시행령 제6조 제1항 제3호 (5년)"),
    Kept.DISPUTES: ("소비자 불만·분쟁 처리에 관한 기록(가격 오류 건)",
                    "records of complaint and dispute handling (price-error cases)",
                    "전자상거래법 시행령 제6조 제1항 제4호 (3년)"),
    Kept.OPEN_CASES: ("처리 중인 가격 오류 건", "price-error cases still being settled",
                      "개인정보 보호법 제21조 제1항 (처리 목적 미달성)"),
    Kept.REFUNDS_OWED: ("지급하지 않은 환불", "refunds not yet paid",
                        "개인정보 보호법 제21조 제1항 (처리 목적 미달성)"),
    Kept.DIFFERENCE_OWED: ("결제를 기다리는 차액", "a difference still to be paid",
                           "개인정보 보호법 제21조 제1항 (처리 목적 미달성)"),
    Kept.FOLLOW_UP_OPEN: ("처리 중인 후속 조치", "a follow-up not yet resolved",
                          "개인정보 보호법 제21조 제1항 (처리 목적 미달성)"),
    Kept.POINTS_HELD: ("사용하지 않은 포인트", "points not yet used",
                       "개인정보 보호법 제21조 제1항 (처리 목적 미달성)"),
}
#: The holds with no end date: a matter still open, kept until it is settled.
OPEN_MATTERS = (Kept.OPEN_CASES, Kept.REFUNDS_OWED, Kept.DIFFERENCE_OWED, Kept.FOLLOW_UP_OPEN,
                Kept.POINTS_HELD)


@dataclass(frozen=True)
class CustomerRecords:
    """What sagwa holds about one customer that a law or an open matter keeps: the latest of
    each kind of record (None: none), and what is still open."""

    last_order_at: datetime | None = None
    last_payment_at: datetime | None = None
    last_case_closed_at: datetime | None = None
    open_cases: int = 0
    refunds_owed: int = 0
    differences_owed: int = 0
    follow_ups_open: int = 0
    points_balance: int = 0  # in minor units


@dataclass(frozen=True)
class Hold:
    """One reason the data must still be kept: until ``until`` (not included), or, with
    ``until`` None, until the open matter is settled."""

    kept: Kept
    until: datetime | None

    @property
    def words(self) -> tuple[str, str, str]:
        return KEPT_WORDS[self.kept]

    def describe(self, lang: str = "ko") -> str:
        """``소비자 불만·분쟁 처리에 관한 기록(가격 오류 건): 2029-12-07부터 파기 가능 (…)``."""
        ko, en, basis = self.words
        if self.until is None:  # an open matter (OPEN_MATTERS)
            return (f"{ko}: 끝날 때까지 보관 ({basis})" if lang == "ko"
                    else f"{en}: kept until settled ({basis})")
        day = self.until.astimezone(SEOUL).date().isoformat()
        return (f"{ko}: {day}부터 파기 가능 ({basis})" if lang == "ko"
                else f"{en}: may be erased from {day}, Korea time ({basis})")


def end_of_years(event: datetime, years: int) -> datetime:
    """When data kept ``years`` from ``event`` may go: 00:00 Korea time on the day after the
    period's last day (see the module's note on counting)."""
    start = event.astimezone(SEOUL).date() + timedelta(days=1)
    try:
        last_plus_one = start.replace(year=start.year + years)
    except ValueError:  # 29 February with no 29 February N years on: ends with February
        last_plus_one = date(start.year + years, 3, 1)
    return datetime.combine(last_plus_one, time(0), tzinfo=SEOUL)


def holds(records: CustomerRecords) -> list[Hold]:
    """Every reason the customer's data is kept, latest-ending last (open matters at the end,
    :data:`OPEN_MATTERS`)."""
    dated: list[Hold] = []
    for kept, at, years in ((Kept.DISPUTES, records.last_case_closed_at, DISPUTE_YEARS),
                            (Kept.ORDERS, records.last_order_at, CONTRACT_YEARS),
                            (Kept.PAYMENTS, records.last_payment_at, PAYMENT_YEARS)):
        if at is not None:
            dated.append(Hold(kept, end_of_years(at, years)))
    dated.sort(key=lambda h: h.until or datetime.max.replace(tzinfo=SEOUL))
    for kept, count in ((Kept.OPEN_CASES, records.open_cases),
                        (Kept.REFUNDS_OWED, records.refunds_owed),
                        (Kept.DIFFERENCE_OWED, records.differences_owed),
                        (Kept.FOLLOW_UP_OPEN, records.follow_ups_open),
                        (Kept.POINTS_HELD, records.points_balance > 0)):
        if count:
            dated.append(Hold(kept, None))
    return dated


def erasable_from(records: CustomerRecords) -> datetime | None:
    """The first moment the customer's personal data may (and, past it, must) be erased; None
    while a matter is open (:data:`OPEN_MATTERS`). A customer with no kept records may go at once
    (``datetime.min``, in Korea time)."""
    found = holds(records)
    if any(h.until is None for h in found):
        return None
    return max((h.until for h in found if h.until is not None),
               default=datetime.min.replace(tzinfo=SEOUL))


def holding_now(records: CustomerRecords, now: datetime) -> Sequence[Hold]:
    """The holds still in force at ``now``: empty when the data may be erased."""
    return [h for h in holds(records) if h.until is None or h.until > now]
