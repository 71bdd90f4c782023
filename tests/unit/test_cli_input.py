"""The CLI's reading of numbers (as the page forms read them), its wording of a refused plan, and
the audit name it gives an ``--actor``: pure functions, no database."""

from __future__ import annotations

import pytest
import typer

from sagwa.cli.actors import audit_actor, check_claim
from sagwa.cli.numbers import read_whole_number, whole_number
from sagwa.cli.refusals import format_refusal, problem_list
from sagwa.errors import InvalidInput, NotFound
from sagwa.services.accounts import Account, Role
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.forms import parse_int


@pytest.mark.parametrize(("typed", "number"), [
    ("１２３", 123), ("1,000", 1000), (" ５０ ", 50), ("-3", -3), ("＋7", 7), ("0", 0),
    ("12,345,678", 12345678), ("１,０００", 1000), ("-1,000", -1000),
])  # fmt: skip
def test_the_digits_the_pages_accept_are_read(typed: str, number: int) -> None:
    assert read_whole_number(typed) == number == parse_int(typed, "seller_share_pct")


@pytest.mark.parametrize("typed", ["①", "²", "١٢", "1_000", "3，4", "1.5", "", "-", "12a",
                                   # a comma out of its place is a slip, not a separator: "5,00"
                                   # was read as 500 (a compensation of 500 won, not 5,000)
                                   "5,00", "1,8500", "1,000,00", ",100", "100,", "1,,000",
                                   "0,500", "00,100"])
def test_the_digits_the_pages_refuse_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        read_whole_number(typed)
    with pytest.raises(FormProblem):
        parse_int(typed, "seller_share_pct")


def test_a_percent_may_carry_its_sign() -> None:
    assert read_whole_number("３０％", percent=True) == 30
    assert read_whole_number("30 %", percent=True) == 30
    with pytest.raises(ValueError):
        read_whole_number("30%")


def test_the_parser_says_what_to_type_and_checks_the_range() -> None:
    parse = whole_number(minimum=1, maximum=1000)
    assert parse("１,０００") == 1000
    assert parse(50) == 50  # a default arrives as a number
    with pytest.raises(typer.BadParameter, match="digits 0-9"):
        parse("١")
    with pytest.raises(typer.BadParameter, match="from 1 to 1,000"):
        parse("０")


REFUSED_PLAN = InvalidInput(
    "plan refused — cancel_compensation: must be given; deadline: the deadline must be after now",
    problems={"cancel_compensation": "must be given", "deadline": "the deadline must be after now"},
    problem_reasons={"cancel_compensation": "terms_missing", "deadline": "deadline_not_after_now"},
)  # fmt: skip


def test_a_refused_plan_reads_as_a_line_per_problem_naming_the_option() -> None:
    assert format_refusal(REFUSED_PLAN).splitlines() == [
        "[red]error[/red] (invalid_input): plan refused — 2 problems:",
        "  --compensation (cancel_compensation): must be given",
        "  --deadline: the deadline must be after now",
    ]


def test_the_problem_list_keeps_the_order_and_the_sub_codes() -> None:
    assert problem_list(REFUSED_PLAN) == [
        {"field": "cancel_compensation", "option": "--compensation", "reason": "terms_missing",
         "message": "must be given"},
        {"field": "deadline", "option": "--deadline", "reason": "deadline_not_after_now",
         "message": "the deadline must be after now"},
    ]  # fmt: skip
    assert problem_list(NotFound("incident 9 not found")) == []


def test_a_message_is_not_read_as_markup() -> None:
    said = format_refusal(InvalidInput("cause [bold]x[/bold] refused", field="cause"))
    assert "\\[bold]" in said


KIM = Account(1, "kim", Role.ADMIN)


def test_the_audit_name_says_who_and_from_which_login() -> None:
    assert audit_actor(None, "deploy") == "cli (os user deploy)"
    assert audit_actor(KIM, "deploy") == "admin:kim via cli (os user deploy)"


@pytest.mark.parametrize("claimed", ["kim", "admin:kim"])
def test_a_staff_account_may_be_named_as_itself(claimed: str) -> None:
    check_claim(claimed, KIM)  # no refusal


@pytest.mark.parametrize("claimed", ["lee", "finance:lee"])
def test_a_finance_account_may_be_named_as_itself(claimed: str) -> None:
    """Finance marks refunds paid from a terminal (``sagwa refunds mark-paid --actor lee``)."""
    check_claim(claimed, Account(3, "lee", Role.FINANCE))  # no refusal


@pytest.mark.parametrize(("claimed", "account", "reason"), [
    ("mallory", None, "account_not_active"), ("reviewer:kim", KIM, "actor_not_the_account"),
    ("kim ", KIM, "actor_not_the_account"),
    ("lee", Account(2, "lee", Role.SELLER, seller_id=1), "actor_not_staff"),
])  # fmt: skip
def test_anyone_else_is_refused_with_how_to_make_an_account(
        claimed: str, account: Account | None, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_claim(claimed, account)
    assert refused.value.details == {"field": "actor", "reason": reason}
    assert "sagwa users create" in refused.value.message
