"""An import chunk may name a customer twice: the highest revision is the one applied."""

from datetime import UTC, datetime
from uuid import uuid4

from contracts.customers import CustomerSnapshot
from vouchers.adapters.customer_projection import newest_per_customer


def snapshot(customer_id: object, revision: int, name: str) -> CustomerSnapshot:
    now = datetime.now(UTC)
    return CustomerSnapshot.model_validate(
        {
            "customer_id": customer_id,
            "identity_id": uuid4(),
            "customer_number": 1,
            "revision": revision,
            "email": "ada@example.com",
            "email_verified": True,
            "first_name": name,
            "last_name": "Lovelace",
            "language": "en",
            "newsletter": False,
            "registered_at": now,
            "profile_changed_at": now,
        }
    )


def test_the_highest_revision_of_each_customer_wins_and_ties_keep_the_first() -> None:
    ada, grace = uuid4(), uuid4()
    chunk = [
        snapshot(ada, 2, "Ada two"),
        snapshot(grace, 1, "Grace one"),
        snapshot(ada, 3, "Ada three"),
        snapshot(ada, 1, "Ada one"),
        snapshot(grace, 1, "Grace again"),
    ]
    kept = newest_per_customer(chunk)
    assert [(s.customer_id, s.first_name) for s in kept] == [
        (ada, "Ada three"),
        (grace, "Grace one"),
    ]


def test_an_empty_chunk_keeps_nothing() -> None:
    assert newest_per_customer([]) == []
