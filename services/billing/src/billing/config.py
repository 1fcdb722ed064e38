"""Settings of the billing service (environment variables, see ServiceSettings)."""

from service_runtime.settings import ServiceSettings


class BillingSettings(ServiceSettings):
    service_name: str = "billing"
    http_port: int = 8003
