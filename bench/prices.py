"""Prices under load: the voucher redemption race and cart repricing at the gateway.

Starts the whole system as real processes (its own databases, broker namespace and ports),
then:

(a) the redemption race: 200 concurrent ``RedeemVoucher`` commands (one per order) through
    the real broker to the vouchers service, for a single-use code and for a limit-50 code;
    counts the successes and reports p50 / p95 per redemption (send to answer). Orders arrive
    with the next issue, so the bench speaks the vouchers service's command directly, as
    the billing service will at checkout;
(b) cart repricing at the gateway: a logged-in customer with a group adjustment, a personal
    discount and a voucher on a 20-line cart; every change (a line's quantity) reprices the
    whole cart through billing and vouchers. Sequential changes give p50 / p95; then 50 carts
    changed concurrently for ``--seconds`` give repricings per second and their p50 / p95.

(c) with ``--breakdown``: the same repricing asked of each hop directly (vouchers' PriceCart,
    billing's ChangeCartLine, the gateway's PATCH), with the CPU each process spends per call.

    .venv/bin/python bench/prices.py [--sequential 300] [--seconds 20] [--breakdown]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

import httpx

from contracts.billing import Cart, CartSettings, ChangeCartLine, GetCartSettings
from contracts.vouchers import PriceCart, PricedCart, PriceLineInput, RedeemVoucher, Redemption
from devtools.api_client import Gateway, Shop, eventually
from devtools.demo_catalogue import PRODUCTS, SHIPPING_OPTIONS
from devtools.stack import LocalStack, StackConfig, throwaway_stack
from service_runtime.rpc_client import RpcClient, RpcRefused
from service_runtime.topology import Topology

LINES = 20


def percentiles(timings_ms: list[float]) -> str:
    q = statistics.quantiles(timings_ms, n=20)
    return f"p50 {statistics.median(timings_ms):.1f} ms, p95 {q[18]:.1f} ms, max {max(timings_ms):.1f} ms"


# -- (a) redemption race ---------------------------------------------------------------------


async def race(
    rpc: RpcClient, shop: Shop, code: str, attempts: int
) -> tuple[int, int, list[float]]:
    async def redeem() -> tuple[bool, float]:
        started = time.perf_counter()
        try:
            await rpc.call(
                RedeemVoucher(
                    shop_id=uuid.UUID(shop.shop_id),
                    code=code,
                    order_id=uuid.uuid4(),
                    product_subtotal=Decimal("100.00"),
                ),
                Redemption,
                wait_seconds=60,
            )
            won = True
        except RpcRefused as refused:
            if refused.error.code != "voucher_used_up":
                raise
            won = False
        return won, (time.perf_counter() - started) * 1000

    results = await asyncio.gather(*(redeem() for _ in range(attempts)))
    wins = sum(1 for won, _ in results if won)
    return wins, attempts - wins, [ms for _, ms in results]


async def redemption_bench(api: Gateway, config: StackConfig, shop: Shop) -> None:
    for code, limit in (("SINGLE", 1), ("FIFTY", 50)):
        response = api.http.post(
            "/partner/v1/vouchers",
            headers=shop.partner,
            json={"code": code, "kind": "percent", "value": "10", "redemption_limit": limit},
        )
        assert response.status_code == 201, response.text
    topology = Topology(config.broker_namespace)
    rpc = RpcClient(
        config.servers.amqp_url,
        topology.commands_exchange,
        reply_queue_prefix=topology.name("bench.replies"),
    )
    await rpc.start()
    try:
        for code, limit in (("SINGLE", 1), ("FIFTY", 50)):
            wins, refused, timings = await race(rpc, shop, code, 200)
            print(
                f"redemption race {code} (limit {limit}): {wins} redeemed, {refused} refused "
                f"as used up; per redemption {percentiles(timings)}"
            )
            assert wins == limit
    finally:
        await rpc.stop()


# -- (b) cart repricing ----------------------------------------------------------------------


def priced_shop(api: Gateway, shop: Shop) -> dict[str, str]:
    """20 products, the demo shipping, Customer -5 %, a 10 % voucher; a customer with 12 %."""
    base = next(iter(PRODUCTS.values()))
    for n in range(LINES):
        api.put_product(shop, f"SKU-{n:02d}", **{**base, "unit_net": f"0.{n + 10:02d}50"})
    for code, option in SHIPPING_OPTIONS.items():
        api.put_shipping_option(shop, code, **option)
    group = f"/partner/v1/groups/{api.group_id(shop, 'customer')}/adjustment"
    eventually(
        lambda: _expect(api.http.put(group, headers=shop.partner, json={"percent": "-5"}), 200)
    )
    _expect(
        api.http.post(
            "/partner/v1/vouchers",
            headers=shop.partner,
            json={"code": "BENCH10", "kind": "percent", "value": "10", "redemption_limit": 1000},
        ),
        201,
    )
    email = f"bench.{uuid.uuid4().hex[:6]}@example.com"
    registered = api.register(shop, email=email, first_name="Bench", last_name="Customer")
    _expect(registered, 201)
    customer_id = registered.json()["customer_id"]
    discount = f"/partner/v1/customers/{customer_id}/discount"
    eventually(
        lambda: _expect(
            api.http.put(discount, headers=shop.partner, json={"discount_percent": 12}), 200
        )
    )
    return api.customer_token(shop, email)


def _expect(response: httpx.Response, status: int) -> httpx.Response:
    assert response.status_code == status, response.text
    return response


async def new_cart(
    client: httpx.AsyncClient, api: Gateway, shop: Shop, token: dict[str, str]
) -> str:
    items = [
        {"sku": f"SKU-{n:02d}", "quantity": 500, "production_option": "express"}
        for n in range(LINES)
    ]
    created = await client.post(
        api.storefront(shop, "/carts"), headers=token, json={"items": items}
    )
    assert created.status_code == 201, created.text
    url = api.storefront(shop, f"/carts/{created.json()['cart_id']}")
    for path, body in (
        ("/shipping", {"shipping_option": "standard"}),
        ("/voucher", {"code": "bench10"}),
    ):
        response = await client.put(url + path, headers=token, json=body)
        assert response.status_code == 200, response.text
    cart = response.json()
    assert len(cart["pricing"]["lines"]) == LINES
    kinds = {a["kind"] for line in cart["pricing"]["lines"] for a in line["adjustments"]}
    assert kinds == {"group", "customer_discount", "voucher"}, kinds
    return url


async def reprice(
    client: httpx.AsyncClient, url: str, token: dict[str, str], line_id: str, n: int
) -> float:
    started = time.perf_counter()
    response = await client.patch(
        f"{url}/lines/{line_id}", headers=token, json={"quantity": 500 + n % 100}
    )
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text
    return elapsed


async def repricing_bench(
    api: Gateway,
    stack: LocalStack,
    shop: Shop,
    token: dict[str, str],
    sequential: int,
    seconds: float,
    py_spy: str | None,
) -> None:
    config = stack.config
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(
        base_url=config.url("gateway"), timeout=60, limits=limits
    ) as client:
        url = await new_cart(client, api, shop, token)
        line_id = (await client.get(url, headers=token)).json()["lines"][0]["line_id"]
        for n in range(20):  # warm up connections and caches
            await reprice(client, url, token, line_id, n)
        profilers = start_profilers(stack, py_spy) if py_spy else []
        timings = [await reprice(client, url, token, line_id, n) for n in range(sequential)]
        stop_profilers(profilers)
        print(
            f"repricing, one at a time, {LINES}-line cart, all three adjustments: {percentiles(timings)}"
        )

        carts = [await new_cart(client, api, shop, token) for _ in range(50)]
        firsts = [(await client.get(u, headers=token)).json()["lines"][0]["line_id"] for u in carts]
        under_load: list[float] = []
        deadline = time.perf_counter() + seconds

        async def worker(cart_url: str, first: str) -> None:
            n = 0
            while time.perf_counter() < deadline:
                under_load.append(await reprice(client, cart_url, token, first, n))
                n += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(u, f) for u, f in zip(carts, firsts, strict=True)))
        elapsed = time.perf_counter() - started
        print(
            f"repricing, 50 carts at once for {elapsed:.0f} s: {len(under_load) / elapsed:.0f} "
            f"repricings/s; {percentiles(under_load)}"
        )


def start_profilers(stack: LocalStack, py_spy: str) -> list[subprocess.Popen[bytes]]:
    """py-spy on the three services a repricing crosses (raw stacks, see pyspy_summary.py)."""
    return [
        subprocess.Popen(
            [
                py_spy,
                "record",
                "--format",
                "raw",
                "--rate",
                "250",
                "--pid",
                str(stack.processes[service].pid),
                "-o",
                str(stack.config.log_dir / f"{service}.pyspy.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for service in ("gateway", "billing", "vouchers")
    ]


def stop_profilers(profilers: list[subprocess.Popen[bytes]]) -> None:
    for profiler in profilers:
        profiler.send_signal(signal.SIGINT)
    for profiler in profilers:
        profiler.wait(timeout=30)


# -- (c) where a repricing's time goes -------------------------------------------------------


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def infrastructure_cpu_ms() -> float:
    """PostgreSQL's and RabbitMQ's processes together (the whole machine's, not only ours)."""
    found = subprocess.run(["pgrep", "-f", "postgres|beam"], capture_output=True, text=True)
    total = 0.0
    for pid in found.stdout.split():
        with contextlib.suppress(OSError):
            total += cpu_ms(int(pid))
    return total


async def timed(
    stack: LocalStack, label: str, call: Callable[[int], Awaitable[object]], n: int = 200
) -> None:
    """Sequential calls: latency, and CPU per call of each process on the path."""
    pids = {s: stack.processes[s].pid for s in ("gateway", "billing", "vouchers")}
    before = {s: cpu_ms(p) for s, p in pids.items()}
    infra, own = infrastructure_cpu_ms(), time.process_time()
    timings = []
    for i in range(n):
        started = time.perf_counter()
        await call(i)
        timings.append((time.perf_counter() - started) * 1000)
    cpu = {s: (cpu_ms(p) - before[s]) / n for s, p in pids.items()}
    infra = (infrastructure_cpu_ms() - infra) / n
    own = (time.process_time() - own) * 1000 / n
    print(
        f"{label:<42} {percentiles(timings)}; CPU ms per call: "
        + ", ".join(f"{s} {ms:.1f}" for s, ms in cpu.items())
        + f", postgres+rabbitmq {infra:.1f}, this client {own:.1f}"
    )


async def breakdown(api: Gateway, stack: LocalStack, shop: Shop, token: dict[str, str]) -> None:
    """The same repricing asked of each hop directly: gateway, billing, vouchers."""
    config = stack.config
    shop_id = uuid.UUID(shop.shop_id)
    topology = Topology(config.broker_namespace)
    rpc = RpcClient(
        config.servers.amqp_url,
        topology.commands_exchange,
        reply_queue_prefix=topology.name("bench.replies"),
    )
    await rpc.start()
    async with httpx.AsyncClient(base_url=config.url("gateway"), timeout=60) as client:
        url = await new_cart(client, api, shop, token)
        cart = (await client.get(url, headers=token)).json()
        cart_id, customer_id = uuid.UUID(cart["cart_id"]), uuid.UUID(cart["customer_id"])
        line_id = cart["lines"][0]["line_id"]
        lines = [
            PriceLineInput(
                line_id=uuid.UUID(line["line_id"]),
                sku=line["sku"],
                name=line["name"],
                quantity=line["quantity"],
                unit_net=line["unit_net"],
                production_option=line["production_option"],
                production_option_name=line["production_option_name"],
                surcharge_unit_net=Decimal("0.0150"),
                vat_rate=line["vat_rate"],
            )
            for line in cart["pricing"]["lines"]
        ]

        async def price(i: int) -> object:
            command = PriceCart(
                shop_id=shop_id, customer_id=customer_id, lines=lines, voucher_code="BENCH10"
            )
            return await rpc.call(command, PricedCart)

        async def settings(i: int) -> object:
            return await rpc.call(GetCartSettings(shop_id=shop_id), CartSettings)

        async def change(i: int) -> object:
            command = ChangeCartLine(
                shop_id=shop_id,
                cart_id=cart_id,
                customer_id=customer_id,
                line_id=uuid.UUID(line_id),
                quantity=500 + i % 50,
            )
            return await rpc.call(command, Cart)

        async def health(i: int) -> object:
            return await client.get("/health/live")

        async def patch(i: int) -> object:
            return await reprice(client, url, token, line_id, i)

        print("where a repricing goes (sequential, 200 calls each):")
        await timed(stack, "vouchers: PriceCart, 20 lines", price)
        await timed(stack, "billing: GetCartSettings (one-query floor)", settings)
        await timed(stack, "billing: ChangeCartLine (prices via vouchers)", change)
        await timed(stack, "gateway: GET /health/live (HTTP floor)", health)
        await timed(stack, "gateway: PATCH a line (the whole path)", patch)
    await rpc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--py-spy", help="path of a py-spy binary: profile the sequential run")
    parser.add_argument("--skip-race", action="store_true")
    parser.add_argument("--breakdown", action="store_true", help="also time each hop alone")
    args = parser.parse_args()

    with throwaway_stack(base_port=23100) as stack:
        config = stack.config
        with httpx.Client(base_url=config.url("gateway"), timeout=60) as client:
            api = Gateway(client)
            shop = api.open_shop("Bench Prices", verification_mode="none")
            token = priced_shop(api, shop)
            if not args.skip_race:
                asyncio.run(redemption_bench(api, config, shop))
            asyncio.run(
                repricing_bench(api, stack, shop, token, args.sequential, args.seconds, args.py_spy)
            )
            if args.breakdown:
                asyncio.run(breakdown(api, stack, shop, token))


if __name__ == "__main__":
    main()
