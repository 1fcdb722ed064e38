"""Settings every service reads from its environment; each service extends them.

Defaults suit a developer's machine (RabbitMQ and PostgreSQL on localhost); every one can
be overridden by an environment variable of the same name in upper case.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Broker, database, HTTP and tuning settings shared by all five services."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = Field(description="Name in logs, queue names and the database name.")
    amqp_url: str = Field(
        default="amqp://guest:guest@127.0.0.1:5672/", description="RabbitMQ connection URL."
    )
    broker_namespace: str = Field(
        default="",
        description="Prefix of every exchange and queue name; tests use it to stay apart.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of this service's own database "
        "(default: postgresql+psycopg://postgres@127.0.0.1:5432/clientele_<service>).",
    )
    http_host: str = Field(default="127.0.0.1", description="Where liveness/readiness listen.")
    http_port: int = Field(default=8000, description="Port of the HTTP endpoints.")
    log_level: str = Field(default="INFO", description="Python log level name.")
    log_json: bool = Field(default=True, description="JSON logs (false: coloured console).")
    prefetch_count: int = Field(
        default=32, ge=1, description="Unacknowledged messages a consumer holds at once."
    )
    delivery_limit: int = Field(
        default=5, ge=1, description="Redeliveries of a failing message before dead-lettering."
    )
    outbox_batch_size: int = Field(default=200, ge=1, description="Rows one relay pass publishes.")
    outbox_poll_interval: float = Field(
        default=1.0, gt=0, description="Seconds between relay passes when no NOTIFY arrives."
    )
    graceful_timeout: float = Field(
        default=15.0, gt=0, description="Seconds shutdown waits for handlers in flight."
    )
    db_pool_size: int = Field(default=10, ge=1, description="Database connections kept open.")
    db_pre_ping: bool = Field(
        default=False,
        description="Test each pooled connection with a round trip before use. Message "
        "handlers do not need it: a transaction on a connection lost to a database restart is "
        "retried on a fresh one (handling.retrying). The gateway, answering HTTP at once, does.",
    )

    def resolved_database_url(self) -> str:
        """The configured database URL, or the local default named after the service."""
        return self.database_url or (
            f"postgresql+psycopg://postgres@127.0.0.1:5432/clientele_{self.service_name}"
        )
