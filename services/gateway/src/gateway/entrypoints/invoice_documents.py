"""An invoice's PDF as a download: the notifier's rendered file, with a safe file name (B4)."""

import base64
import re
from typing import Any
from uuid import UUID

from fastapi import Response

from contracts.billing import GetInvoice, Invoice
from contracts.notifier import GetInvoiceDocument, InvoiceDocument
from gateway.entrypoints.problems import Problem, ProblemDocument, problem_responses
from service_runtime.rpc_client import RpcClient

UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")

PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The PDF, as an attachment named after the invoice number",
    },
    **problem_responses(401, 404, 422),
    503: {
        "model": ProblemDocument,
        "description": "The PDF is being rendered, or a service is not ready (Retry-After)",
    },
}


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition value no file name can break: letters, digits, '.', '_', '-'."""
    safe = UNSAFE_IN_FILENAME.sub("_", filename).strip("._")
    safe = safe or UNSAFE_IN_FILENAME.sub("_", fallback)
    if not safe.lower().endswith(".pdf"):
        safe += ".pdf"
    return f'attachment; filename="{safe}"'


def pdf_download(document: InvoiceDocument) -> Response:
    """The file is the customer's or the partner's accounting record: never cached on the way."""
    return Response(
        content=base64.b64decode(document.content_base64),
        media_type="application/pdf",
        headers={
            "Content-Disposition": attachment(
                document.filename, f"invoice_{document.invoice_number}"
            ),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def invoice_pdf(
    rpc: RpcClient,
    shop_id: UUID,
    invoice_id: UUID,
    correlation: UUID,
    customer_id: UUID | None = None,
) -> Response:
    """Billing says first whether the invoice exists (and is the customer's): the notifier
    alone cannot tell an invoice it has not rendered yet from one that was never issued."""
    invoice = await rpc.call(
        GetInvoice(
            shop_id=shop_id,
            correlation_id=correlation,
            invoice_id=invoice_id,
            customer_id=customer_id,
        ),
        Invoice,
    )
    if customer_id is not None and invoice.customer_id != customer_id:
        raise Problem(404, "invoice_not_found", "Unknown invoice", "There is no such invoice.")
    document = await rpc.call(
        GetInvoiceDocument(
            shop_id=shop_id,
            correlation_id=correlation,
            invoice_id=invoice_id,
            customer_id=customer_id,
        ),
        InvoiceDocument,
    )
    return pdf_download(document)
