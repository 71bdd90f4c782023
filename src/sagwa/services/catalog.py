"""Register sellers, products and customers."""

from __future__ import annotations

from dataclasses import asdict

from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import Customer, CustomerDraft, Product, ProductDraft, Seller, SellerDraft
from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def register_seller(uow: SqlAlchemyUnitOfWork, *, code: str, name: str, actor: str,
                    contact_email: str | None = None, phone: str | None = None,
                    idempotency_key: str | None = None) -> Seller:
    draft = SellerDraft(code=code, name=name, contact_email=contact_email, phone=phone)
    with uow:
        prior = prior_result(uow, "seller", idempotency_key, asdict(draft))
        if prior:
            return require(uow.catalog.seller(prior["id"]), "seller", prior["id"])
        if uow.catalog.seller_by_code(draft.code):
            raise Conflict(
                f"a seller with code {draft.code!r} already exists",
                field="code",
                reason="seller_code_taken",
            )
        seller = uow.catalog.add_seller(draft, uow.now())
        uow.audit.append(AuditEvent(actor, "seller.registered", "seller", str(seller.id),
                                    after=asdict(seller)), uow.now())
        remember(uow, "seller", idempotency_key, {"id": seller.id})
        uow.commit()
        return seller


def register_product(uow: SqlAlchemyUnitOfWork, *, title: str, category: str, actor: str,
                     brand: str | None = None, title_en: str | None = None,
                     list_price: Money | None = None, gtin: str | None = None,
                     isbn: str | None = None, sku: str | None = None,
                     idempotency_key: str | None = None) -> Product:
    draft = ProductDraft(title=title, category=category, brand=brand, title_en=title_en,
                         list_price=list_price, gtin=gtin, isbn=isbn)
    with uow:
        payload = {**asdict(draft), "sku": sku}
        prior = prior_result(uow, "product", idempotency_key, payload)
        if prior:
            return require(uow.catalog.product(prior["id"]), "product", prior["id"])
        if draft.gtin and uow.catalog.product_by_gtin(draft.gtin):
            raise Conflict(
                f"a product with GTIN {draft.gtin} already exists",
                field="gtin",
                reason="gtin_taken",
            )
        product = uow.catalog.add_product(draft, uow.now(), sku=sku)
        uow.audit.append(AuditEvent(actor, "product.registered", "product", str(product.id),
                                    after=asdict(product)), uow.now())
        remember(uow, "product", idempotency_key, {"id": product.id})
        uow.commit()
        return product


def register_customer(uow: SqlAlchemyUnitOfWork, *, name: str, actor: str,
                      email: str | None = None, phone: str | None = None, locale: str = "ko",
                      idempotency_key: str | None = None) -> Customer:
    draft = CustomerDraft(name=name, email=email, phone=phone, locale=locale)
    with uow:
        prior = prior_result(uow, "customer", idempotency_key, asdict(draft))
        if prior:
            return require(uow.catalog.customer(prior["id"]), "customer", prior["id"])
        if draft.email and uow.catalog.customer_by_email(draft.email):
            raise Conflict(
                f"a customer with email {draft.email} already exists",
                field="email",
                reason="customer_email_taken",
            )
        customer = uow.catalog.add_customer(draft, uow.now())
        uow.naming_in_record(customers=[customer.id])  # a change record of the registration
        uow.audit.append(AuditEvent(actor, "customer.registered", "customer", str(customer.id),
                                    after={"id": customer.id, "locale": customer.locale}),
                         uow.now())
        remember(uow, "customer", idempotency_key, {"id": customer.id})
        uow.commit()
        return customer
