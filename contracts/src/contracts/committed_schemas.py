"""Holds the committed schema files to the current models: the gate against unversioned breaks.

``python -m contracts.committed_schemas`` checks the files in the working tree;
``--against origin/main`` checks the files as that git revision has them, which also catches
a breaking change whose schema file was regenerated in the same change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from contracts.compatibility import Schema, incompatibilities
from contracts.schema_export import INDEX, SCHEMA_DIR, schemas

HOW_TO_BUMP = (
    "A breaking change needs a new major version next to the old one "
    "(see 'Introducing v2 of a message' in contracts/README.md)."
)
MESSAGE_KINDS = ("event", "command")


def read_dir(directory: Path) -> dict[str, Schema]:
    """The schema files under ``directory`` (index left out), by relative path."""
    found: dict[str, Schema] = {}
    for path in sorted(directory.rglob("*.json")):
        relative = path.relative_to(directory).as_posix()
        if relative != INDEX:
            found[relative] = json.loads(path.read_text(encoding="utf-8"))
    return found


def read_git(revision: str, directory: Path) -> dict[str, Schema] | None:
    """The schema files under ``directory`` as ``revision`` has them; None if git cannot tell."""
    git = shutil.which("git")
    if git is None or not directory.is_dir():
        return None
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [git, *args], cwd=directory, env=env, capture_output=True, text=True, check=False
        )

    listing = run("ls-tree", "-r", "--name-only", revision, "--", ".")
    if listing.returncode != 0:
        return None
    found: dict[str, Schema] = {}
    for relative in listing.stdout.splitlines():
        if relative.endswith(".json") and relative != INDEX:
            shown = run("show", f"{revision}:./{relative}")
            if shown.returncode != 0:
                return None
            found[relative] = json.loads(shown.stdout)
    return found


def check_files(committed: Mapping[str, Schema], current: Mapping[str, Schema]) -> list[str]:
    """Each committed file must still describe a current model compatibly, and each model a file."""
    problems = []
    for path, stored in sorted(committed.items()):
        if path not in current:
            problems.append(
                f"{path}: no current model exports it; keep the model while anyone may still "
                "send this major version, or delete the file when the version is retired"
            )
            continue
        problems += [f"{path}: {change}" for change in incompatibilities(stored, current[path])]
    problems += [
        f"{path}: not exported yet; run python -m contracts.schema_export"
        for path in sorted(current.keys() - committed.keys())
    ]
    return problems


def check_against_base(base: Mapping[str, Schema], current: Mapping[str, Schema]) -> list[str]:
    """Like :func:`check_files` against an older revision: new files are fine, replacing one is not."""
    problems = []
    for path, stored in sorted(base.items()):
        if path in current:
            problems += [f"{path}: {change}" for change in incompatibilities(stored, current[path])]
        elif not _retired(stored, base, current):
            problems.append(
                f"{path}: removed in the same change that still uses or replaces it; keep the "
                "old major's model while anyone may still send it"
            )
    return problems


def _retired(stored: Schema, base: Mapping[str, Schema], current: Mapping[str, Schema]) -> bool:
    """A file may go only with its message, and not while a new major of that message arrives."""
    name = stored.get("x-type", stored.get("x-result-of"))
    if name is None:
        return False
    for path, schema in current.items():
        same_message = schema.get("x-kind") in MESSAGE_KINDS and schema.get("x-type") == name
        if same_message and (
            schema.get("x-version") == stored.get("x-version") or path not in base
        ):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: exit 1 listing every breaking change, exit 2 if git cannot answer."""
    parser = argparse.ArgumentParser(prog="python -m contracts.committed_schemas")
    parser.add_argument("--against", metavar="REVISION", help="compare with a git revision")
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="schema directory")
    args = parser.parse_args(argv)
    if args.against is None:
        problems = check_files(read_dir(args.dir), schemas())
    else:
        base = read_git(args.against, args.dir)
        if base is None:
            print(f"cannot read {args.dir} at {args.against} with git", file=sys.stderr)
            return 2
        problems = check_against_base(base, schemas())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(HOW_TO_BUMP, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
