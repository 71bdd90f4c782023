"""Only ``sagwa.adapters.db`` touches tables: services, pages, the API, the CLI and the jobs go
through the unit of work's repositories. A source scan, so a new shortcut fails here at once."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sagwa

SOURCE = Path(sagwa.__file__).parent

#: Modules that read or write tables on purpose, outside the repositories.
ALLOWED = {
    "migrations/env.py",  # Alembic compares the tables' metadata with the database
    "replay/legacy_2008.py",  # imitates the 2008 platform, which wrote straight into tables
    "replay/figures.py",  # measures what both replays left in the tables, the same way for both
}


def shortcuts(path: Path) -> list[str]:
    """Imports of the table definitions and uses of a unit of work's raw connection."""
    found = []
    # parsed in a thread of its own: in a process where Playwright's sync API ran, the parser's
    # recursion check failed once ("AST constructor recursion depth mismatch", CI 2026-12-05)
    with ThreadPoolExecutor(max_workers=1) as pool:
        tree = pool.submit(ast.parse, path.read_text(encoding="utf-8")).result()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sagwa.adapters.db.tables":
            found.append(f"line {node.lineno}: imports the tables")
        if isinstance(node, ast.Attribute) and node.attr == "conn" and (
            isinstance(node.value, ast.Name) and node.value.id in {"uow", "u"}
        ):
            found.append(f"line {node.lineno}: uses the unit of work's raw connection")
    return found


def test_nothing_outside_the_db_adapters_touches_tables() -> None:
    offenders = {
        str(path.relative_to(SOURCE)): found
        for path in SOURCE.rglob("*.py")
        if path.relative_to(SOURCE).parts[:2] != ("adapters", "db")
        and str(path.relative_to(SOURCE)) not in ALLOWED
        and (found := shortcuts(path))
    }
    assert offenders == {}


def test_the_scan_sees_a_shortcut(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sagwa.adapters.db.tables import outbox\n\ndef f(uow):\n    uow.conn.execute(1)\n",
        encoding="utf-8",
    )
    assert shortcuts(sample) == [
        "line 1: imports the tables",
        "line 4: uses the unit of work's raw connection",
    ]


def test_every_allowed_module_still_exists() -> None:
    assert all((SOURCE / name).exists() for name in ALLOWED)
