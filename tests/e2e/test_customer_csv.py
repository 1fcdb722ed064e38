"""CSV import and export of a shop's customers end to end (P9, P10)."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from devtools.api_client import Gateway, Shop, eventually

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database]


def upload(api: Gateway, shop: Shop, text: str) -> tuple[int, dict[str, object]]:
    response = api.post_when_ready(
        "/partner/v1/customers/import",
        headers={**shop.partner, "Content-Type": "text/csv"},
        content=text.encode("utf-8-sig"),
    )
    return response.status_code, response.json()


def test_a_broken_file_imports_nothing_and_names_the_line_then_a_clean_one_imports(
    api: Gateway,
) -> None:
    shop = api.open_shop("Import Works", verification_mode="none")
    run = uuid.uuid4().hex[:6]
    existing = f"known.{run}@example.com"
    assert (
        api.register(shop, email=existing, first_name="Known", last_name="Before").status_code
        == 201
    )
    eventually(lambda: assert_total(api, shop, 1))

    broken = (
        "name,email,phone,company,newsletter\n"
        f"Ada Lovelace,ada.{run}@example.com,+44 20 7946 0958,Analytical Ltd,yes\n"
        f"Grace Hopper,grace.{run}@example,,,no\n"
        f"Known Person,{existing},,Known & Co,\n"
    )
    status, problem = upload(api, shop, broken)
    assert status == 422, problem
    assert problem["type"] == "/problems/import_rejected"
    assert problem["errors"] == [
        {
            "line": 3,
            "column": "email",
            "field": "email",
            "reason": problem["errors"][0]["reason"],  # type: ignore[index]
        }
    ]
    assert api.customers(shop)["total"] == 1, "nothing of a broken file is imported"

    clean = broken.replace(f"grace.{run}@example,", f"grace.{run}@example.com,")
    status, outcome = upload(api, shop, clean)
    assert status == 200, outcome
    assert outcome == {"applied": True, "rows": 3, "created": 2, "updated": 1}

    def imported() -> None:
        page = api.customers(shop, sort="customer_number")
        assert [(r["customer_number"], r["email"]) for r in page["items"]] == [
            (1, existing),
            (2, f"ada.{run}@example.com"),
            (3, f"grace.{run}@example.com"),
        ]
        known = page["items"][0]
        assert known["company"] == "Known & Co"
        assert known["last_name"] == "Person", "the file's name column updated the name"

    eventually(imported)


def test_export_neutralises_formula_cells_and_follows_the_filters(api: Gateway) -> None:
    shop = api.open_shop("Export Works", verification_mode="none")
    run = uuid.uuid4().hex[:6]
    rows = (
        "first_name,last_name,email,company,newsletter\n"
        f'Eve,Formula,eve.{run}@example.com,=HYPERLINK("http://evil.example"),yes\n'
        f"Bob,Plain,bob.{run}@example.com,@SUM(A1),no\n"
        f"Tab,Start,tab.{run}@example.com,+33 cells,no\n"
    )
    status, outcome = upload(api, shop, rows)
    assert status == 200, outcome
    eventually(lambda: assert_total(api, shop, 3))

    response = api.http.get("/partner/v1/customers/export", headers=shop.partner)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    companies = {r["email"]: r["company"] for r in table}
    assert companies == {
        f"eve.{run}@example.com": '\'=HYPERLINK("http://evil.example")',
        f"bob.{run}@example.com": "'@SUM(A1)",
        f"tab.{run}@example.com": "'+33 cells",
    }

    newsletter_only = api.http.get(
        "/partner/v1/customers/export", headers=shop.partner, params={"newsletter": "true"}
    )
    emails = [
        r["email"] for r in csv.DictReader(io.StringIO(newsletter_only.content.decode("utf-8-sig")))
    ]
    assert emails == [f"eve.{run}@example.com"]


def assert_total(api: Gateway, shop: Shop, total: int) -> None:
    assert api.customers(shop)["total"] == total
