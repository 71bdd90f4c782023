"""``sagwa guard check --help`` and ``evaluate --help`` as a user sees them (through the
``sagwa`` command, 80 columns): every file's columns, what stops a run, what the figures mean,
and flags shown as flags."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sagwa.adapters import guard_input
from sagwa.adapters.guard_output import VERDICT_COLUMNS
from sagwa.cli.main import app
from sagwa.services.guard_metrics import TUNE_WEEKS

pytestmark = pytest.mark.e2e


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, ["guard", *command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def words(text: str) -> str:
    """The help's words, one space between them: a sentence reads alike however it wraps."""
    return " ".join(text.split())


def test_check_help_lists_the_columns_of_every_file() -> None:
    text = words(help_of("check"))
    for columns in (guard_input.HISTORY_COLUMNS, guard_input.CHANGE_COLUMNS,
                    guard_input.PRODUCT_COLUMNS, VERDICT_COLUMNS):
        assert ", ".join(columns) in text, columns
    assert "comma-separated" in text


def test_check_help_says_malformed_rows_stop_the_run_before_anything_is_written() -> None:
    text = words(help_of("check"))
    assert ("the run stops with exit status 2 before anything is written, unless "
            "--skip-bad-rows") in text


def test_evaluate_help_defines_the_labels_the_splits_and_type_accuracy() -> None:
    text = words(help_of("evaluate"))
    assert ", ".join(guard_input.LABEL_COLUMNS) in text
    assert "is_error is 1 for a pricing error and 0 for a good change" in text
    assert (f"tune, those proposed in the first {TUNE_WEEKS} weeks ({TUNE_WEEKS * 7} days) from "
            "the earliest proposed_at in the changes file") in text
    assert "held_out, those proposed later" in text
    assert ("type acc.: of the errors held, the share whose error_type the guard named as the "
            "label does") in text


@pytest.mark.parametrize("command", [("check",), ("evaluate",), ()])
def test_help_fits_an_80_column_terminal(command: tuple[str, ...]) -> None:
    lines = help_of(*command).splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "…" not in "\n".join(lines)


@pytest.mark.parametrize(("command", "flags"), [
    (("check",), ("--skip-bad-rows", "--blind-chunks", "--help")),
    (("evaluate",), ("--skip-bad-rows", "--blind-chunks", "--help")),
    ((), ("--help",)),
])
def test_flags_are_shown_without_a_value(command: tuple[str, ...],
                                         flags: tuple[str, ...]) -> None:
    """Typer's rich help printed ``--skip-bad-rows <bool>``, though ``--skip-bad-rows true``
    is refused: a flag takes no value."""
    lines = help_of(*command).splitlines()
    for flag in flags:
        [line] = [line for line in lines if f" {flag} " in line]
        assert "<" not in line, line
    if command:  # an option that takes a value still shows what it takes
        [history] = [line for line in lines if " --history " in line]
        assert "<path>" in history


@pytest.mark.parametrize("args", [("incident", "--help"), ("incident", "declare", "--help"),
                                  ("--help",)])
def test_every_command_shows_its_flags_without_a_value(args: tuple[str, ...]) -> None:
    """Not only the guard's: ``sagwa incident --help`` printed ``--help <bool>`` too."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "<bool>" not in out
    assert "--help" in out
