from typing import Any
from uuid import uuid4

from contracts.customers import CreateCustomer, PostalAddress, RegisterCustomer
from customers.domain.registration_input import (
    check_new_customer,
    check_registration,
    profile_values,
)

ADDRESS = PostalAddress(line1="Unter den Linden 1", postcode="10117", city="Berlin", country="DE")


def registration(**fields: Any) -> RegisterCustomer:
    values: dict[str, Any] = {
        "email": "ada@example.com",
        "password": "correct horse battery",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "language": "en",
        "address": ADDRESS,
    }
    values.update(fields)
    return RegisterCustomer(shop_id=uuid4(), **values)


def test_a_good_registration_is_normalised() -> None:
    checked = check_registration(
        registration(
            email=" Ada@Example.COM ", phone="030 1234567", company="  ", first_name=" Ada "
        )
    )
    assert checked.problems == []
    assert checked.values["email"] == "ada@example.com"
    assert checked.values["phone"] == "+49301234567"
    assert checked.values["company"] is None
    assert checked.values["first_name"] == "Ada"


def test_each_bad_field_is_named_with_its_reason() -> None:
    checked = check_registration(
        registration(email="no-at-sign", password="short", last_name="  ", address=None)
    )
    assert {p.field: p.reason for p in checked.problems} == {
        "email": "An email address must have an @-sign.",
        "password": "must have at least 10 characters",
        "last_name": "must not be empty",
        "address": "is required",
    }


def test_the_partner_needs_neither_password_nor_address() -> None:
    command = CreateCustomer(
        shop_id=uuid4(), email="grace@example.com", first_name="Grace", last_name="H", language="fr"
    )
    checked = check_new_customer(command)
    assert checked.problems == []
    profile = profile_values(checked)
    assert profile["address"] is None
    assert profile["language"] == "fr"
    assert "email" not in profile
