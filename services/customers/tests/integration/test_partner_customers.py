"""Partner customer management (P2-P5, A7, A9) against the real database."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from contracts.customers import (
    AddCustomerNote,
    B2BTerms,
    CustomerChanged,
    CustomerDeleted,
    CustomerSheet,
    DeleteCustomers,
    DeleteOwnAccount,
    GroupAssignment,
    PostalAddress,
    ProfileChanges,
    SetCustomerDenied,
    UpdateCustomer,
)
from customers.adapters.customer_sheets import load_sheet
from customers.adapters.tables import customer_notes, identities, shop_customers
from customers.handlers.customer_notes import add_customer_note
from customers.handlers.delete_customers import delete_customers
from customers.handlers.delete_own_account import delete_own_account
from customers.handlers.set_customer_denied import set_customer_denied
from customers.handlers.update_customer import update_customer
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import (
    add_customer,
    add_record,
    events,
    group_id,
    identity_of,
    open_shop,
    refusal,
    run,
)

pytestmark = pytest.mark.database


async def sheet_of(
    runtime: ServiceRuntime, shop_id: UUID, customer_id: UUID
) -> CustomerSheet | None:
    async with runtime.sessions() as session:
        return await load_sheet(session, shop_id, customer_id)


async def test_the_partner_edits_the_profile_of_a_customer_of_their_shop_alone(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    customer = await add_customer(runtime, shop, "ada@example.com")
    command = UpdateCustomer(
        shop_id=shop,
        customer_id=customer,
        profile=ProfileChanges(
            first_name="  Augusta ",
            phone="030 1234567",
            address=PostalAddress(
                line1="Unter den Linden 1", postcode="10117", city="Berlin", country="DE"
            ),
            company="",
        ),
    )
    sheet = await run(runtime, update_customer, command)
    assert sheet.customer.first_name == "Augusta"
    assert sheet.customer.last_name == "Lovelace"
    assert sheet.customer.phone == "+49301234567"
    assert sheet.customer.address is not None
    assert sheet.customer.address.city == "Berlin"
    assert sheet.customer.company is None
    assert sheet.customer.revision == 2
    assert sheet.shared is False
    changed = await events(runtime, CustomerChanged)
    assert [c.customer.customer_id for c in changed] == [customer]
    assert changed[0].customer == sheet.customer


async def test_a7_refuses_a_profile_edit_of_a_shared_customer_but_not_shop_level_fields(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    in_a = await add_customer(runtime, shop_a, "ada@example.com")
    in_b = await add_record(runtime, shop_b, await identity_of(runtime, in_a))
    vip = await group_id(runtime, shop_a, "customer")

    error = await refusal(
        runtime,
        update_customer,
        UpdateCustomer(
            shop_id=shop_a,
            customer_id=in_a,
            profile=ProfileChanges(first_name="Augusta", last_name="Lovelace", phone="+4930123456"),
            tax_exempt=True,
        ),
    )
    assert (error.code, error.status) == ("profile_owned_by_customer", 409)
    assert "shared with another shop" in error.detail
    assert [f.field for f in error.fields] == ["first_name", "phone"]
    unchanged = await sheet_of(runtime, shop_a, in_a)
    assert unchanged is not None
    assert (unchanged.customer.first_name, unchanged.customer.tax_exempt) == ("Ada", False)

    sheet = await run(
        runtime,
        update_customer,
        UpdateCustomer(
            shop_id=shop_a,
            customer_id=in_a,
            profile=ProfileChanges(first_name="Ada", last_name="Lovelace"),
            newsletter=True,
            tax_exempt=True,
            group=GroupAssignment(group_id=vip),
            b2b=B2BTerms(
                credit_limit=Decimal("5000.00"),
                payment_terms_days=30,
                risk_level="low",
                pays_by_invoice=True,
            ),
        ),
    )
    assert sheet.shared is True
    assert sheet.customer.newsletter is True
    assert sheet.customer.newsletter_consent_at is not None
    assert sheet.customer.tax_exempt is True
    assert sheet.group is not None
    assert sheet.group.group_id == vip
    assert sheet.customer.b2b.credit_limit == Decimal("5000.00")
    assert sheet.customer.b2b.pays_by_invoice is True
    changed = await events(runtime, CustomerChanged)
    assert [c.customer.customer_id for c in changed] == [in_a]
    other = await sheet_of(runtime, shop_b, in_b)
    assert other is not None
    assert other.customer.tax_exempt is False
    assert other.customer.revision == 1

    sheet = await run(
        runtime,
        update_customer,
        UpdateCustomer(shop_id=shop_a, customer_id=in_a, newsletter=False, group=GroupAssignment()),
    )
    assert sheet.customer.newsletter is False
    assert sheet.customer.newsletter_consent_at is None
    assert sheet.group is None


async def test_edits_name_the_bad_field_and_never_reach_another_shops_customer(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    in_a = await add_customer(runtime, shop_a, "ada@example.com")
    in_b = await add_customer(runtime, shop_b, "bob@example.com")
    foreign_group = await group_id(runtime, shop_b, "customer")

    missing = await refusal(
        runtime,
        update_customer,
        UpdateCustomer(shop_id=shop_a, customer_id=in_b, tax_exempt=True),
    )
    assert (missing.code, missing.status) == ("not_found", 404)
    invalid = await refusal(
        runtime,
        update_customer,
        UpdateCustomer(
            shop_id=shop_a,
            customer_id=in_a,
            profile=ProfileChanges(phone="12", vat_number="FR00000000000"),
            group=GroupAssignment(group_id=foreign_group),
        ),
    )
    assert (invalid.code, invalid.status) == ("validation_failed", 422)
    assert sorted(f.field for f in invalid.fields) == ["group_id", "phone", "vat_number"]
    assert await events(runtime, CustomerChanged) == []


async def test_deny_then_allow_announces_each_change(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    customer = await add_customer(runtime, shop, "ada@example.com")
    denied = await run(
        runtime,
        set_customer_denied,
        SetCustomerDenied(shop_id=shop, customer_id=customer, denied=True),
    )
    assert denied.customer.denied is True
    again = await run(
        runtime,
        set_customer_denied,
        SetCustomerDenied(shop_id=shop, customer_id=customer, denied=True),
    )
    assert again.customer.revision == denied.customer.revision
    allowed = await run(
        runtime,
        set_customer_denied,
        SetCustomerDenied(shop_id=shop, customer_id=customer, denied=False),
    )
    assert allowed.customer.denied is False
    changed = await events(runtime, CustomerChanged)
    assert [(c.customer.denied, c.customer.revision) for c in changed] == [(True, 2), (False, 3)]
    other_shop = await open_shop(runtime)
    error = await refusal(
        runtime,
        set_customer_denied,
        SetCustomerDenied(shop_id=other_shop, customer_id=customer, denied=True),
    )
    assert error.status == 404


async def test_deleting_customers_is_all_or_nothing(runtime: ServiceRuntime) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    first = await add_customer(runtime, shop_a, "ada@example.com")
    second = await add_customer(runtime, shop_a, "bob@example.com", first_name="Bob")
    foreign = await add_customer(runtime, shop_b, "eve@example.com")
    await run(
        runtime,
        add_customer_note,
        AddCustomerNote(shop_id=shop_a, customer_id=first, text="pays late", author="Jo"),
    )

    error = await refusal(
        runtime,
        delete_customers,
        DeleteCustomers(shop_id=shop_a, customer_ids=[first, foreign]),
    )
    assert (error.code, error.status) == ("not_found", 404)
    assert str(foreign) in error.detail
    assert str(first) not in error.detail
    assert await sheet_of(runtime, shop_a, first) is not None
    assert await events(runtime, CustomerDeleted) == []

    deleted = await run(
        runtime,
        delete_customers,
        DeleteCustomers(shop_id=shop_a, customer_ids=[second, first, second]),
    )
    assert deleted.deleted == [second, first]
    gone = await events(runtime, CustomerDeleted)
    assert {d.customer_id for d in gone} == {first, second}
    assert all(d.deleted_by == "partner" and d.comment is None for d in gone)
    assert len({d.pseudonym_id for d in gone} | {first, second}) == 4
    by_id = {d.customer_id: d for d in gone}
    assert (by_id[second].email, by_id[second].first_name) == ("bob@example.com", "Bob")
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(customer_notes)) == 0
        assert (
            await session.scalar(select(func.count()).select_from(identities)) == 1
        )  # only the other shop's person is left
    assert await sheet_of(runtime, shop_b, foreign) is not None


async def test_self_deletion_keeps_other_shops_records_and_removes_a_lone_identity(
    runtime: ServiceRuntime,
) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    in_a = await add_customer(runtime, shop_a, "ada@example.com")
    identity = await identity_of(runtime, in_a)
    in_b = await add_record(runtime, shop_b, identity)

    done = await run(
        runtime,
        delete_own_account,
        DeleteOwnAccount(shop_id=shop_a, customer_id=in_a, comment="  Too many emails.  "),
    )
    assert done.customer_id == in_a
    assert await sheet_of(runtime, shop_a, in_a) is None
    kept = await sheet_of(runtime, shop_b, in_b)
    assert kept is not None
    assert kept.customer.email == "ada@example.com"
    assert kept.shared is False

    await run(
        runtime, delete_own_account, DeleteOwnAccount(shop_id=shop_b, customer_id=in_b, comment=" ")
    )
    deleted = await events(runtime, CustomerDeleted)
    assert [(d.shop_id, d.deleted_by, d.comment) for d in deleted] == [
        (shop_a, "customer", "Too many emails."),
        (shop_b, "customer", None),
    ]
    assert all(d.identity_id == identity for d in deleted)
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(identities)) == 0
        assert await session.scalar(select(func.count()).select_from(shop_customers)) == 0
    again = await refusal(
        runtime, delete_own_account, DeleteOwnAccount(shop_id=shop_b, customer_id=in_b)
    )
    assert again.status == 404


async def test_notes_are_private_to_the_shop_newest_first(runtime: ServiceRuntime) -> None:
    shop = await open_shop(runtime)
    customer = await add_customer(runtime, shop, "ada@example.com")
    first = await run(
        runtime,
        add_customer_note,
        AddCustomerNote(
            shop_id=shop, customer_id=customer, text=" Called about VAT. ", author="Jo"
        ),
    )
    second = await run(
        runtime,
        add_customer_note,
        AddCustomerNote(shop_id=shop, customer_id=customer, text="Wants invoices", author="Mo"),
    )
    assert (first.text, first.author) == ("Called about VAT.", "Jo")
    assert first.created_at <= second.created_at
    sheet = await sheet_of(runtime, shop, customer)
    assert sheet is not None
    assert [n.note_id for n in sheet.notes] == [second.note_id, first.note_id]

    blank = await refusal(
        runtime,
        add_customer_note,
        AddCustomerNote(shop_id=shop, customer_id=customer, text="   ", author="Jo"),
    )
    assert (blank.code, [f.field for f in blank.fields]) == ("validation_failed", ["text"])
    other_shop = await open_shop(runtime)
    for customer_id in (customer, uuid4()):
        error = await refusal(
            runtime,
            add_customer_note,
            AddCustomerNote(shop_id=other_shop, customer_id=customer_id, text="x", author="Jo"),
        )
        assert error.status == 404
