"""Settings of the gateway (environment variables, see ServiceSettings)."""

from typing import Literal

from pydantic import Field, model_validator

from service_runtime.settings import ServiceSettings

DEV_OPERATOR_TOKEN = "dev-operator-token"  # noqa: S105 - refused outside development


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_port: int = 8000
    environment: Literal["development", "production"] = Field(
        default="development", description="'production' refuses development defaults."
    )
    operator_token: str = Field(
        default=DEV_OPERATOR_TOKEN, description="Bearer token of the operator API (/ops/v1)."
    )
    rpc_timeout: float = Field(
        default=10.0, gt=0, description="Seconds the gateway waits for a service's answer."
    )

    @model_validator(mode="after")
    def no_development_secrets_in_production(self) -> "GatewaySettings":
        if self.environment == "production" and (
            self.operator_token == DEV_OPERATOR_TOKEN or len(self.operator_token) < 32
        ):
            raise ValueError(
                "OPERATOR_TOKEN must be set to a secret of 32+ characters in production"
            )
        return self
