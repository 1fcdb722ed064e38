"""Liveness and readiness for Kubernetes probes."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.entrypoints.deps import RuntimeDep

router = APIRouter(prefix="/health", tags=["health"], include_in_schema=False)


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/ready")
async def ready(runtime: RuntimeDep) -> JSONResponse:
    checks = await runtime.readiness()
    ok = all(checks.values())
    return JSONResponse({"ready": ok, "checks": checks}, status_code=200 if ok else 503)
