"""A request's id (``web/request_ids.py``): a caller's ``X-Request-ID`` is kept only when it is a
short plain token, so nothing a caller sends can forge or break a log line."""

from __future__ import annotations

import re

import pytest

from sagwa.web.request_ids import MAX_LENGTH, new_request_id, request_id_for


@pytest.mark.parametrize("sent", ["abc", "req-42_x.Y", "0" * MAX_LENGTH,
                                  "9f1c2b7e0a5d4c3b8e6f1a2d3c4b5a69"])
def test_a_sane_incoming_id_is_kept(sent: str) -> None:
    assert request_id_for(sent) == sent


@pytest.mark.parametrize("sent", [None, "", "0" * (MAX_LENGTH + 1), "has space", "a\nb",
                                  "line\r\nX-Evil: 1", "콩", "a/b", "a;b", "abc\n", "<script>"])
def test_anything_else_gets_a_new_id(sent: str | None) -> None:
    made = request_id_for(sent)
    assert made != sent
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_new_ids_differ() -> None:
    assert len({new_request_id() for _ in range(100)}) == 100
