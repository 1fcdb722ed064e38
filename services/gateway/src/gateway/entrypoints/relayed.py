"""Answer with a service's JSON result as it came (the cart and price hot paths).

The service built the result from its contract model and dumped it; parsing it into that
model again and letting FastAPI validate and serialise it once more costs several ms of CPU
for a 20-line priced cart without checking anything new. The route keeps ``response_model``
so OpenAPI still documents the body.
"""

from typing import Any

from fastapi.responses import JSONResponse


def relayed(
    result: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(result, status_code=status_code, headers=headers)
