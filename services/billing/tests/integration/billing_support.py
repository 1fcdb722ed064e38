"""What the billing integration tests share: a fake pricer, shops, products, command calls."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel
from sqlalchemy import select, update
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_fixed

from billing.adapters.pricing_client import PricingUnavailable
from billing.adapters.tables import cart_lines, carts
from contracts.base import Command, CommandError, Event
from contracts.billing import (
    Names,
    Product,
    ProductInput,
    ProductionOption,
    ProductSaved,
    PutProduct,
    PutShippingOption,
    ShippingOption,
    ShippingOptionInput,
    ShippingOptionSaved,
)
from contracts.gateway import Language, ShopOpened
from contracts.vouchers import (
    PriceAdjustment,
    PriceCart,
    PricedCart,
    PricedLine,
    PricedShipping,
    VatAmount,
    VoucherApplication,
    VoucherRefusalReason,
)
from service_runtime.handling import CommandDispatcher, EventDispatcher
from service_runtime.service import ServiceRuntime
from service_runtime.tables import outbox

T = TypeVar("T")
R = TypeVar("R", bound=BaseModel)
E = TypeVar("E", bound=Event)

CENT = Decimal("0.01")


def q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# The fake pricer: list prices, a fixed-amount voucher taken from the lines in order, VAT per line.


@dataclass(frozen=True)
class FakeVoucher:
    amount_off: Decimal = Decimal("5.00")
    min_order_value: Decimal = Decimal("0.00")
    refusal: VoucherRefusalReason | None = None


@dataclass
class FakePricer:
    """Implements billing's Pricer in-process; remembers what it was asked."""

    vouchers: dict[str, FakeVoucher] = field(default_factory=dict)
    unavailable: bool = False
    seen: list[PriceCart] = field(default_factory=list)

    async def price(self, command: PriceCart) -> PricedCart:
        self.seen.append(command)
        if self.unavailable:
            raise PricingUnavailable("the fake pricer is switched off")
        list_nets = [q(line.unit_net * line.quantity) for line in command.lines]
        voucher, shares = self._voucher(command.voucher_code, list_nets)
        lines = []
        for line, list_net, share in zip(command.lines, list_nets, shares, strict=True):
            surcharge = q(line.surcharge_unit_net * line.quantity)
            net = list_net - share + surcharge
            vat = q(net * line.vat_rate / 100)
            adjustments = (
                [
                    PriceAdjustment(
                        kind="voucher", name=f"Voucher {command.voucher_code}", amount=-share
                    )
                ]
                if share
                else []
            )
            lines.append(
                PricedLine(
                    line_id=line.line_id,
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_net=line.unit_net,
                    list_net=list_net,
                    adjustments=adjustments,
                    product_net=list_net - share,
                    production_option=line.production_option,
                    production_option_name=line.production_option_name,
                    surcharge_net=surcharge,
                    net=net,
                    vat_rate=line.vat_rate,
                    vat=vat,
                    gross=net + vat,
                )
            )
        shipping = None
        if command.shipping is not None:
            ship_vat = q(command.shipping.net * command.shipping.vat_rate / 100)
            shipping = PricedShipping(
                code=command.shipping.code,
                name=command.shipping.name,
                net=command.shipping.net,
                vat_rate=command.shipping.vat_rate,
                vat=ship_vat,
                gross=command.shipping.net + ship_vat,
            )
        rates: dict[Decimal, list[Decimal]] = defaultdict(lambda: [Decimal("0.00")] * 2)
        for rate, net, vat in [(p.vat_rate, p.net, p.vat) for p in lines] + (
            [(shipping.vat_rate, shipping.net, shipping.vat)] if shipping else []
        ):
            rates[rate][0] += net
            rates[rate][1] += vat
        net_total = sum((p.net for p in lines), Decimal("0.00")) + (shipping.net if shipping else 0)
        vat_total = sum((p.vat for p in lines), Decimal("0.00")) + (shipping.vat if shipping else 0)
        return PricedCart(
            lines=lines,
            product_subtotal=sum((p.product_net for p in lines), Decimal("0.00")),
            surcharge_total=sum((p.surcharge_net for p in lines), Decimal("0.00")),
            voucher=voucher,
            shipping=shipping,
            vat=[VatAmount(rate=r, net=n, vat=v) for r, (n, v) in sorted(rates.items())],
            net_total=net_total,
            vat_total=vat_total,
            gross_total=net_total + vat_total,
        )

    def _voucher(
        self, code: str | None, list_nets: list[Decimal]
    ) -> tuple[VoucherApplication | None, list[Decimal]]:
        none = [Decimal("0.00")] * len(list_nets)
        if code is None:
            return None, none
        offer = self.vouchers.get(code)
        subtotal = sum(list_nets, Decimal("0.00"))
        if offer is None:
            return VoucherApplication(
                code=code, applied=False, reason="unknown", detail="This code does not exist."
            ), none
        if offer.refusal is not None:
            detail = f"This code cannot be used: {offer.refusal.replace('_', ' ')}."
            return VoucherApplication(
                code=code, applied=False, reason=offer.refusal, detail=detail
            ), none
        if subtotal < offer.min_order_value:
            missing = offer.min_order_value - subtotal
            return VoucherApplication(
                code=code,
                applied=False,
                reason="minimum_not_reached",
                detail=f"Add {missing} EUR of products to use this code.",
                missing_amount=missing,
            ), none
        left = min(offer.amount_off, subtotal)
        shares = []
        for net in list_nets:
            share = min(left, net)
            shares.append(share)
            left -= share
        total = sum(shares, Decimal("0.00"))
        return VoucherApplication(
            code=code, applied=True, kind="fixed", value=offer.amount_off, amount=-total
        ), shares


# Shops, products, shipping


def shop_opened(language: Language = "en", currency: str = "EUR") -> ShopOpened:
    return ShopOpened(
        shop_id=uuid4(),
        brand_name="Print Atelier",
        slug=f"shop-{uuid4().hex[:8]}",
        default_language=language,
        currency=currency,
        timezone="Europe/Paris",
        sender_email="hello@print-atelier.example",
        verification_mode="code",
    )


async def deliver(runtime: ServiceRuntime, *events: Event) -> None:
    """Events through the runtime's handlers as its consumer runs them (inbox included)."""
    dispatcher = EventDispatcher("billing", runtime.handlers.events, runtime.unit_of_work)
    for event in events:
        await dispatcher.handle(event)


async def open_shop(runtime: ServiceRuntime, language: Language = "en") -> UUID:
    event = shop_opened(language)
    await deliver(runtime, event)
    return event.shop_id


def product_input(sku: str = "FLY-A5", **fields: Any) -> ProductInput:
    """A5 flyers: 100 to 10,000, standard (free) or express (+0.0100 a unit), 20 % VAT."""
    values: dict[str, Any] = {
        "sku": sku,
        "names": Names(en="Flyer A5", fr="Flyer A5 (FR)", de="Flyer A5 (DE)"),
        "unit_net": Decimal("0.0450"),
        "wholesale_unit_cost": Decimal("0.0200"),
        "vat_rate": Decimal("20.00"),
        "production_options": [
            ProductionOption(code="standard", names=Names(en="Standard", fr="Standard (FR)")),
            ProductionOption(
                code="express",
                names=Names(en="Express", de="Express (DE)"),
                surcharge_unit_net=Decimal("0.0100"),
            ),
        ],
        "min_quantity": 100,
        "max_quantity": 10_000,
    }
    values.update(fields)
    return ProductInput(**values)


async def put_product(
    runtime: ServiceRuntime, shop_id: UUID, sku: str = "FLY-A5", **fields: Any
) -> Product:
    saved = await ok(
        runtime, PutProduct(shop_id=shop_id, product=product_input(sku, **fields)), ProductSaved
    )
    return saved.product


async def put_shipping(
    runtime: ServiceRuntime, shop_id: UUID, code: str = "standard-post", **fields: Any
) -> ShippingOption:
    values: dict[str, Any] = {
        "code": code,
        "names": Names(en="Standard post", fr="Colissimo"),
        "net": Decimal("4.90"),
        "vat_rate": Decimal("20.00"),
    }
    values.update(fields)
    option = ShippingOptionInput(**values)
    saved = await ok(
        runtime, PutShippingOption(shop_id=shop_id, option=option), ShippingOptionSaved
    )
    return saved.option


# Commands as the runtime answers them


async def answer(runtime: ServiceRuntime, command: Command) -> dict[str, Any]:
    """The reply dict, through the runtime's dispatcher (inbox, rollback on refusal)."""
    dispatcher = CommandDispatcher("billing", runtime.handlers.commands, runtime.unit_of_work)
    reply = await dispatcher.handle(command)
    assert reply is not None
    return reply


async def ok(runtime: ServiceRuntime, command: Command, result: type[R]) -> R:
    reply = await answer(runtime, command)
    assert reply["ok"], reply["error"]
    return result.model_validate(reply["result"])


async def refused(runtime: ServiceRuntime, command: Command) -> CommandError:
    reply = await answer(runtime, command)
    assert not reply["ok"], reply["result"]
    return CommandError.model_validate(reply["error"])


def fields_of(error: CommandError) -> dict[str, str]:
    return {f.field: f.reason for f in error.fields}


# The database as it is


async def events(runtime: ServiceRuntime, kind: type[E]) -> list[E]:
    async with runtime.sessions() as session:
        payloads = await session.scalars(
            select(outbox.c.payload)
            .where(outbox.c.message_type == kind.__name__)
            .order_by(outbox.c.id)
        )
        return [kind.model_validate_json(p) for p in payloads]


async def cart_row(runtime: ServiceRuntime, cart_id: UUID) -> Any:
    async with runtime.sessions() as session:
        return (await session.execute(select(carts).where(carts.c.cart_id == cart_id))).first()


async def cart_count(runtime: ServiceRuntime, shop_id: UUID) -> int:
    async with runtime.sessions() as session:
        rows = await session.scalars(select(carts.c.cart_id).where(carts.c.shop_id == shop_id))
        return len(rows.all())


async def line_count(runtime: ServiceRuntime, cart_id: UUID) -> int:
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(cart_lines.c.line_id).where(cart_lines.c.cart_id == cart_id)
        )
        return len(rows.all())


async def set_cart(runtime: ServiceRuntime, cart_id: UUID, **values: Any) -> None:
    """Change a cart behind the service's back (an old activity time, an ordered status)."""
    async with runtime.sessions() as session:
        await session.execute(update(carts).where(carts.c.cart_id == cart_id).values(**values))
        await session.commit()


async def last_activity(runtime: ServiceRuntime, cart_id: UUID) -> datetime:
    row = await cart_row(runtime, cart_id)
    moment: datetime = row.last_activity_at
    return moment


async def eventually(probe: Callable[[], Awaitable[T]], timeout: float = 10.0) -> T:
    """The first answer of ``probe`` that does not fail an assertion, polled until a timeout."""
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(0.05),
        retry=retry_if_exception_type(AssertionError),
        reraise=True,
    ):
        with attempt:
            return await probe()
    raise AssertionError("unreachable: tenacity re-raises the last failure")
