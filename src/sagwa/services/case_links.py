"""Signed, expiring links that open one customer's case page (``/c/<token>``) and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

from sagwa.errors import Forbidden

_SALT = "sagwa.case-link.v1"


def case_token(secret: str, *, case_id: int, customer_id: int, expires_at: datetime) -> str:
    payload = {"c": case_id, "u": customer_id, "x": int(expires_at.timestamp())}
    return URLSafeSerializer(secret, salt=_SALT).dumps(payload)


def open_case_token(secret: str, token: str, *, now: datetime | None = None) -> tuple[int, int]:
    """(case_id, customer_id) from a valid token; Forbidden if altered or expired."""
    try:
        payload = URLSafeSerializer(secret, salt=_SALT).loads(token)
        case_id, customer_id, expires = int(payload["c"]), int(payload["u"]), int(payload["x"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Forbidden("this link is not valid", reason="link_invalid") from None
    moment = now or datetime.now(UTC)
    if moment.timestamp() > expires:
        raise Forbidden(
            "this link has expired; please contact us to make your choice", reason="link_expired"
        )
    return case_id, customer_id
