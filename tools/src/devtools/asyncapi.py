"""``python -m devtools.asyncapi [--check]``: each service's AsyncAPI document, kept in the repo.

Runs ``faststream docs gen`` per service and writes ``services/<service>/asyncapi.json``;
``--check`` only compares and exits 1 when a committed document is stale.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APPS = {
    "customers": "customers.bootstrap:create_app",
    "vouchers": "vouchers.bootstrap:create_app",
    "billing": "billing.bootstrap:create_app",
    "notifier": "notifier.bootstrap:create_app",
    "gateway": "gateway.bootstrap:asyncapi_app",
}


def document_path(service: str) -> Path:
    return ROOT / "services" / service / "asyncapi.json"


def generate(service: str, out: Path) -> dict[str, object]:
    """The service's AsyncAPI 3.0 document, as ``faststream docs gen`` writes it."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "faststream",
            "docs",
            "gen",
            "--factory",
            APPS[service],
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        env={"BROKER_NAMESPACE": "", "PATH": ""},
    )
    document: dict[str, object] = json.loads(out.read_text())
    return document


def render(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def stale_documents() -> list[str]:
    """Services whose committed document differs from a fresh one."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for service in APPS:
            fresh = render(generate(service, Path(tmp) / f"{service}.json"))
            path = document_path(service)
            if not path.exists() or path.read_text() != fresh:
                stale.append(service)
    return stale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        stale = stale_documents()
        if stale:
            print("stale AsyncAPI documents (run `make asyncapi`):", ", ".join(stale))
            sys.exit(1)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for service in APPS:
            document_path(service).write_text(
                render(generate(service, Path(tmp) / f"{service}.json"))
            )
            print("wrote", document_path(service).relative_to(ROOT))


if __name__ == "__main__":
    main()
