"""Checks the input that creates a customer: self-registration (A1) and the partner (P1).

Every bad field is collected, so one refusal names them all.
"""

from __future__ import annotations

from contracts.customers import CreateCustomer, RegisterCustomer
from customers.domain.passwords import password_problem
from customers.domain.profile_input import Checked, check_email, check_profile

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "language",
    "phone",
    "address",
    "company",
    "vat_number",
    "registration_number",
)
"""What ``Checked.values`` holds besides the email: the identity's profile (A7)."""


def _check_new_person(command: RegisterCustomer | CreateCustomer) -> Checked:
    checked = Checked()
    check_email(checked, command.email)
    profile = check_profile(
        first_name=command.first_name,
        last_name=command.last_name,
        language=command.language,
        phone=command.phone,
        address=command.address,
        company=command.company,
        vat_number=command.vat_number,
        registration_number=command.registration_number,
    )
    checked.values.update(profile.values)
    checked.problems.extend(profile.problems)
    return checked


def check_registration(command: RegisterCustomer) -> Checked:
    """A1: email, password, names, language, address (required) and the optional fields."""
    checked = _check_new_person(command)
    if reason := password_problem(command.password):
        checked.refuse("password", reason)
    if command.address is None:
        checked.refuse("address", "is required")
    return checked


def check_new_customer(command: CreateCustomer) -> Checked:
    """P1: as registration, without a password (the invitation sets it) and address optional."""
    return _check_new_person(command)


def profile_values(checked: Checked) -> dict[str, object]:
    """The profile part of checked values, every field present (None when not given)."""
    return {name: checked.values.get(name) for name in PROFILE_FIELDS}
