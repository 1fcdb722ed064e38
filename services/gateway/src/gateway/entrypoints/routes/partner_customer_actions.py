"""Partner API: create, read, edit, deny, delete a shop's customers and note on them (P1-P5, P7, P11).

Every command carries the partner token's shop; another shop's customer answers 404.
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field, StrictBool, field_validator

from contracts.customers import (
    AddCustomerNote,
    CreateCustomer,
    CustomerNote,
    CustomersDeletion,
    CustomerSheet,
    DeleteCustomers,
    GroupAssignment,
    SetCustomerDenied,
    UpdateCustomer,
)
from contracts.gateway import Language
from gateway.adapters.customer_sessions import revoke_customers
from gateway.entrypoints.customer_sheet import PartnerCustomerSheet, read_partner_sheet
from gateway.entrypoints.deps import (
    CorrelationId,
    PartnerShop,
    RpcDep,
    RuntimeDep,
    SessionDep,
    SettingsDep,
)
from gateway.entrypoints.problems import problem_responses
from gateway.entrypoints.profile_bodies import (
    Address,
    B2BTermsBody,
    Body,
    NewProfile,
    ProfilePatch,
)
from service_runtime.rpc_client import RpcClient

router = APIRouter(prefix="/partner/v1", tags=["partner"])


class NewCustomer(NewProfile):
    """A customer the partner creates (P1); they are invited by email to set a password."""

    language: Language
    address: Address | None = None
    tax_exempt: StrictBool = False
    group_id: UUID | None = Field(default=None, description="A group of this shop.")
    b2b: B2BTermsBody | None = None


class CustomerPatch(ProfilePatch):
    """Fields to change. Profile fields only of a customer of this shop alone (A7); shop-level
    fields (newsletter, tax exemption, group, B2B terms) always."""

    tax_exempt: StrictBool | None = None
    group_id: UUID | None = Field(
        default=None, description="null takes the customer out of any group."
    )
    b2b: B2BTermsBody | None = Field(default=None, description="Replaces the B2B terms.")

    @field_validator("tax_exempt", "b2b")
    @classmethod
    def shop_fields_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null (leave the field out to keep it)")
        return value


class CustomerIds(Body):
    customer_ids: list[UUID] = Field(min_length=1, max_length=1000)

    @field_validator("customer_ids")
    @classmethod
    def unique(cls, value: list[UUID]) -> list[UUID]:
        if len(set(value)) != len(value):
            raise ValueError("must not name a customer twice")
        return value


class Deleted(BaseModel):
    deleted: list[UUID] = Field(description="Every id given: the deletion is all or nothing.")


class NoteText(Body):
    text: str = Field(min_length=1, max_length=5000)
    author: str = Field(min_length=1, max_length=200, description="Who writes it.")


SHEET_ERRORS = problem_responses(401, 404, 422)


@router.post(
    "/customers",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerSheet,
    responses=problem_responses(401, 409, 422, 503),
)
async def create_customer(
    body: NewCustomer,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> CustomerSheet:
    """Create a customer (P1): the customer receives an invitation to confirm and set a password."""
    sheet = await rpc.call(
        CreateCustomer(
            shop_id=shop_id,
            correlation_id=correlation,
            **body.model_dump(exclude={"address", "b2b"}),
            address=body.address.to_contract() if body.address else None,
            b2b=body.b2b.to_contract() if body.b2b else None,
        ),
        CustomerSheet,
    )
    response.headers["Location"] = f"{router.prefix}/customers/{sheet.customer.customer_id}"
    return sheet


@router.get("/customers/{customer_id}", response_model=PartnerCustomerSheet, responses=SHEET_ERRORS)
async def read_customer(
    customer_id: UUID,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    settings: SettingsDep,
    runtime: RuntimeDep,
) -> PartnerCustomerSheet:
    """The customer sheet (P11): profile, business data, group, B2B terms, notes, last login,
    discount with its "SC" marker, carts, orders, invoices, vouchers and billing figures;
    ``incomplete`` names the parts missing now."""
    return await read_partner_sheet(
        rpc,
        shop_id,
        customer_id,
        correlation,
        settings.sheet_parts_timeout,
        figures=runtime.read_sessions,
    )


@router.patch(
    "/customers/{customer_id}",
    response_model=CustomerSheet,
    responses=problem_responses(401, 404, 409, 422),
)
async def edit_customer(
    customer_id: UUID,
    body: CustomerPatch,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> CustomerSheet:
    """Change the fields sent (P2, P7); a shared account's profile answers 409 (A7)."""
    return await rpc.call(
        UpdateCustomer(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer_id,
            profile=body.profile_changes(),
            newsletter=body.newsletter_change(),
            tax_exempt=body.tax_exempt if body.sent("tax_exempt") else None,
            group=GroupAssignment(group_id=body.group_id) if body.sent("group_id") else None,
            b2b=body.b2b.to_contract() if body.b2b else None,
        ),
        CustomerSheet,
    )


async def set_denied(
    rpc: RpcClient, shop_id: UUID, customer_id: UUID, correlation: UUID, *, denied: bool
) -> CustomerSheet:
    return await rpc.call(
        SetCustomerDenied(
            shop_id=shop_id, correlation_id=correlation, customer_id=customer_id, denied=denied
        ),
        CustomerSheet,
    )


@router.post("/customers/{customer_id}/deny", response_model=CustomerSheet, responses=SHEET_ERRORS)
async def deny_customer(
    customer_id: UUID,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
) -> CustomerSheet:
    """Block the customer (P3): logins are refused and their sessions end at once."""
    sheet = await set_denied(rpc, shop_id, customer_id, correlation, denied=True)
    await revoke_customers(session, [customer_id])
    await session.commit()
    return sheet


@router.post("/customers/{customer_id}/allow", response_model=CustomerSheet, responses=SHEET_ERRORS)
async def allow_customer(
    customer_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> CustomerSheet:
    """Let a denied customer log in again (P3)."""
    return await set_denied(rpc, shop_id, customer_id, correlation, denied=False)


@router.delete(
    "/customers/{customer_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 422),
)
async def delete_customer(
    customer_id: UUID,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
) -> None:
    """Delete the customer irreversibly (P4); orders stay; the customer is not told."""
    result = await rpc.call(
        DeleteCustomers(shop_id=shop_id, correlation_id=correlation, customer_ids=[customer_id]),
        CustomersDeletion,
    )
    await revoke_customers(session, result.deleted)
    await session.commit()


@router.post(
    "/customers/deletion", response_model=Deleted, responses=problem_responses(401, 404, 422)
)
async def delete_customers(
    body: CustomerIds,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    session: SessionDep,
) -> Deleted:
    """Delete up to 1,000 customers at once (P4): all of them, or none when one is not this shop's."""
    result = await rpc.call(
        DeleteCustomers(
            shop_id=shop_id, correlation_id=correlation, customer_ids=body.customer_ids
        ),
        CustomersDeletion,
    )
    await revoke_customers(session, result.deleted)
    await session.commit()
    return Deleted(deleted=result.deleted)


@router.post(
    "/customers/{customer_id}/notes",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerNote,
    responses=SHEET_ERRORS,
)
async def add_note(
    customer_id: UUID,
    body: NoteText,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> CustomerNote:
    """A private note on the customer (P5), kept with its time and author; never shown to them."""
    return await rpc.call(
        AddCustomerNote(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer_id,
            text=body.text,
            author=body.author,
        ),
        CustomerNote,
    )
