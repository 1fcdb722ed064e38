"""Partner API: the shop's customer groups (P6); deleting one un-assigns its members."""

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.customers import (
    CreateCustomerGroup,
    CustomerGroup,
    CustomerGroups,
    DeleteCustomerGroup,
    GroupDeletion,
    ListCustomerGroups,
    RenameCustomerGroup,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import Body

router = APIRouter(prefix="/partner/v1", tags=["partner"])


class GroupRow(BaseModel):
    group_id: UUID
    name: str
    system_key: Literal["visitor", "guest", "customer"] | None = Field(
        description="Set on the three groups every shop starts with."
    )
    members: int


class GroupList(BaseModel):
    groups: list[GroupRow]


class GroupName(Body):
    name: str = Field(
        min_length=1,
        max_length=100,
        description="Unique in the shop, ignoring case.",
        examples=["VIP"],
    )


@router.get("/groups", response_model=GroupList, responses=problem_responses(401))
async def list_groups(shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId) -> GroupList:
    """The shop's customer groups with their member counts."""
    result = await rpc.call(
        ListCustomerGroups(shop_id=shop_id, correlation_id=correlation), CustomerGroups
    )
    return GroupList(
        groups=[
            GroupRow(
                group_id=g.group.group_id,
                name=g.group.name,
                system_key=g.group.system_key,
                members=g.members,
            )
            for g in result.groups
        ]
    )


@router.post(
    "/groups",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerGroup,
    responses=problem_responses(401, 409, 422),
)
async def create_group(
    body: GroupName, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> CustomerGroup:
    """Add a customer group."""
    return await rpc.call(
        CreateCustomerGroup(shop_id=shop_id, correlation_id=correlation, name=body.name),
        CustomerGroup,
    )


@router.patch(
    "/groups/{group_id}",
    response_model=CustomerGroup,
    responses=problem_responses(401, 404, 409, 422),
)
async def rename_group(
    group_id: UUID, body: GroupName, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> CustomerGroup:
    """Rename a customer group; its members stay in it."""
    return await rpc.call(
        RenameCustomerGroup(
            shop_id=shop_id, correlation_id=correlation, group_id=group_id, name=body.name
        ),
        CustomerGroup,
    )


@router.delete(
    "/groups/{group_id}", response_model=GroupDeletion, responses=problem_responses(401, 404, 422)
)
async def delete_group(
    group_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> GroupDeletion:
    """Delete a customer group; its members are un-assigned, never deleted."""
    return await rpc.call(
        DeleteCustomerGroup(shop_id=shop_id, correlation_id=correlation, group_id=group_id),
        GroupDeletion,
    )
