"""Request dependencies: units of work, who is calling, idempotency keys, access records.

Who is calling the JSON API: an ``Authorization: Bearer sgw_…`` token (``sagwa users token``)
names an account; a browser that is logged in to the pages may also *read* the API with its
session cookie (a cookie never authorises a change: it would need the pages' CSRF token). The
account's role decides what it may do (``api_caller``); the audit log's actor is the account,
never something the request says about itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from sagwa.domain.access_records import MAX_REASON, access_reason
from sagwa.errors import Forbidden, InvalidInput, SagwaError, Unauthenticated
from sagwa.priceguard import PriceRules
from sagwa.services.accounts import Account, Role, account_for_token, with_admin
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.idempotency import IdempotencyKey as IdempotencyKeyValue
from sagwa.services.idempotency import check_key
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.access import (
    REASON_HEADER,
    AccessRecorder,
    header_reason,
    mark_replayed,
    recorder_for,
)

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def _uow_factory(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization`` header's value ``Bearer <token>`` (the scheme in any
    case, the token without the blanks around it); None for no header, another scheme or no
    token. The API and ``/healthz`` read the header with it; what follows differs (the API
    answers 401, ``/healthz`` answers as to anyone, the database down or not)."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class _ApiToken(HTTPBearer):
    """FastAPI's bearer scheme, which declares the API token in the OpenAPI document; the
    header is read by :func:`bearer_token`."""

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        token = bearer_token(request.headers.get("authorization"))
        return None if token is None else HTTPAuthorizationCredentials(scheme="Bearer",
                                                                       credentials=token)


_BEARER = _ApiToken(auto_error=False, scheme_name="API token",
                    description="A token from `sagwa users token --username NAME`.")


def _authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> Account:
    """The calling account (cached per request), or 401."""
    if request.headers.get("authorization") and credentials is None:
        raise Unauthenticated("use 'Authorization: Bearer <token>' (see 'sagwa users token')",
                              reason="authorization_malformed")
    if credentials is not None:
        account = account_for_token(request.app.state.uow_factory(), credentials.credentials)
        if account is None:
            raise Unauthenticated("this API token is unknown or was revoked",
                                  reason="token_unknown")
        return account
    from sagwa.web.pages.session import SAFE_METHODS, current_account  # pages import us

    account = current_account(request) if "session" in request.scope else None
    if account is not None and request.method in SAFE_METHODS:
        return account
    raise Unauthenticated("this call needs an API token: 'Authorization: Bearer <token>' "
                          "(create one with 'sagwa users token --username NAME')",
                          reason="token_required")


def token_caller(request: Request) -> Account | None:
    """The account of the request's API token, answered as anyone's (None) for no token, an
    unknown, revoked or expired one: for reads open to anyone (a public read, ``/healthz``),
    where a token only shows more, never refuses."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return None
    try:
        return account_for_token(request.app.state.uow_factory(), token)
    except SagwaError:
        return None


def caller_if_any(request: Request) -> Account | None:
    """Who calls a public read, if anyone says: an API token's account (:func:`token_caller`)
    or a page session's; None for anyone else. Public reads show some things to some callers
    only (a seller's drafts to that seller and staff; who published a notice to staff)."""
    if bearer_token(request.headers.get("authorization")) is not None:
        return token_caller(request)
    from sagwa.web.pages.session import current_account  # pages import us

    return current_account(request) if "session" in request.scope else None


def is_staff(caller: Account | None) -> bool:
    """A staff account (any role but seller's) calls: it reads what a public read shows staff
    only."""
    return caller is not None and caller.role is not Role.SELLER


def api_caller(*roles: Role) -> Callable[[Account], Account]:
    """A dependency: the calling account if its role is one of ``roles`` (an admin may do
    everything), else 403. No roles: any account."""

    def dependency(account: Annotated[Account, Depends(_authenticated)]) -> Account:
        if not account.may(roles):
            allowed = ", ".join(r.value for r in allowed_roles(roles))
            raise Forbidden(
                f"{'an' if account.role.value[0] in 'aeiou' else 'a'} {account.role.value} "
                f"account cannot do this (needs: {allowed})",
                reason="role_not_allowed",
            )
        return account

    return dependency


allowed_roles = with_admin


def api_actor(account: Account) -> str:
    """How the audit log names an account acting through the API."""
    return f"api:{account.username}"


def _actor(account: Annotated[Account, Depends(_authenticated)]) -> str:
    return api_actor(account)


def _idempotency_key(
    request: Request,
    account: Annotated[Account, Depends(_authenticated)],
    response: Response,
    idempotency_key: Annotated[str | None, Header(description=(
        "Required (the schema marks it optional so that a missing key is answered with the "
        "API's own 422, reason `idempotency_key_missing`): 1 to 200 characters, unique per "
        "account and request; a retry with the same key and body answers the first result "
        "(with the response header `Idempotent-Replayed: true`), another body with it is 409 "
        "`idempotency_request_differs`."))] = None,
) -> IdempotencyKeyValue:
    """The ``Idempotency-Key`` header as the calling account's own key (keys are per account);
    missing, blank or over 200 characters: 422 with reason ``idempotency_key_missing`` or
    ``idempotency_key_too_long``."""
    return _owned_key(account, idempotency_key or "", request, response)


def _optional_idempotency_key(
    request: Request,
    account: Annotated[Account, Depends(_authenticated)],
    response: Response,
    idempotency_key: Annotated[str | None, Header(description=(
        "Optional here: with one (1 to 200 characters, unique per account and request), a retry "
        "with the same key and body answers the first result (response header "
        "`Idempotent-Replayed: true`) and records nothing more; another "
        "body with it is 409 `idempotency_request_differs`. Without one, every call records."
    ))] = None,
) -> IdempotencyKeyValue | None:
    """The ``Idempotency-Key`` header where a call takes one but does not need one (it has
    always recorded without): None when absent; blank (reason ``idempotency_key_blank``) or
    over 200 characters: 422."""
    if idempotency_key is not None and not idempotency_key.strip():
        raise InvalidInput("the 'Idempotency-Key' header was sent blank; it is optional on "
                           "this call: send a key (1 to 200 characters) or leave the header out",
                           field="Idempotency-Key", reason="idempotency_key_blank")
    return (None if idempotency_key is None
            else _owned_key(account, idempotency_key, request, response))


#: Answered ``true`` when a call with an ``Idempotency-Key`` gave the first call's result
#: instead of running again (absent otherwise), as Stripe's API does.
REPLAYED_HEADER = "Idempotent-Replayed"


def _owned_key(account: Account, key: str, request: Request,
               response: Response) -> IdempotencyKeyValue:
    """``key`` checked (blank or too long: 422) as the calling account's own; a replay of an
    earlier call answers :data:`REPLAYED_HEADER`, and its access record is a view
    (``web.access.mark_replayed``)."""
    check_key(key)

    def replayed() -> None:
        response.headers[REPLAYED_HEADER] = "true"
        mark_replayed(request)

    return IdempotencyKeyValue(key, owner=api_actor(account), on_replay=replayed)


def _api_access(
    request: Request,
    account: Annotated[Account, Depends(_authenticated)],
    x_access_reason: Annotated[str | None, Header(
        alias=REASON_HEADER, description=(
            "Why the customers' data is read (kept on the access record; UTF-8, "
            "percent-encoded beyond ASCII). Optional."))] = None,
    reason: Annotated[str | None, Query(max_length=MAX_REASON, description=(
        f"Why the customers' data is read, as the `{REASON_HEADER}` header (either)."
        " Optional."))] = None,
) -> AccessRecorder:
    """The calling account's access record for a call that shows customers' personal data
    (``web.access``); an optional reason from the header or the query (over 500 characters:
    422 ``access_reason_too_long``)."""
    said = access_reason(reason or header_reason(x_access_reason), required=False,
                         what=request.url.path)
    return recorder_for(request, account, said)


def _price_rules(request: Request) -> PriceRules:
    rules: PriceRules = request.app.state.price_rules
    return rules


Uow = Annotated[UowFactory, Depends(_uow_factory)]
Rules = Annotated[PriceRules, Depends(_price_rules)]
Actor = Annotated[str, Depends(_actor)]
#: Who calls a public read, if anyone says (:func:`caller_if_any`).
PublicCaller = Annotated[Account | None, Depends(caller_if_any)]
IdempotencyKey = Annotated[IdempotencyKeyValue, Depends(_idempotency_key)]
OptionalIdempotencyKey = Annotated[IdempotencyKeyValue | None, Depends(_optional_idempotency_key)]
#: Who saw which customers' data through the API: the route says what it showed (``web.access``).
ApiAccess = Annotated[AccessRecorder, Depends(_api_access)]

ReviewerCaller = Annotated[Account, Depends(api_caller(Role.REVIEWER))]
AgentCaller = Annotated[Account, Depends(api_caller(Role.AGENT))]
SellerCaller = Annotated[Account, Depends(api_caller(Role.SELLER))]


def act_for_seller(caller: Account, seller_id: int, *, asked: str = "listing") -> None:
    """A seller account acts only for its own seller; staff roles that got here may act. The
    refusal (reason ``not_own_listing`` whatever was asked, a stable sub-code) says what was
    asked: another seller's ``listing`` or, for ``incidents``, another seller's incidents."""
    if caller.role is Role.SELLER and caller.seller_id != seller_id:
        message = ("a seller account can act only on its own listings" if asked == "listing" else
                   f"a seller account can read only its own {asked}: this token is seller "
                   f"{caller.seller_id}'s, and the path names seller {seller_id}")
        raise Forbidden(message, reason="not_own_listing")


def recorded_name(caller: Account, claimed: str | None, field: str) -> str:
    """The name the audit log records for ``caller``. A body field that still names the actor
    (older clients send one) must name the caller; naming anyone else is refused."""
    name = api_actor(caller)
    if claimed and claimed.strip() not in {caller.username, caller.actor, name}:
        raise InvalidInput(f"{field} is taken from the API token ({caller.username}); "
                           "leave it out", field=field, reason="name_not_the_caller")
    return name


ADMIN = Depends(api_caller(Role.ADMIN))
STAFF = Depends(api_caller(Role.REVIEWER, Role.AGENT))
AGENT = Depends(api_caller(Role.AGENT))
REVIEWER = Depends(api_caller(Role.REVIEWER))
#: The refunds owed and the ledger: finance reads them and marks refunds paid (and an admin).
FINANCE = Depends(api_caller(Role.FINANCE))
#: Reading an incident and the list of them: staff, and finance, who pays the refunds listed
#: with their incident's id (what these answers hold names no customer: no contact details).
INCIDENT_READERS = Depends(api_caller(Role.REVIEWER, Role.AGENT, Role.FINANCE))
#: A customer's points balance: agents (a customer asks), and finance, who reconciles the
#: ledger's postings with the balances (a finance walk found it refused).
POINTS_READERS = Depends(api_caller(Role.AGENT, Role.FINANCE))
ANYONE = Depends(api_caller())


def case_links(request: Request) -> LinkMaker:
    """The maker of customers' case links (``/c/<token>``) with this app's secret and address."""
    settings = request.app.state.settings
    return LinkMaker(settings.secret_key, settings.public_base_url)
