"""Signed, expiring links that open one customer's case page (``/c/<token>``) and nothing else.

A link is signed with the app's current secret and opened under it or a retired one
(``Settings.accepted_secrets``): rotating ``SAGWA_SECRET_KEY`` with the old secret kept in
``SAGWA_PREVIOUS_SECRET_KEYS`` leaves the links already sent to customers working until they
expire.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

from sagwa.errors import Forbidden

_SALT = "sagwa.case-link.v1"


def case_token(secret: str, *, case_id: int, customer_id: int, expires_at: datetime) -> str:
    payload = {"c": case_id, "u": customer_id, "x": int(expires_at.timestamp())}
    return URLSafeSerializer(secret, salt=_SALT).dumps(payload)


def open_case_token(secrets: str | Sequence[str], token: str, *,
                    now: datetime | None = None) -> tuple[int, int]:
    """(case_id, customer_id) from a token signed with one of ``secrets`` (one, or the
    accepted ones newest last: ``Settings.accepted_secrets``); Forbidden if altered or
    expired."""
    try:
        payload = URLSafeSerializer(secrets, salt=_SALT).loads(token)
        case_id, customer_id, expires = int(payload["c"]), int(payload["u"]), int(payload["x"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Forbidden("this link is not valid", reason="link_invalid") from None
    moment = now or datetime.now(UTC)
    if moment.timestamp() > expires:
        raise Forbidden(
            "this link has expired; please contact us to make your choice", reason="link_expired"
        )
    return case_id, customer_id
