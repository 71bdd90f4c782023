"""Sellers, products and customers (every read or change of a customer is an access record:
``web.access``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from sagwa.domain.catalog import KEEP, Customer, Product, Seller
from sagwa.domain.erasure_requests import ErasureRequest, day_of
from sagwa.domain.moments import SEOUL
from sagwa.services import catalog
from sagwa.services.customer_contact import ContactChanged, change_customer_contact
from sagwa.services.lookups import require
from sagwa.web.deps import ADMIN, AGENT, Actor, ApiAccess, IdempotencyKey, Uow, case_links
from sagwa.web.schemas import (
    CustomerContactChanged,
    CustomerContactUpdate,
    CustomerCreate,
    CustomerPublic,
    MoneyIO,
    ProductCreate,
    ProductPublic,
    SellerCreate,
    SellerPublic,
)

router = APIRouter(prefix="/api", tags=["catalog"])


def seller_public(s: Seller) -> SellerPublic:
    return SellerPublic(id=s.id, code=s.code, name=s.name, contact_email=s.contact_email,
                        phone=s.phone)


def product_public(p: Product) -> ProductPublic:
    return ProductPublic(id=p.id, sku=p.sku, title=p.title, title_en=p.title_en, brand=p.brand,
                         category=p.category, list_price=MoneyIO.of(p.list_price), gtin=p.gtin,
                         isbn=p.isbn)


def customer_public(c: Customer, request: ErasureRequest | None = None) -> CustomerPublic:
    """``request``: the customer's erasure request still waiting (read by the GET and the
    PATCH; a customer just registered has none)."""
    return CustomerPublic(
        id=c.id, name=c.name, email=c.email, phone=c.phone, locale=c.locale,
        erased_at=c.erased_at.astimezone(SEOUL) if c.erased_at else None,
        erasure_requested_at=request.requested_at.astimezone(SEOUL) if request else None,
        erasure_from=day_of(request.erase_from) if request and request.erase_from else None)


@router.post("/sellers", status_code=201, response_model=SellerPublic, dependencies=[ADMIN])
def register_seller(body: SellerCreate, uow: Uow, actor: Actor, key: IdempotencyKey) -> SellerPublic:
    return seller_public(catalog.register_seller(uow(), **body.model_dump(), actor=actor,
                                                 idempotency_key=key))


@router.get("/sellers", response_model=list[SellerPublic])
def list_sellers(uow: Uow, limit: int = Query(50, ge=1, le=500),
                 offset: int = Query(0, ge=0)) -> list[SellerPublic]:
    with uow() as u:
        return [seller_public(s) for s in u.catalog.list_sellers(limit=limit, offset=offset)]


@router.get("/sellers/{seller_id}", response_model=SellerPublic)
def get_seller(seller_id: int, uow: Uow) -> SellerPublic:
    with uow() as u:
        return seller_public(require(u.catalog.seller(seller_id), "seller", seller_id))


@router.post("/products", status_code=201, response_model=ProductPublic,
             dependencies=[ADMIN])
def register_product(body: ProductCreate, uow: Uow, actor: Actor,
                     key: IdempotencyKey) -> ProductPublic:
    fields = body.model_dump(exclude={"list_price"})
    price = body.list_price.to_money() if body.list_price else None
    return product_public(catalog.register_product(uow(), **fields, list_price=price, actor=actor,
                                                   idempotency_key=key))


@router.get("/products", response_model=list[ProductPublic])
def list_products(uow: Uow, q: str | None = Query(None, max_length=100),
                  limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0)) -> list[ProductPublic]:
    with uow() as u:
        return [product_public(p) for p in u.catalog.list_products(query=q, limit=limit,
                                                                   offset=offset)]


@router.get("/products/{product_id}", response_model=ProductPublic)
def get_product(product_id: int, uow: Uow) -> ProductPublic:
    with uow() as u:
        return product_public(require(u.catalog.product(product_id), "product", product_id))


@router.post("/customers", status_code=201, response_model=CustomerPublic,
             dependencies=[ADMIN])
def register_customer(body: CustomerCreate, uow: Uow, actor: Actor,
                      key: IdempotencyKey, access: ApiAccess) -> CustomerPublic:
    """Register a customer. A retry with the same Idempotency-Key answers the same customer
    (its access record: a ``view``). The registration's record, naming the new customer, is
    written in its transaction: one that cannot be written registers nobody (503
    ``access_record_unwritten``)."""
    made = catalog.register_customer(access.changing(uow()), **body.model_dump(), actor=actor,
                                     idempotency_key=key)
    access.answered(customers=[made.id])  # a retry committed nothing: a view
    return customer_public(made)


@router.get("/customers/{customer_id}", response_model=CustomerPublic, dependencies=[AGENT])
def get_customer(customer_id: int, uow: Uow, access: ApiAccess) -> CustomerPublic:
    with uow() as u:
        found = require(u.catalog.customer(customer_id), "customer", customer_id)
        request = u.erasure_requests.pending_for(customer_id)
    access.viewed()  # the customer of the path
    return customer_public(found, request)


def contact_changed_public(done: ContactChanged,
                           request: ErasureRequest | None = None) -> CustomerContactChanged:
    return CustomerContactChanged(
        customer=customer_public(done.customer, request), changed=dict(done.changed),
        messages_readdressed=done.messages_readdressed,
        messages_withdrawn=done.messages_withdrawn, messages_resent=done.messages_resent,
        calls_resumed=list(done.calls_resumed),
        attempts_restarted=list(done.attempts_restarted),
        calls_given_up=list(done.calls_given_up), messages_queued=done.messages_queued,
        escalated=list(done.escalated))


@router.patch("/customers/{customer_id}", response_model=CustomerContactChanged,
              dependencies=[AGENT])
def change_contact(customer_id: int, body: CustomerContactUpdate, request: Request, uow: Uow,
                   actor: Actor, access: ApiAccess) -> CustomerContactChanged:
    """Correct a customer's email or phone number (agents and admins). Messages still waiting
    go to the new address or number; a customer the desk gave up calling is owed the call again
    with a new number; one owed a call whose number is removed is given up at once and told by
    email. Sending the same details again changes nothing (its access record: a ``view``). A
    correction whose access record cannot be written is not made (503
    ``access_record_unwritten``)."""
    given = body.model_fields_set
    done = change_customer_contact(
        access.changing(uow()), customer_id=customer_id, actor=actor,
        policy=request.app.state.desk_policy, email=body.email if "email" in given else KEEP,
        phone=body.phone if "phone" in given else KEEP, links=case_links(request))
    access.answered(changed=bool(done.changed))
    with uow() as u:  # a request to be erased may wait: the answer says so, as the GET does
        waiting = u.erasure_requests.pending_for(customer_id)
    return contact_changed_public(done, waiting)
