"""Small builders of test data: policy facts, and the same orders stored in the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from backend.domain import (
    SHOP_TZ,
    LineFacts,
    OrderFacts,
    OrderStatus,
    ProductCategory,
    ShipmentFacts,
    TrackingEventFacts,
)
from backend.models import Customer, LoyaltyAccount, Order, OrderLine, Product, Shipment
from backend.models import TrackingEvent as TrackingEventRow
from backend.policies import HolidayWindow, PolicyConfig

EMAIL = "marie.tremblay@exemple.ca"


def toronto(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A local shop time (America/Toronto)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHOP_TZ)


DEFAULT_PLACED = toronto(2025, 3, 3, 10)


def policy_config(**changes: object) -> PolicyConfig:
    """The policy these tests are written for (the FAQ's, spelled out here so that editing
    backend/policy.yml changes the product, not the backend tests; tests/backend/
    test_policy_file.py pins the file to the FAQ)."""
    values: dict[str, object] = {
        "return_days": 30,
        "exchange_days": 30,
        "cancellation_window": timedelta(hours=24),
        "warranty_years": 2,
        "sales_countries": ("CA", "US"),
        "holiday_windows": (
            HolidayWindow(
                name="fetes-2024",
                placed_from=toronto(2024, 11, 1, 0, 1),
                placed_until=toronto(2024, 12, 31, 23, 59),
                return_until=date(2025, 1, 31),
            ),
        ),
        "identity_failed_checks": 5,
        "identity_window": timedelta(minutes=15),
        "identity_email_failed_checks": 5,
        "identity_email_window": timedelta(minutes=60),
        "identity_client_failed_checks": 20,
        "identity_client_window": timedelta(minutes=60),
        "retention": timedelta(days=90),
    }
    return PolicyConfig(**{**values, **changes})  # type: ignore[arg-type]


def make_line(
    sku: str = "BG-ECLAT-14K",
    price: str = "249.00",
    *,
    quantity: int = 1,
    engraving: str | None = None,
    personalized: bool = False,
    gift_card: bool = False,
    warranty_excluded: bool = False,
) -> LineFacts:
    return LineFacts(
        sku=sku,
        name=f"Produit {sku}",
        quantity=quantity,
        unit_price=Decimal(price),
        engraving=engraving,
        personalized=personalized,
        gift_card=gift_card,
        warranty_excluded=warranty_excluded,
    )


def make_order(
    *,
    placed: datetime = DEFAULT_PLACED,
    shipped: datetime | None = None,
    delivered: datetime | None = None,
    status: OrderStatus | None = None,
    lines: tuple[LineFacts, ...] | None = None,
    number: str = "AZ104233",
    shipping_fee: str = "9.95",
    discount: str = "0.00",
    currency: str = "CAD",
    country: str = "CA",
    region: str = "QC",
    estimated_delivery: date | None = None,
) -> OrderFacts:
    """An order whose status follows its dates: delivered, else shipped, else processing."""
    if delivered and not shipped:
        shipped = min(placed + timedelta(days=1), delivered)
    if status is None:
        status = (
            OrderStatus.DELIVERED
            if delivered
            else OrderStatus.SHIPPED
            if shipped
            else OrderStatus.PROCESSING
        )
    shipment = None
    if shipped:
        events = [TrackingEventFacts(shipped, "Montréal, QC", "Colis pris en charge")]
        if delivered:
            events.append(TrackingEventFacts(delivered, "Montréal, QC", "Livré"))
        shipment = ShipmentFacts(
            carrier="Postes Canada",
            tracking_number="7023456789012345",
            shipped_at=shipped,
            estimated_delivery=estimated_delivery or (shipped + timedelta(days=4)).date(),
            delivered_at=delivered,
            events=tuple(events),
        )
    return OrderFacts(
        number=number,
        status=status,
        placed_at=placed,
        currency=currency,
        lines=lines if lines is not None else (make_line(),),
        shipping_fee=Decimal(shipping_fee),
        discount=Decimal(discount),
        country=country,
        region=region,
        shipment=shipment,
    )


def store_order(
    session: Session,
    facts: OrderFacts,
    *,
    email: str = EMAIL,
    loyalty: tuple[bool, int] | None = (True, 1250),
) -> Order:
    """Store `facts` (customer and products created when missing) and return the order."""
    customer = session.query(Customer).filter_by(email=email).one_or_none()
    if customer is None:
        customer = Customer(email=email, first_name="Marie", last_name="Tremblay")
        if loyalty is not None:
            customer.loyalty_account = LoyaltyAccount(member=loyalty[0], points=loyalty[1])
        session.add(customer)
    order = Order(
        number=facts.number,
        customer=customer,
        placed_at=facts.placed_at,
        status=facts.status,
        currency=facts.currency,
        shipping_fee=facts.shipping_fee,
        discount=facts.discount,
        ship_name="Marie Tremblay",
        ship_line1="1200 rue Sainte-Catherine O",
        ship_city="Montréal",
        ship_region=facts.region,
        ship_postal_code="H3B 1K9",
        ship_country=facts.country,
    )
    session.add(order)
    for position, line in enumerate(facts.lines):
        order.lines.append(
            OrderLine(
                position=position,
                product=_product(session, line),
                quantity=line.quantity,
                unit_price=line.unit_price,
                engraving=line.engraving,
            )
        )
    if facts.shipment:
        shipment = facts.shipment
        order.shipment = Shipment(
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            shipped_at=shipment.shipped_at,
            estimated_delivery=shipment.estimated_delivery,
            delivered_at=shipment.delivered_at,
            events=[
                TrackingEventRow(
                    position=index, at=e.at, location=e.location, description=e.description
                )
                for index, e in enumerate(shipment.events)
            ],
        )
    session.flush()
    return order


def _product(session: Session, line: LineFacts) -> Product:
    product = session.query(Product).filter_by(sku=line.sku).one_or_none()
    if product is None:
        product = Product(
            sku=line.sku,
            name=line.name,
            category=ProductCategory.GIFT_CARD if line.gift_card else ProductCategory.RING,
            price=line.unit_price,
            personalized=line.personalized,
            gift_card=line.gift_card,
            warranty_excluded=line.warranty_excluded,
        )
        session.add(product)
    return product


def database_snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, for "nothing changed" assertions."""
    from backend.models import Base

    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(table.select().order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }
