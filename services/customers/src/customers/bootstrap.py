"""The one place that wires the customers service: settings, handlers, runtime, app."""

from functools import partial
from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.customers import (
    AcceptInvitation,
    AddCustomerNote,
    ChangePassword,
    ConfirmEmailChange,
    CreateCustomer,
    CreateCustomerGroup,
    CustomerAccountActivated,
    CustomerChanged,
    CustomerDeleted,
    CustomerEmailVerified,
    CustomerGroupChanged,
    CustomerInvited,
    CustomerRegistered,
    CustomersImported,
    DeleteCustomerGroup,
    DeleteCustomers,
    DeleteOwnAccount,
    EmailChangeCodeIssued,
    FinishCustomerImport,
    GetCustomer,
    ListCustomerGroups,
    LogIn,
    PasswordResetRequested,
    RegisterCustomer,
    RenameCustomerGroup,
    RequestEmailChange,
    RequestPasswordReset,
    ResendVerificationCode,
    ResetPassword,
    SetCustomerDenied,
    StageCustomerImport,
    UpdateCustomer,
    UpdateOwnProfile,
    VerificationCodeIssued,
    VerifyCustomerEmail,
)
from contracts.gateway import ShopOpened
from customers.config import CustomersSettings
from customers.handlers.accept_invitation import accept_invitation
from customers.handlers.change_password import change_password
from customers.handlers.create_customer import create_customer
from customers.handlers.customer_groups import (
    create_customer_group,
    delete_customer_group,
    list_customer_groups,
    rename_customer_group,
)
from customers.handlers.customer_import import finish_customer_import, stage_customer_import
from customers.handlers.customer_notes import add_customer_note
from customers.handlers.delete_customers import delete_customers
from customers.handlers.delete_own_account import delete_own_account
from customers.handlers.email_change import confirm_email_change, request_email_change
from customers.handlers.get_customer import get_customer
from customers.handlers.log_in import log_in
from customers.handlers.password_reset import request_password_reset, reset_password
from customers.handlers.register_customer import register_customer
from customers.handlers.resend_verification_code import resend_verification_code
from customers.handlers.set_customer_denied import set_customer_denied
from customers.handlers.shop_opened import record_shop
from customers.handlers.update_customer import update_customer
from customers.handlers.update_own_profile import update_own_profile
from customers.handlers.verify_customer_email import verify_customer_email
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"


def handlers(settings: CustomersSettings) -> Handlers:
    secret = settings.code_secret
    return Handlers(
        events={ShopOpened: record_shop},
        commands={
            # Storefront (a customer acting for themself)
            RegisterCustomer: partial(register_customer, code_secret=secret),
            VerifyCustomerEmail: partial(verify_customer_email, code_secret=secret),
            ResendVerificationCode: partial(resend_verification_code, code_secret=secret),
            LogIn: log_in,
            RequestPasswordReset: request_password_reset,
            ResetPassword: reset_password,
            AcceptInvitation: accept_invitation,
            ChangePassword: change_password,
            RequestEmailChange: partial(request_email_change, code_secret=secret),
            ConfirmEmailChange: partial(confirm_email_change, code_secret=secret),
            GetCustomer: get_customer,
            UpdateOwnProfile: update_own_profile,
            DeleteOwnAccount: delete_own_account,
            # Partner (the shop managing its customers)
            CreateCustomer: create_customer,
            UpdateCustomer: update_customer,
            SetCustomerDenied: set_customer_denied,
            DeleteCustomers: delete_customers,
            AddCustomerNote: add_customer_note,
            ListCustomerGroups: list_customer_groups,
            CreateCustomerGroup: create_customer_group,
            RenameCustomerGroup: rename_customer_group,
            DeleteCustomerGroup: delete_customer_group,
            StageCustomerImport: stage_customer_import,
            FinishCustomerImport: finish_customer_import,
        },
        emits=(
            CustomerRegistered,
            CustomerChanged,
            CustomersImported,
            VerificationCodeIssued,
            CustomerEmailVerified,
            CustomerAccountActivated,
            CustomerInvited,
            PasswordResetRequested,
            EmailChangeCodeIssued,
            CustomerDeleted,
            CustomerGroupChanged,
        ),
    )


def create_runtime(settings: CustomersSettings | None = None) -> ServiceRuntime:
    settings = settings or CustomersSettings()
    return ServiceRuntime(settings, handlers(settings))


def create_app(settings: CustomersSettings | None = None) -> AsgiFastStream:
    return build_worker_app(create_runtime(settings))
