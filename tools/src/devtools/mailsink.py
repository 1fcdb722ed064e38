"""A local SMTP server that keeps every email it receives as a ``.eml`` file.

Services send to it in development and tests instead of a real relay; tests read the mail
back (e.g. a verification code) through :class:`MailSink` or :func:`read_mailbox`.

Run it alone with ``python -m devtools.mailsink --port 1025 --dir var/mail``.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import itertools
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

DEFAULT_DIR = Path("var/mail")
SUFFIX = ".eml"

Predicate = Callable[[EmailMessage], bool]


def read_message(path: Path) -> EmailMessage:
    """One stored email, parsed with the modern policy (``get_body``, decoded headers)."""
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def read_mailbox(directory: Path | str = DEFAULT_DIR) -> list[EmailMessage]:
    """Every email kept in ``directory``, oldest first (file names sort by arrival)."""
    return [read_message(path) for path in sorted(Path(directory).glob(f"*{SUFFIX}"))]


def body(message: EmailMessage, subtype: str = "plain") -> str:
    """The decoded ``text/<subtype>`` part of ``message`` ("plain" or "html")."""
    part = message.get_body((subtype,))
    if part is None:
        raise LookupError(f"the email has no text/{subtype} part")
    return str(part.get_content())


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now (tests start one sink each)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class _StoreHandler:
    """aiosmtpd handler: each accepted email becomes one file, written whole then renamed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sequence = itertools.count()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        name = f"{stamp}-{os.getpid()}-{next(self._sequence):06d}{SUFFIX}"
        trace = (
            f"X-MailFrom: {envelope.mail_from}\r\nX-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        await asyncio.to_thread(self._write, name, trace + content)
        return "250 Message accepted for delivery"

    def _write(self, name: str, data: bytes) -> None:
        partial = self.directory / f".{name}.part"
        partial.write_bytes(data)
        partial.rename(self.directory / name)


class MailSink:
    """Start/stop an SMTP sink on a thread of its own; read what it received.

    ``port=0`` picks a free port (see ``.port`` after ``start()``). A stopped sink can be
    started again on the same port, so tests can simulate a relay outage.
    """

    def __init__(
        self, directory: Path | str = DEFAULT_DIR, *, host: str = "127.0.0.1", port: int = 1025
    ) -> None:
        self.directory = Path(directory)
        self.host = host
        self.port = port
        self._controller: Controller | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.port == 0:
            self.port = free_port(self.host)
        controller = Controller(_StoreHandler(self.directory), hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def messages(self) -> list[EmailMessage]:
        """Everything received so far, oldest first."""
        return read_mailbox(self.directory)

    def matching(self, predicate: Predicate) -> list[EmailMessage]:
        return [message for message in self.messages() if predicate(message)]

    def clear(self) -> None:
        """Forget what was received (delete the files)."""
        for path in self.directory.glob(f"*{SUFFIX}"):
            path.unlink(missing_ok=True)

    # A timeout argument (not asyncio.timeout) keeps the call shape of wait_for_blocking.
    def _first_match(
        self, predicate: Predicate, deadline: float, timeout: float
    ) -> EmailMessage | None:
        """The first matching email, None to keep waiting, TimeoutError once past ``deadline``."""
        found = self.matching(predicate)
        if found:
            return found[0]
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no matching email in {self.directory} after {timeout} s")
        return None

    async def wait_for(self, predicate: Predicate, timeout: float = 10.0) -> EmailMessage:  # noqa: ASYNC109
        """The first email matching ``predicate``, waiting without blocking the event loop."""
        deadline = time.monotonic() + timeout
        # Files on disk have no event to await: poll.
        while (message := self._first_match(predicate, deadline, timeout)) is None:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return message

    def wait_for_blocking(self, predicate: Predicate, timeout: float = 10.0) -> EmailMessage:
        """:meth:`wait_for` for synchronous code (blocks the calling thread)."""
        deadline = time.monotonic() + timeout
        while (message := self._first_match(predicate, deadline, timeout)) is None:
            time.sleep(0.05)
        return message


def main(argv: list[str] | None = None) -> None:
    """Run a sink in the foreground until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m devtools.mailsink", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=1025, help="SMTP port (0: any free port)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where .eml files go")
    args = parser.parse_args(argv)
    sink = MailSink(args.dir, host=args.host, port=args.port)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    sink.start()
    print(
        f"mail sink on smtp://{sink.host}:{sink.port}, keeping mail in {sink.directory.resolve()}",
        flush=True,
    )
    try:
        stopped.wait()
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
