"""A payments file that carries each refund's amount and currency (as the list's CSV does,
``amount_minor`` and ``currency``) is checked against what sagwa recorded, row by row: a row
that says another amount or currency, or leaves such a cell empty, refuses the whole batch
with its line; a file without those columns is read as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sagwa.cli.refunds import CSV_COLUMNS, STATED_COLUMNS, read_payment_file
from sagwa.domain.money import Money
from sagwa.domain.refunds import PaymentLine, Refund
from sagwa.errors import InvalidInput
from sagwa.services.refunds import StatedPaymentLine, check_payments

KST = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 2, 27, 9, 0, tzinfo=KST)
KRW_REFUND = Refund(3, 10, 2, 3, 4, Money(19_900, "KRW"), NOW - timedelta(days=1),
                    date(2026, 3, 4))
USD_REFUND = replace(KRW_REFUND, refund_id=4, amount=Money(3_999, "USD"))
FOUND = {3: KRW_REFUND, 4: USD_REFUND,
         5: replace(KRW_REFUND, refund_id=5, paid_at=NOW, paid_reference="KB-0",
                    paid_by="admin:kim")}


def _line(line: int, refund_id: str, amount: str | None, currency: str | None) -> PaymentLine:
    return StatedPaymentLine(line, refund_id, f"B-{line}", "", amount_minor=amount,
                             currency=currency)


def _refused(*lines: PaymentLine) -> list[tuple[int, str, str]]:
    with pytest.raises(InvalidInput) as refused:
        check_payments(list(lines), FOUND, NOW)
    assert refused.value.details["reason"] == "refund_file_refused"
    return [(r["line"], r["reason"], r["message"]) for r in refused.value.details["rows"]]


def test_a_row_saying_another_amount_and_currency_refuses_the_batch_naming_both() -> None:
    [(line, reason, message)] = _refused(_line(2, "4", "3999", "USD"),
                                         _line(3, "3", "199000", "USD"))
    assert (line, reason) == (3, "refund_amount_differs")
    assert message == ("refund 3 is 19,900 KRW (amount_minor 19900, currency KRW), the file "
                       "says $1,990.00 (amount_minor 199000, currency USD); check that the row "
                       "names the right refund and amount")


@pytest.mark.parametrize(("amount", "currency", "says"), [
    ("199000", None, "the file says 199,000 KRW (amount_minor 199000)"),
    (None, "USD", "the file says currency USD"),
    ("19900", "USD", "the file says $199.00 (amount_minor 19900, currency USD)"),
    ("19900", "WON", "the file says amount_minor 19900, currency WON"),
    ("-19900", "KRW", "the file says -19,900 KRW (amount_minor -19900, currency KRW)"),
])  # fmt: skip
def test_either_column_alone_is_checked_too(amount: str | None, currency: str | None,
                                            says: str) -> None:
    [(_, reason, message)] = _refused(_line(2, "3", amount, currency))
    assert reason == "refund_amount_differs"
    assert says in message and message.startswith("refund 3 is 19,900 KRW")


@pytest.mark.parametrize(("amount", "currency", "empty"), [
    ("", "KRW", "amount_minor"), ("19900", "  ", "currency"),
    ("", "", "amount_minor and currency"), ("", None, "amount_minor"),
])  # fmt: skip
def test_an_empty_cell_of_such_a_column_is_refused_not_skipped(
        amount: str | None, currency: str | None, empty: str) -> None:
    [(line, reason, message)] = _refused(_line(7, "3", amount, currency))
    assert (line, reason) == (7, "refund_amount_blank")
    verb = "are" if " and " in empty else "is"
    assert message.startswith(f"refund 3's {empty} {verb} empty in the file")
    assert "sagwa recorded 19,900 KRW" in message


@pytest.mark.parametrize("amount", ["39.99", "3,99,9", "about 4000", "3999원"])
def test_an_amount_that_is_not_whole_minor_units_is_refused(amount: str) -> None:
    [(_, reason, message)] = _refused(_line(2, "4", amount, "USD"))
    assert reason == "refund_amount_malformed"
    assert f"amount_minor {amount!r}" in message
    assert message.endswith("sagwa recorded $39.99, amount_minor 3999")


def test_a_wrong_amount_is_told_before_the_refund_being_paid_already() -> None:
    """A row whose amount is not its refund's most likely names the wrong refund."""
    [(_, reason, _message)] = _refused(_line(2, "5", "20000", "KRW"))
    assert reason == "refund_amount_differs"
    [(_, reason, _message)] = _refused(_line(2, "5", "19900", "KRW"))
    assert reason == "refund_already_paid"


def test_rows_that_say_the_refunds_amounts_as_people_write_them_are_paid() -> None:
    paid = check_payments([_line(2, "3", " 19,900 ", " krw "), _line(3, "4", "３９９９", "USD")],
                          FOUND, NOW)
    assert [p.refund.refund_id for p in paid] == [3, 4]
    # a row that states nothing (a file without those columns) is paid as before
    assert [p.refund.refund_id for p in check_payments([_line(2, "3", None, None),
                                                        PaymentLine(3, "4", "B-3", "")],
                                                       FOUND, NOW)] == [3, 4]


def test_the_columns_checked_are_the_ones_the_lists_csv_writes() -> None:
    assert set(STATED_COLUMNS) <= set(CSV_COLUMNS)
    assert "amount" not in CSV_COLUMNS  # so a bank's own `amount` column stays unread


def test_a_payments_file_with_those_columns_reads_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_bytes("\ufeffrefund_id,Amount_Minor,currency,reference,paid_at,amount\r\n"
                     "3,199000,USD,B-3,,5\r\n4,,\r\n".encode())
    lines = read_payment_file(path)
    assert all(isinstance(x, StatedPaymentLine) for x in lines)
    assert [(x.amount_minor, x.currency) for x in lines if isinstance(x, StatedPaymentLine)] == [
        ("199000", "USD"), ("", "")]
    plain = tmp_path / "plain.csv"
    plain.write_text("refund_id,reference,amount\n3,B-3,19900\n", encoding="utf-8")
    [line] = read_payment_file(plain)
    assert (getattr(line, "amount_minor", None), getattr(line, "currency", None)) == (None,
                                                                                      None)
