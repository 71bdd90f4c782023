"""Who saw which customers' personal data through the web (``services.access_records``).

Each page and API route that shows customers' data takes an :class:`AccessRecorder` — a page
``PageAccess``, the API ``web.deps.ApiAccess`` — and, once it has what it will show and before
it answers, says what that was: ``access.viewed(cases=…)``, ``access.searched(results=…)``,
``access.changed(…)``. That writes one record: the account and its role, the client's address
(``request.client``: uvicorn's, after ``FORWARDED_ALLOW_IPS``), the request's id, the method
and path (a search's words masked, as in the access log: ``/cs/cases?q=[masked]``), and the
customers and cases shown — those named in the path (``{customer_id}``, ``{case_id}``) too,
and the customers of the cases given (found by the INSERT itself). A record that cannot be
written raises: the request fails rather than show anything unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Request

from sagwa.domain.access_records import AccessAction, AccessRecord
from sagwa.services.access_records import AccessLog, record_access
from sagwa.services.accounts import Account
from sagwa.web.access_log import mask_links
from sagwa.web.request_ids import request_id_of

#: The header an API call gives an export's reason in (UTF-8, percent-encoded beyond ASCII).
REASON_HEADER = "X-Access-Reason"


def what_of(request: Request) -> str:
    """``GET /cs/cases?q=[masked]``: the method and the path, search words masked."""
    query = request.url.query
    return f"{request.method} {mask_links(request.url.path + (f'?{query}' if query else ''))}"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


def header_reason(value: str | None) -> str | None:
    """:data:`REASON_HEADER`'s value as text: percent-encoded UTF-8 decoded, raw UTF-8 bytes
    (read by the server as Latin-1) too."""
    if value is None:
        return None
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(value)


def _path_ids(request: Request, name: str) -> tuple[int, ...]:
    raw = request.path_params.get(name)
    return (int(raw),) if isinstance(raw, (str, int)) and str(raw).isdigit() else ()


class AccessRecorder:
    """One request's access record (see the module)."""

    def __init__(self, request: Request, account: Account, reason: str | None = None) -> None:
        self._log: AccessLog = request.app.state.access_log
        self._request, self._account, self._reason = request, account, reason

    def viewed(self, *, cases: Iterable[int] = (), customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.VIEW, cases, customers)

    def searched(self, *, results: int, cases: Iterable[int] = (),
                 customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.SEARCH, cases, customers, results)

    def changed(self, *, cases: Iterable[int] = (), customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.CHANGE, cases, customers)

    def _add(self, action: AccessAction, cases: Iterable[int], customers: Iterable[int],
             results: int | None = None) -> None:
        request = self._request
        record_access(self._log, AccessRecord(
            account=self._account.username, role=self._account.role.value,
            client=client_of(request), action=action, what=what_of(request),
            customer_ids=(*_path_ids(request, "customer_id"), *customers),
            case_ids=(*_path_ids(request, "case_id"), *cases),
            request_id=request_id_of(request), results=results, reason=self._reason))


def recorder_for(request: Request, account: Account, reason: str | None = None) -> AccessRecorder:
    """The request's recorder, kept on it for the helpers that render a page again."""
    recorder = AccessRecorder(request, account, reason)
    request.state.access_recorder = recorder
    return recorder


def page_access(request: Request) -> AccessRecorder:
    """A page's recorder, for the signed-in account (the page's own role check comes first)."""
    from sagwa.web.pages.session import LoginRequired, current_account  # pages import us

    found = getattr(request.state, "access_recorder", None)
    if isinstance(found, AccessRecorder):
        return found
    account = current_account(request)
    if account is None:
        raise LoginRequired("please log in")
    return recorder_for(request, account)


PageAccess = Annotated[AccessRecorder, Depends(page_access)]


def record_sign_in(request: Request, action: AccessAction, account: str,
                   role: str | None) -> None:
    """A sign-in, a failed one or a sign-out, with the client's address."""
    record_access(request.app.state.access_log, AccessRecord(
        account=account, role=role, client=client_of(request), action=action,
        what=what_of(request), request_id=request_id_of(request)))
