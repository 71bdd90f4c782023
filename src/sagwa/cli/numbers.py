"""Whole numbers typed on the command line (ids, amounts, percents, counts), read as the pages
read them: full-width digits (``１２３``, as Korean input methods type them) through the pages'
own normaliser (:func:`sagwa.domain.identifiers.whole_number_in`), and ASCII thousands commas
(``1,000``; a comma out of place, ``5,00``, is refused). Any other digit (``①``, ``²``,
``١``), ``1_000``, a decimal or a full-width comma (``3，4``, which may separate two ids) is refused, naming the option, with exit status 2.

Use :func:`number_option` / :func:`number_argument` in place of ``typer.Option`` /
``typer.Argument`` for an ``int`` parameter; ``min``/``max`` are checked and shown in ``--help``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from sagwa.domain.identifiers import whole_number_in


def read_whole_number(text: str, *, percent: bool = False) -> int:
    """``"１,０００"`` -> 1000; with ``percent``, a trailing ``%`` (or ``％``) is allowed.

    Raises ``ValueError`` for anything but an optional sign and the digits 0-9."""
    cleaned = text.strip()
    if percent:
        cleaned = cleaned.removesuffix("%").removesuffix("\uff05").rstrip()
    number = whole_number_in(cleaned)
    if number is None:
        raise ValueError(f"{text!r} is not a whole number")
    return number


def _in_range(value: int, minimum: int | None, maximum: int | None) -> bool:
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"from {minimum:,} to {maximum:,}"
    return f"at least {minimum:,}" if minimum is not None else f"at most {maximum:,}"


def whole_number(*, minimum: int | None = None, maximum: int | None = None,
                 percent: bool = False) -> Callable[[Any], int]:
    """A Typer ``parser``: text -> int, or ``typer.BadParameter`` saying what to type."""
    example = "50 or ５０" if percent else "1000, 1,000 or １０００"

    def parse(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):  # a default, already a number
            number = value
        else:
            try:
                number = read_whole_number(str(value), percent=percent)
            except ValueError:
                raise typer.BadParameter(
                    f"{value!r} is not a whole number; write it with the digits 0-9 "
                    f"(full-width digits are read too), e.g. {example}") from None
        if not _in_range(number, minimum, maximum):
            raise typer.BadParameter(f"{number:,} is out of range: give a number "
                                     f"{_range_text(minimum, maximum)}")
        return number

    return parse


def number_option(default: Any, *names: str, min: int | None = None,
                  max: int | None = None, percent: bool = False,
                  help: str | None = None) -> Any:
    """``typer.Option`` for an ``int`` read by :func:`whole_number` (names as typer takes them)."""
    return typer.Option(default, *names, min=min, max=max, help=help,
                        parser=whole_number(minimum=min, maximum=max, percent=percent))


def number_argument(*, help: str | None = None) -> Any:
    """A required ``typer.Argument`` for an ``int`` read by :func:`whole_number`."""
    return typer.Argument(help=help, parser=whole_number())
