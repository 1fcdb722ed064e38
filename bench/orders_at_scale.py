"""Orders at scale: the overview's money sorts, order placement, overview lag, revenue export.

Starts the whole system as real processes (its own databases, broker namespace, ports and
SMTP sink), then:

1. seeds 1,000,000 customers and 3,000,000 orders across 10 shops (100,000 customers and
   about 300,000 orders in the bench shop): billing's ``orders`` (and, for the bench shop,
   billing's copy of its customers and 100,000 invoices issued this month), and the
   gateway's overview read model with each customer's orders count and net revenue
   computed from the same formula. Seeding writes SQL straight into the databases: the
   write path is proven by the tests and by step 3; this bench measures reads at scale;
2. measures GET /partner/v1/customers sorted by orders and by revenue, both directions,
   first page and a deep page (row 50,000), page size 100, sequential: p50 / p95 / max at
   the gateway; and, for comparison, the correlated-subquery list shop systems use, run on
   billing's tables (count and sum of each customer's orders per row);
3. places orders through the storefront API (cart, shipping, POST /orders) from several
   client threads: p50 / p95 of POST /orders, orders per second from the first request to
   the last confirmation email sent (the notifier's message log), placed -> confirmation
   sent p50 / p95; and the overview lag meanwhile: a thread polls the gateway's read model
   every 5 ms and notes when each customer's orders count reaches each new value; lag =
   that moment - the order's placed_at in billing (the transaction's start, so the lag is
   if anything overstated by the placement transaction's own length);
4. exports the bench shop's month (100,000 invoices) as CSV and as XLSX through
   GET /partner/v1/revenue-export: seconds, bytes, and the peak resident memory (VmHWM)
   of the gateway and billing processes before and after.

    .venv/bin/python bench/orders_at_scale.py [--orders 400] [--clients 8] [--skip-seed]

``--small`` seeds a tenth of everything (a quick check of the script itself).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import psycopg

from devtools.api_client import Gateway, Shop
from devtools.stack import LocalStack, throwaway_stack

SHOPS = 10
PRODUCT = {
    "names": {"en": "Flyers A5"},
    "unit_net": "0.0450",
    "wholesale_unit_cost": "0.0210",
    "vat_rate": "20.00",
    "production_options": [{"code": "standard", "names": {"en": "Standard"}}],
    "min_quantity": 100,
    "max_quantity": 100000,
}
SHIPPING = {"names": {"en": "Standard delivery"}, "net": "5.90", "vat_rate": "20.00"}
ADDRESS = {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris", "country": "FR"}


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}"
    q = statistics.quantiles(values, n=20)
    return f"p50 {statistics.median(values):.1f} / p95 {q[18]:.1f} / max {max(values):.1f}"


# -- 1. seeding -------------------------------------------------------------------------------

ORDER_NET = "(10 + ((n * 8 + k) * 13 %% 200))::numeric(14, 2)"
"""Net total of order k of customer n: deterministic, so both databases agree."""


def seed_billing(url: str, bench_shop: str, others: list[str], customers: int) -> None:
    """Orders for every customer (n % 7 of them, about 3 on average); the bench shop's
    customers in billing's copy; 100,000 (or all) of its orders invoiced this month."""
    bench_customers = customers // 10
    started = time.perf_counter()
    with psycopg.connect(plain(url), autocommit=True) as db:
        db.execute("SET synchronous_commit = off")
        db.execute(
            """
            INSERT INTO customers (customer_id, shop_id, revision, customer_number, email,
                first_name, last_name, language, tax_exempt, pays_by_invoice, credit_limit,
                payment_terms_days, risk_level)
            SELECT md5('A' || n)::uuid, %(shop)s, 1, n, 'a' || n || '@example.com',
                'Person' || n, 'Family' || (n %% 991), 'en', false, n %% 10 = 0, 1000, 30, 'none'
            FROM generate_series(1, %(count)s) AS n
            """,
            {"shop": bench_shop, "count": bench_customers},
        )
        shops = [bench_shop, *others]
        db.execute(
            f"""
            INSERT INTO orders (order_id, shop_id, order_number, idempotency_key, cart_id,
                customer_id, customer_number, guest, email, first_name, last_name, language,
                payment_method, payment_status, status, history, currency, pricing,
                net_total, vat_total, gross_total, placed_at, provider_order_id,
                wholesale_net, released_at, payment_terms_days)
            SELECT md5('order-' || n || '-' || k)::uuid,
                CASE WHEN n <= %(bench)s THEN %(shop)s::uuid
                     ELSE (%(shops)s::uuid[])[2 + n %% {SHOPS - 1}] END,
                n * 8 + k, 'seed-' || n || '-' || k, md5('cart-' || n || '-' || k)::uuid,
                CASE WHEN n <= %(bench)s THEN md5('A' || n)::uuid ELSE md5('O' || n)::uuid END,
                n, false, 'a' || n || '@example.com', 'Person' || n, 'Family' || (n %% 991), 'en',
                CASE WHEN n %% 10 = 0 THEN 'invoice' ELSE 'card' END,
                CASE WHEN n %% 10 = 0 THEN 'on_invoice' ELSE 'paid' END,
                'shipped', '[]'::jsonb, 'EUR',
                jsonb_build_object('lines', '[]'::jsonb, 'product_subtotal', {ORDER_NET}::text,
                    'surcharge_total', '0.00', 'vat', '[]'::jsonb,
                    'net_total', {ORDER_NET}::text,
                    'vat_total', ({ORDER_NET} * 0.2)::numeric(14, 2)::text,
                    'gross_total', ({ORDER_NET} * 1.2)::numeric(14, 2)::text),
                {ORDER_NET}, ({ORDER_NET} * 0.2)::numeric(14, 2), ({ORDER_NET} * 1.2)::numeric(14, 2),
                now() - (n %% 700) * interval '1 day', 'PO-' || n || '-' || k,
                ({ORDER_NET} * 0.45)::numeric(14, 2), now(), 30
            FROM generate_series(1, %(count)s) AS n, generate_series(0, n %% 7 - 1) AS k
            """,
            {"shop": bench_shop, "shops": shops, "bench": bench_customers, "count": customers},
        )
        orders = db.execute("SELECT count(*) FROM orders").fetchone()
        print(f"seed: billing {orders[0]:,} orders in {time.perf_counter() - started:.0f} s")
        db.execute(
            """
            WITH month AS (
                SELECT order_id, order_number, customer_id, net_total, gross_total,
                       row_number() OVER (ORDER BY order_number) AS seq
                FROM orders WHERE shop_id = %(shop)s ORDER BY order_number LIMIT %(invoices)s
            )
            INSERT INTO invoices (invoice_id, shop_id, invoice_number, kind, order_id,
                customer_id, document, net_total, gross_total, issued_at, issue_date, due_date,
                status)
            SELECT md5('invoice-' || seq)::uuid, %(shop)s,
                to_char(current_date, 'YYYY') || '-' || lpad(seq::text, 6, '0'), 'invoice',
                order_id, customer_id, '{}'::jsonb, net_total, gross_total, now(),
                current_date, current_date + 30, CASE WHEN seq %% 5 = 0 THEN 'unpaid' ELSE 'paid' END
            FROM month
            """,
            {"shop": bench_shop, "invoices": customers // 10},
        )
        db.execute(
            """
            UPDATE orders o SET invoice_id = i.invoice_id, provider_invoice_id = 'PI-' || o.order_number,
                provider_invoice_date = current_date, provider_pay_method = 'direct_debit',
                tracking_number = 'T' || o.order_number
            FROM invoices i WHERE i.order_id = o.order_id
            """
        )
        db.execute(
            "INSERT INTO number_sequences (shop_id, name, last_value) "
            "SELECT %s, 'invoice-' || to_char(current_date, 'YYYY'), count(*) FROM invoices",
            (bench_shop,),
        )
        db.execute(
            "INSERT INTO number_sequences (shop_id, name, last_value) "
            "SELECT shop_id, 'order', max(order_number) FROM orders GROUP BY shop_id"
        )
        db.execute("VACUUM ANALYZE")
        print(f"seed: billing done in {time.perf_counter() - started:.0f} s")


def seed_overview(url: str, bench_shop: str, others: list[str], customers: int) -> None:
    """The read model as billing's figures would leave it (same formula as the orders).

    Customer numbers start at 1,000,001, clear of the numbers the buyers registered in
    step 3 get from the customers service."""
    bench_customers = customers // 10
    started = time.perf_counter()
    with psycopg.connect(plain(url), autocommit=True) as db:
        db.execute("SET synchronous_commit = off")
        db.execute(
            f"""
            INSERT INTO customer_overview (customer_id, shop_id, customer_number, first_name,
                last_name, sort_name, company, email, email_verified, registered_at,
                profile_changed_at, orders_count, order_revenue_net, unpaid_invoices,
                pays_by_invoice, search_text, revision)
            SELECT CASE WHEN n <= %(bench)s THEN md5('A' || n)::uuid ELSE md5('O' || n)::uuid END,
                CASE WHEN n <= %(bench)s THEN %(shop)s::uuid
                     ELSE (%(shops)s::uuid[])[2 + n %% {SHOPS - 1}] END,
                1000000 + n, 'Person' || n, 'Family' || (n %% 991),
                'family' || (n %% 991) || ' person' || n,
                CASE WHEN n %% 4 = 0 THEN NULL ELSE 'Company ' || (n %% 777) END,
                'a' || n || '@example.com', true, now() - n * interval '1 minute', now(),
                n %% 7,
                (SELECT coalesce(sum({ORDER_NET}), 0) FROM generate_series(0, n %% 7 - 1) AS k),
                0, n %% 10 = 0, 'a' || n || '@example.com', 1
            FROM generate_series(1, %(count)s) AS n
            """,
            {
                "shop": bench_shop,
                "shops": [bench_shop, *others],
                "bench": bench_customers,
                "count": customers,
            },
        )
        # Rows written here bypass the overview's writes: set the totals they keep.
        db.execute(
            "INSERT INTO overview_shop_totals (shop_id, customers) "
            "SELECT shop_id, count(*) FROM customer_overview GROUP BY shop_id "
            "ON CONFLICT (shop_id) DO UPDATE SET customers = excluded.customers"
        )
        # Index-only scans need an all-visible heap; a transaction the services held open
        # during the insert can keep VACUUM from marking it, so vacuum until it has (as
        # autovacuum does in a running system).
        for _ in range(10):
            db.execute("VACUUM ANALYZE customer_overview")
            visible, pages = db.execute(
                "SELECT relallvisible, relpages FROM pg_class WHERE relname = 'customer_overview'"
            ).fetchone()
            if visible >= 0.99 * pages:
                break
            time.sleep(1)
        print(f"seed: overview heap {visible / max(pages, 1):.0%} all-visible after VACUUM")
        total = db.execute("SELECT count(*) FROM customer_overview").fetchone()
        print(f"seed: overview {total[0]:,} customers in {time.perf_counter() - started:.0f} s")


# -- 2. the overview's money sorts ---------------------------------------------------------------


def overview_bench(api: Gateway, shop: Shop, customers: int, repeat: int) -> None:
    deep = max(1, (customers // 10) // 200)  # row 50,000 of 100,000 at size 100
    every: list[float] = []
    print("overview: sort direction page -> ms (sequential, page size 100)")
    for sort in ("orders", "order_revenue"):
        for direction in ("asc", "desc"):
            for label, page in (("first", 1), (f"page {deep}", deep)):
                timings = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = api.http.get(
                        "/partner/v1/customers",
                        headers=shop.partner,
                        params={"sort": sort, "direction": direction, "page": page, "size": 100},
                    )
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.text
                    assert len(response.json()["items"]) == 100
                every += timings
                print(f"overview: {sort:>13} {direction:>4} {label:>9} -> {percentiles(timings)}")
    print(f"overview: all {len(every):,} requests -> {percentiles(every)} ms")


def correlated_bench(url: str, shop: Shop, customers: int) -> None:
    """What shop systems do: count and sum each customer's orders per row, at read time."""
    query = """
        SELECT c.customer_id, c.customer_number,
            (SELECT count(*) FROM orders o WHERE o.shop_id = c.shop_id
                AND o.customer_id = c.customer_id AND o.status <> 'cancelled') AS orders,
            (SELECT coalesce(sum(o.net_total), 0) FROM orders o WHERE o.shop_id = c.shop_id
                AND o.customer_id = c.customer_id AND o.status <> 'cancelled') AS revenue
        FROM customers c WHERE c.shop_id = %s
        ORDER BY {sort} DESC, c.customer_id LIMIT 100 OFFSET %s
    """
    with psycopg.connect(plain(url), autocommit=True) as db:
        for sort in ("orders", "revenue"):
            for offset in (0, (customers // 10) // 2):
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    db.execute(query.format(sort=sort), (shop.shop_id, offset)).fetchall()
                    timings.append((time.perf_counter() - started) * 1000)
                print(
                    f"correlated subqueries (billing db): {sort:>7} offset {offset:>6} -> "
                    f"median {statistics.median(timings):,.0f} ms of 3"
                )


# -- 3. placement and overview lag -------------------------------------------------------------


class LagWatcher(threading.Thread):
    """Notes when each watched customer's orders count first shows each value."""

    def __init__(self, url: str, customer_ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.customer_ids = plain(url), customer_ids
        self.seen: dict[tuple[str, int], float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            self._watch()
        except Exception as exc:
            print(f"overview lag: the watcher stopped: {exc!r}")
            raise

    def _watch(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as db:
            while not self.stopping.is_set():
                rows = db.execute(
                    "SELECT customer_id::text, orders_count FROM customer_overview "
                    "WHERE customer_id = ANY(%s::uuid[])",
                    (self.customer_ids,),
                ).fetchall()
                now = time.time()
                for customer_id, count in rows:
                    for value in range(1, count + 1):
                        self.seen.setdefault((customer_id, value), now)
                time.sleep(0.005)


def register_buyers(api: Gateway, shop: Shop, count: int) -> list[tuple[str, dict[str, str]]]:
    buyers = []
    for n in range(count):
        email = f"buyer{n}.{uuid.uuid4().hex[:6]}@example.com"
        response = api.register(
            shop, email=email, first_name=f"Buyer{n}", last_name="Bench", address=ADDRESS
        )
        assert response.status_code == 201, response.text
        buyers.append((response.json()["customer_id"], api.customer_token(shop, email)))
    return buyers


def placement_bench(stack: LocalStack, api: Gateway, shop: Shop, orders: int, clients: int) -> None:
    api.put_product(shop, "FLY", **PRODUCT)
    api.put_shipping_option(shop, "post", **SHIPPING)
    buyers = register_buyers(api, shop, clients * 4)
    watcher = LagWatcher(stack.config.database_url("gateway"), [b[0] for b in buyers])
    watcher.start()
    per_client = [buyers[i::clients] for i in range(clients)]
    latencies: list[float] = []
    placed: list[tuple[str, int, str]] = []  # customer, nth order of that customer, order id
    lock = threading.Lock()
    base_url = str(api.http.base_url)

    def client(mine: list[tuple[str, dict[str, str]]], count: int) -> None:
        counts: dict[str, int] = defaultdict(int)
        with httpx.Client(base_url=base_url, timeout=60) as http:
            for n in range(count):
                customer_id, token = mine[n % len(mine)]
                carts = f"/storefront/v1/shops/{shop.shop_id}/carts"
                cart = http.post(
                    carts, headers=token, json={"items": [{"sku": "FLY", "quantity": 500}]}
                )
                assert cart.status_code == 201, cart.text
                cart_id = cart.json()["cart_id"]
                shipping = http.put(
                    f"{carts}/{cart_id}/shipping", headers=token, json={"shipping_option": "post"}
                )
                assert shipping.status_code == 200, shipping.text
                started = time.perf_counter()
                response = http.post(
                    f"/storefront/v1/shops/{shop.shop_id}/orders",
                    headers={**token, "Idempotency-Key": uuid.uuid4().hex},
                    json={"cart_id": cart_id, "payment_method": "card"},
                )
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 201, response.text
                counts[customer_id] += 1
                with lock:
                    latencies.append(elapsed)
                    placed.append((customer_id, counts[customer_id], response.json()["order_id"]))

    started_at = datetime.now().astimezone()
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, per_client, [orders // clients] * clients))
    placing = time.perf_counter() - began
    print(
        f"placement: POST /orders {percentiles(latencies)} ms ({len(latencies)} orders, {clients} clients)"
    )
    print(
        f"placement: {len(latencies) / placing:.1f} orders/s placed (cart + shipping + order per order)"
    )

    order_ids = [p[2] for p in placed]
    notifier_url, billing_url = (
        plain(stack.config.database_url(s)) for s in ("notifier", "billing")
    )
    deadline = time.monotonic() + 120
    with psycopg.connect(notifier_url, autocommit=True) as notifier:
        while time.monotonic() < deadline:
            sent = notifier.execute(
                "SELECT count(*), max(sent_at) FROM messages WHERE kind = 'order_confirmation' "
                "AND status = 'sent' AND created_at >= %s",
                (started_at,),
            ).fetchone()
            if sent[0] >= len(order_ids):
                break
            time.sleep(0.2)
        by_number = dict(
            notifier.execute(
                "SELECT (context->>'order_number')::int, sent_at FROM messages "
                "WHERE kind = 'order_confirmation' AND status = 'sent' AND created_at >= %s",
                (started_at,),
            ).fetchall()
        )
    with psycopg.connect(billing_url, autocommit=True) as billing:
        rows = billing.execute(
            "SELECT order_id::text, order_number, placed_at FROM orders "
            "WHERE order_id = ANY(%s::uuid[])",
            (order_ids,),
        ).fetchall()
    placed_at = {order_id: at for order_id, _, at in rows}
    sent_at = {order_id: by_number[n] for order_id, n, _ in rows if n in by_number}
    if sent[0] < len(order_ids):
        print(f"placement: only {sent[0]} of {len(order_ids)} confirmations sent after 120 s")
    end_to_end = [
        (sent_at[o] - placed_at[o]).total_seconds() * 1000 for o in order_ids if o in sent_at
    ]
    if sent_at:
        window = (max(sent_at.values()) - min(placed_at.values())).total_seconds()
        print(
            f"placement: {len(sent_at)} confirmations sent; {len(sent_at) / window:.1f} orders/s "
            f"from the first order placed to the last confirmation sent"
        )
        print(f"placement: placed -> confirmation sent {percentiles(end_to_end)} ms")

    time.sleep(2)
    watcher.stopping.set()
    watcher.join()
    lags = []
    for customer_id, nth, order_id in placed:
        shown = watcher.seen.get((customer_id, nth))
        if shown is not None:
            lags.append((shown - placed_at[order_id].timestamp()) * 1000)
    print(
        f"overview lag: placed_at -> overview shows the count {percentiles(lags)} ms ({len(lags)} of {len(placed)})"
    )


# -- 4. revenue export ---------------------------------------------------------------------------


def export_bench(stack: LocalStack, api: Gateway, shop: Shop) -> None:
    today = datetime.now().astimezone()
    for fmt in ("csv", "xlsx"):
        before = {s: peak_rss_mib(stack.processes[s].pid) for s in ("gateway", "billing")}
        started = time.perf_counter()
        size = 0
        with api.http.stream(
            "GET",
            "/partner/v1/revenue-export",
            headers=shop.partner,
            params={"year": today.year, "month": today.month, "format": fmt},
            timeout=600,
        ) as response:
            assert response.status_code == 200, response.read()[:500]
            for chunk in response.iter_bytes():
                size += len(chunk)
        elapsed = time.perf_counter() - started
        after = {s: peak_rss_mib(stack.processes[s].pid) for s in ("gateway", "billing")}
        peaks = ", ".join(f"{s} peak RSS {before[s]:,.0f} -> {after[s]:,.0f} MiB" for s in before)
        print(f"export {fmt}: {size / 1e6:.1f} MB in {elapsed:.1f} s; {peaks}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=400, help="orders placed in step 3")
    parser.add_argument("--clients", type=int, default=8, help="client threads in step 3")
    parser.add_argument("--repeat", type=int, default=20, help="requests per overview case")
    parser.add_argument("--small", action="store_true", help="a tenth of the data")
    parser.add_argument("--skip-overview", action="store_true", help="no step 2")
    parser.add_argument("--skip-placement", action="store_true", help="no step 3")
    args = parser.parse_args()
    customers = args.customers // 10 if args.small else args.customers

    # The bench's buyers all log in from one address: lift the per-IP login throttle.
    lifted = {"THROTTLE_LOGIN_PER_IP": '{"hits": 10000, "seconds": 60}'}
    with (
        throwaway_stack(base_port=24000, extra_env=lifted) as stack,
        httpx.Client(base_url=stack.config.url("gateway"), timeout=60) as client,
    ):
        api = Gateway(client)
        shop = api.open_shop("Bench Print", verification_mode="none")
        others = [api.open_shop(f"Other Print {n}").shop_id for n in range(1, SHOPS)]
        time.sleep(2)  # the shops reach every service
        seed_billing(stack.config.database_url("billing"), shop.shop_id, others, customers)
        seed_overview(stack.config.database_url("gateway"), shop.shop_id, others, customers)
        if not args.skip_overview:
            overview_bench(api, shop, customers, args.repeat)
            correlated_bench(stack.config.database_url("billing"), shop, customers)
        if not args.skip_placement:
            placement_bench(stack, api, shop, args.orders, args.clients)
        export_bench(stack, api, shop)


if __name__ == "__main__":
    main()
