"""The message check over HTTP, for editors and tools: a text of a kind, in a language; a
notice with its incident (``incident_id``) is judged as publishing judges it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field, StrictInt, ValidationInfo, field_validator

from sagwa.messagecheck import check_message
from sagwa.services import notices
from sagwa.services.accounts import Account, Role
from sagwa.web.deps import ANYONE, Uow, api_caller
from sagwa.web.schemas import Body

router = APIRouter(prefix="/api", tags=["message check"])
#: Who may read an incident (``STAFF``, as on ``GET /api/incidents/{id}``): 403 for others.
_reads_incidents = api_caller(Role.REVIEWER, Role.AGENT)


class MessageCheckRequest(Body):
    text: str = Field(max_length=20000, description=(
        "The text to check. A notice as it is published: the title, a blank line, the body "
        "(the spans of the findings count in this text)."),
        examples=["'소송의 기술' 가격 오류 안내\n\n고객님, 죄송합니다. ..."])
    kind: str = Field(pattern="^(resolution|notice|follow_up|seller_notice)$",
                      examples=["notice"])
    lang: str = Field(pattern="^(ko|en)$", examples=["ko"])
    incident_id: StrictInt | None = Field(default=None, examples=[42], description=(
        "Kind `notice` only: the incident the notice is about. It is then judged as "
        "publishing it would be: an error inside one of the incident's names (its products' "
        "titles, its sellers' names) where the text writes the name is not held against it "
        "if the match is part of a longer name or the name is quoted (a book called "
        "'소송의 기술' is not a threat; \"소송을 제기하겠습니다\" still is). Needs a staff "
        "account (reviewer, agent, admin), as reading an incident's cases does; an unknown incident "
        "is 404 `not_found`; with another kind, 422 (names are excused for notices only: the "
        "customer messages are worded from templates that stand in for the names)."))

    @field_validator("incident_id")
    @classmethod
    def _incident_for_notices_only(cls, value: int | None, info: ValidationInfo) -> int | None:
        """A customer message or seller email is checked with stand-ins for the names where
        sagwa words it (``name_stand_ins``); a text sent here has none to stand in for."""
        kind = info.data.get("kind")  # absent when the kind was refused already
        if value is not None and kind is not None and kind != "notice":
            raise ValueError(f"incident_id is taken with kind notice only, not {kind}: leave "
                             "it out to check this text as written")
        return value


@router.post("/messages/check")
def check(body: MessageCheckRequest, uow: Uow,
          caller: Annotated[Account, ANYONE]) -> dict[str, Any]:
    """`{"ok": bool, "findings": [{"code", "severity", "span", "message", ...}]}`.

    Any account may check a text. With `incident_id` (kind `notice`), the notice is judged
    as publishing it would be, the incident's names excused where the text writes them; that
    reads the incident, so it needs a staff account (403 otherwise), and an unknown incident
    is 404."""
    if body.incident_id is None:
        return check_message(body.text, kind=body.kind, lang=body.lang).as_dict()
    _reads_incidents(caller)
    return notices.check_notice(uow(), incident_id=body.incident_id, text=body.text,
                                lang=body.lang).as_dict()
