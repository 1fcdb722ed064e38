"""RFC 9457 problem details for every error the gateway answers with."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from service_runtime.rpc_client import RpcRefused, RpcTimeout

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raised by routes to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.errors = errors or []
        self.headers = headers or {}


class ProblemField(BaseModel):
    field: str = Field(description="Dotted path of the bad field, as the request named it.")
    reason: str


class ProblemDocument(BaseModel):
    """RFC 9457 problem details, as every error of the gateway is answered."""

    type: str = Field(examples=["/problems/validation_failed"])
    title: str
    status: int
    detail: str
    instance: str = Field(description="The request path.")
    errors: list[ProblemField] | None = Field(default=None, description="Bad fields, if any.")


PROBLEM_DESCRIPTIONS = {
    401: "Missing, unknown, expired or revoked token",
    403: "Refused (e.g. login refused, email not verified)",
    404: "No such object in this shop",
    409: "Conflicts with the current state",
    422: "Some fields are not valid (each named in errors)",
    423: "Account locked for a while (Retry-After)",
    429: "Too many attempts (Retry-After)",
    503: "A service is not ready for this shop yet (Retry-After)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem documents a route may answer with."""
    return {
        status: {"model": ProblemDocument, "description": PROBLEM_DESCRIPTIONS[status]}
        for status in statuses
    }


def too_many_requests(retry_after: int) -> Problem:
    """The gateway's own throttle (before any service is asked)."""
    return Problem(
        429,
        "too_many_requests",
        "Too many attempts",
        f"Too many attempts; try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


def problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    """'body.address.country' -> 'address.country'; query and path names stay as they are."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _reason(error: Any) -> str:
    """A validator's own message without pydantic's 'Value error, ' prefix."""
    if error.get("type") == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    return str(error["msg"])


def _error_field(error: Any) -> str:
    """Broken JSON names the body, not the character position pydantic reports."""
    return "body" if error.get("type") == "json_invalid" else _field_name(error["loc"])


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _error_field(e), "reason": _reason(e)} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
        return problem_response(
            request, 422, "validation_failed", "Some fields are not valid", detail, errors
        )

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.code, exc.title, exc.detail, exc.errors, exc.headers
        )

    @app.exception_handler(RpcRefused)
    async def refused(request: Request, exc: RpcRefused) -> JSONResponse:
        e = exc.error
        headers = {"Retry-After": str(e.retry_after)} if e.retry_after else None
        errors = [f.model_dump() for f in e.fields]
        return problem_response(request, e.status, e.code, e.title, e.detail, errors, headers)

    @app.exception_handler(RpcTimeout)
    async def timeout(request: Request, exc: RpcTimeout) -> JSONResponse:
        return problem_response(
            request,
            504,
            "service_timeout",
            "A service did not answer in time",
            str(exc),
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        return problem_response(
            request,
            exc.status_code,
            code.get(exc.status_code, "http_error"),
            str(exc.detail),
            headers=dict(exc.headers) if exc.headers else None,
        )
