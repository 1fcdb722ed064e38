"""Child process for the crash test: commits a Ping, starts publishing it, then hangs.

The parent kills it with SIGKILL while the relay holds the row, as when a pod dies
between the commit and the broker's confirm.
"""

import asyncio
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from probe_service import Ping, probe_runtime

from service_runtime.outbox_relay import OutboxRelay


async def hang(exchange: Any, row: Any) -> None:
    print("publishing", row.message_id, flush=True)
    await asyncio.sleep(3600)


async def main(database_url: str, amqp_url: str, namespace: str) -> None:
    runtime = probe_runtime(database_url, amqp_url, namespace)
    async with runtime.unit_of_work() as uow:
        uow.emit(Ping(shop_id="00000000-0000-0000-0000-000000000001", n=1))
        await uow.commit()
    print("committed", flush=True)
    relay = runtime.relay
    relay._publish = hang  # type: ignore[method-assign]
    await OutboxRelay.start(relay)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
