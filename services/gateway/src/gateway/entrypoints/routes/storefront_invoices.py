"""Storefront API: the customer's own invoices and credit notes, and their PDFs (A8, B4).

Billing and the notifier get the customer's id and answer 'not found' for anyone else's
invoice; the gateway checks billing's answer again.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from contracts.billing import GetInvoice, Invoice, InvoicePage, InvoiceStatus, ListInvoices
from gateway.entrypoints.deps import CorrelationId, CustomerSession, RpcDep
from gateway.entrypoints.invoice_documents import PDF_RESPONSES, invoice_pdf
from gateway.entrypoints.problems import Problem, problem_responses

router = APIRouter(prefix="/storefront/v1/shops/{shop_id}", tags=["storefront"])


def invoice_not_found() -> Problem:
    return Problem(404, "invoice_not_found", "Unknown invoice", "There is no such invoice.")


@router.get(
    "/me/invoices", response_model=InvoicePage, responses=problem_responses(401, 404, 422, 503)
)
async def list_own_invoices(
    customer: CustomerSession,
    rpc: RpcDep,
    correlation: CorrelationId,
    status: Annotated[
        InvoiceStatus | None, Query(description="Only invoices in this state.")
    ] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(ge=1, le=100, description="Invoices per page.")] = 25,
) -> InvoicePage:
    """The customer's invoices and credit notes in this shop, newest first (unpaid marked)."""
    result = await rpc.call(
        ListInvoices(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            customer_id=customer.customer_id,
            status=status,
            page=page,
            size=size,
        ),
        InvoicePage,
    )
    return result.model_copy(
        update={"items": [i for i in result.items if i.customer_id == customer.customer_id]}
    )


@router.get(
    "/me/invoices/{invoice_id}",
    response_model=Invoice,
    responses=problem_responses(401, 404, 422, 503),
)
async def read_own_invoice(
    invoice_id: UUID, customer: CustomerSession, rpc: RpcDep, correlation: CorrelationId
) -> Invoice:
    """One of the customer's invoices or credit notes, as issued."""
    invoice = await rpc.call(
        GetInvoice(
            shop_id=customer.shop_id,
            correlation_id=correlation,
            invoice_id=invoice_id,
            customer_id=customer.customer_id,
        ),
        Invoice,
    )
    if invoice.customer_id != customer.customer_id:
        raise invoice_not_found()
    return invoice


@router.get("/me/invoices/{invoice_id}/pdf", response_class=Response, responses=PDF_RESPONSES)
async def download_own_invoice(
    invoice_id: UUID, customer: CustomerSession, rpc: RpcDep, correlation: CorrelationId
) -> Response:
    """The invoice's PDF as the shop issued it; 503 with Retry-After while it is rendered."""
    return await invoice_pdf(
        rpc, customer.shop_id, invoice_id, correlation, customer_id=customer.customer_id
    )
