"""The ASGI app of a worker service: its broker and runtime plus liveness and readiness."""

from __future__ import annotations

import json
from typing import Any

from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.specification import AsyncAPI

from service_runtime.service import ServiceRuntime


def build_worker_app(runtime: ServiceRuntime, *, version: str = "1.0.0") -> AsgiFastStream:
    """Uvicorn serves this; FastStream starts the broker between our start hooks."""

    @get(include_in_schema=False)
    async def live(scope: Any) -> AsgiResponse:
        """Alive as long as the event loop answers."""
        return AsgiResponse(b'{"status":"alive"}', 200, {"content-type": "application/json"})

    @get(include_in_schema=False)
    async def ready(scope: Any) -> AsgiResponse:
        """Ready when broker, consumers, database and background tasks all are."""
        checks = await runtime.readiness()
        status = 200 if all(checks.values()) else 503
        body = json.dumps({"ready": status == 200, "checks": checks}).encode()
        return AsgiResponse(body, status, {"content-type": "application/json"})

    name = runtime.settings.service_name
    return AsgiFastStream(
        runtime.broker,
        asgi_routes=[("/health/live", live), ("/health/ready", ready)],
        logger=None,
        on_startup=[runtime.prepare],
        after_startup=[runtime.start_background],
        after_shutdown=[runtime.finish],
        specification=AsyncAPI(
            runtime.broker,
            title=f"Clientele {name}",
            version=version,
            description=f"Messages the {name} service consumes and publishes.",
        ),
    )
