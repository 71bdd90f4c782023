"""Filling the pages' forms over HTTP (TestClient): the CSRF token a page carries, logging in."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from world import PASSWORD


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def previewed_plan(html: str) -> str:
    """The plan the incident page's send form was drawn under (its hidden ``plan_version``):
    notify from the page is refused without it."""
    found = re.search(r'id="notify".*?name="plan_version" value="([^"]*)"', html, re.DOTALL)
    return found.group(1) if found else ""


def log_in(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 303, answer.text
