"""P6: the partner's customer groups; every change is announced with CustomerGroupChanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from psycopg.errors import UniqueViolation
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from contracts.base import Message
from contracts.customers import (
    CreateCustomerGroup,
    CustomerGroup,
    CustomerGroupChanged,
    CustomerGroups,
    DeleteCustomerGroup,
    GroupDeletion,
    GroupSummary,
    ListCustomerGroups,
    RenameCustomerGroup,
)
from customers.adapters.customer_records import announce_changes
from customers.adapters.tables import customer_groups, shop_customers, shops
from customers.domain.group_names import clean_group_name, group_name_key, group_name_problem
from customers.handlers.refusals import (
    group_name_taken,
    invalid_input,
    not_in_shop,
    shop_not_ready,
)
from service_runtime.database import UnitOfWork

GROUP_COLUMNS = (customer_groups.c.group_id, customer_groups.c.name, customer_groups.c.system_key)


def _group(row: Any) -> CustomerGroup:
    return CustomerGroup(group_id=row.group_id, name=row.name, system_key=row.system_key)


def _checked_name(raw: str) -> str:
    name = clean_group_name(raw)
    if problem := group_name_problem(name):
        raise invalid_input([problem])
    return name


def _announce(uow: UnitOfWork, cause: Message, group: CustomerGroup, *, deleted: bool) -> None:
    uow.emit(
        CustomerGroupChanged.caused_by(
            cause, group=group, deleted=deleted, changed_at=datetime.now(UTC)
        )
    )


async def _load_group(uow: UnitOfWork, shop_id: UUID, group_id: UUID) -> CustomerGroup:
    """The shop's group, locked; another shop's group is not found (404)."""
    row = (
        await uow.session.execute(
            select(*GROUP_COLUMNS)
            .where(customer_groups.c.shop_id == shop_id, customer_groups.c.group_id == group_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise not_in_shop("customer group")
    return _group(row)


async def list_customer_groups(command: ListCustomerGroups, uow: UnitOfWork) -> CustomerGroups:
    members = (
        select(func.count())
        .where(shop_customers.c.group_id == customer_groups.c.group_id)
        .scalar_subquery()
    )
    rows = await uow.session.execute(
        select(*GROUP_COLUMNS, members.label("members"))
        .where(customer_groups.c.shop_id == command.shop_id)
        .order_by(customer_groups.c.created_at, customer_groups.c.name_key)
    )
    return CustomerGroups(
        groups=[GroupSummary(group=_group(row), members=row.members) for row in rows]
    )


async def create_customer_group(command: CreateCustomerGroup, uow: UnitOfWork) -> CustomerGroup:
    name = _checked_name(command.name)
    session = uow.session
    if not await session.scalar(select(exists().where(shops.c.shop_id == command.shop_id))):
        raise shop_not_ready()
    group_id = (
        await session.execute(
            insert(customer_groups)
            .values(
                group_id=uuid4(),
                shop_id=command.shop_id,
                name=name,
                name_key=group_name_key(name),
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(
                index_elements=[customer_groups.c.shop_id, customer_groups.c.name_key]
            )
            .returning(customer_groups.c.group_id)
        )
    ).scalar_one_or_none()
    if group_id is None:
        raise group_name_taken()
    group = CustomerGroup(group_id=group_id, name=name)
    _announce(uow, command, group, deleted=False)
    return group


async def rename_customer_group(command: RenameCustomerGroup, uow: UnitOfWork) -> CustomerGroup:
    name = _checked_name(command.name)
    group = await _load_group(uow, command.shop_id, command.group_id)
    if name == group.name:
        return group
    try:
        async with uow.session.begin_nested():
            await uow.session.execute(
                update(customer_groups)
                .where(customer_groups.c.group_id == group.group_id)
                .values(name=name, name_key=group_name_key(name))
            )
    except IntegrityError as exc:
        if not isinstance(exc.orig, UniqueViolation):
            raise
        raise group_name_taken() from exc
    renamed = group.model_copy(update={"name": name})
    _announce(uow, command, renamed, deleted=False)
    return renamed


async def delete_customer_group(command: DeleteCustomerGroup, uow: UnitOfWork) -> GroupDeletion:
    """Members stay customers of the shop, without a group, and each is announced as changed."""
    group = await _load_group(uow, command.shop_id, command.group_id)
    session = uow.session
    members = list(
        await session.scalars(
            update(shop_customers)
            .where(shop_customers.c.group_id == group.group_id)
            .values(group_id=None)
            .returning(shop_customers.c.customer_id)
        )
    )
    await announce_changes(uow, command, members)
    await session.execute(
        delete(customer_groups).where(customer_groups.c.group_id == group.group_id)
    )
    _announce(uow, command, group, deleted=True)
    return GroupDeletion(group_id=group.group_id, unassigned=len(members))
