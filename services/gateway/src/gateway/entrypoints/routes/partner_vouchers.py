"""Partner API: voucher codes, typed one at a time or generated in bulk (V4).

Codes are case-insensitive and unique per shop; every voucher answers 404 to another shop.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import ConfigDict, Field

from contracts.vouchers import (
    CreateVoucher,
    GeneratedVouchers,
    GenerateVouchers,
    GetVoucher,
    ListVouchers,
    SetVoucherActive,
    Voucher,
    VoucherPage,
    VoucherTerms,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.problems import problem_responses
from service_runtime.rpc_client import RpcClient

router = APIRouter(prefix="/partner/v1", tags=["partner"])


class TermsBody(VoucherTerms):
    """What a voucher gives and when, as the contract checks it; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def terms(self) -> VoucherTerms:
        return VoucherTerms.model_validate(self.model_dump(include=set(VoucherTerms.model_fields)))


class NewVoucher(TermsBody):
    code: str = Field(
        min_length=3,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="Letters, digits, '-' and '_'; stored upper-case, unique in the shop.",
        examples=["Spring-10"],
    )


class VoucherBatch(TermsBody):
    count: int = Field(ge=1, le=10_000, description="How many codes to generate.")
    prefix: str = Field(
        default="",
        max_length=20,
        pattern=r"^([A-Za-z0-9][A-Za-z0-9_-]*)?$",
        description="Every code starts with it, e.g. 'FLYER-'.",
    )


VOUCHER_ERRORS = problem_responses(401, 404, 422, 503)


@router.post(
    "/vouchers",
    status_code=status.HTTP_201_CREATED,
    response_model=Voucher,
    responses=problem_responses(401, 409, 422, 503),
)
async def create_voucher(
    body: NewVoucher,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> Voucher:
    """Create one voucher with the partner's code; a code taken in the shop answers 409."""
    voucher = await rpc.call(
        CreateVoucher(
            shop_id=shop_id, correlation_id=correlation, code=body.code, terms=body.terms()
        ),
        Voucher,
    )
    response.headers["Location"] = f"{router.prefix}/vouchers/{voucher.voucher_id}"
    return voucher


@router.post(
    "/vouchers/generate",
    status_code=status.HTTP_201_CREATED,
    response_model=GeneratedVouchers,
    responses=problem_responses(401, 422, 503),
)
async def generate_vouchers(
    body: VoucherBatch, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> GeneratedVouchers:
    """Create up to 10,000 vouchers with unique random codes and the same terms at once."""
    return await rpc.call(
        GenerateVouchers(
            shop_id=shop_id,
            correlation_id=correlation,
            count=body.count,
            prefix=body.prefix,
            terms=body.terms(),
        ),
        GeneratedVouchers,
    )


@router.get("/vouchers", response_model=VoucherPage, responses=problem_responses(401, 422, 503))
async def list_vouchers(
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(ge=1, le=500, description="Vouchers per page.")] = 25,
    code_prefix: Annotated[
        str | None, Query(max_length=40, description="Codes starting with this (any case).")
    ] = None,
    active: Annotated[bool | None, Query()] = None,
    customer_id: Annotated[
        UUID | None, Query(description="Vouchers only this customer may use.")
    ] = None,
) -> VoucherPage:
    """The shop's vouchers, newest first, with how often each is redeemed now."""
    return await rpc.call(
        ListVouchers(
            shop_id=shop_id,
            correlation_id=correlation,
            page=page,
            size=size,
            code_prefix=(code_prefix or "").strip() or None,
            active=active,
            customer_id=customer_id,
        ),
        VoucherPage,
    )


@router.get("/vouchers/{voucher_id}", response_model=Voucher, responses=VOUCHER_ERRORS)
async def read_voucher(
    voucher_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Voucher:
    """One voucher with its terms and use count."""
    return await rpc.call(
        GetVoucher(shop_id=shop_id, correlation_id=correlation, voucher_id=voucher_id), Voucher
    )


async def set_active(
    rpc: RpcClient, shop_id: UUID, voucher_id: UUID, correlation: UUID, *, active: bool
) -> Voucher:
    return await rpc.call(
        SetVoucherActive(
            shop_id=shop_id, correlation_id=correlation, voucher_id=voucher_id, active=active
        ),
        Voucher,
    )


@router.post("/vouchers/{voucher_id}/deactivate", response_model=Voucher, responses=VOUCHER_ERRORS)
async def deactivate_voucher(
    voucher_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Voucher:
    """No new cart or order can use the code; orders holding it keep it."""
    return await set_active(rpc, shop_id, voucher_id, correlation, active=False)


@router.post("/vouchers/{voucher_id}/activate", response_model=Voucher, responses=VOUCHER_ERRORS)
async def activate_voucher(
    voucher_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Voucher:
    """Make a deactivated code usable again (reported to the shop's report addresses)."""
    return await set_active(rpc, shop_id, voucher_id, correlation, active=True)
