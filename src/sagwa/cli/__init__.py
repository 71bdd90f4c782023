"""Command line: thin Typer commands that parse, call a service, format and print."""

from sagwa.cli.flag_help import show_flags_without_values

show_flags_without_values()  # every command's help: ``--skip-bad-rows``, not ``… <bool>``
