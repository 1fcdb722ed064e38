"""Commands the partner API sends to manage a shop's customers (P1-P9), with their results."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from contracts.base import Command
from contracts.customers.account_commands import ProfileChanges, Result
from contracts.customers.shapes import B2BTerms, CustomerGroup, ImportRowError, PostalAddress
from contracts.gateway import Language


class CreateCustomer(Command):
    """The partner creates a customer, who is invited by email to set a password (P1)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.create_customer.v1"
    type: Literal["CreateCustomer"] = "CreateCustomer"
    version: Literal[1] = 1

    email: str
    first_name: str
    last_name: str
    language: Language
    phone: str | None = None
    address: PostalAddress | None = None
    company: str | None = None
    vat_number: str | None = None
    registration_number: str | None = None
    newsletter: bool = False
    tax_exempt: bool = False
    group_id: UUID | None = None
    b2b: B2BTerms | None = None


class GroupAssignment(Result):
    """The group to put a customer in; None takes them out of any group."""

    group_id: UUID | None = None


class UpdateCustomer(Command):
    """The partner edits a customer: profile only within A7; shop-level fields always."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.update_customer.v1"
    type: Literal["UpdateCustomer"] = "UpdateCustomer"
    version: Literal[1] = 1

    customer_id: UUID
    profile: ProfileChanges = Field(default_factory=ProfileChanges)
    newsletter: bool | None = Field(default=None, description="Marketing consent (P2).")
    tax_exempt: bool | None = None
    group: GroupAssignment | None = None
    b2b: B2BTerms | None = Field(default=None, description="Replaces the B2B terms (P7).")


class SetCustomerDenied(Command):
    """Deny a customer (no login, sessions dropped) or allow them again (P3)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.set_customer_denied.v1"
    type: Literal["SetCustomerDenied"] = "SetCustomerDenied"
    version: Literal[1] = 1

    customer_id: UUID
    denied: bool


class DeleteCustomers(Command):
    """Delete one or many customers of the shop, irreversibly, without telling them (P4)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.delete_customers.v1"
    type: Literal["DeleteCustomers"] = "DeleteCustomers"
    version: Literal[1] = 1

    customer_ids: list[UUID] = Field(min_length=1, max_length=1000)


class CustomersDeletion(Result):
    deleted: list[UUID]


class AddCustomerNote(Command):
    """A private note of the partner on a customer (P5)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.add_customer_note.v1"
    type: Literal["AddCustomerNote"] = "AddCustomerNote"
    version: Literal[1] = 1

    customer_id: UUID
    text: str = Field(min_length=1, max_length=5000)
    author: str = Field(min_length=1, max_length=200)


class ListCustomerGroups(Command):
    """The shop's customer groups with their member counts (P6)."""

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.list_customer_groups.v1"
    type: Literal["ListCustomerGroups"] = "ListCustomerGroups"
    version: Literal[1] = 1


class GroupSummary(Result):
    group: CustomerGroup
    members: int


class CustomerGroups(Result):
    groups: list[GroupSummary]


class CreateCustomerGroup(Command):
    """Add a customer group; names are unique per shop, ignoring case (P6)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.create_customer_group.v1"
    type: Literal["CreateCustomerGroup"] = "CreateCustomerGroup"
    version: Literal[1] = 1

    name: str


class RenameCustomerGroup(Command):
    """Rename a customer group (P6)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.rename_customer_group.v1"
    type: Literal["RenameCustomerGroup"] = "RenameCustomerGroup"
    version: Literal[1] = 1

    group_id: UUID
    name: str


class DeleteCustomerGroup(Command):
    """Delete a customer group; its members stay, without a group (P6)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.delete_customer_group.v1"
    type: Literal["DeleteCustomerGroup"] = "DeleteCustomerGroup"
    version: Literal[1] = 1

    group_id: UUID


class GroupDeletion(Result):
    group_id: UUID
    unassigned: int = Field(description="Members that now have no group.")


class StageCustomerImport(Command):
    """One chunk of a CSV import, checked and kept aside until the import finishes (P9)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.stage_customer_import.v1"
    type: Literal["StageCustomerImport"] = "StageCustomerImport"
    version: Literal[1] = 1

    import_id: UUID
    header: list[str] = Field(description="The file's header row, as written.")
    first_line: int = Field(ge=2, description="File line number of the first row of this chunk.")
    rows: list[list[str]] = Field(max_length=5000)


class ImportChunkChecked(Result):
    rows: int
    bad_rows: int


class FinishCustomerImport(Command):
    """Apply a staged import in one transaction if no row is bad; otherwise apply nothing (P9)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.finish_customer_import.v1"
    type: Literal["FinishCustomerImport"] = "FinishCustomerImport"
    version: Literal[1] = 1

    import_id: UUID


class ImportOutcome(Result):
    applied: bool = Field(description="False when any row was bad: then nothing was imported.")
    rows: int
    created: int = 0
    updated: int = 0
    errors: list[ImportRowError] = Field(default_factory=list, description="By line number.")
