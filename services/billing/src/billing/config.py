"""Settings of the billing service (environment variables, see ServiceSettings)."""

from pydantic import Field

from service_runtime.settings import ServiceSettings


class BillingSettings(ServiceSettings):
    """Billing's own knobs on top of the shared ones; each field is an environment variable."""

    service_name: str = "billing"
    http_port: int = 8003
    pricing_timeout: float = Field(
        default=3.0,
        gt=0,
        description="Seconds a cart waits for the vouchers service's prices before answering 503.",
    )
    cart_sweep_seconds: float = Field(
        default=60.0, gt=0, description="Seconds between two looks for abandoned carts."
    )
    cart_sweep_batch: int = Field(
        default=500, ge=1, description="Carts one abandonment pass marks in one transaction."
    )
    voucher_timeout: float = Field(
        default=5.0,
        gt=0,
        description="Seconds an order placement waits for the vouchers service to redeem a code.",
    )
    placement_sweep_seconds: float = Field(
        default=30.0, gt=0, description="Seconds between two looks for placements left pending."
    )
    placement_abandon_after_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Age at which a pending placement (a crash after the voucher was redeemed) "
        "is abandoned and its voucher given back.",
    )
    overdue_sweep_seconds: float = Field(
        default=300.0, gt=0, description="Seconds between two looks for invoices past due."
    )
    overdue_sweep_batch: int = Field(
        default=500, ge=1, description="Invoices one overdue pass marks in one transaction."
    )
