"""Commands the storefront sends for a customer (A1-A9), with their results.

Passwords travel in clear only inside these commands, over the broker inside the cluster;
only argon2id hashes are stored and no result ever carries a hash.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.base import Command
from contracts.customers.shapes import CustomerGroup, CustomerNote, CustomerSnapshot, PostalAddress
from contracts.gateway import Language


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ProfileChanges(Result):
    """Profile fields to change; a missing (None) field stays, an empty string clears it."""

    first_name: str | None = None
    last_name: str | None = None
    language: Language | None = None
    phone: str | None = Field(default=None, description="Any common notation; stored as E.164.")
    address: PostalAddress | None = None
    company: str | None = None
    vat_number: str | None = None
    registration_number: str | None = None


class RegisterCustomer(Command):
    """Create an account in a shop (A1)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.register_customer.v1"
    type: Literal["RegisterCustomer"] = "RegisterCustomer"
    version: Literal[1] = 1

    email: str = Field(description="Login email as typed; the service normalises it.")
    password: str = Field(description="Chosen password in clear; only its hash is stored.")
    first_name: str
    last_name: str
    language: Language
    newsletter: bool = Field(default=False, description="Marketing consent given now.")
    phone: str | None = None
    address: PostalAddress | None = Field(default=None, description="Required for registration.")
    company: str | None = None
    vat_number: str | None = None
    registration_number: str | None = None


class CustomerRegistration(Result):
    """What a successful registration tells the storefront."""

    customer_id: UUID
    customer_number: int
    verification_required: bool


class VerifyCustomerEmail(Command):
    """Confirm a customer's email with the code they received (A2)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.verify_customer_email.v1"
    type: Literal["VerifyCustomerEmail"] = "VerifyCustomerEmail"
    version: Literal[1] = 1

    email: str
    code: str = Field(description="The 6-digit code as typed.")


class EmailVerification(Result):
    """What a successful verification tells the storefront."""

    customer_id: UUID
    verified_at: AwareDatetime


class ResendVerificationCode(Command):
    """Send a new verification code (A2): at most once a minute per customer."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.resend_verification_code.v1"
    type: Literal["ResendVerificationCode"] = "ResendVerificationCode"
    version: Literal[1] = 1

    email: str


class Accepted(Result):
    """Done, or nothing to do; the answer is the same either way so accounts cannot be probed."""

    accepted: bool = True


class LogIn(Command):
    """Check a customer's credentials in a shop (A3); creates the shop record on first login (A6)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.log_in.v1"
    type: Literal["LogIn"] = "LogIn"
    version: Literal[1] = 1

    email: str
    password: str


class LoginResult(Result):
    customer_id: UUID
    customer_number: int
    created_in_shop: bool = Field(
        description="True when this login created the shop's record from another shop's account."
    )
    identity_id: UUID | None = Field(
        default=None, description="The person's identity: sessions are dropped by it."
    )


class RequestPasswordReset(Command):
    """Email a one-time reset link if the shop knows this email (A4)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.request_password_reset.v1"
    type: Literal["RequestPasswordReset"] = "RequestPasswordReset"
    version: Literal[1] = 1

    email: str


class ResetPassword(Command):
    """Set a new password with the one-time token from the reset email (A4)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.reset_password.v1"
    type: Literal["ResetPassword"] = "ResetPassword"
    version: Literal[1] = 1

    token: str
    new_password: str


class AcceptInvitation(Command):
    """Confirm a partner-created account and set its password with the invitation token (P1)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.accept_invitation.v1"
    type: Literal["AcceptInvitation"] = "AcceptInvitation"
    version: Literal[1] = 1

    token: str
    password: str


class ChangePassword(Command):
    """Change a logged-in customer's password; the current one is required (A4)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.change_password.v1"
    type: Literal["ChangePassword"] = "ChangePassword"
    version: Literal[1] = 1

    customer_id: UUID
    current_password: str
    new_password: str


class PasswordSet(Result):
    customer_id: UUID
    identity_id: UUID = Field(description="Every shop record of this person may drop its sessions.")


class RequestEmailChange(Command):
    """Send a code to a new email address; the change waits for it (A5)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.request_email_change.v1"
    type: Literal["RequestEmailChange"] = "RequestEmailChange"
    version: Literal[1] = 1

    customer_id: UUID
    new_email: str


class EmailChangePending(Result):
    new_email: str
    expires_at: AwareDatetime


class ConfirmEmailChange(Command):
    """Make the new email the login with the code sent to it (A5)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.confirm_email_change.v1"
    type: Literal["ConfirmEmailChange"] = "ConfirmEmailChange"
    version: Literal[1] = 1

    customer_id: UUID
    code: str


class GetCustomer(Command):
    """Read one customer of the shop: the customer's own profile or the partner's sheet (P11)."""

    READ_ONLY: ClassVar[bool] = True
    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.get_customer.v1"
    type: Literal["GetCustomer"] = "GetCustomer"
    version: Literal[1] = 1

    customer_id: UUID


class CustomerSheet(Result):
    """Everything the customers service knows about a shop customer."""

    customer: CustomerSnapshot
    group: CustomerGroup | None = None
    notes: list[CustomerNote] = Field(default_factory=list, description="Newest first.")
    last_login_at: AwareDatetime | None = None
    password_set: bool = Field(description="False until an invited or imported customer sets one.")
    shared: bool = Field(
        description="The person has a record in another shop too: profile fields are theirs (A7)."
    )


class UpdateOwnProfile(Command):
    """A customer edits their own profile, language and newsletter consent (A8)."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.update_own_profile.v1"
    type: Literal["UpdateOwnProfile"] = "UpdateOwnProfile"
    version: Literal[1] = 1

    customer_id: UUID
    profile: ProfileChanges = Field(default_factory=ProfileChanges)
    newsletter: bool | None = None


class DeleteOwnAccount(Command):
    """A customer deletes their record in this shop (A9); other shops' records stay."""

    OWNER: ClassVar[str] = "customers"
    ROUTING_KEY: ClassVar[str] = "customers.delete_own_account.v1"
    type: Literal["DeleteOwnAccount"] = "DeleteOwnAccount"
    version: Literal[1] = 1

    customer_id: UUID
    comment: str | None = Field(default=None, max_length=2000)


class CustomerDeletion(Result):
    customer_id: UUID
    deleted_at: AwareDatetime


class EmailChangeDone(Result):
    customer_id: UUID
    email: str
