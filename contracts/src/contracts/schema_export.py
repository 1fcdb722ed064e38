"""Writes every contract's JSON Schema to ``contracts/schemas`` so that changes show in review.

``python -m contracts.schema_export`` writes the files; ``--check`` only lists stale ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contracts import MODULES, Command, CommandError, Reply, all_messages
from contracts.base import Message

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
INDEX = "index.json"
SHARED: tuple[type[BaseModel], ...] = (CommandError, Reply)

Schema = dict[str, Any]


def envelope_value(message: type[Message], field: str) -> Any:
    """The ``type`` or ``version`` a message pins with a Literal default; files are named by it."""
    value = message.model_fields[field].default
    if value is None:
        raise TypeError(f"{message.__name__}.{field} needs a Literal default")
    return value


def kind(message: type[Message]) -> str:
    """Events and commands travel differently, so readers of the index need to tell them apart."""
    return "command" if issubclass(message, Command) else "event"


def message_path(message: type[Message]) -> str:
    """One file per owner, type and major version, so old majors keep their own file."""
    return (
        f"{message.OWNER}/{envelope_value(message, 'type')}"
        f".v{envelope_value(message, 'version')}.json"
    )


def result_path(command: type[Message]) -> str:
    """A result is versioned with its command: a breaking result change needs a new command major."""
    return message_path(command).removesuffix(".json") + ".result.json"


def message_schema(message: type[Message]) -> Schema:
    """The model's schema plus what the wire needs beyond it (routing key, owner, kind)."""
    return {
        **message.model_json_schema(),
        "x-kind": kind(message),
        "x-owner": message.OWNER,
        "x-routing-key": message.ROUTING_KEY,
        "x-type": envelope_value(message, "type"),
        "x-version": envelope_value(message, "version"),
    }


def result_schema(command: type[Message], result: type[BaseModel]) -> Schema:
    """The result model's schema, labelled with the command that answers with it."""
    return {
        **result.model_json_schema(),
        "x-kind": "result",
        "x-owner": command.OWNER,
        "x-result-of": envelope_value(command, "type"),
        "x-version": envelope_value(command, "version"),
    }


def command_results() -> dict[type[Command], type[BaseModel]]:
    """Every owner's ``RESULTS`` map merged, so a new owner's results need no edit here."""
    results: dict[type[Command], type[BaseModel]] = {}
    for module in MODULES:
        results.update(getattr(module, "RESULTS", {}))
    return results


def schemas() -> dict[str, Schema]:
    """Every schema the current models define, by path relative to the schema directory."""
    results = command_results()
    found: dict[str, Schema] = {}
    for message in all_messages():
        found[message_path(message)] = message_schema(message)
        if issubclass(message, Command) and message in results:
            found[result_path(message)] = result_schema(message, results[message])
    for model in SHARED:
        found[f"shared/{model.__name__}.json"] = {**model.model_json_schema(), "x-kind": "shared"}
    return found


def index() -> Schema:
    """What travels where, for people and tools that should not parse every schema."""
    results = command_results()
    messages = []
    for message in all_messages():
        entry = {
            "kind": kind(message),
            "owner": message.OWNER,
            "routing_key": message.ROUTING_KEY,
            "schema": message_path(message),
            "type": envelope_value(message, "type"),
            "version": envelope_value(message, "version"),
        }
        if issubclass(message, Command) and message in results:
            entry["result"] = result_path(message)
        messages.append(entry)
    return {"messages": messages, "shared": [f"shared/{m.__name__}.json" for m in SHARED]}


def render(document: Schema) -> str:
    """Sorted keys and a trailing newline, so that the same models always give the same bytes."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_files() -> dict[str, str]:
    """The text every file under the schema directory should have, index included."""
    files = {path: render(schema) for path, schema in schemas().items()}
    files[INDEX] = render(index())
    return files


def committed_files(directory: Path) -> dict[str, str]:
    """The JSON files under ``directory`` as they are now, by relative path."""
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*.json"))
    }


def stale_files(directory: Path) -> list[str]:
    """Why the files under ``directory`` differ from the models, one line per file."""
    expected, committed = expected_files(), committed_files(directory)
    problems = [f"missing: {path}" for path in expected if path not in committed]
    problems += [
        f"out of date: {path}"
        for path, text in expected.items()
        if path in committed and committed[path] != text
    ]
    problems += [
        f"no model exports it (restore the model, or delete the file to retire it): {path}"
        for path in committed
        if path not in expected
    ]
    return problems


def write(directory: Path) -> list[str]:
    """Writes changed files and never deletes one: retiring an old major is a deliberate act."""
    written = []
    committed = committed_files(directory) if directory.exists() else {}
    for path, text in expected_files().items():
        if committed.get(path) != text:
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: write the schema files, or with ``--check`` report stale ones."""
    parser = argparse.ArgumentParser(prog="python -m contracts.schema_export")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="schema directory")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_files(args.dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python -m contracts.schema_export", file=sys.stderr)
        return 1 if problems else 0
    for path in write(args.dir):
        print(f"wrote {path}")
    for problem in stale_files(args.dir):
        print(problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
