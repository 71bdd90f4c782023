"""Request dependencies: units of work, who is acting, idempotency keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from sagwa.priceguard import PriceRules
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def _uow_factory(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


def _actor(x_sagwa_actor: Annotated[str | None, Header(max_length=100)] = None) -> str:
    return f"api:{x_sagwa_actor}" if x_sagwa_actor else "api"


def _idempotency_key(
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> str | None:
    return idempotency_key


def _price_rules(request: Request) -> PriceRules:
    rules: PriceRules = request.app.state.price_rules
    return rules


Uow = Annotated[UowFactory, Depends(_uow_factory)]
Rules = Annotated[PriceRules, Depends(_price_rules)]
Actor = Annotated[str, Depends(_actor)]
IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]
