"""What the browser tests share: logging in and saving a screenshot into ``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit].primary")


def wait_until(page, expression: str, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``expression`` is true in the page, polling with ``page.evaluate``: the
    pages' ``script-src 'self'`` blocks ``page.wait_for_function``, which builds a function
    from text inside the page."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(20)
