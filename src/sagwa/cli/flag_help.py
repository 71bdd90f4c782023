"""Help that shows a flag as a flag: ``--skip-bad-rows``, not ``--skip-bad-rows <bool>``.

Typer's rich help (0.29) prints every option's type beside it, a flag's too (``--help
<bool>``), though a flag takes no value: ``--skip-bad-rows true`` is refused ("Got unexpected
extra argument(s) (true)"). The help prints an option's metavar instead of its type when it has
one, so every sagwa command gives each flag (``--help`` included) an empty one:
:func:`show_flags_without_values` does it for all of Typer's commands and groups, once, when
the ``sagwa`` command is built (``cli.main``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from typer.core import TyperCommand, TyperGroup, TyperOption

if TYPE_CHECKING:  # the types Typer's own get_params is declared with (its vendored Click)
    from typer._click.core import Parameter


def _without_values(params: Iterable[Parameter]) -> None:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""


def _plain(get_params: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    if getattr(get_params, "shows_flags_plainly", False):
        return get_params

    def with_plain_flags(self: Any, ctx: Any) -> list[Any]:
        params = get_params(self, ctx)
        _without_values(params)
        return params

    with_plain_flags.shows_flags_plainly = True  # type: ignore[attr-defined]
    return with_plain_flags


def show_flags_without_values() -> None:
    """Make every Typer command's and group's help show its flags without a value (idempotent)."""
    for cls in (TyperCommand, TyperGroup):
        cls.get_params = _plain(cls.get_params)  # type: ignore[method-assign]
