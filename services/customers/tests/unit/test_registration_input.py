from uuid import uuid4

from contracts.customers import RegisterCustomer
from customers.domain.registration_input import normalise_email, registration_problems


def command(**fields: str) -> RegisterCustomer:
    values = {
        "email": "ada@example.com",
        "password": "correct horse battery",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
    }
    values.update(fields)
    return RegisterCustomer(shop_id=uuid4(), **values)  # type: ignore[arg-type]


def test_a_good_registration_has_no_problem() -> None:
    assert registration_problems(command()) == []


def test_each_bad_field_is_named_with_its_reason() -> None:
    problems = registration_problems(command(email="no-at-sign", password="short", last_name="  "))
    assert {p.field: p.reason for p in problems} == {
        "email": "An email address must have an @-sign.",
        "password": "must have at least 10 characters",
        "last_name": "must not be empty",
    }


def test_emails_are_compared_lower_cased_without_surrounding_space() -> None:
    assert normalise_email("  Ada@Example.COM ") == "ada@example.com"
