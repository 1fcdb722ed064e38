"""Fixtures of the notifier's tests: a throwaway database, a real SMTP sink, event builders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts.base import Command, Event
from contracts.customers import (
    CustomerAccountActivated,
    CustomerDeleted,
    CustomerInvited,
    CustomerRegistered,
    EmailChangeCodeIssued,
    PasswordResetRequested,
    VerificationCodeIssued,
)
from contracts.gateway import ShopOpened
from devtools.mailsink import MailSink
from notifier.bootstrap import MIGRATIONS, handlers
from notifier.config import NotifierSettings
from service_runtime.database import UnitOfWork, make_engine, make_session_factory
from service_runtime.handling import CommandDispatcher, EventDispatcher
from service_runtime.testing import (
    RealServers,
    migrated_template,
    real_servers,
    throwaway_database,
)


@pytest.fixture(scope="session")
def servers() -> RealServers:
    """ADMIN_DATABASE_URL / AMQP_URL when set, else testcontainers or the local servers."""
    return real_servers()


@pytest.fixture
def empty_database(servers: RealServers) -> Iterator[str]:
    """A database with nothing in it (the migration stairway starts there)."""
    with throwaway_database(servers, "t_notifier_") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_database_template(servers: RealServers) -> Iterator[str]:
    """Migrated once per run, never connected to afterwards, so each test can copy it quickly."""
    with migrated_template(servers, MIGRATIONS, "t_notifier_tpl_") as name:
        yield name


@pytest.fixture
def database_url(servers: RealServers, migrated_database_template: str) -> Iterator[str]:
    """A migrated database of this test's own: no other test's queued mail can leak into it."""
    with throwaway_database(servers, "t_notifier_", template=migrated_database_template) as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_session_factory(engine)


@pytest.fixture
def mail_sink(tmp_path: Path) -> Iterator[MailSink]:
    """A real SMTP server on a free port, keeping mail in this test's own folder."""
    sink = MailSink(tmp_path / "mail", port=0)
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def shop_opened() -> Callable[..., ShopOpened]:
    """Builds a ShopOpened for a new shop; override any field by keyword."""

    def build(**fields: Any) -> ShopOpened:
        values: dict[str, Any] = {
            "shop_id": uuid.uuid4(),
            "brand_name": "Atelier Lumière",
            "slug": f"atelier-{uuid.uuid4().hex[:8]}",
            "default_language": "fr",
            "currency": "EUR",
            "timezone": "Europe/Paris",
            "sender_email": "bonjour@atelier-lumiere.example",
            "verification_mode": "code",
        }
        return ShopOpened(**(values | fields))

    return build


@pytest.fixture
def code_issued() -> Callable[..., VerificationCodeIssued]:
    """Builds a VerificationCodeIssued for a new customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> VerificationCodeIssued:
        values: dict[str, Any] = {
            "shop_id": shop_id,
            "customer_id": uuid.uuid4(),
            "email": f"ada-{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Ada",
            "language": "en",
            "code": f"{uuid.uuid4().int % 1_000_000:06d}",
            "expires_at": datetime.now(UTC) + timedelta(minutes=15),
        }
        return VerificationCodeIssued(**(values | fields))

    return build


def _customer(**fields: Any) -> dict[str, Any]:
    return {
        "customer_id": uuid.uuid4(),
        "email": f"ada-{uuid.uuid4().hex[:8]}@example.com",
        "first_name": "Ada",
        "language": "en",
    } | fields


def _token() -> str:
    return f"tok_{uuid.uuid4().hex}+/="


@pytest.fixture
def invited() -> Callable[..., CustomerInvited]:
    """Builds a CustomerInvited (P1) for a new customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> CustomerInvited:
        expires = datetime.now(UTC) + timedelta(days=7)
        return CustomerInvited(
            shop_id=shop_id, **_customer(**({"token": _token(), "expires_at": expires} | fields))
        )

    return build


@pytest.fixture
def reset_requested() -> Callable[..., PasswordResetRequested]:
    """Builds a PasswordResetRequested (A4) for a customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> PasswordResetRequested:
        expires = datetime.now(UTC) + timedelta(hours=1)
        return PasswordResetRequested(
            shop_id=shop_id, **_customer(**({"token": _token(), "expires_at": expires} | fields))
        )

    return build


@pytest.fixture
def email_change_issued() -> Callable[..., EmailChangeCodeIssued]:
    """Builds an EmailChangeCodeIssued (A5) for a customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> EmailChangeCodeIssued:
        values: dict[str, Any] = {
            "customer_id": uuid.uuid4(),
            "new_email": f"new-{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Ada",
            "language": "en",
            "code": f"{uuid.uuid4().int % 1_000_000:06d}",
            "expires_at": datetime.now(UTC) + timedelta(minutes=15),
        }
        return EmailChangeCodeIssued(shop_id=shop_id, **(values | fields))

    return build


@pytest.fixture
def activated() -> Callable[..., CustomerAccountActivated]:
    """Builds a CustomerAccountActivated for a customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> CustomerAccountActivated:
        return CustomerAccountActivated(
            shop_id=shop_id, **_customer(**({"activated_at": datetime.now(UTC)} | fields))
        )

    return build


@pytest.fixture
def deleted() -> Callable[..., CustomerDeleted]:
    """Builds a CustomerDeleted (A9) the customer did themself, with a comment."""

    def build(shop_id: uuid.UUID, **fields: Any) -> CustomerDeleted:
        values: dict[str, Any] = {
            "customer_id": uuid.uuid4(),
            "identity_id": uuid.uuid4(),
            "customer_number": 17,
            "pseudonym_id": uuid.uuid4(),
            "deleted_by": "customer",
            "comment": "Too many emails, sorry.",
            "email": f"leaving-{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Grace",
            "last_name": "Hopper",
            "deleted_at": datetime.now(UTC),
        }
        return CustomerDeleted(shop_id=shop_id, **(values | fields))

    return build


@pytest.fixture
def registered() -> Callable[..., CustomerRegistered]:
    """Builds a CustomerRegistered from the storefront for a new customer of ``shop_id``."""

    def build(shop_id: uuid.UUID, **fields: Any) -> CustomerRegistered:
        values: dict[str, Any] = {
            "customer_id": uuid.uuid4(),
            "identity_id": uuid.uuid4(),
            "customer_number": 5,
            "email": f"new-{uuid.uuid4().hex[:8]}@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "language": "de",
            "registered_at": datetime.now(UTC),
            "email_verified": False,
            "source": "storefront",
            "company": "Analytical Engines Ltd",
        }
        return CustomerRegistered(shop_id=shop_id, **(values | fields))

    return build


Probe = Callable[[], Awaitable[Any]]


async def _eventually(probe: Probe, timeout: float = 10.0, interval: float = 0.05) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() >= deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


@pytest.fixture
def eventually() -> Callable[..., Awaitable[Any]]:
    """``await eventually(probe)``: the first truthy result of ``probe``, polled until a timeout."""
    return _eventually


@pytest.fixture
def handle(sessions: async_sessionmaker[AsyncSession]) -> Callable[..., Awaitable[None]]:
    """Runs events through the notifier's handlers the way the runtime does (inbox included)."""
    wired = handlers(NotifierSettings())
    dispatcher = EventDispatcher("notifier", wired.events, lambda: UnitOfWork(sessions))

    async def run(*events: Event) -> None:
        for event in events:
            await dispatcher.handle(event)

    return run


@pytest.fixture
def command(sessions: async_sessionmaker[AsyncSession]) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Answers a command the way the runtime does: the reply dict (ok/result/error)."""
    wired = handlers(NotifierSettings())
    dispatcher = CommandDispatcher("notifier", wired.commands, lambda: UnitOfWork(sessions))

    async def run(message: Command) -> dict[str, Any]:
        reply = await dispatcher.handle(message)
        assert reply is not None, "a command without a deadline always gets an answer"
        return reply

    return run
