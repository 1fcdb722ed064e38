"""The one place that wires the notifier service: settings, handlers, background workers, app."""

from collections.abc import Callable
from functools import partial
from pathlib import Path

from faststream.asgi import AsgiFastStream

from contracts.billing.events import InvoiceIssued, OrderPlaced, OrderStatusChanged
from contracts.customers import (
    CustomerAccountActivated,
    CustomerDeleted,
    CustomerInvited,
    CustomerRegistered,
    EmailChangeCodeIssued,
    PasswordResetRequested,
    VerificationCodeIssued,
)
from contracts.gateway import ShopOpened
from contracts.notifier import (
    ConfigurePartnerCopies,
    ConfigureReportAddresses,
    ConfigureShopBrand,
    GetInvoiceDocument,
    GetPartnerCopies,
    GetReportAddresses,
    GetShopBrand,
)
from contracts.vouchers import CustomerDiscountChanged, VouchersActivated
from notifier.adapters.invoice_rendering import InvoiceRendering
from notifier.adapters.mail_delivery import MailDelivery
from notifier.adapters.wake_ups import Doorbell
from notifier.config import NotifierSettings
from notifier.handlers.customer_account_activated import queue_welcome
from notifier.handlers.customer_deleted import queue_account_deleted
from notifier.handlers.customer_discount_changed import queue_discount_report
from notifier.handlers.customer_invited import queue_invitation
from notifier.handlers.customer_registered import queue_registration_copy
from notifier.handlers.email_change_code_issued import queue_email_change_code
from notifier.handlers.invoice_document import get_invoice_document
from notifier.handlers.invoice_issued import store_and_mail_invoice
from notifier.handlers.order_placed import queue_order_emails
from notifier.handlers.order_status_changed import queue_status_emails
from notifier.handlers.partner_copy_settings import configure_partner_copies, get_partner_copies
from notifier.handlers.password_reset_requested import queue_password_reset
from notifier.handlers.report_address_settings import (
    configure_report_addresses,
    get_report_addresses,
)
from notifier.handlers.shop_brand_settings import configure_shop_brand, get_shop_brand
from notifier.handlers.shop_opened import record_brand
from notifier.handlers.verification_code_issued import queue_verification_code
from notifier.handlers.vouchers_activated import queue_vouchers_report
from service_runtime.service import Handlers, ServiceRuntime
from service_runtime.worker_app import build_worker_app

MIGRATIONS = Path(__file__).parent / "migrations"


def _nobody() -> None:
    """Rung when a document is stored and no rendering worker listens (handlers alone)."""


def handlers(
    settings: NotifierSettings, *, documents_stored: Callable[[], None] = _nobody
) -> Handlers:
    """Events that become emails (and invoice documents to render), the partner's settings
    commands and the invoice download (nothing is emitted). ``documents_stored`` is rung after
    a commit that stored an invoice document."""
    links = settings.storefront_base_url
    return Handlers(
        events={
            ShopOpened: record_brand,
            VerificationCodeIssued: queue_verification_code,
            CustomerInvited: partial(queue_invitation, storefront_base_url=links),
            PasswordResetRequested: partial(queue_password_reset, storefront_base_url=links),
            EmailChangeCodeIssued: queue_email_change_code,
            CustomerAccountActivated: partial(queue_welcome, storefront_base_url=links),
            CustomerDeleted: queue_account_deleted,
            CustomerRegistered: queue_registration_copy,
            CustomerDiscountChanged: queue_discount_report,
            VouchersActivated: queue_vouchers_report,
            OrderPlaced: queue_order_emails,
            OrderStatusChanged: queue_status_emails,
            InvoiceIssued: partial(store_and_mail_invoice, stored=documents_stored),
        },
        commands={
            ConfigureShopBrand: configure_shop_brand,
            GetShopBrand: get_shop_brand,
            ConfigurePartnerCopies: configure_partner_copies,
            GetPartnerCopies: get_partner_copies,
            ConfigureReportAddresses: configure_report_addresses,
            GetReportAddresses: get_report_addresses,
            GetInvoiceDocument: get_invoice_document,
        },
        emits=(),
    )


def create_runtime(settings: NotifierSettings | None = None) -> ServiceRuntime:
    """Handlers plus the delivery and rendering workers on the runtime's engine; nothing
    connects until start. A stored invoice wakes the rendering worker, a rendered one the
    delivery worker, instead of their next poll."""
    resolved = settings or NotifierSettings()
    to_render, to_deliver = Doorbell(), Doorbell()
    return ServiceRuntime(
        resolved,
        handlers(resolved, documents_stored=to_render.ring),
        background=[
            lambda runtime: to_deliver.attach(MailDelivery.from_settings(resolved, runtime.engine)),
            lambda runtime: to_render.attach(
                InvoiceRendering.from_settings(resolved, runtime.engine, rendered=to_deliver.ring)
            ),
        ],
    )


def create_app(settings: NotifierSettings | None = None) -> AsgiFastStream:
    """What ``python -m notifier serve`` runs under uvicorn."""
    return build_worker_app(create_runtime(settings))
