"""Customer groups (P6): the three a shop opens with, and the partner's own, against PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path
from uuid import uuid4

import pytest

from contracts.customers import (
    CreateCustomerGroup,
    CustomerChanged,
    CustomerGroupChanged,
    DeleteCustomerGroup,
    GroupAssignment,
    ListCustomerGroups,
    RenameCustomerGroup,
    UpdateCustomer,
)
from customers.adapters.customer_sheets import load_sheet
from customers.handlers.customer_groups import (
    create_customer_group,
    delete_customer_group,
    list_customer_groups,
    rename_customer_group,
)
from customers.handlers.shop_opened import record_shop
from customers.handlers.update_customer import update_customer
from service_runtime.service import ServiceRuntime

sys.path.insert(0, str(Path(__file__).parent))
from customers_support import add_customer, events, open_shop, refusal, run, shop_opened

pytestmark = pytest.mark.database


async def test_a_shop_opens_with_three_groups_in_its_language_once(
    runtime: ServiceRuntime,
) -> None:
    event = shop_opened("fr")
    for _ in range(2):
        async with runtime.unit_of_work() as uow:
            await record_shop(event, uow)
            await uow.commit()
    listed = await run(runtime, list_customer_groups, ListCustomerGroups(shop_id=event.shop_id))
    assert sorted((g.group.system_key, g.group.name, g.members) for g in listed.groups) == [
        ("customer", "Client", 0),
        ("guest", "Invité", 0),
        ("visitor", "Visiteur", 0),
    ]
    announced = await events(runtime, CustomerGroupChanged)
    assert sorted(e.group.name for e in announced) == ["Client", "Invité", "Visiteur"]
    assert {e.shop_id for e in announced} == {event.shop_id}
    german = await open_shop(runtime, "de")
    names = await run(runtime, list_customer_groups, ListCustomerGroups(shop_id=german))
    assert sorted(g.group.name for g in names.groups) == ["Besucher", "Gast", "Kunde"]


async def test_group_lifecycle_unassigns_members_and_never_deletes_them(
    runtime: ServiceRuntime,
) -> None:
    shop = await open_shop(runtime)
    vip = await run(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop, name=" VIP  ")
    )
    assert (vip.name, vip.system_key) == ("VIP", None)
    taken = await refusal(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop, name="vip")
    )
    assert (taken.code, taken.status, [f.field for f in taken.fields]) == (
        "group_name_taken",
        409,
        ["name"],
    )
    empty = await refusal(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop, name=" ")
    )
    assert (empty.code, [f.field for f in empty.fields]) == ("validation_failed", ["name"])
    too_long = await refusal(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop, name="x" * 101)
    )
    assert too_long.code == "validation_failed"

    renamed = await run(
        runtime,
        rename_customer_group,
        RenameCustomerGroup(shop_id=shop, group_id=vip.group_id, name="Wholesale"),
    )
    assert renamed.name == "Wholesale"
    clash = await refusal(
        runtime,
        rename_customer_group,
        RenameCustomerGroup(shop_id=shop, group_id=vip.group_id, name="CUSTOMER"),
    )
    assert clash.code == "group_name_taken"
    recased = await run(
        runtime,
        rename_customer_group,
        RenameCustomerGroup(shop_id=shop, group_id=vip.group_id, name="wholesale"),
    )
    assert recased.name == "wholesale"

    members = [
        await add_customer(runtime, shop, f"{name}@example.com") for name in ("ada", "bob", "eve")
    ]
    for customer in members[:2]:
        await run(
            runtime,
            update_customer,
            UpdateCustomer(
                shop_id=shop, customer_id=customer, group=GroupAssignment(group_id=vip.group_id)
            ),
        )
    listed = await run(runtime, list_customer_groups, ListCustomerGroups(shop_id=shop))
    assert {g.group.name: g.members for g in listed.groups} == {
        "Visitor": 0,
        "Guest": 0,
        "Customer": 0,
        "wholesale": 2,
    }

    deletion = await run(
        runtime, delete_customer_group, DeleteCustomerGroup(shop_id=shop, group_id=vip.group_id)
    )
    assert (deletion.group_id, deletion.unassigned) == (vip.group_id, 2)
    async with runtime.sessions() as session:
        for customer in members:
            sheet = await load_sheet(session, shop, customer)
            assert sheet is not None
            assert sheet.customer.group_id is None
    changed = await events(runtime, CustomerChanged)
    assert {c.customer.customer_id for c in changed[-2:]} == set(members[:2])
    assert all(c.customer.group_id is None for c in changed[-2:])
    group_events = await events(runtime, CustomerGroupChanged)
    assert [(e.group.name, e.deleted) for e in group_events[-4:]] == [
        ("VIP", False),
        ("Wholesale", False),
        ("wholesale", False),
        ("wholesale", True),
    ]
    listed = await run(runtime, list_customer_groups, ListCustomerGroups(shop_id=shop))
    assert len(listed.groups) == 3


async def test_another_shops_group_is_not_found(runtime: ServiceRuntime) -> None:
    shop_a, shop_b = await open_shop(runtime), await open_shop(runtime)
    theirs = await run(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop_b, name="B2B")
    )
    for command in (
        RenameCustomerGroup(shop_id=shop_a, group_id=theirs.group_id, name="Mine"),
        DeleteCustomerGroup(shop_id=shop_a, group_id=theirs.group_id),
        DeleteCustomerGroup(shop_id=shop_a, group_id=uuid4()),
    ):
        handler = (
            rename_customer_group
            if isinstance(command, RenameCustomerGroup)
            else delete_customer_group
        )
        error = await refusal(runtime, handler, command)
        assert (error.code, error.status) == ("not_found", 404)
    mine = await run(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=shop_a, name="B2B")
    )
    assert mine.group_id != theirs.group_id
    unknown_shop = await refusal(
        runtime, create_customer_group, CreateCustomerGroup(shop_id=uuid4(), name="B2B")
    )
    assert unknown_shop.code == "shop_not_ready"
