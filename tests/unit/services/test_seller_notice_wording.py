"""Every seller email (``seller_*_email_*``: declared, customers told, closed, difference paid,
cancelled instead), subject and body, in Korean and English and in each of its variants, passes
the message check as a ``seller_notice`` with no finding at all; filled by the words
``services.seller_notices`` fills them with. Wording that threatens or blames is refused; a
listing's title is checked as its number (``check_wording``), so a book called "The Lawyer"
does not stop its incident."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.catalog import Seller
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import OrderRecord, declare
from sagwa.domain.money import Money
from sagwa.domain.seller_orders import OrderInstruction
from sagwa.errors import MessageRefused
from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm
from sagwa.services import seller_notices as sn
from sagwa.services.listing_names import ListingName
from sagwa.services.seller_incidents import SellerOrder

KST = ZoneInfo("Asia/Seoul")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
INCIDENT = declare(
    incident_id=7, listing_ids={12, 13}, wrong_price=WRONG, correct_price=RIGHT,
    window_start=datetime(2008, 6, 12, 14, 0, tzinfo=KST),
    now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
    declared_by="operator:kim",
).incident  # fmt: skip
NAMES = {12: ListingName(12, "애플 아이팟 나노 3세대 4GB", "Apple iPod nano 3rd gen 4GB",
                         "하늘디지털", "paused"),
         13: ListingName(13, "애플 아이팟 나노 3세대 핑크", None, "하늘디지털", "paused")}
EVERY_OPTION = frozenset(CustomerOption)
PLANS = {
    "every option, capped keep": IncidentPlan(
        7, EVERY_OPTION, datetime(2008, 6, 17, 18, 0, tzinfo=KST), DefaultAction.KEEP, 60, 40,
        datetime(2008, 6, 12, 18, 0, tzinfo=KST), RIGHT, cancel_compensation=Money(10_000, "KRW"),
        discount_pct=30, keep_max_units=2),
    "keep or a call, nobody compensated": IncidentPlan(
        7, frozenset({CustomerOption.KEEP, CustomerOption.TALK_TO_PERSON}),
        datetime(2008, 6, 17, 18, 0, tzinfo=KST), DefaultAction.FOLLOW_UP_CALL, 100, 0,
        datetime(2008, 6, 12, 18, 0, tzinfo=KST), RIGHT),
}
TOLD = sn.CustomersTold(cases=(), send_at=datetime(2008, 6, 13, 9, 0, tzinfo=KST))
ORDERS = [OrderRecord(41, 3, 12, 2, WRONG, datetime(2008, 6, 12, 15, 0, tzinfo=KST), "placed"),
          OrderRecord(42, 3, 13, 1, WRONG, datetime(2008, 6, 12, 15, 5, tzinfo=KST), "placed")]

REASONS = ("kept", "default_kept", "discount_paid")


def _ready(n: int) -> list[SellerOrder]:
    """``n`` orders to send, of 1 or 2 items, each with one of the reasons."""
    return [SellerOrder(100 + i, 12 + i % 2, 1 + i % 2, WRONG,
                        datetime(2008, 6, 12, 15, 0, tzinfo=KST), OrderInstruction.SEND,
                        REASONS[i % 3]) for i in range(n)]


def _closing(lang: str, *, units: int) -> dict[str, object]:
    words = [pair[0 if lang == "ko" else 1].format(n=2) for pair in sn._INSTRUCTION_WORDS.values()]
    return {"units_to_send": units, "orders": words, "charged": sn._points(12_000, lang),
            "charged_points": 12_000, "listings": [sn._title(NAMES, i, lang) for i in NAMES]}


VARIANTS = [
    ("declared", partial(sn._stage_values, INCIDENT, sn.DECLARED, None, None, NAMES, [12, 13], 0)),
    ("declared", partial(sn._stage_values, INCIDENT, sn.DECLARED, None, None, NAMES, [12], 0)),
    *[("notified", partial(sn._stage_values, INCIDENT, sn.NOTIFIED, plan, TOLD, NAMES, [12], n))
      for plan in PLANS.values() for n in (1, 6)],
    ("closed", partial(_closing, units=3)),
    ("closed", partial(_closing, units=0)),
    ("difference_paid", partial(sn._order_values, ORDERS, NAMES, 0)),
    ("cancelled_instead", partial(sn._order_values, ORDERS[:1], NAMES, 6_000)),
    ("cancelled_instead", partial(sn._order_values, ORDERS, NAMES, 0)),
    ("ready", partial(sn._ready_values, _ready(1), NAMES)),
    ("ready", partial(sn._ready_values, _ready(3), NAMES)),
    ("ready", partial(sn._ready_values, _ready(sn.READY_LINES + 3), NAMES)),
]  # fmt: skip


def _email(stage: str, lang: str, values: dict[str, object], seller: str = "하늘디지털") -> str:
    subject = sn._SUBJECTS[stage][0 if lang == "ko" else 1].format(n=7, count=values.get("count"))
    body = dm.render(f"seller_{stage}_email", lang, seller_name=seller, incident_id=7,
                     link="https://sagwa.example/seller/incidents/7", **values)
    return f"{subject}\n\n{body}"


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("stage", "values"), VARIANTS)
def test_every_seller_email_passes_with_no_finding(stage: str, values, lang: str) -> None:
    text = _email(stage, lang, values(lang))
    result = check_message(text, kind="seller_notice", lang=lang)
    assert result.ok and result.findings == (), result.as_dict()
    sn.check_wording(text, lang=lang, names=NAMES)  # as the desk checks it: no refusal


def test_every_stage_and_template_is_covered() -> None:
    assert {stage for stage, _ in VARIANTS} == set(sn._SUBJECTS)


@pytest.mark.parametrize(("lang", "words"), [
    ("ko", "주문을 직접 취소하시면 불이익을 받으실 수 있습니다."),
    ("en", "If you cancel these orders yourself, you may suffer disadvantages."),
    ("ko", "이번 사고는 판매자님의 가격 입력 실수로 생겼습니다."),
    ("en", "Customers knew the price was obviously wrong."),
])  # fmt: skip
def test_an_email_that_threatens_or_blames_is_refused(lang: str, words: str) -> None:
    text = _email("declared", lang, VARIANTS[0][1](lang)).replace("\n\n", f"\n\n{words} ", 1)
    with pytest.raises(MessageRefused) as refused:
        sn.check_wording(text, lang=lang, names=NAMES)
    assert refused.value.details["reason"] == "message_check_failed"
    assert {f["code"] for f in refused.value.details["findings"]} & {"threat", "blame-shift"}


@pytest.mark.parametrize(("lang", "title"), [("ko", "소송의 기술"), ("en", "The Lawyer")])
def test_a_listing_title_is_checked_as_its_number(lang: str, title: str) -> None:
    """"소송" (a lawsuit) and "lawyer" are threat cues; in a product's title they are no
    threat, and must not refuse the email that declares its incident."""
    names = {12: ListingName(12, title, title, "하늘디지털", "paused")}
    text = _email("declared", lang, sn._stage_values(INCIDENT, sn.DECLARED, None, None, names,
                                                     [12], 0, lang))
    assert f"{title} (#12)" in text
    sn.check_wording(text, lang=lang, names=names)
    with pytest.raises(MessageRefused):  # the same words as the platform's own are refused
        sn.check_wording(text, lang=lang, names={})


class _Clock:
    """All an email needs of the unit of work: when it is queued."""

    def now(self) -> datetime:
        return datetime(2008, 6, 13, 9, 0, tzinfo=KST)


def test_each_email_the_desk_builds_is_checked_in_both_languages() -> None:
    """A value that breaks the rules (here an order line; none of the desk's does) refuses the
    email, whichever language carries it; the one sent names the seller and the listings."""
    seller = Seller(5, "court", "법원서점", "ops@court.example", None)

    def lines(bad_lang: str | None):
        def values(lang: str) -> dict[str, object]:
            real = sn._order_values(ORDERS, NAMES, 0, lang)
            threat = {"ko": "취소하시면 불이익을 받으실 수 있습니다", "en": "you may suffer disadvantages"}
            return real | {"orders": [threat[lang]]} if lang == bad_lang else real
        return values

    for bad in ("ko", "en"):
        with pytest.raises(MessageRefused, match=f"seller_notice \\({bad}\\)"):
            sn._email(_Clock(), INCIDENT, seller, sn.DIFFERENCE_PAID, None, NAMES, lines(bad))
    sent = sn._email(_Clock(), INCIDENT, seller, sn.DIFFERENCE_PAID, None, NAMES, lines(None))
    assert "법원서점 담당자님께" in sent.body and "Dear 법원서점," in sent.body
    assert "애플 아이팟 나노 3세대 4GB (#12)" in sent.body


def test_the_orders_to_send_are_listed_up_to_a_limit_with_the_rest_on_the_page() -> None:
    one = _email("ready", "en", sn._ready_values(_ready(1), NAMES, "en"))
    assert "Pricing incident 7: orders you can send now (1)" in one
    assert "1 order has become ready to send (1 item in all)" in one
    assert "- order 100: Apple iPod nano 3rd gen 4GB (#12), 1 item (the customer kept the order)" \
        in one
    assert "please send it as you usually do" in one and "and 0 more" not in one
    many = sn._ready_values(_ready(sn.READY_LINES + 3), NAMES, "ko")
    assert len(many["orders"]) == sn.READY_LINES and many["more"] == 3
    ko = _email("ready", "ko", many)
    assert f"이제 보내셔도 되는 주문이 {sn.READY_LINES + 3}건 있습니다" in ko
    assert "- 나머지 3건은 판매자 화면에서 확인하실 수 있습니다." in ko
    assert "주문 101번: 애플 아이팟 나노 3세대 핑크 (#13) 2개 (기한까지 답이 없어 주문이 유지되었습니다)" in ko


def test_a_capped_keep_says_what_was_ordered_and_what_was_cancelled() -> None:
    """The seller's own order system still shows the 2 ordered (as their page says it)."""
    capped = SellerOrder(200, 12, 1, WRONG, datetime(2008, 6, 12, 15, 0, tzinfo=KST),
                         OrderInstruction.SEND, "kept", placed_quantity=2)
    ko = sn._ready_values([capped], NAMES, "ko")["orders"]
    en = sn._ready_values([capped], NAMES, "en")["orders"]
    assert ko == [("주문 200번: 애플 아이팟 나노 3세대 4GB (#12) 1개 (고객이 주문 유지를 골랐습니다; "
                  "주문한 2개 중 1개는 취소·환불)")]
    assert en == [("order 200: Apple iPod nano 3rd gen 4GB (#12), 1 item (the customer kept the "
                  "order; 2 ordered; 1 cancelled and refunded)")]
    _checked_ready = _email("ready", "ko", sn._ready_values([capped], NAMES, "ko"))
    assert check_message(_checked_ready, kind="seller_notice", lang="ko").ok
