"""Sellers, products and customers in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.tables import cases, customers, products, sellers
from sagwa.domain.catalog import Customer, CustomerDraft, Product, ProductDraft, Seller, SellerDraft
from sagwa.domain.money import Money


def _seller(row: Any) -> Seller:
    return Seller(row.id, row.code, row.name, row.contact_email, row.phone)


def _product(row: Any) -> Product:
    price = Money(row.list_price_minor, row.list_price_currency) if row.list_price_minor else None
    return Product(row.id, row.sku, row.title, row.title_en, row.brand, row.category, price,
                   row.gtin, row.isbn)


def _customer(row: Any) -> Customer:
    return Customer(row.id, row.name, row.email, row.phone, row.locale, row.erased_at)


class CatalogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # sellers
    def add_seller(self, draft: SellerDraft, now: datetime) -> Seller:
        row = self.conn.execute(insert(sellers).values(
            code=draft.code, name=draft.name, contact_email=draft.contact_email,
            phone=draft.phone, created_at=now).returning(sellers)).one()
        return _seller(row)

    def seller(self, seller_id: int) -> Seller | None:
        row = self.conn.execute(select(sellers).where(sellers.c.id == seller_id)).one_or_none()
        return _seller(row) if row else None

    def seller_by_code(self, code: str) -> Seller | None:
        row = self.conn.execute(select(sellers).where(sellers.c.code == code)).one_or_none()
        return _seller(row) if row else None

    def list_sellers(self, *, limit: int, offset: int) -> list[Seller]:
        q = select(sellers).order_by(sellers.c.id).limit(limit).offset(offset)
        return [_seller(r) for r in self.conn.execute(q)]

    # products
    def add_product(self, draft: ProductDraft, now: datetime, sku: str | None = None) -> Product:
        lp = draft.list_price
        row = self.conn.execute(insert(products).values(
            sku=sku, title=draft.title, title_en=draft.title_en, brand=draft.brand,
            category=draft.category, list_price_minor=lp.amount_minor if lp else None,
            list_price_currency=lp.currency if lp else None, gtin=draft.gtin, isbn=draft.isbn,
            created_at=now).returning(products)).one()
        return _product(row)

    def product(self, product_id: int) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.id == product_id)).one_or_none()
        return _product(row) if row else None

    def product_by_gtin(self, gtin: str) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.gtin == gtin)).one_or_none()
        return _product(row) if row else None

    def list_products(self, *, query: str | None, limit: int, offset: int) -> list[Product]:
        q = select(products).order_by(products.c.id).limit(limit).offset(offset)
        if query:  # the searched words as typed: % _ and the escape character match themselves
            q = q.where(or_(products.c.title.icontains(query, autoescape=True),
                            products.c.title_en.icontains(query, autoescape=True),
                            products.c.brand.icontains(query, autoescape=True),
                            products.c.gtin == query))
        return [_product(r) for r in self.conn.execute(q)]

    # customers
    def add_customer(self, draft: CustomerDraft, now: datetime) -> Customer:
        row = self.conn.execute(insert(customers).values(
            name=draft.name, email=draft.email, phone=draft.phone, locale=draft.locale,
            created_at=now).returning(customers)).one()
        return _customer(row)

    def customer(self, customer_id: int) -> Customer | None:
        row = self.conn.execute(select(customers).where(customers.c.id == customer_id)).one_or_none()
        return _customer(row) if row else None

    def customers_by_ids(self, ids: list[int]) -> dict[int, Customer]:
        # = ANY(array): one parameter however many ids (IN would bind each one).
        rows = self.conn.execute(select(customers).where(
            among(customers.c.id, ids))) if ids else []
        return {int(r.id): _customer(r) for r in rows}

    def customers_of_incident(self, incident_id: int) -> list[Customer]:
        """The customers of the incident's cases, by id, in one query (no case or order read)."""
        rows = self.conn.execute(select(customers).where(customers.c.id.in_(
            select(cases.c.customer_id).where(cases.c.incident_id == incident_id)
            .scalar_subquery())).order_by(customers.c.id))
        return [_customer(r) for r in rows]

    def lock_customer(self, customer_id: int) -> int | None:
        """Lock the customer's row until the transaction ends (serialises balance changes);
        ``None`` when there is no such customer."""
        return self.conn.execute(select(customers.c.id).where(customers.c.id == customer_id)
                                 .with_for_update()).scalar_one_or_none()

    def set_customer_contact(self, customer_id: int, *, email: str | None,
                             phone: str | None) -> Customer:
        """Store the customer's corrected email and phone (``catalog.change_contact``)."""
        row = self.conn.execute(update(customers).where(customers.c.id == customer_id)
                                .values(email=email, phone=phone).returning(customers)).one()
        return _customer(row)

    def customer_by_email(self, email: str) -> Customer | None:
        row = self.conn.execute(select(customers).where(customers.c.email == email)).one_or_none()
        return _customer(row) if row else None

    def counts(self) -> dict[str, int]:
        return {
            name: self.conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (("sellers", sellers), ("products", products), ("customers", customers))
        }
