"""The message check over HTTP (the notice editor calls it as the operator types)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from sagwa.messagecheck import check_message
from sagwa.web.deps import ANYONE
from sagwa.web.schemas import Body

router = APIRouter(prefix="/api", tags=["message check"])


class MessageCheckRequest(Body):
    text: str = Field(max_length=20000)
    kind: str = Field(pattern="^(resolution|notice|follow_up|seller_notice)$")
    lang: str = Field(pattern="^(ko|en)$")


@router.post("/messages/check", dependencies=[ANYONE])
def check(body: MessageCheckRequest) -> dict[str, Any]:
    """`{"ok": bool, "findings": [{"code", "severity", "span", "message", ...}]}`."""
    return check_message(body.text, kind=body.kind, lang=body.lang).as_dict()
