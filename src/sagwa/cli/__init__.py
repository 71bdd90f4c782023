"""Command line: thin Typer commands that parse, call a service, format and print."""
