"""Settings of the vouchers service (environment variables, see ServiceSettings)."""

from service_runtime.settings import ServiceSettings


class VouchersSettings(ServiceSettings):
    service_name: str = "vouchers"
    http_port: int = 8002
