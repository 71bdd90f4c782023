"""How the ``Authorization`` header is read, once for the API and ``/healthz``
(``deps.bearer_token``): the scheme in any case, the token without the blanks around it."""

from __future__ import annotations

import pytest

from sagwa.web.deps import bearer_token


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer sgw_abc", "sgw_abc"),
    ("bearer sgw_abc", "sgw_abc"),
    ("BEARER   sgw_abc  ", "sgw_abc"),
])  # fmt: skip
def test_a_bearer_header_gives_its_token(header: str, token: str) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Bearer    ", "Basic YWRtaW46YWRtaW4=", "sgw_without_scheme",
    "Bearersgw_abc",
])  # fmt: skip
def test_no_header_another_scheme_or_no_token_gives_none(header: str | None) -> None:
    assert bearer_token(header) is None
