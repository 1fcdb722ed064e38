"""How a customer record becomes a row of the partner's overview (O1, P8): sort and search keys."""

from typing import Any
from uuid import UUID

from contracts.customers import CustomerRegistered, CustomerSnapshot


def optional_text(value: str | None) -> str | None:
    """Blank business fields count as absent (B2B filter, company sort puts them last)."""
    if value is None:
        return None
    return value.strip() or None


def sort_name(first_name: str, last_name: str) -> str:
    return f"{last_name} {first_name}".strip().lower()


def search_text(
    customer_number: int, first_name: str, last_name: str, email: str, company: str | None
) -> str:
    """What a partner's search matches: number, names, email and company, lower-cased."""
    parts = (str(customer_number), first_name, last_name, email, company or "")
    return " ".join(part for part in parts if part).lower()


def snapshot_row(shop_id: UUID, customer: CustomerSnapshot) -> dict[str, Any]:
    """Every column the customers service owns; billing's columns are left out on purpose."""
    company = optional_text(customer.company)
    vat_number = optional_text(customer.vat_number)
    return {
        "customer_id": customer.customer_id,
        "shop_id": shop_id,
        "customer_number": customer.customer_number,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "sort_name": sort_name(customer.first_name, customer.last_name),
        "company": company,
        "email": customer.email,
        "email_verified": customer.email_verified,
        "phone": customer.phone,
        "language": customer.language,
        "vat_number": vat_number,
        "registration_number": optional_text(customer.registration_number),
        "address_country": customer.address.country if customer.address else None,
        "newsletter": customer.newsletter,
        "tax_exempt": customer.tax_exempt,
        "group_id": customer.group_id,
        "denied": customer.denied,
        "b2b": company is not None or vat_number is not None,
        "pays_by_invoice": customer.b2b.pays_by_invoice,
        "registered_at": customer.registered_at,
        "profile_changed_at": customer.profile_changed_at,
        "identity_id": customer.identity_id,
        "revision": customer.revision,
        "search_text": search_text(
            customer.customer_number,
            customer.first_name,
            customer.last_name,
            customer.email,
            company,
        ),
    }


def registered_row(event: CustomerRegistered) -> dict[str, Any]:
    """The basic row shown until the record's first CustomerChanged arrives (revision 0)."""
    company = optional_text(event.company)
    return {
        "customer_id": event.customer_id,
        "shop_id": event.shop_id,
        "customer_number": event.customer_number,
        "first_name": event.first_name,
        "last_name": event.last_name,
        "sort_name": sort_name(event.first_name, event.last_name),
        "company": company,
        "email": event.email,
        "email_verified": event.email_verified,
        "language": event.language,
        "b2b": company is not None,
        "registered_at": event.registered_at,
        "profile_changed_at": event.registered_at,
        "identity_id": event.identity_id,
        "revision": 0,
        "search_text": search_text(
            event.customer_number, event.first_name, event.last_name, event.email, company
        ),
    }
