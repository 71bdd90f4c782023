"""Every error sagwa raises on purpose, each with a stable ``code`` that clients may rely on.

The tree::

    SagwaError                      code             HTTP (mapped once, in web/errors.py)
    ├── InvalidInput                invalid_input    422
    │   ├── SilentCancellationRefused silent_cancellation_refused
    │   ├── BookPriceLawRefused     book_price_law_refused (a plan below a book's fixed price)
    │   ├── MalformedRows           malformed_rows   (CLI: exit 2)
    │   └── MessageRefused          message_refused  (details["findings"])
    ├── NotFound                    not_found        404
    ├── Conflict                    conflict         409
    │   ├── IdempotencyMismatch     idempotency_key_reused
    │   └── AlreadyReversed         already_reversed
    ├── IllegalTransition           illegal_transition  409
    │   ├── ConsentRequired         consent_required    409
    │   └── LateChoiceRefused       late_choice_refused 409
    ├── ListingNotOrderable         listing_not_orderable 409
    ├── InsufficientPoints          insufficient_points  409
    ├── Forbidden                   forbidden        403
    ├── AuditChainBroken            audit_chain_broken  500 (CLI: exit 1)
    ├── DatabaseUnavailable         database_unavailable 503
    └── DeliveryFailed              delivery_failed  (workers only; .temporary says retry)

Where one ``code`` covers several refusals, ``details["reason"]`` names which one with a stable
snake_case sub-code (``conflict`` + ``live_price_moved``, ``forbidden`` + ``link_expired`` ...);
a refused incident plan adds ``details["problem_reasons"]`` (field -> sub-code) beside
``details["problems"]`` (field -> sentence). Programs (and the pages' sentences in
``web/pages/error_texts.py``, sentences in ``error_sentences.py``) match on ``code`` and these sub-codes, never on ``message``, whose
wording may change.
"""

from __future__ import annotations

from typing import Any


class SagwaError(Exception):
    """Root of sagwa's errors. ``message`` is for people; ``code`` is for programs."""

    code = "sagwa_error"
    http_status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(SagwaError):
    code = "invalid_input"
    http_status = 422


class NotFound(SagwaError):
    code = "not_found"
    http_status = 404


class Conflict(SagwaError):
    code = "conflict"
    http_status = 409


class IdempotencyMismatch(Conflict):
    code = "idempotency_key_reused"


class AlreadyReversed(Conflict):
    code = "already_reversed"


class IllegalTransition(SagwaError):
    code = "illegal_transition"
    http_status = 409


class ConsentRequired(IllegalTransition):
    code = "consent_required"


class ListingNotOrderable(SagwaError):
    code = "listing_not_orderable"
    http_status = 409


class InsufficientPoints(SagwaError):
    code = "insufficient_points"
    http_status = 409


class Forbidden(SagwaError):
    code = "forbidden"
    http_status = 403


class Unauthenticated(SagwaError):
    """No credentials, or credentials that name no live account (401)."""

    code = "unauthenticated"
    http_status = 401


class AuditChainBroken(SagwaError):
    code = "audit_chain_broken"
    http_status = 500


class DatabaseUnavailable(SagwaError):
    code = "database_unavailable"
    http_status = 503


class SilentCancellationRefused(InvalidInput):
    """A resolution plan whose default for unanswered customers would cancel their orders."""

    code = "silent_cancellation_refused"


class BookPriceLawRefused(InvalidInput):
    """A resolution plan that would sell a book below the floor of the fixed book price law
    (``domain.book_price``): ``details`` carry the floor, the list price and the refused price."""

    code = "book_price_law_refused"


class LateChoiceRefused(IllegalTransition):
    """A customer's choice made after the plan's deadline, when the plan does not accept it."""

    code = "late_choice_refused"


class MalformedRows(InvalidInput):
    """Input rows that cannot be read; ``details["rows"]`` lists ``(line, problem)``."""

    code = "malformed_rows"


class MessageRefused(InvalidInput):
    """A customer message or notice failed the message check; ``details["findings"]`` says why."""

    code = "message_refused"


class DeliveryFailed(SagwaError):
    """A message provider refused or could not take a message (raised by ``adapters/senders``).

    ``temporary`` says whether trying again later may succeed (a dropped connection, a 4xx
    reply) or not (a 5xx reply, a malformed address): the worker retries only the former.
    """

    code = "delivery_failed"
    http_status = 502

    def __init__(self, message: str, *, temporary: bool, **details: Any) -> None:
        super().__init__(message, temporary=temporary, **details)
        self.temporary = temporary
