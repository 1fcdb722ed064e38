"""Each service's AsyncAPI document in the repo is the one its code generates today."""

import json

from devtools.asyncapi import APPS, document_path, stale_documents


def test_every_service_has_a_current_asyncapi_document() -> None:
    assert stale_documents() == [], "run `make asyncapi` and commit the documents"


def test_documents_describe_the_messages_each_service_handles() -> None:
    customers = json.loads(document_path("customers").read_text())
    assert customers["asyncapi"].startswith("3.")
    assert {"RegisterCustomer", "VerifyCustomerEmail", "ShopOpened", "CustomerRegistered"} <= set(
        customers["components"]["schemas"]
    )
    for service in APPS:
        document = json.loads(document_path(service).read_text())
        assert document["channels"], f"{service} documents no channel"
