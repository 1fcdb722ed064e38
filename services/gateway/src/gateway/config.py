"""Settings of the gateway (environment variables, see ServiceSettings)."""

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service_runtime.settings import ServiceSettings

DEV_OPERATOR_TOKEN = "dev-operator-token"  # noqa: S105 - refused outside development


class ThrottleLimit(BaseModel):
    """At most ``hits`` attempts in a fixed window of ``seconds``; set as JSON in the environment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hits: int = Field(ge=1, le=100_000, description="Attempts allowed in one window.")
    seconds: int = Field(ge=1, le=86_400, description="Length of the window.")

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.seconds)


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_port: int = 8000
    db_pre_ping: bool = True
    environment: Literal["development", "production"] = Field(
        default="development", description="'production' refuses development defaults."
    )
    operator_token: str = Field(
        default=DEV_OPERATOR_TOKEN, description="Bearer token of the operator API (/ops/v1)."
    )
    rpc_timeout: float = Field(
        default=10.0, gt=0, description="Seconds the gateway waits for a service's answer."
    )
    sheet_parts_timeout: float = Field(
        default=3.0,
        gt=0,
        description="Seconds the customer sheet waits for its pricing and carts before it is "
        "answered without them (marked incomplete).",
    )
    customer_session_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days a customer token (ct_...) stays valid after login.",
    )
    throttle_login_per_ip: ThrottleLimit = Field(
        default=ThrottleLimit(hits=10, seconds=60),
        description="Logins (and password changes) per client IP and shop, "
        'e.g. THROTTLE_LOGIN_PER_IP=\'{"hits": 10, "seconds": 60}\'.',
    )
    throttle_login_per_account: ThrottleLimit = Field(
        default=ThrottleLimit(hits=20, seconds=900),
        description="Logins per email (or customer, for password changes) and shop.",
    )
    throttle_code_per_ip: ThrottleLimit = Field(
        default=ThrottleLimit(hits=10, seconds=60),
        description="Verification and email-change code checks per client IP and shop.",
    )
    throttle_code_per_account: ThrottleLimit = Field(
        default=ThrottleLimit(hits=10, seconds=900),
        description="Code checks per email or customer and shop (the service locks a code "
        "after 5 wrong tries; this is the first line).",
    )
    throttle_email_per_ip: ThrottleLimit = Field(
        default=ThrottleLimit(hits=10, seconds=60),
        description="Requests that send an email (code resend, password reset, email change) "
        "per client IP and shop.",
    )
    throttle_email_per_account: ThrottleLimit = Field(
        default=ThrottleLimit(hits=5, seconds=900),
        description="Requests that send an email per email address or customer and shop.",
    )

    housekeeping_seconds: float = Field(
        default=300.0,
        gt=0,
        description="Seconds between removals of expired customer sessions and stale throttle "
        "counters.",
    )

    @property
    def customer_session_lifetime(self) -> timedelta:
        return timedelta(days=self.customer_session_days)

    @property
    def longest_throttle_window(self) -> timedelta:
        """Counters whose window started earlier than this ago can no longer refuse anything."""
        limits = (
            self.throttle_login_per_ip,
            self.throttle_login_per_account,
            self.throttle_code_per_ip,
            self.throttle_code_per_account,
            self.throttle_email_per_ip,
            self.throttle_email_per_account,
        )
        return max(limit.window for limit in limits)

    @model_validator(mode="after")
    def no_development_secrets_in_production(self) -> "GatewaySettings":
        if self.environment == "production" and (
            self.operator_token == DEV_OPERATOR_TOKEN or len(self.operator_token) < 32
        ):
            raise ValueError(
                "OPERATOR_TOKEN must be set to a secret of 32+ characters in production"
            )
        return self
