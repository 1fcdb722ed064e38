"""A fake of the billing, vouchers and notifier services for the price routes' tests, and the
answers it gives (import after putting this folder on sys.path)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from fastapi import FastAPI
from gateway_support import insert_partner_token, insert_shop
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command, CommandError, FieldError
from contracts.billing import Cart, CartLine, Names, Product, ProductionOption, ShippingOption
from contracts.vouchers import PricedCart
from gateway.adapters.customer_sessions import open_session
from gateway.domain.tokens import new_partner_token
from gateway.entrypoints.deps import get_rpc
from service_runtime.rpc_client import RpcRefused

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


@contextmanager
def serving(app: FastAPI, services: Any) -> Iterator[None]:
    """The app's request/reply client is ``services`` for the duration."""
    app.dependency_overrides[get_rpc] = lambda: services
    try:
        yield
    finally:
        app.dependency_overrides.pop(get_rpc, None)


class FakeServices:
    """Records every command (and how long the caller would wait); answers with what a test
    registered for its type."""

    def __init__(self) -> None:
        self.calls: list[Command] = []
        self.waits: dict[str, float | None] = {}
        self.answers: dict[type[Command], Callable[[Any], BaseModel]] = {}

    def on(self, command_type: type[Command], answer: Callable[[Any], BaseModel]) -> None:
        self.answers[command_type] = answer

    async def call(
        self, command: Command, result_type: type[Any], *, wait_seconds: float | None = None
    ) -> Any:
        self.calls.append(command)
        self.waits[type(command).__name__] = wait_seconds
        # Through JSON, as over the broker: a result that does not serialise fails here too.
        return result_type.model_validate_json(
            self.answers[type(command)](command).model_dump_json()
        )

    async def call_json(self, command: Command, *, wait_seconds: float | None = None) -> Any:
        self.calls.append(command)
        self.waits[type(command).__name__] = wait_seconds
        return json.loads(self.answers[type(command)](command).model_dump_json())

    def sent(self, command_type: type[Command]) -> Any:
        matching = [c for c in self.calls if isinstance(c, command_type)]
        assert len(matching) == 1, self.calls
        return matching[0]


def refused(
    code: str, status: int, *fields: tuple[str, str], detail: str = ""
) -> Callable[[Command], BaseModel]:
    def answer(_: Command) -> BaseModel:
        raise RpcRefused(
            CommandError(
                code=code,
                status=status,
                title=code.replace("_", " "),
                detail=detail,
                fields=[FieldError(field=f, reason=r) for f, r in fields],
            )
        )

    return answer


def empty_pricing() -> PricedCart:
    zero = Decimal("0.00")
    return PricedCart(
        lines=[],
        product_subtotal=zero,
        surcharge_total=zero,
        vat=[],
        net_total=zero,
        vat_total=zero,
        gross_total=zero,
    )


def cart_for(command: Any) -> Cart:
    """The cart a cart command would get back: its id, its caller, one line."""
    return Cart(
        cart_id=getattr(command, "cart_id", None) or uuid4(),
        customer_id=command.customer_id,
        status="open",
        currency="EUR",
        language=command.language or "en",
        lines=[
            CartLine(
                line_id=uuid4(), sku="FLY", name="Flyers", quantity=500, production_option="std"
            )
        ],
        shipping_option=None,
        voucher_code=None,
        pricing=empty_pricing(),
        created_at=NOW,
        last_activity_at=NOW,
    )


def product(sku: str, *, active: bool = True, names: Names | None = None) -> Product:
    return Product(
        sku=sku,
        names=names or Names(en=f"{sku} (en)", fr=f"{sku} (fr)"),
        unit_net=Decimal("0.0450"),
        wholesale_unit_cost=Decimal("0.0210"),
        vat_rate=Decimal("20.00"),
        production_options=[
            ProductionOption(code="standard", names=Names(en="Standard", fr="Normal")),
            ProductionOption(
                code="express",
                names=Names(en="Express", de="Eilig"),
                surcharge_unit_net=Decimal("0.0150"),
            ),
        ],
        min_quantity=100,
        max_quantity=100_000,
        active=active,
        updated_at=NOW,
    )


def shipping(code: str, *, active: bool = True) -> ShippingOption:
    return ShippingOption(
        code=code,
        names=Names(en="Post", fr="La Poste"),
        net=Decimal("5.90"),
        vat_rate=Decimal("20.00"),
        active=active,
        updated_at=NOW,
    )


async def open_shop(
    sessions: async_sessionmaker[AsyncSession], **row: Any
) -> tuple[UUID, dict[str, str]]:
    """A shop and the Authorization header of its partner token."""
    shop_id, token = uuid4(), new_partner_token()
    async with sessions() as session:
        await insert_shop(session, shop_id, NOW, **row)
        await insert_partner_token(session, shop_id, token, "test", NOW)
        await session.commit()
    return shop_id, {"Authorization": f"Bearer {token}"}


async def log_in(
    sessions: async_sessionmaker[AsyncSession],
    shop_id: UUID,
    customer_id: UUID,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """The Authorization header of a customer session (issued ``now``, valid one day)."""
    async with sessions() as session:
        issued = await open_session(
            session,
            shop_id=shop_id,
            customer_id=customer_id,
            identity_id=uuid4(),
            lifetime=timedelta(days=1),
            now=now,
        )
        await session.commit()
    return {"Authorization": f"Bearer {issued.token}"}
