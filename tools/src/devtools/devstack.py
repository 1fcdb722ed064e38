"""``python -m devtools.devstack``: the whole system locally, with a demo shop to try.

Creates and migrates the five databases, starts an SMTP sink and the five services, opens
a demo shop (once; later runs reuse it), registers a demo customer, prints what to try,
and runs until Ctrl-C, then stops every service gracefully.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from devtools.demo_catalogue import stock_demo_shop
from devtools.demo_orders import place_demo_orders
from devtools.stack import LocalStack, StackConfig

STATE = Path("var/demo-shop.json")
MAIL_DIR = Path("var/mail")
OPERATOR_TOKEN = "dev-operator-token"  # noqa: S105 - the gateway's development default
DEMO_CUSTOMER = {
    "password": "correct horse battery",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "language": "en",
    "newsletter": True,
    "phone": "+44 20 7946 0958",
    "address": {
        "line1": "12 St James's Square",
        "postcode": "SW1Y 4JH",
        "city": "London",
        "country": "GB",
    },
}
DEMO_IMPORT = """first_name,last_name,email,company,vat_number,language,newsletter
Marie,Curie,marie@{slug}.example,Radium SARL,FR40303265045,fr,yes
Grace,Hopper,grace@{slug}.example,,,en,no
Emmy,Noether,emmy@{slug}.example,Algebra GmbH,,de,yes
Alan,Turing,alan@{slug}.example,,,en,no
Hedy,Lamarr,hedy@{slug}.example,Frequency Hopping Inc,,en,yes
"""


def demo_shop(gateway: str) -> dict[str, str]:
    """The demo shop from an earlier run if the gateway still knows it, else a new one."""
    if STATE.exists():
        shop = json.loads(STATE.read_text())
        check = httpx.get(
            f"{gateway}/partner/v1/customers",
            headers={"Authorization": f"Bearer {shop['partner_token']}"},
        )
        if check.status_code == 200:
            return dict(shop)
    response = httpx.post(
        f"{gateway}/ops/v1/shops",
        headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
        json={
            "brand_name": "Atelier Lumière",
            "sender_email": "bonjour@atelier-lumiere.example",
            "default_language": "fr",
            "timezone": "Europe/Paris",
        },
    )
    response.raise_for_status()
    shop = response.json()
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(shop, indent=2))
    return dict(shop)


def register_demo_customer(gateway: str, shop: dict[str, str]) -> str:
    """Ada, with an address of the demo shop's own so she is new to this shop only."""
    email = f"ada@{shop['slug']}.example"
    for _ in range(50):  # the shop may still be reaching the customers service
        response = httpx.post(
            f"{gateway}/storefront/v1/shops/{shop['shop_id']}/customers",
            json={**DEMO_CUSTOMER, "email": email},
        )
        if response.status_code != 503:
            break
        time.sleep(0.2)
    login = f"{email} / {DEMO_CUSTOMER['password']}"
    if response.status_code == 201:
        number = response.json()["customer_number"]
        return f"{login} (customer number {number}; her code is in the newest email)"
    if response.status_code == 409:
        return f"{login} (registered on an earlier run)"
    return f"{email}: {response.json().get('detail', response.text)}"


def import_demo_customers(gateway: str, shop: dict[str, str]) -> str:
    """A few customers through the partner's CSV import, so the list has something to sort."""
    response = httpx.post(
        f"{gateway}/partner/v1/customers/import",
        headers={"Authorization": f"Bearer {shop['partner_token']}", "Content-Type": "text/csv"},
        content=DEMO_IMPORT.format(slug=shop["slug"]).encode(),
        timeout=60,
    )
    if response.status_code == 200:
        outcome = response.json()
        return f"{outcome['created']} created, {outcome['updated']} updated by a CSV import"
    return f"CSV import refused: {response.text}"


def print_guide(
    config: StackConfig, shop: dict[str, str], customer: str, imported: str, stocked: str
) -> None:
    gateway = config.url("gateway")
    shop_id, token = shop["shop_id"], shop["partner_token"]
    print(
        f"""
Clientele is running.

  Gateway          {gateway}   (OpenAPI: {gateway}/docs)
  Service health   {", ".join(f"{s} {config.url(s)}/health/ready" for s in ("customers", "vouchers", "billing", "notifier"))}
  Emails           every email sent is kept in {MAIL_DIR.resolve()}/ (.eml files)
  Logs             {config.log_dir.resolve()}/

  Demo shop        {shop["brand_name"]}  id {shop_id}
  Partner token    {token}
  Operator token   {OPERATOR_TOKEN}
  Demo customer    {customer}
  More customers   {imported}
  Prices           {stocked}

Try:
  curl -s '{gateway}/partner/v1/customers?sort=name&q=cur' -H 'Authorization: Bearer {token}'
  curl -s {gateway}/partner/v1/customers/export -H 'Authorization: Bearer {token}'
  curl -s -X POST {gateway}/storefront/v1/shops/{shop_id}/customers -H 'content-type: application/json' \\
       -d '{{"email":"lin@example.com","password":"a long passphrase","first_name":"Lin","last_name":"Wu","language":"en",
            "address":{{"line1":"1 rue de Rivoli","postcode":"75001","city":"Paris","country":"FR"}}}}'
  ls {MAIL_DIR}/    # the newest email carries the 6-digit code, then:
  curl -s -X POST {gateway}/storefront/v1/shops/{shop_id}/email-verification -H 'content-type: application/json' \\
       -d '{{"email":"lin@example.com","code":"<code from the email>"}}'
  curl -s -X POST {gateway}/storefront/v1/shops/{shop_id}/login -H 'content-type: application/json' \\
       -d '{{"email":"lin@example.com","password":"a long passphrase"}}'     # -> a customer token for /me
  curl -s {gateway}/storefront/v1/shops/{shop_id}/products
  curl -s -X POST {gateway}/storefront/v1/shops/{shop_id}/carts -H 'content-type: application/json' \\
       -d '{{"items":[{{"sku":"FLY-A5-135","quantity":1000,"production_option":"express"}}]}}'
       # add -H 'Authorization: Bearer <customer token>' for the Customer group's -5 %; then
       # PUT .../carts/<cart_id>/voucher -d '{{"code":"welcome10"}}'
  curl -s {gateway}/partner/v1/orders -H 'Authorization: Bearer {token}'      # the orders above
  curl -s {gateway}/partner/v1/outstanding -H 'Authorization: Bearer {token}'  # Ada's unpaid invoice
  curl -s '{gateway}/partner/v1/revenue-export?year=<yyyy>&month=<m>&format=csv' -H 'Authorization: Bearer {token}'

Ctrl-C stops everything.""",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="start, print, then stop at once")
    args = parser.parse_args()
    config = StackConfig()
    stack = LocalStack(config)
    stack.create_databases()
    stack.migrate()
    MAIL_DIR.mkdir(parents=True, exist_ok=True)
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.mailsink",
            "--port",
            str(config.smtp_port),
            "--dir",
            str(MAIL_DIR),
        ]
    )
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        stack.start()
        shop = demo_shop(config.url("gateway"))
        customer = register_demo_customer(config.url("gateway"), shop)
        imported = import_demo_customers(config.url("gateway"), shop)
        stocked = stock_demo_shop(config.url("gateway"), shop)
        ordered = place_demo_orders(
            config.url("gateway"),
            shop,
            f"ada@{shop['slug']}.example",
            str(DEMO_CUSTOMER["password"]),
            MAIL_DIR,
        )
        print_guide(config, shop, customer, imported, f"{stocked}\n  Orders           {ordered}")
        while not stopping and not args.check:
            time.sleep(0.5)
    finally:
        print("Stopping services...", flush=True)
        stack.stop()
        sink.terminate()
        sink.wait()


if __name__ == "__main__":
    main()
