"""Points as customers read them (a customer-experience review: "보상 포인트 5,000원" to sellers,
"5,000 포인트" to customers, and never what a point is worth). Korean writes the unit attached
("5,000포인트") in every message; the ledger counts 1 point = 1 KRW (``domain.ledger``), so a
customer offered or given points is told their worth in won; sagwa knows nothing of where they
can be spent or when they expire, so nothing is said of either."""

from __future__ import annotations

import re

import pytest
from test_desk_messages import chosen, confirmation, plan

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.ledger import POINTS_CURRENCY
from sagwa.services import desk_messages as dm
from sagwa.services import seller_notices

SPACED = re.compile(r"(\d|\}\}) 포인트")


def test_points_are_written_with_the_unit_attached_and_their_worth_in_won() -> None:
    assert POINTS_CURRENCY == "KRW"  # the worth below rests on 1 point = 1 KRW
    assert dm.points_words(5_000, "ko") == "5,000포인트"
    assert dm.points_words(5_000, "ko", worth=True) == "5,000포인트(5,000원 상당)"
    assert dm.points_words(5_000, "en", worth=True) == "5,000 points (worth 5,000 KRW)"
    assert dm.points_words(1, "en") == "1 point"


def test_no_template_spaces_the_korean_unit() -> None:
    spaced = [path.name for path in sorted(dm.TEMPLATES.glob("*_ko.txt"))
              if SPACED.search(path.read_text("utf-8"))]
    assert spaced == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_apology_offers_points_with_their_worth(lang: str) -> None:
    the_plan = plan()
    [line] = [line for line in dm.option_lines(the_plan, the_plan.correct_price, lang)
              if "5,000" in line]
    assert ("5,000포인트(5,000원 상당)를" if lang == "ko" else "5,000 points (worth 5,000 KRW)") in line
    assert not SPACED.search(line)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_cancel_confirmation_says_the_worth_once(lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen("cancel_with_compensation", the_plan), the_plan, lang)
    assert text.count("5,000원 상당" if lang == "ko" else "worth 5,000 KRW") == 1
    assert not SPACED.search(text)


def test_the_seller_email_counts_points_as_points_not_won() -> None:
    the_plan = plan()
    ko = seller_notices._option_words(the_plan, CustomerOption.CANCEL_WITH_COMPENSATION, "ko")
    assert ko == "주문 취소(전액 환불과 보상 5,000포인트)"
    en = seller_notices._option_words(the_plan, CustomerOption.CANCEL_WITH_COMPENSATION, "en")
    assert en == "cancel the order (full refund and 5,000 points of compensation)"
    assert seller_notices._points(2_500, "ko") == "2,500포인트"


#: Plain forms of "if there is no answer" that a customer-experience review found beside the
#: honorific "답이 없으시면" of the apology.
PLAIN_NO_ANSWER = re.compile(r"답이 없(으면|을 때)")


def test_every_korean_message_asks_in_the_honorific_form() -> None:
    plain = [path.name for path in sorted(dm.TEMPLATES.glob("*_ko.txt"))
             if PLAIN_NO_ANSWER.search(path.read_text("utf-8"))]
    assert plain == []


def test_every_message_quotes_in_one_style() -> None:
    """A card showed ‘애플 아이팟…’ beside '애플 아이팟…': the messages quote names and page
    names with the plain ' only (the agent's card template is the page's to follow)."""
    curly = [path.name for path in sorted(dm.TEMPLATES.glob("*.txt"))
             if re.search("[‘’“”]", path.read_text("utf-8"))]
    assert curly == []
