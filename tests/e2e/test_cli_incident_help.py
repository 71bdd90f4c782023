"""Help text of the incident desk and its neighbours: nothing cut off, no stray line breaks,
no [required] on an option that is asked for. No database needed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from sagwa.cli.main import app

pytestmark = pytest.mark.e2e
PLAN_OPTIONS = ("keep", "cancel_with_compensation", "buy_at_correct_price_discount",
                "talk_to_person")


def help_of(*command: str, columns: int = 80) -> Result:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result


def test_plan_help_names_every_option_in_full_on_a_narrow_terminal() -> None:
    shown = help_of("incident", "plan", columns=80).stdout
    assert "…" not in shown
    words = set(shown.replace(":", " ").replace(",", " ").split())
    for option in PLAN_OPTIONS:
        assert option in words, option


def test_incident_help_lists_the_list_command() -> None:
    shown = help_of("incident", columns=200).stdout
    assert any(line.split()[1:3] == ["list", "List"] for line in shown.splitlines()
               if len(line.split()) > 2)


@pytest.mark.parametrize(("group", "command", "next_line"), [
    ((), "serve", "version"),
    (("seed",), "demo", "╰"),
])
def test_command_summaries_are_one_line(group: tuple[str, ...], command: str,
                                        next_line: str) -> None:
    lines = help_of(*group, columns=200).stdout.splitlines()
    [at] = [i for i, line in enumerate(lines) if line.startswith(f"│ {command} ")]
    assert lines[at + 1].lstrip("│ ").startswith(next_line), lines[at:at + 2]


@pytest.mark.parametrize("command", [("serve",), ("seed", "demo")])
def test_descriptions_break_only_between_paragraphs(command: tuple[str, ...]) -> None:
    lines = help_of(*command, columns=200).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "Usage:" in line) + 2
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    description = [line.strip() for line in lines[start:end]]
    # Each paragraph is one line, separated by blank ones: no sentence is cut mid-way.
    assert all(line.endswith(".") for line in description if line), description


def test_users_create_says_the_password_is_asked_for_and_not_required() -> None:
    [line] = [line for line in help_of("users", "create", columns=200).stdout.splitlines()
              if "--password" in line]
    assert "[required]" not in line and not line.lstrip("│ ").startswith("*")
    assert "Asked for" in line and "when omitted" in line


def _commands(command: tuple[str, ...] = ()):
    """Every command's path (``("guard", "check")``), groups included."""
    import typer.main

    group = typer.main.get_command(app)
    for name in command:
        group = group.get_command(type(group).context_class(group), name)
    yield command
    if hasattr(group, "list_commands"):
        for name in group.list_commands(type(group).context_class(group)):
            yield from _commands((*command, name))


@pytest.mark.parametrize("command", list(_commands()), ids=lambda c: " ".join(c) or "sagwa")
def test_help_paragraphs_fill_the_terminal(command: tuple[str, ...]) -> None:
    """A docstring's own line breaks are not kept: each paragraph is wrapped to the terminal
    (kept, every line of ``guard check``'s help broke again at 80 columns, leaving "it is" and
    "old_price" on lines of their own)."""
    shown = help_of(*command, columns=80).stdout
    description = shown.split("╭")[0].splitlines()[3:]  # after the usage line
    paragraph: list[str] = []
    for line in [*description, ""]:
        if line.strip():
            paragraph.append(line.rstrip())
            continue
        for filled in paragraph[:-1]:  # every line but a paragraph's last one is filled
            if len(filled) - len(filled.lstrip()) == 1:  # not a list's item or its next line
                assert len(filled) > 60, (command, filled, paragraph)
        paragraph = []
