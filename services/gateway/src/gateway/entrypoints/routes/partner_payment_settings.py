"""Partner API: the payment methods the shop offers and how the partner pays the print
provider (B2, B5, B6)."""

from fastapi import APIRouter

from contracts.billing import ConfigurePayments, GetPaymentSettings, PaymentSettings
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.order_bodies import PaymentSettingsBody
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/partner/v1/settings", tags=["partner"])


@router.get("/payments", response_model=PaymentSettings, responses=problem_responses(401, 503))
async def read_payment_settings(
    shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> PaymentSettings:
    """The payment methods checkouts offer and the provider pay method."""
    return await rpc.call(
        GetPaymentSettings(shop_id=shop_id, correlation_id=correlation), PaymentSettings
    )


@router.put("/payments", response_model=PaymentSettings, responses=problem_responses(401, 422, 503))
async def replace_payment_settings(
    body: PaymentSettingsBody, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> PaymentSettings:
    """Replace both; 'invoice' is still offered only to customers who pay by invoice.
    Duplicates are dropped."""
    return await rpc.call(
        ConfigurePayments(
            shop_id=shop_id,
            correlation_id=correlation,
            payment_methods=body.payment_methods,
            provider_pay_method=body.provider_pay_method,
        ),
        PaymentSettings,
    )
