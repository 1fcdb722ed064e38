"""The gate: a contract changed incompatibly without a new major version fails here."""

import os

from contracts.committed_schemas import (
    HOW_TO_BUMP,
    check_against_base,
    check_files,
    read_dir,
    read_git,
)
from contracts.schema_export import SCHEMA_DIR, schemas


def test_every_contract_is_compatible_with_its_committed_schema() -> None:
    problems = check_files(read_dir(SCHEMA_DIR), schemas())

    assert not problems, "\n".join([*problems, HOW_TO_BUMP])


def test_every_contract_is_compatible_with_the_base_revision() -> None:
    """Catches a break whose schema file was regenerated too; CI sets the base to the target branch."""
    revision = os.environ.get("CONTRACTS_BASE_REVISION", "HEAD")
    base = read_git(revision, SCHEMA_DIR)
    assert base, f"no schema files committed at {revision}: the gate has nothing to compare with"

    problems = check_against_base(base, schemas())

    assert not problems, "\n".join([*problems, HOW_TO_BUMP])
