"""``python -m <service> [serve|migrate]``: the same entry point for every service."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import uvicorn

from service_runtime.migration_ops import upgrade
from service_runtime.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def main(
    settings: SettingsT,
    app_factory: Callable[[SettingsT], Any],
    migrations_dir: Path,
    argv: list[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=settings.service_name)
    parser.add_argument("command", choices=["serve", "migrate"], nargs="?", default="serve")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        upgrade(migrations_dir, settings.resolved_database_url())
        return
    uvicorn.run(
        app_factory(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.graceful_timeout) + 5,
    )
