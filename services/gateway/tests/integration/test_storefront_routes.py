"""Storefront routes with real sessions on PostgreSQL and a fake customers service."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Command, CommandError
from contracts.customers import (
    AcceptInvitation,
    ChangePassword,
    ConfirmEmailChange,
    CustomerDeletion,
    CustomerSheet,
    CustomerSnapshot,
    DeleteOwnAccount,
    EmailChangeDone,
    GetCustomer,
    LogIn,
    LoginResult,
    PasswordSet,
    ResetPassword,
)
from gateway.adapters.customer_sessions import open_session
from gateway.adapters.tables import customer_sessions, partner_tokens
from gateway.domain.tokens import new_partner_token, token_digest
from service_runtime.rpc_client import RpcRefused

sys.path.insert(0, str(Path(__file__).parent))
from gateway_support import insert_shop

pytestmark = pytest.mark.database
PASSWORD = "correct horse battery"


class FakeCustomers:
    """One person (identity) with a record in each shop that logs them in; records commands."""

    def __init__(self) -> None:
        self.identity_id = uuid4()
        self.records: dict[UUID, UUID] = {}  # shop_id -> customer_id
        self.calls: list[Command] = []
        self.refusal: CommandError | None = None

    def customer_in(self, shop_id: UUID) -> UUID:
        return self.records.setdefault(shop_id, uuid4())

    def sheet(self, shop_id: UUID, email: str = "ada@example.com") -> CustomerSheet:
        now = datetime.now(UTC)
        return CustomerSheet(
            customer=CustomerSnapshot(
                customer_id=self.customer_in(shop_id),
                identity_id=self.identity_id,
                customer_number=1,
                revision=1,
                email=email,
                email_verified=True,
                first_name="Ada",
                last_name="Lovelace",
                language="en",
                newsletter=False,
                registered_at=now,
                profile_changed_at=now,
            ),
            password_set=True,
            shared=len(self.records) > 1,
        )

    def answer(self, command: Command) -> BaseModel:
        shop = command.shop_id
        answers: dict[type[Command], Callable[[Any], BaseModel]] = {
            LogIn: lambda c: LoginResult(
                customer_id=self.customer_in(shop), customer_number=1, created_in_shop=False
            ),
            GetCustomer: lambda c: self.sheet(shop),
            ResetPassword: lambda c: self.password_set(shop),
            AcceptInvitation: lambda c: self.password_set(shop),
            ChangePassword: lambda c: self.password_set(shop),
            DeleteOwnAccount: lambda c: CustomerDeletion(
                customer_id=c.customer_id, deleted_at=datetime.now(UTC)
            ),
            ConfirmEmailChange: lambda c: EmailChangeDone(
                customer_id=c.customer_id, email="ada@new.example"
            ),
        }
        return answers[type(command)](command)

    def password_set(self, shop_id: UUID) -> PasswordSet:
        return PasswordSet(customer_id=self.customer_in(shop_id), identity_id=self.identity_id)

    async def call(self, command: Command, result_type: type[Any], **_: Any) -> Any:
        self.calls.append(command)
        if self.refusal is not None:
            raise RpcRefused(self.refusal)
        return result_type.model_validate_json(self.answer(command).model_dump_json())

    def sent(self, command_type: type[Command]) -> list[Any]:
        return [c for c in self.calls if isinstance(c, command_type)]


@pytest.fixture
def customers() -> FakeCustomers:
    return FakeCustomers()


async def open_shop(sessions: async_sessionmaker[AsyncSession]) -> UUID:
    shop_id = uuid4()
    async with sessions() as session:
        await insert_shop(session, shop_id, datetime.now(UTC))
        await session.commit()
    return shop_id


def url(shop_id: UUID, path: str) -> str:
    return f"/storefront/v1/shops/{shop_id}{path}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def log_in(http: httpx.AsyncClient, shop_id: UUID) -> str:
    response = await http.post(
        url(shop_id, "/login"), json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


async def session_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(customer_sessions)) or 0)


async def test_login_gives_a_token_that_reaches_its_own_shop_only(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    customers: FakeCustomers,
) -> None:
    shop, other = await open_shop(sessions), await open_shop(sessions)
    response = await http.post(
        url(shop, "/login"), json={"email": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["token"].startswith("ct_")
    assert answer["token_type"] == "Bearer"
    assert answer["customer_id"] == str(customers.records[shop])
    assert (answer["customer_number"], answer["created_in_shop"]) == (1, False)
    expires_at = datetime.fromisoformat(answer["expires_at"])
    assert (
        datetime.now(UTC) + timedelta(days=29)
        < expires_at
        <= datetime.now(UTC) + timedelta(days=30)
    )
    async with sessions() as session:
        row = (await session.execute(select(customer_sessions))).one()
    assert row.token_digest == token_digest(answer["token"])
    assert (row.shop_id, row.customer_id, row.identity_id) == (
        shop,
        customers.records[shop],
        customers.identity_id,
    )

    token = bearer(answer["token"])
    me = await http.get(url(shop, "/me"), headers=token)
    assert me.status_code == 200, me.text
    assert me.json()["customer_id"] == str(customers.records[shop])
    assert customers.sent(GetCustomer)[-1].customer_id == customers.records[shop]

    foreign = await http.get(url(other, "/me"), headers=token)
    assert foreign.status_code == 401
    assert foreign.headers["content-type"] == "application/problem+json"
    assert foreign.headers["WWW-Authenticate"] == "Bearer"
    assert (await http.get(url(uuid4(), "/me"), headers=token)).status_code == 404
    assert (await http.get(url(shop, "/me"))).status_code == 401
    assert (await http.get(url(shop, "/me"), headers=bearer("ct_made-up"))).status_code == 401


async def test_a_partner_token_is_no_customer_token(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(sessions)
    partner = new_partner_token()
    async with sessions() as session:
        await session.execute(
            insert(partner_tokens).values(
                token_id=uuid4(),
                shop_id=shop,
                token_digest=token_digest(partner),
                label="test",
                created_at=datetime.now(UTC),
            )
        )
        await session.commit()
    assert (await http.get(url(shop, "/me"), headers=bearer(partner))).status_code == 401
    customer_token = await log_in(http, shop)
    on_partner_api = await http.get("/partner/v1/customers", headers=bearer(customer_token))
    assert on_partner_api.status_code == 401


async def test_logout_ends_that_session_only(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(sessions)
    phone, laptop = await log_in(http, shop), await log_in(http, shop)

    out = await http.post(url(shop, "/logout"), headers=bearer(phone))
    assert out.status_code == 204
    assert (await http.get(url(shop, "/me"), headers=bearer(phone))).status_code == 401
    assert (await http.post(url(shop, "/logout"), headers=bearer(phone))).status_code == 401
    assert (await http.get(url(shop, "/me"), headers=bearer(laptop))).status_code == 200


async def test_an_expired_token_is_refused(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    shop = await open_shop(sessions)
    async with sessions() as session:
        issued = await open_session(
            session,
            shop_id=shop,
            customer_id=uuid4(),
            identity_id=uuid4(),
            lifetime=timedelta(days=30),
            now=datetime.now(UTC) - timedelta(days=31),
        )
        await session.commit()
    response = await http.get(url(shop, "/me"), headers=bearer(issued.token))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_a_refused_login_opens_no_session(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop = await open_shop(sessions)
    customers.refusal = CommandError(
        code="login_refused", status=403, title="Login refused", detail="login refused by the shop"
    )
    response = await http.post(
        url(shop, "/login"), json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/login_refused"
    assert await session_count(sessions) == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/password-reset/confirm", {"token": "t0ken", "new_password": "a fresh passphrase"}),
        ("/invitation/accept", {"token": "t0ken", "password": "a fresh passphrase"}),
    ],
)
async def test_a_password_set_by_link_ends_every_session_of_the_person(
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    customers: FakeCustomers,
    path: str,
    body: dict[str, str],
) -> None:
    shop, other = await open_shop(sessions), await open_shop(sessions)
    tokens = [await log_in(http, shop), await log_in(http, other)]

    response = await http.post(url(shop, path), json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {"customer_id": str(customers.records[shop])}
    assert await session_count(sessions) == 0
    assert (await http.get(url(other, "/me"), headers=bearer(tokens[1]))).status_code == 401


async def test_a_password_change_keeps_the_current_session_and_ends_the_others(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, other = await open_shop(sessions), await open_shop(sessions)
    current, second, elsewhere = (
        await log_in(http, shop),
        await log_in(http, shop),
        await log_in(http, other),
    )
    changed = await http.put(
        url(shop, "/me/password"),
        headers=bearer(current),
        json={"current_password": PASSWORD, "new_password": "a fresh passphrase"},
    )
    assert changed.status_code == 204, changed.text
    command = customers.sent(ChangePassword)[0]
    assert (command.customer_id, command.current_password) == (customers.records[shop], PASSWORD)
    assert (await http.get(url(shop, "/me"), headers=bearer(current))).status_code == 200
    assert (await http.get(url(shop, "/me"), headers=bearer(second))).status_code == 401
    assert (await http.get(url(other, "/me"), headers=bearer(elsewhere))).status_code == 401


async def test_self_deletion_ends_the_customers_sessions_in_that_shop(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop, other = await open_shop(sessions), await open_shop(sessions)
    token, second, elsewhere = (
        await log_in(http, shop),
        await log_in(http, shop),
        await log_in(http, other),
    )
    deleted = await http.post(
        url(shop, "/me/deletion"), headers=bearer(token), json={"comment": "Too many emails"}
    )
    assert deleted.status_code == 204, deleted.text
    command = customers.sent(DeleteOwnAccount)[0]
    assert (command.customer_id, command.comment) == (customers.records[shop], "Too many emails")
    assert (await http.get(url(shop, "/me"), headers=bearer(second))).status_code == 401
    assert (await http.get(url(other, "/me"), headers=bearer(elsewhere))).status_code == 200

    without_comment = await http.post(url(other, "/me/deletion"), headers=bearer(elsewhere))
    assert without_comment.status_code == 204
    assert customers.sent(DeleteOwnAccount)[1].comment is None


async def test_a_confirmed_email_change_answers_the_updated_profile(
    http: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], customers: FakeCustomers
) -> None:
    shop = await open_shop(sessions)
    token = await log_in(http, shop)
    confirmed = await http.post(
        url(shop, "/me/email-change/confirm"), headers=bearer(token), json={"code": "123456 "}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert set(confirmed.json()) >= {"email", "first_name", "newsletter"}
    assert "identity_id" not in confirmed.json()
    assert customers.sent(ConfirmEmailChange)[0].code == "123456"
