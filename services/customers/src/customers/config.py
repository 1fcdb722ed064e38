"""Settings of the customers service (environment variables, see ServiceSettings)."""

from pydantic import Field

from service_runtime.settings import ServiceSettings


class CustomersSettings(ServiceSettings):
    service_name: str = "customers"
    http_port: int = 8001
    code_secret: str = Field(
        default="dev-only-code-secret",
        description="Key of the HMAC that stores verification codes; set a real secret in production.",
    )
