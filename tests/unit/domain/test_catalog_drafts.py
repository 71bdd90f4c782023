"""Sellers, products and customers are validated and normalised when drafted."""

import pytest

from sagwa.domain.catalog import CustomerDraft, ProductDraft, SellerDraft
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput


def test_seller_draft_normalises_name_and_email() -> None:
    draft = SellerDraft(code="haneul-digital", name="  하늘디지털 ", contact_email=" Shop@Haneul.KR ",
                        phone="02-555-0101")
    assert draft.name == "하늘디지털"
    assert draft.contact_email == "shop@haneul.kr"
    assert draft.phone == "02-555-0101"


@pytest.mark.parametrize("code", ["Haneul", "h", "-haneul", "ha neul", "하늘", "a" * 41, ""])
def test_seller_code_must_be_a_lowercase_slug(code: str) -> None:
    with pytest.raises(InvalidInput, match="seller code") as info:
        SellerDraft(code=code, name="x")
    assert info.value.details == {"field": "code", "reason": "seller_code_malformed"}


def test_seller_needs_a_name() -> None:
    with pytest.raises(InvalidInput, match="name must not be empty"):
        SellerDraft(code="haneul", name="   ")


@pytest.mark.parametrize(("field", "value"), [("contact_email", "not-an-email"),
                                              ("phone", "call me")])
def test_seller_contact_details_are_checked(field: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        SellerDraft(code="haneul", name="하늘", **{field: value})


def test_product_isbn_becomes_its_gtin() -> None:
    draft = ProductDraft(title="사과하는 법", category="books/essay", isbn="0-306-40615-2")
    assert draft.isbn == "9780306406157"
    assert draft.gtin == "9780306406157"


def test_product_gtin_is_checked() -> None:
    assert ProductDraft(title="아이팟", category="electronics/mp3",
                        gtin="4006381333931").gtin == "4006381333931"
    with pytest.raises(InvalidInput, match="check digit"):
        ProductDraft(title="아이팟", category="electronics/mp3", gtin="4006381333932")


@pytest.mark.parametrize("price", [Money(0, "KRW"), Money(-199000, "KRW"),
                                   Money(10_000_000_001, "KRW")])
def test_product_list_price_must_be_sane(price: Money) -> None:
    with pytest.raises(InvalidInput, match="price"):
        ProductDraft(title="아이팟", category="electronics/mp3", list_price=price)


def test_product_title_is_required_and_bounded() -> None:
    with pytest.raises(InvalidInput, match="title must not be empty"):
        ProductDraft(title="", category="c")
    with pytest.raises(InvalidInput, match="longer than 300"):
        ProductDraft(title="가" * 301, category="c")
    assert ProductDraft(title="가" * 300, category="c").title == "가" * 300


def test_customer_needs_an_email_or_phone() -> None:
    with pytest.raises(InvalidInput, match="email or a phone"):
        CustomerDraft(name="김민준")
    assert CustomerDraft(name="김민준", phone="010-1234-5678").email is None
    assert CustomerDraft(name="김민준", email="MJ@Example.com").email == "mj@example.com"


def test_customer_locale_is_ko_or_en() -> None:
    assert CustomerDraft(name="Minjun", email="a@b.co", locale="en").locale == "en"
    with pytest.raises(InvalidInput, match="locale"):
        CustomerDraft(name="Minjun", email="a@b.co", locale="ja")


@pytest.mark.parametrize("email", ["a@b", "a b@c.d", "@c.de", "mj@@example.com"])
def test_customer_email_is_checked(email: str) -> None:
    with pytest.raises(InvalidInput, match="not an email"):
        CustomerDraft(name="김민준", email=email)


@pytest.mark.parametrize(("field", "text", "character"), [
    ("title", "줄바꿈\r\nBcc: x@evil\r\n상품", "U+000D"),  # a mail header smuggled into a subject
    ("title", "사과\u202egpj.exe", "U+202E"),  # shows as "사과exe.jpg"
    ("title", "탭\t제목", "U+0009"),
    ("title_en", "Apple\niPod", "U+000A"),
    ("brand", "\u2066Apple\u2069", "U+2066"),
    ("category", "books\u2028mp3", "U+2028"),
])
def test_single_line_fields_refuse_control_and_direction_characters(
        field: str, text: str, character: str) -> None:
    given = {"title": "아이팟", "category": "electronics/mp3"} | {field: text}
    with pytest.raises(InvalidInput) as info:
        ProductDraft(**given)
    assert info.value.details == {"field": field, "reason": "text_control_character",
                                  "character": character}


@pytest.mark.parametrize("name", ["\u200b", " \u200b\u200d ", "\ufeff", "\u3164", "\u2060"])
def test_a_name_of_invisible_characters_only_is_missing(name: str) -> None:
    with pytest.raises(InvalidInput) as info:
        CustomerDraft(name=name, email="a@example.com")
    assert info.value.details == {"field": "name", "reason": "text_missing"}
    assert ProductDraft(title="아이팟", category="x", brand=name).brand is None


def test_ordinary_titles_and_names_stay_as_typed() -> None:
    draft = ProductDraft(title="  애플 아이팟 나노 (3세대) 4GB — 100% 정품 ", category="mp3",
                         brand=" Apple ", title_en="Apple iPod nano ‘3rd gen’")
    assert (draft.title, draft.brand) == ("애플 아이팟 나노 (3세대) 4GB — 100% 정품", "Apple")
    assert CustomerDraft(name="김민준", email="a@example.com").name == "김민준"


@pytest.mark.parametrize(("cause", "reason"), [("\u200b\u200b", "text_missing"),
                                               ("가격 \u202e오타", "text_control_character")])
def test_an_incidents_cause_shows_something_and_reads_as_written(cause: str, reason: str) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sagwa.domain.incidents import declare

    at = datetime(2008, 6, 12, 17, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    with pytest.raises(InvalidInput) as info:
        declare(incident_id="inc-1", listing_ids={1}, wrong_price=Money(19_900, "KRW"),
                correct_price=Money(199_000, "KRW"), window_start=at - timedelta(hours=3),
                now=at, cause=cause,
                responsible="seller", declared_by="operator:kim")
    assert info.value.details["reason"] == reason
