"""Thin helpers the integration tests share: shops with groups, customers, handler calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel
from sqlalchemy import event as sa_event
from sqlalchemy import select

from contracts.base import Command, CommandError, Event
from contracts.customers import (
    CustomerChanged,
    CustomerGroup,
    CustomerGroupChanged,
    CustomerSnapshot,
)
from contracts.gateway import ShopOpened
from contracts.vouchers import (
    CreateVoucher,
    PriceLineInput,
    SetGroupAdjustment,
    ShippingInput,
    Voucher,
    VoucherTerms,
)
from service_runtime.database import UnitOfWork
from service_runtime.handling import CommandRefused
from service_runtime.service import ServiceRuntime
from service_runtime.tables import outbox
from vouchers.adapters.tables import vouchers
from vouchers.handlers.create_vouchers import create_voucher
from vouchers.handlers.customer_events import record_customer_change, record_group_change
from vouchers.handlers.group_adjustments import set_group_adjustment
from vouchers.handlers.shop_opened import record_shop

R = TypeVar("R", bound=BaseModel)
E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class Shop:
    shop_id: UUID
    visitor: UUID
    guest: UUID
    customer: UUID


# Handler calls and the outbox


async def handle(
    runtime: ServiceRuntime, handler: Callable[[Any, UnitOfWork], Awaitable[None]], event: Event
) -> None:
    """Run an event handler and commit, as the event dispatcher does."""
    async with runtime.unit_of_work() as uow:
        await handler(event, uow)
        await uow.commit()


async def run(
    runtime: ServiceRuntime, handler: Callable[[Any, UnitOfWork], Awaitable[R]], command: Command
) -> R:
    """Call a command handler as the dispatcher does: commit on success, nothing on a refusal
    (read-only commands are rolled back by the dispatcher; committing them changes nothing)."""
    async with runtime.unit_of_work() as uow:
        result = await handler(command, uow)
        await uow.commit()
    return result


async def refusal(
    runtime: ServiceRuntime,
    handler: Callable[[Any, UnitOfWork], Awaitable[BaseModel]],
    command: Command,
) -> CommandError:
    with pytest.raises(CommandRefused) as refused:
        await run(runtime, handler, command)
    return refused.value.error


async def events(runtime: ServiceRuntime, kind: type[E]) -> list[E]:
    """Every event of ``kind`` in the outbox, in the order they were written."""
    async with runtime.sessions() as session:
        payloads = await session.scalars(
            select(outbox.c.payload)
            .where(outbox.c.message_type == kind.__name__)
            .order_by(outbox.c.id)
        )
        return [kind.model_validate_json(p) for p in payloads]


async def use_count(runtime: ServiceRuntime, voucher_id: UUID) -> int:
    async with runtime.sessions() as session:
        found: int = (
            await session.scalars(
                select(vouchers.c.use_count).where(vouchers.c.voucher_id == voucher_id)
            )
        ).one()
        return found


# Shops, groups and customers as the gateway's and the customers service's events bring them


def shop_opened(shop_id: UUID | None = None, currency: str = "EUR") -> ShopOpened:
    return ShopOpened(
        shop_id=shop_id or uuid4(),
        brand_name="Print Atelier",
        slug=f"shop-{uuid4().hex[:8]}",
        default_language="en",
        currency=currency,
        timezone="Europe/Paris",
        sender_email="hello@print-atelier.example",
        verification_mode="none",
    )


def group_changed(
    shop_id: UUID,
    group_id: UUID,
    name: str,
    system_key: str | None = None,
    *,
    deleted: bool = False,
    changed_at: datetime | None = None,
) -> CustomerGroupChanged:
    group = CustomerGroup.model_validate(
        {"group_id": group_id, "name": name, "system_key": system_key}
    )
    return CustomerGroupChanged(
        shop_id=shop_id, group=group, deleted=deleted, changed_at=changed_at or datetime.now(UTC)
    )


async def open_shop(runtime: ServiceRuntime, currency: str = "EUR") -> Shop:
    """A shop as ShopOpened and the customers service's three group events leave it."""
    shop = Shop(uuid4(), uuid4(), uuid4(), uuid4())
    await handle(runtime, record_shop, shop_opened(shop.shop_id, currency))
    for group_id, name, key in (
        (shop.visitor, "Visitor", "visitor"),
        (shop.guest, "Guest", "guest"),
        (shop.customer, "Customer", "customer"),
    ):
        await handle(runtime, record_group_change, group_changed(shop.shop_id, group_id, name, key))
    return shop


async def adjust_group(
    runtime: ServiceRuntime, shop_id: UUID, group_id: UUID, percent: str
) -> None:
    await run(
        runtime,
        set_group_adjustment,
        SetGroupAdjustment(shop_id=shop_id, group_id=group_id, percent=Decimal(percent)),
    )


NUMBERS = iter(range(1, 10**9))


def snapshot(customer_id: UUID | None = None, revision: int = 1, **fields: Any) -> CustomerSnapshot:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "customer_id": customer_id or uuid4(),
        "identity_id": uuid4(),
        "customer_number": next(NUMBERS),
        "revision": revision,
        "email": "ada@example.com",
        "email_verified": True,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "newsletter": False,
        "registered_at": now,
        "profile_changed_at": now,
    }
    values.update(fields)
    return CustomerSnapshot.model_validate(values)


async def add_customer(runtime: ServiceRuntime, shop_id: UUID, **fields: Any) -> UUID:
    """A customer as a CustomerChanged event announces them."""
    customer = snapshot(**fields)
    await handle(
        runtime, record_customer_change, CustomerChanged(shop_id=shop_id, customer=customer)
    )
    return customer.customer_id


# Vouchers and carts


def terms(**fields: Any) -> VoucherTerms:
    values: dict[str, Any] = {"kind": "percent", "value": Decimal("10")}
    values.update(fields)
    return VoucherTerms.model_validate(values)


async def add_voucher(runtime: ServiceRuntime, shop_id: UUID, code: str, **fields: Any) -> Voucher:
    return await run(
        runtime, create_voucher, CreateVoucher(shop_id=shop_id, code=code, terms=terms(**fields))
    )


def line(
    sku: str = "FLY",
    quantity: int = 1000,
    unit_net: str = "0.0450",
    *,
    surcharge: str = "0",
    vat_rate: str = "20.00",
) -> PriceLineInput:
    return PriceLineInput(
        line_id=uuid4(),
        sku=sku,
        name=sku,
        quantity=quantity,
        unit_net=Decimal(unit_net),
        production_option="standard",
        production_option_name="Standard",
        surcharge_unit_net=Decimal(surcharge),
        vat_rate=Decimal(vat_rate),
    )


POST = ShippingInput(code="post", name="Post", net=Decimal("5.90"), vat_rate=Decimal("20.00"))


class StatementLog:
    """The SQL statements the runtime's engine sends while the block runs."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.engine = runtime.engine.sync_engine
        self.statements: list[str] = []

    def _record(self, *args: Any) -> None:
        self.statements.append(args[2])

    def __enter__(self) -> StatementLog:
        sa_event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        sa_event.remove(self.engine, "before_cursor_execute", self._record)

    def queries(self) -> list[str]:
        """Statements other than the transaction's own BEGIN/COMMIT/ROLLBACK."""
        return [
            s
            for s in self.statements
            if s.split()[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}
        ]
