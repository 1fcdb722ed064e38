"""Summarise py-spy ``--format raw`` profiles written by ``outbox_vs_raw.py --py-spy``.

    .venv/bin/python bench/pyspy_summary.py LOGDIR/outbox-consumer.pyspy.txt [--top 25]

Samples whose innermost frame is the event loop waiting (``select``) count as idle; the
percentages below are shares of the busy samples. "inclusive" counts a function or package once
per sample it appears in; "self" counts the innermost frame; packages are the top-level
directory of a frame's file. SQLAlchemy's async layer runs the ORM in greenlets, which
py-spy shows as separate stacks (rooted at ``Session.execute`` and the like, without the
asyncio frames above them), so judge the database share by package, not by the
``handle`` frames.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
IDLE = ("select (selectors.py", "poll (selectors.py", "epoll")
MARKERS = {
    "database round trips + SQLAlchemy (inside session.execute/commit)": (
        "AsyncSession.execute",
        "AsyncSession.commit",
        "AsyncSession.rollback",
        "AsyncSession.close",
        "AsyncConnection.execute",
    ),
    "pool pre-ping (pool_pre_ping=True)": ("do_ping",),
    "logging (structlog + stdlib)": ("BoundLogger", "structlog", "Logger.handle"),
    "tenacity retry wrapper": ("AsyncRetrying",),
    "pydantic (validate / dump)": ("model_dump_json", "model_validate", "validate_python"),
    "FastStream dependency injection (fast_depends)": ("fast_depends",),
    "aio-pika / aiormq publish": ("Exchange.publish",),
}


def function_of(frame: str) -> str:
    m = FRAME.match(frame)
    return f"{m['func']} ({m['file']})" if m else frame


def package_of(frame: str) -> str:
    m = FRAME.match(frame)
    if not m:
        return "?"
    return m["file"].split("/", 1)[0] if "/" in m["file"] else m["file"]


def summarise(path: Path, top: int) -> list[str]:
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    packages_inclusive: Counter[str] = Counter()
    markers: Counter[str] = Counter()
    busy = idle = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE):
            idle += count
            continue
        busy += count
        for name in {function_of(f) for f in frames}:
            inclusive[name] += count
        self_time[function_of(frames[-1])] += count
        packages[package_of(frames[-1])] += count
        for name in {package_of(f) for f in frames}:
            packages_inclusive[name] += count
        for label, needles in MARKERS.items():
            if any(n in f for f in frames for n in needles):
                markers[label] += count
    out = [f"{path.name}: {busy} busy samples, {idle} idle ({busy / max(1, busy + idle):.0%} busy)"]

    def share(n: int) -> str:
        return f"{100 * n / max(1, busy):5.1f}%"

    out.append("  marked (inclusive, may overlap):")
    out += [f"    {share(n)}  {label}" for label, n in markers.most_common()]
    out.append("  by package (inclusive: samples with any frame of it):")
    out += [f"    {share(n)}  {name}" for name, n in packages_inclusive.most_common(14)]
    out.append("  by package (self):")
    out += [f"    {share(n)}  {name}" for name, n in packages.most_common(12)]
    out.append(f"  top {top} functions (inclusive):")
    out += [f"    {share(n)}  {name}" for name, n in inclusive.most_common(top)]
    out.append(f"  top {top} functions (self):")
    out += [f"    {share(n)}  {name}" for name, n in self_time.most_common(top)]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    for path in args.profiles:
        print("\n".join(summarise(path, args.top)))


if __name__ == "__main__":
    main()
