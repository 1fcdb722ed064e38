"""Raw broker round trip versus the full outbox path, measured in one run.

(a) raw: a publisher process sends persistent JSON messages with publisher confirms
    through the namespace's events exchange to a durable quorum queue (declared with the
    runtime's own topology and queue arguments); a consumer process (plain aio-pika,
    prefetch set, manual ack) parses each body and acks it.
    Latency = consumer's time after the ack minus the send time stamped into the body.

(b) outbox: a producer process is a real ``ServiceRuntime`` ("benchsource") whose
    concurrent tasks each commit state-change rows plus their events through
    ``UnitOfWork`` (``add_to_outbox``), ``--events-per-tx`` of each per transaction; the
    same runtime's ``OutboxRelay`` (NOTIFY + SKIP LOCKED, batch as configured) publishes
    them. A consumer process is a real ``ServiceRuntime`` ("benchsink") with
    ``Handlers(events={BenchRecorded: ...})``: the FastStream subscriber hands each event to
    ``EventDispatcher``, which claims the inbox row and runs the handler (one effect row) in
    one transaction.
    Latency = consumer's time right after that transaction committed minus the producer's
    time stamped into the event just before its own commit.

Both paths move the same number of events of the same size, with the same bound on events
in flight (sent but not yet handled) and the same consumer prefetch; a warm-up of a few
hundred events runs first and is not counted. Everything lives under a unique broker
namespace and in throwaway databases that are dropped at the end. CPU per event is read
from /proc for our two processes, RabbitMQ and PostgreSQL (the bench databases' backends
plus its shared processes); "other processes" is the rest of the machine meanwhile.

``--changes`` runs (b) with bench-only copies of proposed runtime changes
(``runtime_variants.py``); ``--py-spy PATH`` profiles the four child processes
(summarise with ``pyspy_summary.py``).

    .venv/bin/python bench/outbox_vs_raw.py [--events N] [--payload-bytes 1024]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import multiprocessing as mp
import multiprocessing.context
import multiprocessing.queues
import os
import platform
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import aio_pika
import psycopg
from aio_pika.abc import AbstractIncomingMessage, DeliveryMode
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from runtime_variants import CHANGES, VariantRuntime
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Double,
    Identity,
    Integer,
    String,
    Table,
    Uuid,
    create_engine,
    func,
    insert,
    pool,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Event
from service_runtime import topology as topo
from service_runtime.database import UnitOfWork
from service_runtime.migration_ops import create_messaging_tables
from service_runtime.service import Handlers
from service_runtime.settings import ServiceSettings
from service_runtime.tables import inbox, new_metadata, outbox

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
RAW_ROUTING_KEY = "bench.raw.v1"
CONNECT_TIMEOUT = 15.0
SETUP_TIMEOUT = 60.0
SHOP_ID = uuid.UUID("00000000-0000-4000-8000-00000000b0b0")
SOURCE_SERVICE = "benchsource"
SINK_SERVICE = "benchsink"

# -- bench-only contract and tables ------------------------------------------------------


class BenchRecorded(Event):
    """A bench item was recorded by the source; the sink records an effect for it."""

    OWNER: ClassVar[str] = SOURCE_SERVICE
    ROUTING_KEY: ClassVar[str] = "bench.item.recorded.v1"
    type: Literal["BenchRecorded"] = "BenchRecorded"
    version: Literal[1] = 1

    seq: int
    committed_at: float
    """``time.time()`` taken just before the producer's commit."""
    data: str
    """Padding that brings the message to the requested payload size."""


bench_metadata = new_metadata()

items = Table(
    "bench_items",
    bench_metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    comment="The producer's state change (one row per event).",
)

effects = Table(
    "bench_effects",
    bench_metadata,
    Column("message_id", Uuid, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("source_committed_at", Double, nullable=False),
    Column("handled_at", Double, nullable=False),
    comment="The consumer's effect (one row per handled event).",
)


# -- configuration and results -----------------------------------------------------------


@dataclass(frozen=True)
class Config:
    events: int
    payload_bytes: int
    warmup: int
    window: int
    prefetch: int
    producers: int
    events_per_tx: int
    relay_batch: int
    log_level: str
    changes: tuple[str, ...]
    namespace: str
    source_db: str
    sink_db: str
    log_dir: str
    timeout: float

    @property
    def total(self) -> int:
        return self.warmup + self.events

    @property
    def topology(self) -> topo.Topology:
        return topo.Topology(self.namespace)

    @property
    def raw_queue(self) -> str:
        return self.topology.queue_name("bench", "raw")

    def db_url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def settings(self, service: str, database: str) -> ServiceSettings:
        return ServiceSettings(
            service_name=service,
            amqp_url=AMQP_URL,
            broker_namespace=self.namespace,
            database_url=self.db_url(database),
            prefetch_count=self.prefetch,
            outbox_batch_size=self.relay_batch,
            log_level=self.log_level,
            log_json=True,
        )


@dataclass
class Sample:
    seq: int
    sent_at: float
    handled_at: float


@dataclass
class PhaseResult:
    name: str
    events: int
    seconds: float
    latencies_ms: list[float]
    cpu_ms_per_event: dict[str, float] = field(default_factory=dict)
    machine_busy: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_per_event(self) -> float:
        return sum(v for k, v in self.cpu_ms_per_event.items() if k != "others")

    @property
    def others_cores(self) -> float:
        """CPU the rest of the machine used meanwhile, in cores."""
        return self.cpu_ms_per_event.get("others", 0.0) * self.rate / 1000

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


Report = tuple[str, Any]
"""(kind, data) put on the results queue by a child: 'ready', 'start', 'samples', 'info', 'error'."""

ChildBody = Callable[
    ["Config", "Handled", "multiprocessing.queues.Queue[Report]"], Coroutine[Any, Any, None]
]


# -- helpers shared by the children ------------------------------------------------------


class Handled:
    """Count of handled events, written by the consumer process only, read by the sender."""

    def __init__(self, value: ctypes.c_int64) -> None:
        self.shared = value

    @property
    def value(self) -> int:
        return int(self.shared.value)

    def bump(self) -> int:
        self.shared.value += 1
        return int(self.shared.value)


async def wait_until(predicate: Callable[[], bool], interval: float = 0.001) -> None:
    # The counter lives in shared memory, written by another process: poll it.
    while not predicate():  # noqa: ASYNC110
        await asyncio.sleep(interval)


def redirect_output(cfg: Config, role: str) -> None:
    """Children log (the runtime logs JSON lines to stdout) into a file, not the terminal."""
    fd = os.open(Path(cfg.log_dir) / f"{role}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def child(
    role: str,
    body: ChildBody,
    cfg: Config,
    counter: ctypes.c_int64,
    reports: multiprocessing.queues.Queue[Report],
) -> None:
    """Entry point of every child process: run ``body``, report any failure to the parent."""
    redirect_output(cfg, role)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        asyncio.run(body(cfg, Handled(counter), reports))
    except BaseException:
        reports.put(("error", f"{role}: {traceback.format_exc()}"))
        raise


def padding(build: Callable[[str], int], size: int) -> str:
    """A filler string that brings ``build(filler)`` (a serialised size) to ``size`` bytes."""
    return "x" * max(0, size - build(""))


# -- (a) raw aio-pika --------------------------------------------------------------------


def raw_body(seq: int, sent_at: float, data: str) -> bytes:
    return json.dumps({"seq": seq, "sent_at": sent_at, "data": data}).encode()


async def raw_consumer(
    cfg: Config, handled: Handled, reports: multiprocessing.queues.Queue[Report]
) -> None:
    connection = await aio_pika.connect(AMQP_URL, timeout=CONNECT_TIMEOUT)
    samples: list[Sample] = []
    done = asyncio.Event()

    async def on_message(message: AbstractIncomingMessage) -> None:
        body = json.loads(message.body)
        await message.ack()
        samples.append(Sample(body["seq"], body["sent_at"], time.time()))
        if handled.bump() >= cfg.total:
            done.set()

    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=cfg.prefetch)
        queue_ = await channel.get_queue(cfg.raw_queue, ensure=False)
        await queue_.consume(on_message)
        reports.put(("ready", os.getpid()))
        await done.wait()
        reports.put(("samples", ([(s.seq, s.sent_at, s.handled_at) for s in samples], [])))
    finally:
        await connection.close()


async def send_windowed(
    first: int,
    count: int,
    step: int,
    handled: Handled,
    cfg: Config,
    concurrency: int,
    send: Callable[[list[int]], Awaitable[None]],
) -> None:
    """Send seqs ``first..first+count`` in groups of ``step``, at most ``concurrency`` groups
    at once, never letting more than ``cfg.window`` events be sent but not yet handled."""
    slots = asyncio.Semaphore(concurrency)
    tasks: list[asyncio.Task[None]] = []
    failed: list[BaseException] = []

    async def run(group: list[int]) -> None:
        try:
            await send(group)
        except BaseException as exc:
            failed.append(exc)
            raise
        finally:
            slots.release()

    for start in range(first, first + count, step):
        group = list(range(start, min(start + step, first + count)))
        while group[-1] - handled.value >= cfg.window and not failed:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        await slots.acquire()
        if failed:
            raise failed[0]
        tasks.append(asyncio.create_task(run(group)))
    await asyncio.gather(*tasks)


async def raw_publisher(
    cfg: Config, handled: Handled, reports: multiprocessing.queues.Queue[Report]
) -> None:
    connection = await aio_pika.connect(AMQP_URL, timeout=CONNECT_TIMEOUT)
    try:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.get_exchange(cfg.topology.events_exchange, ensure=False)
        data = padding(lambda d: len(raw_body(cfg.total, time.time(), d)), cfg.payload_bytes)
        sizes: list[int] = []

        async def publish(group: list[int]) -> None:
            for seq in group:
                body = raw_body(seq, time.time(), data)
                sizes.append(len(body))
                await exchange.publish(
                    aio_pika.Message(
                        body=body,
                        content_type="application/json",
                        delivery_mode=DeliveryMode.PERSISTENT,
                        message_id=uuid.uuid4().hex,
                    ),
                    routing_key=RAW_ROUTING_KEY,
                    mandatory=True,
                )

        # One task per message in flight, as many as the window allows (confirms pipelined).
        concurrency = cfg.window
        await send_windowed(0, cfg.warmup, 1, handled, cfg, concurrency, publish)
        await wait_until(lambda: handled.value >= cfg.warmup)
        start = time.time()
        reports.put(("start", start))
        await send_windowed(cfg.warmup, cfg.events, 1, handled, cfg, concurrency, publish)
        await wait_until(lambda: handled.value >= cfg.total, 0.005)
        reports.put(
            (
                "info",
                {
                    "body_bytes": statistics.mean(sizes),
                },
            )
        )
    finally:
        await connection.close()


# -- (b) the outbox path through the project's runtime -----------------------------------


class Probe:
    """Records commit-to-handled samples right after the consumer's transaction commits."""

    def __init__(self, cfg: Config, handled: Handled) -> None:
        self.cfg = cfg
        self.handled = handled
        self.samples: list[Sample] = []
        self.done = asyncio.Event()

    def record(self, event: BenchRecorded, now: float) -> None:
        self.samples.append(Sample(event.seq, event.committed_at, now))
        if self.handled.bump() >= self.cfg.total:
            self.done.set()


class TimedUnitOfWork(UnitOfWork):
    """The runtime's unit of work, plus a clock reading once its commit returned."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], probe: Probe) -> None:
        super().__init__(sessions)
        self.probe = probe
        self.handled_events: list[BenchRecorded] = []

    async def commit(self) -> None:
        await super().commit()
        now = time.time()
        for event in self.handled_events:
            self.probe.record(event, now)
        self.handled_events = []


class SinkRuntime(VariantRuntime):
    """The consumer service: the real runtime (plus ``--changes``, if any), with units of
    work that report their commit."""

    def __init__(
        self, settings: ServiceSettings, handlers: Handlers, probe: Probe, changes: Sequence[str]
    ) -> None:
        self.probe = probe
        super().__init__(settings, handlers, changes)

    def unit_of_work(self) -> UnitOfWork:
        return TimedUnitOfWork(self.sessions, self.probe)


async def record_effect(event: BenchRecorded, uow: UnitOfWork) -> None:
    """The sink's event handler: one effect row, in the dispatcher's transaction."""
    await uow.session.execute(
        insert(effects).values(
            message_id=event.message_id,
            seq=event.seq,
            source_committed_at=event.committed_at,
            handled_at=time.time(),
        )
    )
    if isinstance(uow, TimedUnitOfWork):
        uow.handled_events.append(event)


async def outbox_consumer(
    cfg: Config, handled: Handled, reports: multiprocessing.queues.Queue[Report]
) -> None:
    probe = Probe(cfg, handled)
    runtime = SinkRuntime(
        cfg.settings(SINK_SERVICE, cfg.sink_db),
        Handlers(events={BenchRecorded: record_effect}),
        probe,
        cfg.changes,
    )
    await runtime.start()
    try:
        reports.put(("ready", os.getpid()))
        await probe.done.wait()
        notes: list[str] = []
        reports.put(("samples", ([(s.seq, s.sent_at, s.handled_at) for s in probe.samples], notes)))
    finally:
        await runtime.stop()


async def outbox_producer(
    cfg: Config, handled: Handled, reports: multiprocessing.queues.Queue[Report]
) -> None:
    runtime = VariantRuntime(
        cfg.settings(SOURCE_SERVICE, cfg.source_db), Handlers(emits=[BenchRecorded]), cfg.changes
    )
    await runtime.start()
    try:
        data = padding(
            lambda d: len(
                BenchRecorded(
                    shop_id=SHOP_ID, seq=cfg.total, committed_at=time.time(), data=d
                ).model_dump_json()
            ),
            cfg.payload_bytes,
        )

        async def commit(group: list[int]) -> None:
            async with runtime.unit_of_work() as uow:
                await uow.session.execute(
                    insert(items), [{"seq": seq, "status": "recorded"} for seq in group]
                )
                committed_at = time.time()
                uow.emit(
                    *(
                        BenchRecorded(
                            shop_id=SHOP_ID, seq=seq, committed_at=committed_at, data=data
                        )
                        for seq in group
                    )
                )
                await uow.commit()

        step, concurrency = cfg.events_per_tx, cfg.producers
        await send_windowed(0, cfg.warmup, step, handled, cfg, concurrency, commit)
        await wait_until(lambda: handled.value >= cfg.warmup)
        published = runtime.relay.published
        start = time.time()
        reports.put(("start", start))
        await send_windowed(cfg.warmup, cfg.events, step, handled, cfg, concurrency, commit)
        await wait_until(lambda: handled.value >= cfg.total, 0.005)
        size = len(
            BenchRecorded(
                shop_id=SHOP_ID, seq=cfg.total, committed_at=time.time(), data=data
            ).model_dump_json()
        )
        reports.put(
            (
                "info",
                {
                    "body_bytes": size,
                    "relay_published": runtime.relay.published - published,
                },
            )
        )
    finally:
        await runtime.stop()


# -- the parent: databases, topology, processes, CPU accounting -------------------------


def create_database(name: str, url: str) -> None:
    """A throwaway database with the bench tables and the runtime's outbox, inbox and trigger."""
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            with Operations.context(MigrationContext.configure(conn)):
                create_messaging_tables()
            bench_metadata.create_all(conn)
    finally:
        engine.dispose()


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return {
                t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                for t in (items, effects, outbox, inbox)
            }
    finally:
        engine.dispose()


async def declare_raw_queue(cfg: Config) -> None:
    t = cfg.topology
    await topo.declare(AMQP_URL, t, [(cfg.raw_queue, t.events_exchange, [RAW_ROUTING_KEY])])


async def delete_topology(cfg: Config) -> None:
    """Remove every queue and exchange of the bench namespace."""
    t = cfg.topology
    queues = [cfg.raw_queue, t.queue_name(SINK_SERVICE, "events"), t.name(topo.UNROUTED)]
    connection = await aio_pika.connect(AMQP_URL, timeout=CONNECT_TIMEOUT)
    try:
        channel = await connection.channel()
        for name in queues:
            for q in (name, t.dead_letter_queue_name(name)):
                await channel.queue_delete(q)
        for exchange in (
            t.events_exchange,
            t.commands_exchange,
            t.dead_letter_exchange,
            t.name(topo.UNROUTED),
        ):
            await channel.exchange_delete(exchange)
    finally:
        await connection.close()


CLK_TCK = os.sysconf("SC_CLK_TCK")
PY_SPY_RECORD = ["record", "--nonblocking", "--format", "raw", "--rate", "200"]


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def processes_named(name: str, keep: Callable[[str], bool] = lambda _: True) -> list[int]:
    """Processes called ``name`` whose command line passes ``keep``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == name and keep(
                    (entry / "cmdline").read_bytes().decode(errors="replace")
                ):
                    pids.append(int(entry.name))
    return pids


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values[:8]) - idle), float(sum(values[:8]))


@dataclass
class CpuSnapshot:
    per_group: dict[str, dict[int, float]]
    machine: tuple[float, float]


def cpu_snapshot(groups: dict[str, Sequence[int]]) -> CpuSnapshot:
    return CpuSnapshot(
        {name: {pid: process_cpu(pid) for pid in pids} for name, pids in groups.items()},
        machine_cpu(),
    )


def cpu_groups(cfg: Config, sender: int, consumer: int) -> dict[str, Sequence[int]]:
    """Our two processes, the broker, and PostgreSQL's shared processes plus the backends
    serving the bench databases (other sessions' backends are left to "others")."""

    def ours(cmdline: str) -> bool:
        is_backend = "127.0.0.1(" in cmdline or "[local]" in cmdline
        return not is_backend or cfg.source_db in cmdline or cfg.sink_db in cmdline

    return {
        "sender": [sender],
        "consumer": [consumer],
        "rabbitmq": processes_named("beam.smp"),
        "postgres": processes_named("postgres", ours),
    }


def cpu_used(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """CPU seconds per group, plus "others": what the rest of the machine used meanwhile."""
    used = {}
    for name, pids in after.per_group.items():
        used[name] = sum(cpu - before.per_group[name].get(pid, 0.0) for pid, cpu in pids.items())
    machine = (after.machine[0] - before.machine[0]) / CLK_TCK
    used["others"] = max(0.0, machine - sum(used.values()))
    return used


class PhaseFailed(RuntimeError):
    pass


def run_phase(
    name: str,
    cfg: Config,
    ctx: multiprocessing.context.SpawnContext,
    consumer_body: Callable[
        [Config, Handled, multiprocessing.queues.Queue[Report]], Awaitable[None]
    ],
    sender_body: ChildBody,
    profiler: str | None,
) -> PhaseResult:
    """Start the consumer, then the sender; time the counted events; return the figures."""
    counter = ctx.RawValue(ctypes.c_int64, 0)
    reports: multiprocessing.queues.Queue[Report] = ctx.Queue()
    consumer = ctx.Process(
        target=child, args=(f"{name}-consumer", consumer_body, cfg, counter, reports)
    )
    sender = ctx.Process(target=child, args=(f"{name}-sender", sender_body, cfg, counter, reports))
    profilers: list[subprocess.Popen[bytes]] = []
    processes = [consumer, sender]
    deadline = time.monotonic() + cfg.timeout

    received: dict[str, Any] = {}

    def check_children() -> None:
        for p in processes:
            if p.exitcode not in (None, 0):
                raise PhaseFailed(
                    f"{name}: {p.name} exited with {p.exitcode} (logs in {cfg.log_dir})"
                )

    def expect(kind: str) -> Any:
        while kind not in received:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PhaseFailed(f"{name}: timed out waiting for '{kind}' (logs in {cfg.log_dir})")
            try:
                got, data = reports.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                check_children()
                continue
            if got == "error":
                raise PhaseFailed(str(data))
            received[got] = data
        return received.pop(kind)

    def profile(pid: int, role: str) -> None:
        if profiler:
            out = Path(cfg.log_dir) / f"{name}-{role}.pyspy.txt"
            profilers.append(
                subprocess.Popen(
                    [profiler, *PY_SPY_RECORD, "-p", str(pid), "-o", str(out)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    try:
        consumer.start()
        expect("ready")
        assert consumer.pid is not None
        profile(consumer.pid, "consumer")
        sender.start()
        assert sender.pid is not None
        profile(sender.pid, "sender")
        start = expect("start")
        before = cpu_snapshot(cpu_groups(cfg, sender.pid, consumer.pid))
        while counter.value < cfg.total and time.monotonic() < deadline:
            time.sleep(0.002)
            check_children()
            with contextlib.suppress(queue.Empty):
                got, data = reports.get_nowait()
                if got == "error":
                    raise PhaseFailed(str(data))
                received[got] = data
        after = cpu_snapshot(cpu_groups(cfg, sender.pid, consumer.pid))
        raw, consumer_notes = expect("samples")
        info = expect("info")
        for p in processes:
            p.join(timeout=30)
        for spy in profilers:
            spy.wait(timeout=30)
    finally:
        for p in processes:
            if p.is_alive():
                p.terminate()
                p.join(timeout=10)
        for spy in profilers:
            if spy.poll() is None:
                spy.terminate()
                spy.wait(timeout=10)

    samples = [Sample(*s) for s in raw if s[0] >= cfg.warmup]
    if len(samples) != cfg.events:
        raise PhaseFailed(f"{name}: {len(samples)} counted samples, expected {cfg.events}")
    end = max(s.handled_at for s in samples)
    used = cpu_used(before, after)
    busy = (after.machine[0] - before.machine[0]) / max(1.0, after.machine[1] - before.machine[1])
    result = PhaseResult(
        name=name,
        events=cfg.events,
        seconds=end - start,
        latencies_ms=[(s.handled_at - s.sent_at) * 1000 for s in samples],
        cpu_ms_per_event={k: v * 1000 / cfg.events for k, v in used.items()},
        machine_busy=busy,
    )
    handled = sorted(s.handled_at for s in samples)
    gaps = [b - a for a, b in zip([start, *handled], handled, strict=False)]
    result.notes.append(
        f"longest pause between handled events {max(gaps) * 1000:.0f} ms "
        f"({sum(g >= 0.5 for g in gaps)} pauses >= 0.5 s)"
    )
    result.notes.append(f"message body {info['body_bytes']:.0f} bytes")
    result.notes += consumer_notes
    if "relay_published" in info:
        result.notes.append(f"relay published {info['relay_published']} in the timed part")
    return result


# -- output ------------------------------------------------------------------------------


def describe(cfg: Config) -> list[str]:
    return [
        f"events per path: {cfg.events} counted (+{cfg.warmup} warm-up), "
        f"payload {cfg.payload_bytes} bytes, at most {cfg.window} events in flight "
        f"(sent, not yet handled), consumer prefetch {cfg.prefetch}",
        "(a) raw: aio-pika publisher (confirms, persistent, mandatory; one task per message "
        "in flight) -> topic exchange -> quorum queue -> aio-pika consumer process "
        "(json.loads, ack); latency = after ack - send stamp in the body",
        f"(b) outbox: ServiceRuntime producer, {cfg.producers} concurrent transactions x "
        f"{cfg.events_per_tx} event(s) each (state row + outbox row via UnitOfWork) -> "
        f"OutboxRelay (batch {cfg.relay_batch}, NOTIFY) -> quorum queue -> ServiceRuntime "
        "consumer process (FastStream subscriber -> EventDispatcher: inbox + effect row, "
        f"group commit of the deliveries in flight, log level {cfg.log_level}); latency = after the "
        "consumer's commit - stamp taken just before the producer's commit",
        "(b) runs the runtime as it is"
        if not cfg.changes
        else f"(b) runs WITH bench copies of runtime changes: {', '.join(cfg.changes)}",
    ]


def show(result: PhaseResult) -> list[str]:
    ours = {k: v for k, v in result.cpu_ms_per_event.items() if k != "others"}
    cpu = ", ".join(f"{k} {v:.2f}" for k, v in ours.items())
    others = result.others_cores
    warning = (
        [f"         WARNING: other processes took {others:.2f} cores: this figure may be depressed"]
        if others > 0.3
        else []
    )
    return [
        f"{result.name:>7}: {result.rate:8.0f} events/s ({result.events} in {result.seconds:.2f} s)"
        f"   latency p50 {result.percentile(50):7.1f} ms  p99 {result.percentile(99):7.1f} ms",
        f"         CPU ms/event: {cpu} (sum {result.cpu_per_event:.2f})",
        f"         machine busy {result.machine_busy:.0%}, of which other processes "
        f"{others:.2f} cores; {'; '.join(result.notes)}",
        *warning,
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--events", type=int, default=10_000, help="counted events per path")
    p.add_argument("--payload-bytes", type=int, default=1024, help="size of each message body")
    p.add_argument("--warmup", type=int, default=500, help="uncounted events first, per path")
    p.add_argument("--window", type=int, default=500, help="max events sent, not yet handled")
    p.add_argument("--prefetch", type=int, default=100, help="consumer prefetch, both paths")
    p.add_argument("--producers", type=int, default=8, help="(b) concurrent transactions")
    p.add_argument("--events-per-tx", type=int, default=50, help="(b) events per transaction")
    p.add_argument("--relay-batch", type=int, default=200, help="(b) OutboxRelay batch size")
    p.add_argument("--log-level", default="INFO", help="(b) the runtime's log level")
    p.add_argument(
        "--changes",
        default="",
        help=f"(b) bench copies of runtime changes to switch on, comma-separated: {','.join(CHANGES)}"
        " (see runtime_variants.py); default none: the runtime as it is",
    )
    p.add_argument("--only", choices=["raw", "outbox"], help="run one path only")
    p.add_argument("--py-spy", metavar="PATH", help="profile both processes of each path")
    p.add_argument("--keep-logs", action="store_true", help="keep the children's logs")
    p.add_argument("--timeout", type=float, default=150.0, help="seconds allowed per path")
    args = p.parse_args(argv)
    if args.window < args.events_per_tx:
        p.error("--window must be at least --events-per-tx (a transaction must fit in it)")
    if min(args.events, args.warmup, args.window, args.producers, args.prefetch) < 1:
        p.error("--events, --warmup, --window, --producers and --prefetch must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tag = uuid.uuid4().hex[:10]
    log_dir = tempfile.mkdtemp(prefix=f"outbox_bench_{tag}_")
    cfg = Config(
        events=args.events,
        payload_bytes=args.payload_bytes,
        warmup=args.warmup,
        window=args.window,
        prefetch=args.prefetch,
        producers=args.producers,
        events_per_tx=args.events_per_tx,
        relay_batch=args.relay_batch,
        log_level=args.log_level,
        changes=tuple(c for c in args.changes.split(",") if c),
        namespace=f"bench-{tag}.",
        source_db=f"bench_{tag}_source",
        sink_db=f"bench_{tag}_sink",
        log_dir=log_dir,
        timeout=args.timeout,
    )
    profiler = shutil.which(args.py_spy) if args.py_spy else None
    if args.py_spy and not profiler:
        print(f"py-spy not found at {args.py_spy}", file=sys.stderr)
        return 2
    ctx = mp.get_context("spawn")
    # A plain kill still runs the cleanup below (children, databases, broker namespace).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"outbox_vs_raw: {os.cpu_count()} cores, Python {platform.python_version()}")
    for line in describe(cfg):
        print(f"  {line}")
    results: dict[str, PhaseResult] = {}
    ok = False
    try:
        if args.only in (None, "raw"):
            asyncio.run(asyncio.wait_for(declare_raw_queue(cfg), SETUP_TIMEOUT))
            results["raw"] = run_phase("raw", cfg, ctx, raw_consumer, raw_publisher, profiler)
            print("\n".join(show(results["raw"])), flush=True)
        if args.only in (None, "outbox"):
            for db in (cfg.source_db, cfg.sink_db):
                create_database(db, cfg.db_url(db))
            results["outbox"] = run_phase(
                "outbox", cfg, ctx, outbox_consumer, outbox_producer, profiler
            )
            print("\n".join(show(results["outbox"])), flush=True)
            source, sink = (
                row_counts(cfg.db_url(cfg.source_db)),
                row_counts(cfg.db_url(cfg.sink_db)),
            )
            print(
                f"         check: source items {source['bench_items']}, outbox left "
                f"{source['outbox']}; sink inbox {sink['inbox']}, effects {sink['bench_effects']} "
                f"(expected {cfg.total} each, outbox 0)"
            )
            if not (
                source["bench_items"] == sink["inbox"] == sink["bench_effects"] == cfg.total
                and source["outbox"] == 0
            ):
                raise PhaseFailed("outbox: row counts do not match")
        if len(results) == 2:
            raw, full = results["raw"], results["outbox"]
            ratio = full.rate / raw.rate
            verdict = "meets" if ratio >= 0.5 else "below"
            print(f"  ratio (b)/(a) throughput: {ratio:.2f} ({verdict} the 0.5 target)")
            print(
                f"  ratio (a)/(b) of CPU per event, bench processes + broker + database: "
                f"{raw.cpu_per_event / full.cpu_per_event:.2f} (what the throughput ratio "
                "tends to when both paths saturate the cores)"
            )
        ok = True
    except PhaseFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
    finally:
        for db in (cfg.source_db, cfg.sink_db):
            drop_database(db)
        try:
            asyncio.run(asyncio.wait_for(delete_topology(cfg), SETUP_TIMEOUT))
        except Exception as exc:
            print(f"  could not delete the broker namespace {cfg.namespace}: {exc!r}")
        if profiler or args.keep_logs or not ok:
            print(f"  logs{' and profiles' if profiler else ''}: {log_dir}")
        else:
            shutil.rmtree(log_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
