"""P5: the partner's private notes on a customer (never shown to the customer)."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import exists, insert, select

from contracts.base import FieldError
from contracts.customers import AddCustomerNote, CustomerNote
from customers.adapters.tables import customer_notes, shop_customers
from customers.handlers.refusals import invalid_input, not_in_shop
from service_runtime.database import UnitOfWork


async def add_customer_note(command: AddCustomerNote, uow: UnitOfWork) -> CustomerNote:
    text, author = command.text.strip(), " ".join(command.author.split())
    problems = [
        FieldError(field=name, reason="must not be empty")
        for name, value in (("text", text), ("author", author))
        if not value
    ]
    if problems:
        raise invalid_input(problems)
    session = uow.session
    known = await session.scalar(
        select(
            exists().where(
                shop_customers.c.shop_id == command.shop_id,
                shop_customers.c.customer_id == command.customer_id,
            )
        )
    )
    if not known:
        raise not_in_shop("customer")
    note = CustomerNote(note_id=uuid4(), text=text, author=author, created_at=datetime.now(UTC))
    await session.execute(
        insert(customer_notes).values(
            note_id=note.note_id,
            customer_id=command.customer_id,
            shop_id=command.shop_id,
            text=note.text,
            author=note.author,
            created_at=note.created_at,
        )
    )
    return note
