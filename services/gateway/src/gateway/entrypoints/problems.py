"""RFC 9457 problem details for every error the gateway answers with."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_name(e["loc"]), "reason": e["msg"]} for e in exc.errors()]
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
