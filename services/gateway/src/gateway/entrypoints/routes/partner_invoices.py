"""Partner API: the shop's invoices and credit notes, their PDFs, payments and corrections (B4).

An issued invoice never changes: it is marked paid, or corrected by a credit note numbered
from the same sequence. Another shop's invoice answers 404.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from contracts.billing import (
    GetInvoice,
    Invoice,
    InvoicePage,
    InvoiceStatus,
    IssueCreditNote,
    ListInvoices,
    MarkInvoicePaid,
)
from gateway.entrypoints.deps import CorrelationId, PartnerShop, RpcDep
from gateway.entrypoints.invoice_documents import PDF_RESPONSES, invoice_pdf
from gateway.entrypoints.order_bodies import CreditNoteBody, InvoicePaidBody
from gateway.entrypoints.problems import problem_responses

router = APIRouter(prefix="/partner/v1", tags=["partner"])

INVOICE_ERRORS = problem_responses(401, 404, 422, 503)
INVOICE_CHANGE_ERRORS = problem_responses(401, 404, 409, 422, 503)


@router.get("/invoices", response_model=InvoicePage, responses=problem_responses(401, 422, 503))
async def list_invoices(
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    status: Annotated[
        InvoiceStatus | None, Query(description="Only invoices in this state.")
    ] = None,
    customer_id: Annotated[UUID | None, Query(description="Only this customer's.")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    size: Annotated[int, Query(ge=1, le=100, description="Invoices per page.")] = 25,
) -> InvoicePage:
    """The shop's invoices and credit notes, newest first."""
    return await rpc.call(
        ListInvoices(
            shop_id=shop_id,
            correlation_id=correlation,
            customer_id=customer_id,
            status=status,
            page=page,
            size=size,
        ),
        InvoicePage,
    )


@router.get("/invoices/{invoice_id}", response_model=Invoice, responses=INVOICE_ERRORS)
async def read_invoice(
    invoice_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Invoice:
    """One invoice or credit note, as issued."""
    return await rpc.call(
        GetInvoice(shop_id=shop_id, correlation_id=correlation, invoice_id=invoice_id), Invoice
    )


@router.get("/invoices/{invoice_id}/pdf", response_class=Response, responses=PDF_RESPONSES)
async def download_invoice(
    invoice_id: UUID, shop_id: PartnerShop, rpc: RpcDep, correlation: CorrelationId
) -> Response:
    """The PDF the customer got; 503 with Retry-After while it is rendered."""
    return await invoice_pdf(rpc, shop_id, invoice_id, correlation)


@router.post("/invoices/{invoice_id}/paid", response_model=Invoice, responses=INVOICE_CHANGE_ERRORS)
async def mark_invoice_paid(
    invoice_id: UUID,
    body: InvoicePaidBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
) -> Invoice:
    """Record that the invoice was paid, and on which day (409 when it cannot be)."""
    return await rpc.call(
        MarkInvoicePaid(
            shop_id=shop_id,
            correlation_id=correlation,
            invoice_id=invoice_id,
            paid_on=body.paid_on,
        ),
        Invoice,
    )


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    status_code=status.HTTP_201_CREATED,
    response_model=Invoice,
    responses=INVOICE_CHANGE_ERRORS,
)
async def issue_credit_note(
    invoice_id: UUID,
    body: CreditNoteBody,
    shop_id: PartnerShop,
    rpc: RpcDep,
    correlation: CorrelationId,
    response: Response,
) -> Invoice:
    """Correct the invoice with a credit note for all of it (its own number, same sequence);
    the answer is the credit note, its Location its address."""
    credit_note = await rpc.call(
        IssueCreditNote(
            shop_id=shop_id, correlation_id=correlation, invoice_id=invoice_id, reason=body.reason
        ),
        Invoice,
    )
    response.headers["Location"] = f"{router.prefix}/invoices/{credit_note.invoice_id}"
    return credit_note
