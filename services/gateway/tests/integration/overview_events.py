"""Customer events as the overview's handlers receive them, and a way to hand them over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from contracts.base import Event
from contracts.customers import (
    CustomerChanged,
    CustomerDeleted,
    CustomerRegistered,
    CustomerSnapshot,
)
from gateway.bootstrap import HANDLERS
from service_runtime.service import ServiceRuntime

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


async def handle(runtime: ServiceRuntime, *events: Event) -> None:
    """Each event in its own transaction through the handler bootstrap wires to it."""
    for e in events:
        async with runtime.unit_of_work() as uow:
            await HANDLERS.events[type(e)](e, uow)
            await uow.commit()


def snapshot(customer_id: UUID, number: int, revision: int, **changes: Any) -> CustomerSnapshot:
    fields: dict[str, Any] = {
        "customer_id": customer_id,
        "identity_id": uuid4(),
        "customer_number": number,
        "revision": revision,
        "email": f"customer{number}@example.com",
        "email_verified": True,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "newsletter": False,
        "registered_at": T0,
        "profile_changed_at": T0 + timedelta(minutes=revision),
    }
    fields.update(changes)
    return CustomerSnapshot(**fields)


def changed(shop_id: UUID, customer: CustomerSnapshot) -> CustomerChanged:
    return CustomerChanged(shop_id=shop_id, customer=customer)


def registered(shop_id: UUID, customer_id: UUID, number: int, **changes: Any) -> CustomerRegistered:
    fields: dict[str, Any] = {
        "shop_id": shop_id,
        "customer_id": customer_id,
        "identity_id": uuid4(),
        "customer_number": number,
        "email": f"customer{number}@example.com",
        "first_name": "Grace",
        "last_name": "Hopper",
        "language": "fr",
        "registered_at": T0,
        "email_verified": False,
    }
    fields.update(changes)
    return CustomerRegistered(**fields)


def deleted(shop_id: UUID, customer_id: UUID, number: int) -> CustomerDeleted:
    return CustomerDeleted(
        shop_id=shop_id,
        customer_id=customer_id,
        identity_id=uuid4(),
        customer_number=number,
        pseudonym_id=uuid4(),
        deleted_by="partner",
        email=f"customer{number}@example.com",
        first_name="Ada",
        last_name="Lovelace",
        deleted_at=T0 + timedelta(days=1),
    )
