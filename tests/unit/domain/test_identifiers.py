"""GTIN and ISBN check digits."""

import pytest

from sagwa.domain.identifiers import gtin_check_digit, normalise_gtin, normalise_isbn
from sagwa.errors import InvalidInput


@pytest.mark.parametrize("gtin", [
    "4006381333931",      # EAN-13
    "036000291452",       # UPC-A
    "73513537",           # EAN-8
    "10012345678902",     # GTIN-14
    "400-6381-333931",    # hyphens are tolerated
])
def test_valid_gtins_are_accepted(gtin: str) -> None:
    assert normalise_gtin(gtin) == gtin.replace("-", "")


def test_check_digit_by_hand() -> None:
    # 4 0 0 6 3 8 1 3 3 3 9 3 weighted 1,3,1,3... from the left for 13 digits = 89 -> 1
    assert gtin_check_digit("400638133393") == 1


@pytest.mark.parametrize("gtin", ["4006381333932", "036000291453", "73513530", "10012345678901"])
def test_wrong_check_digit_is_refused(gtin: str) -> None:
    with pytest.raises(InvalidInput, match="check digit") as info:
        normalise_gtin(gtin)
    assert info.value.details == {"field": "gtin", "reason": "check_digit_wrong"}


@pytest.mark.parametrize("gtin", ["12345", "400638133393100", ""])
def test_wrong_length_is_refused(gtin: str) -> None:
    with pytest.raises(InvalidInput, match="digits"):
        normalise_gtin(gtin)


def test_letters_are_refused() -> None:
    with pytest.raises(InvalidInput, match="only digits"):
        normalise_gtin("40063813339A1")


def test_valid_isbn13_is_accepted() -> None:
    assert normalise_isbn("978-0-306-40615-7") == "9780306406157"


def test_isbn13_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="check digit"):
        normalise_isbn("978-0-306-40615-8")


def test_isbn13_must_start_978_or_979() -> None:
    with pytest.raises(InvalidInput, match="978 or 979"):
        normalise_isbn("9770306406157")


@pytest.mark.parametrize(("isbn10", "isbn13"), [
    ("0-306-40615-2", "9780306406157"),
    ("0-8044-2957-X", "9780804429573"),
    ("080442957x", "9780804429573"),
])
def test_isbn10_is_converted_to_isbn13(isbn10: str, isbn13: str) -> None:
    assert normalise_isbn(isbn10) == isbn13


@pytest.mark.parametrize("isbn10", ["0-306-40615-3", "0-8044-2957-1", "X306406152"])
def test_isbn10_with_wrong_check_digit_is_refused(isbn10: str) -> None:
    with pytest.raises(InvalidInput, match="isbn"):
        normalise_isbn(isbn10)
