"""Fixtures of the end-to-end tests: an HTTP client of the running stack's gateway."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from devtools.api_client import Gateway
from devtools.stack import LocalStack


@pytest.fixture
def api(stack: LocalStack) -> Iterator[Gateway]:
    with httpx.Client(base_url=stack.config.url("gateway"), timeout=30) as client:
        yield Gateway(client)
