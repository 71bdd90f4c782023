"""GTIN and ISBN typed with unusual digits: full-width digits are read as ASCII (one product,
one stored GTIN); circled or superscript digits are refused with a clear field error."""

import pytest

from sagwa.domain.identifiers import fold_width, normalise_gtin, normalise_isbn
from sagwa.errors import InvalidInput


def test_full_width_gtin_is_stored_as_ascii_digits() -> None:
    assert normalise_gtin("４００６３８１３３３９３１") == "4006381333931"
    assert normalise_gtin("４００－６３８１－３３３９３１") == "4006381333931"  # full-width hyphens


@pytest.mark.parametrize("gtin", ["400638133393²", "①006381333931", "٤٠٠٦٣٨١٣٣٣٩٣١"])
def test_other_digits_in_a_gtin_are_refused(gtin: str) -> None:
    with pytest.raises(InvalidInput, match="only digits") as info:
        normalise_gtin(gtin)
    assert info.value.details["field"] == "gtin"


def test_full_width_isbns_are_read_as_ascii() -> None:
    assert normalise_isbn("９７８－０－３０６－４０６１５－７") == "9780306406157"
    assert normalise_isbn("０３０６４０６１５２") == "9780306406157"  # ISBN-10


@pytest.mark.parametrize("isbn", ["030640615²", "03064061５²", "978030640615²", "①306406152"])
def test_other_digits_in_an_isbn_are_refused(isbn: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalise_isbn(isbn)
    assert info.value.details["field"] == "isbn"


def test_fold_width_leaves_circled_and_superscript_digits_alone() -> None:
    assert fold_width("１９，９００원　") == "19,900원 "
    assert fold_width("①²١") == "①²١"
