"""Settings of the notifier service (environment variables, see ServiceSettings)."""

from uuid import UUID

from pydantic import Field, SecretStr, field_validator

from service_runtime.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    """Where mail goes, how hard delivery tries, where links lead; each field is an env variable."""

    service_name: str = "notifier"
    http_port: int = 8004
    smtp_host: str = Field(default="127.0.0.1", description="SMTP relay host name.")
    smtp_port: int = Field(default=1025, ge=1, le=65535, description="SMTP relay port.")
    smtp_username: str | None = Field(
        default=None, description="SMTP login; none means the relay needs no authentication."
    )
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the relay connection with STARTTLS before sending."
    )
    smtp_timeout: float = Field(
        default=10.0, gt=0, description="Seconds one SMTP conversation may take before it fails."
    )
    delivery_poll_interval: float = Field(
        default=0.25, gt=0, description="Seconds between looks for due messages when idle."
    )
    delivery_batch_size: int = Field(
        default=10, ge=1, description="Messages one delivery pass locks and sends together."
    )
    delivery_max_attempts: int = Field(
        default=8, ge=1, description="Send attempts before a temporarily failing message fails."
    )
    delivery_retry_base: float = Field(
        default=30.0, gt=0, description="Seconds before the first retry; doubles each attempt."
    )
    delivery_retry_max: float = Field(
        default=3600.0, gt=0, description="Longest wait between two attempts, in seconds."
    )
    delivery_brand_wait: float = Field(
        default=5.0,
        gt=0,
        description="Seconds a message waits for its shop's brand to arrive before the next look.",
    )
    render_poll_interval: float = Field(
        default=1.0,
        gt=0,
        description="Seconds between looks for invoice documents to render when idle; a "
        "document stored by this process wakes its worker at once.",
    )
    render_batch_size: int = Field(
        default=4,
        ge=1,
        description="Invoice documents one rendering pass locks and renders, one after another.",
    )
    render_retry_base: float = Field(
        default=10.0,
        gt=0,
        description="Seconds before a document that failed to render is tried again; doubles "
        "each attempt.",
    )
    render_retry_max: float = Field(
        default=900.0, gt=0, description="Longest wait between two rendering attempts, in seconds."
    )
    storefront_base_url: str = Field(
        default="http://127.0.0.1:8100/shops/{shop_id}",
        description="Start of the links in emails of a shop without its own storefront URL; "
        "'{shop_id}' is replaced by the shop's id.",
    )

    @field_validator("storefront_base_url")
    @classmethod
    def _absolute_http_template(cls, value: str) -> str:
        """Refuse at start-up a template that cannot make a link, not at the first email."""
        try:
            example = value.format(shop_id=UUID(int=0))
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"may only contain the placeholder {{shop_id}}: {error}") from error
        if not example.startswith(("http://", "https://")):
            raise ValueError("must be an absolute http or https URL")
        return value
