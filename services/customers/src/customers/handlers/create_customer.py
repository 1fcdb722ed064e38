"""P1: the partner creates a customer, who is invited by email to confirm and set a password."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.customers import B2BTerms, CreateCustomer, CustomerInvited, CustomerSheet
from customers.adapters.account_tokens import issue_token
from customers.adapters.customer_sheets import load_sheet
from customers.adapters.new_customers import ShopTerms, add_shop_record, insert_identity
from customers.adapters.tables import customer_groups, identities, shop_customers, shops
from customers.domain.profile_input import Checked
from customers.domain.registration_input import check_new_customer, profile_values
from customers.handlers.refusals import email_taken, invalid_input, shop_not_ready
from service_runtime.database import UnitOfWork

ALREADY_HERE = "This shop already has a customer with this email."


async def existing_identity(session: AsyncSession, email: str) -> UUID | None:
    """The person with this email, held (KEY SHARE) so that no deletion removes them meanwhile."""
    identity_id: UUID | None = await session.scalar(
        select(identities.c.identity_id)
        .where(identities.c.email == email)
        .with_for_update(read=True, key_share=True)
    )
    return identity_id


async def identity_for(session: AsyncSession, checked: Checked, now: datetime) -> UUID:
    """The person's identity: the existing one, untouched (its profile is theirs, A7), or a new
    one without password and unverified (the invitation does both)."""
    email: str = checked.values["email"]
    if identity_id := await existing_identity(session, email):
        return identity_id
    created = await insert_identity(
        session,
        email=email,
        profile=profile_values(checked),
        password_hash=None,
        verified_at=None,
        now=now,
    )
    if created is None:  # created a moment ago by a concurrent request (which has committed)
        created = await existing_identity(session, email)
        if created is None:
            raise RuntimeError("an email both taken and unknown")
    return created


async def create_customer(command: CreateCustomer, uow: UnitOfWork) -> CustomerSheet:
    """An email known in another shop is linked to that person (A6); in this shop it is taken."""
    checked = check_new_customer(command)
    session = uow.session
    if not await session.scalar(select(exists().where(shops.c.shop_id == command.shop_id))):
        raise shop_not_ready()
    if command.group_id is not None and not await session.scalar(
        select(
            exists().where(
                customer_groups.c.shop_id == command.shop_id,
                customer_groups.c.group_id == command.group_id,
            )
        )
    ):
        checked.refuse("group_id", "is not a customer group of this shop")
    if checked.problems:
        raise invalid_input(checked.problems)
    now = datetime.now(UTC)
    identity_id = await identity_for(session, checked, now)
    if await session.scalar(
        select(
            exists().where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.identity_id == identity_id,
            )
        )
    ):
        raise email_taken(ALREADY_HERE)
    customer = await add_shop_record(
        uow,
        command,
        shop_id=command.shop_id,
        identity_id=identity_id,
        source="partner",
        now=now,
        terms=ShopTerms(
            newsletter=command.newsletter,
            tax_exempt=command.tax_exempt,
            group_id=command.group_id,
            b2b=command.b2b or B2BTerms(),
        ),
    )
    if customer is None:  # added a moment ago by a concurrent request
        raise email_taken(ALREADY_HERE)
    token, expires_at = await issue_token(
        session,
        purpose="invitation",
        customer_id=customer.customer_id,
        shop_id=command.shop_id,
        now=now,
    )
    uow.emit(
        CustomerInvited.caused_by(
            command,
            customer_id=customer.customer_id,
            email=customer.email,
            first_name=customer.first_name,
            language=customer.language,
            token=token,
            expires_at=expires_at,
        )
    )
    sheet = await load_sheet(session, command.shop_id, customer.customer_id)
    if sheet is None:
        raise RuntimeError("the customer created in this transaction is missing")
    return sheet
