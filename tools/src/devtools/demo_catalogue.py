"""The print products a demo shop sells, at the partner's own prices (for `make run` and benches).

Unit prices are per printed piece (a flyer costs 0.0450); the express surcharge is per piece too.
"""

from __future__ import annotations

import time
from typing import Any

import httpx


def _option(code: str, en: str, fr: str, de: str, surcharge: str) -> dict[str, Any]:
    return {"code": code, "names": {"en": en, "fr": fr, "de": de}, "surcharge_unit_net": surcharge}


STANDARD = _option("standard", "Standard (5 days)", "Standard (5 jours)", "Standard (5 Tage)", "0")


def _express(surcharge: str) -> dict[str, Any]:
    return _option(
        "express", "Express (2 days)", "Express (2 jours)", "Express (2 Tage)", surcharge
    )


PRODUCTS: dict[str, dict[str, Any]] = {
    "FLY-A5-135": {
        "names": {"en": "Flyers A5, 135 g", "fr": "Flyers A5, 135 g", "de": "Flyer A5, 135 g"},
        "unit_net": "0.0450",
        "wholesale_unit_cost": "0.0210",
        "vat_rate": "20.00",
        "production_options": [STANDARD, _express("0.0150")],
        "min_quantity": 100,
        "max_quantity": 100_000,
    },
    "BC-85x55-350": {
        "names": {
            "en": "Business cards, 350 g",
            "fr": "Cartes de visite, 350 g",
            "de": "Visitenkarten, 350 g",
        },
        "unit_net": "0.0800",
        "wholesale_unit_cost": "0.0300",
        "vat_rate": "20.00",
        "production_options": [STANDARD, _express("0.0200")],
        "min_quantity": 50,
        "max_quantity": 20_000,
    },
    "POS-A2-170": {
        "names": {"en": "Poster A2, 170 g", "fr": "Affiche A2, 170 g", "de": "Plakat A2, 170 g"},
        "unit_net": "4.9000",
        "wholesale_unit_cost": "1.8000",
        "vat_rate": "20.00",
        "production_options": [
            STANDARD,
            _express("1.5000"),
            _option("overnight", "Overnight", "Express 24 h", "Über Nacht", "3.0000"),
        ],
        "min_quantity": 1,
        "max_quantity": 500,
    },
    "BRO-A4-8P": {
        "names": {
            "en": "Brochure A4, 8 pages",
            "fr": "Brochure A4, 8 pages",
            "de": "Broschüre A4, 8 Seiten",
        },
        "unit_net": "1.2000",
        "wholesale_unit_cost": "0.5500",
        "vat_rate": "5.50",
        "production_options": [STANDARD],
        "min_quantity": 10,
        "max_quantity": 10_000,
    },
    "STK-R50": {
        "names": {
            "en": "Round stickers, 50 mm",
            "fr": "Autocollants ronds, 50 mm",
            "de": "Runde Aufkleber, 50 mm",
        },
        "unit_net": "0.1200",
        "wholesale_unit_cost": "0.0400",
        "vat_rate": "20.00",
        "production_options": [STANDARD, _express("0.0300")],
        "min_quantity": 100,
        "max_quantity": 50_000,
    },
}

SHIPPING_OPTIONS: dict[str, dict[str, Any]] = {
    "standard": {
        "names": {"en": "Standard delivery", "fr": "Livraison standard", "de": "Standardversand"},
        "net": "5.90",
        "vat_rate": "20.00",
    },
    "express": {
        "names": {"en": "Express delivery", "fr": "Livraison express", "de": "Expressversand"},
        "net": "12.90",
        "vat_rate": "20.00",
    },
    "pickup": {
        "names": {"en": "Pick up at the shop", "fr": "Retrait en boutique", "de": "Abholung"},
        "net": "0.00",
        "vat_rate": "20.00",
    },
}

DEMO_VOUCHER = {"code": "WELCOME10", "kind": "percent", "value": "10", "redemption_limit": 1000}


def stock_demo_shop(gateway: str, shop: dict[str, str]) -> str:
    """Price list, Customer group -5 %, the WELCOME10 voucher; repeatable on every run."""
    partner = {"Authorization": f"Bearer {shop['partner_token']}"}
    with httpx.Client(base_url=gateway, headers=partner, timeout=30) as http:
        for sku, product in PRODUCTS.items():
            _put_when_ready(http, f"/partner/v1/products/{sku}", product)
        for code, option in SHIPPING_OPTIONS.items():
            _put_when_ready(http, f"/partner/v1/shipping-options/{code}", option)
        groups = http.get("/partner/v1/groups").json()["groups"]
        customer_group = next(g["group_id"] for g in groups if g["system_key"] == "customer")
        _put_when_ready(
            http,
            f"/partner/v1/groups/{customer_group}/adjustment",
            {"percent": "-5"},
            also_wait_on=(404,),
        )
        voucher = http.post("/partner/v1/vouchers", json=DEMO_VOUCHER)
        if voucher.status_code not in (201, 409):
            return f"price list stocked; voucher refused: {voucher.text}"
    return (
        f"{len(PRODUCTS)} products, {len(SHIPPING_OPTIONS)} shipping options, "
        f"Customer group -5 %, voucher {DEMO_VOUCHER['code']} (10 %)"
    )


def _put_when_ready(
    http: httpx.Client, url: str, body: dict[str, Any], also_wait_on: tuple[int, ...] = ()
) -> httpx.Response:
    """A new shop (and its groups) reach billing and vouchers a moment after it opens."""
    for _ in range(100):
        response = http.put(url, json=body)
        if response.status_code not in (503, *also_wait_on):
            break
        time.sleep(0.1)
    response.raise_for_status()
    return response
