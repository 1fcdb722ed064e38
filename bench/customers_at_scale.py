"""Partner customer management at scale: CSV import rate and customer-list latency.

Starts the whole system as real processes (its own databases, broker namespace and ports),
then, through the gateway's HTTP API only:

1. imports a generated 100,000-row CSV into one shop, streamed from a generator (rows/s of
   the import request; peak resident memory of the customers and gateway processes, from
   /proc VmHWM; how long the read model took to show every row);
2. fills the gateway's read model up to 1,000,000 customers across shops (the rest are
   written straight into the read-model table: the list bench measures reads, and the
   import above already proved the write path), VACUUM ANALYZE;
3. measures GET /partner/v1/customers for the 100,000-customer shop: every sort and
   direction, first and deep pages, page size 100, sequential requests; p50 / p95 / max.

    .venv/bin/python bench/customers_at_scale.py [--rows 100000] [--total 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg

from devtools.api_client import Gateway, Shop
from devtools.stack import LocalStack, throwaway_stack
from service_runtime.testing import unique_name

SORTS = ("customer_number", "company", "name", "orders", "order_revenue")
COMPANIES = ("Atelier", "Druckerei", "Print & Co", "Papeterie", "Studio", "")


def csv_rows(rows: int, run: str) -> Iterator[bytes]:
    """A realistic file: names, emails, a third with phone and company, some consent flags."""
    yield b"first_name,last_name,email,phone,company,language,newsletter\n"
    batch: list[str] = []
    for n in range(rows):
        company = COMPANIES[n % len(COMPANIES)]
        phone = f"+33 6 12 {n % 100:02d} {(n // 100) % 100:02d} 78" if n % 3 == 0 else ""
        batch.append(
            f"Person{n},Family{n % 997},p{n}.{run}@example.com,{phone},"
            f"{company + ' ' + str(n % 50) if company else ''},{('en', 'fr', 'de')[n % 3]},"
            f"{'yes' if n % 4 == 0 else 'no'}\n"
        )
        if len(batch) == 1000:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def import_bench(api: Gateway, stack: LocalStack, shop: Shop, rows: int) -> None:
    run = unique_name("")[-6:]
    before = {s: peak_rss_mib(stack.processes[s].pid) for s in ("customers", "gateway")}
    started = time.perf_counter()
    response = api.http.post(
        "/partner/v1/customers/import",
        headers={**shop.partner, "Content-Type": "text/csv"},
        content=csv_rows(rows, run),
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:2000]
    print(f"import: {response.json()}")
    print(f"import: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s")
    for service in ("customers", "gateway"):
        peak = peak_rss_mib(stack.processes[service].pid)
        print(
            f"import: {service} peak RSS {peak:,.0f} MiB (before the import {before[service]:,.0f})"
        )
    while (total := api.customers(shop, size=10)["total"]) < rows:
        time.sleep(0.5)
    print(f"import: read model shows all {total:,} after {time.perf_counter() - started:.1f} s")


def fill_read_model(database_url: str, shop_id: str, total: int) -> None:
    """Other shops' customers written straight into the gateway's read model (10 shops)."""
    with psycopg.connect(
        database_url.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as db:
        have = db.execute("SELECT count(*) FROM customer_overview").fetchone()[0]
        missing = total - have
        if missing > 0:
            db.execute(
                """
                INSERT INTO customer_overview (customer_id, shop_id, customer_number, first_name,
                    last_name, sort_name, company, email, email_verified, registered_at,
                    profile_changed_at, orders_count, order_revenue_net, search_text, revision)
                SELECT gen_random_uuid(), ('00000000-0000-0000-0000-00000000000' || (n %% 9 + 1))::uuid,
                    1000000 + n, 'Other' || n, 'Family' || (n %% 991), 'family' || (n %% 991) || ' other' || n,
                    CASE WHEN n %% 4 = 0 THEN NULL ELSE 'Company ' || (n %% 777) END,
                    'o' || n || '@example.com', true, now() - n * interval '1 minute', now(),
                    n %% 40, (n %% 5000) * 1.5, 'o' || n || '@example.com', 1
                FROM generate_series(1, %s) AS n
                """,
                (missing,),
            )
        # Orders and revenue come from billing later: spread values so those sorts do real work.
        db.execute(
            "UPDATE customer_overview SET orders_count = customer_number %% 37,"
            " order_revenue_net = (customer_number %% 4999) * 2.5 WHERE shop_id = %s",
            (shop_id,),
        )
        # Rows written here bypass the overview's writes: set the totals they keep.
        db.execute(
            "INSERT INTO overview_shop_totals (shop_id, customers) "
            "SELECT shop_id, count(*) FROM customer_overview GROUP BY shop_id "
            "ON CONFLICT (shop_id) DO UPDATE SET customers = excluded.customers"
        )
        db.execute("VACUUM ANALYZE customer_overview")
        print(
            f"read model: {db.execute('SELECT count(*) FROM customer_overview').fetchone()[0]:,} customers in all"
        )


def list_bench(api: Gateway, shop: Shop, rows: int, repeat: int) -> None:
    last_page = (rows + 99) // 100
    pages = {"first": 1, "middle": last_page // 2, "last": last_page}
    every: list[float] = []
    print("list: sort direction page -> p50 / p95 / max ms (sequential, page size 100)")
    for sort in SORTS:
        for direction in ("asc", "desc"):
            for label, page in pages.items():
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
                    assert len(response.json()["items"]) == 100 or label == "last"
                every += timings
                q = statistics.quantiles(timings, n=20)
                print(
                    f"list: {sort:>15} {direction:>4} {label:>6} -> {statistics.median(timings):6.1f} / {q[18]:6.1f} / {max(timings):6.1f}"
                )
    q = statistics.quantiles(every, n=20)
    print(
        f"list: all {len(every):,} requests -> p50 {statistics.median(every):.1f} ms, p95 {q[18]:.1f} ms, max {max(every):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per sort/direction/page")
    args = parser.parse_args()

    with throwaway_stack(base_port=23000) as stack:
        config = stack.config
        with httpx.Client(base_url=config.url("gateway"), timeout=60) as client:
            api = Gateway(client)
            shop = api.open_shop("Bench Print", verification_mode="none")
            time.sleep(2)  # the shop reaches the customers service
            import_bench(api, stack, shop, args.rows)
            fill_read_model(config.database_url("gateway"), shop.shop_id, args.total)
            list_bench(api, shop, args.rows, args.repeat)


if __name__ == "__main__":
    main()
