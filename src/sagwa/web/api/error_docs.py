"""What the OpenAPI document says about the JSON API's errors: every one is ``{"code",
"message", "details"}`` (``web/errors.py`` makes them), not FastAPI's default ``{"detail": [...]}``
validation body, which generated clients would otherwise expect for a 422 (a review's finding);
and the 4xx statuses the API answers are listed on every operation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorPublic(BaseModel):
    """An error of the JSON API: a stable ``code``, a sentence for people, and ``details``.
    Where one code covers several refusals, ``details.reason`` names which with a stable
    sub-code; a request the schema refuses has ``details.errors`` (``field``, ``problem``)."""

    code: str = Field(examples=["listing_not_orderable"])
    message: str = Field(examples=["listing 7 is paused; only live listings take orders"])
    details: dict[str, Any] | None = Field(default=None, examples=[{"reason": "listing_not_live"}])


_SAID = {
    400: "Malformed JSON (`malformed_json`, reason `json_malformed`).",
    401: "No API token, or an unknown or revoked one (`unauthenticated`; reason "
         "`token_required`, `token_unknown` or `authorization_malformed`). API tokens do not "
         "expire: one works until `sagwa users revoke-token` ends it.",
    403: "The token's role or account may not do this (`forbidden`, `details.reason`).",
    404: "No such resource (`not_found`: reason `unknown_id`; no such route: "
         "`route_unknown`).",
    405: "The route does not take this method (`method_not_allowed`, reason "
         "`method_not_allowed`; `details.allowed` and the `Allow` header list the methods it "
         "takes). Every route that takes GET takes HEAD too.",
    409: "Refused as things stand: a state, a conflict, an idempotency key reused "
         "(`conflict`, `illegal_transition`, `already_reversed`, … with `details.reason`).",
    413: "The body is larger than the server reads (`too_large`, reason `body_too_large`; "
         "the limit is `SAGWA_MAX_BODY_BYTES`, 1 MiB by default).",
    422: "Invalid input: the schema (`invalid_request`, `details.errors`; reason "
         "`request_invalid`, `body_missing` or `body_not_json`; a query parameter the route "
         "does not take, or one given twice that takes one value, is `request_invalid` naming "
         "`query.<name>`) or a rule (`invalid_input`, `details.reason`, and `details.field` "
         "where the refusal is about one field: a number too large to store names it when it "
         "came in the path or the query, with `details.request_field` `path.<name>` or "
         "`query.<name>`, not when it came in the body; on a price, "
         "`details.request_field` is the field as the request sent it, in the notation of "
         "`details.errors[].field`, e.g. `body.new_price.amount_minor`).",
}
#: Passed to ``include_router`` for every API router.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": said} for status, said in _SAID.items()}
