"""The checker catches each kind of breaking change, made to copies of real contracts."""

from __future__ import annotations

from typing import Any, Literal, TypeVar, get_args
from uuid import UUID

import pytest
from pydantic import BaseModel, ConfigDict, Field, create_model

from contracts import Command, Event, Reply
from contracts.base import Message
from contracts.committed_schemas import check_against_base, check_files
from contracts.compatibility import Incompatibility, incompatibilities
from contracts.customers import CustomerRegistered, CustomerRegistration, RegisterCustomer
from contracts.gateway import Language
from contracts.schema_export import message_path, message_schema


class StrictModel(BaseModel):
    """Base for copies of plain result models, configured like the originals."""

    model_config = ConfigDict(extra="ignore", frozen=True)


ModelT = TypeVar("ModelT", bound=BaseModel)


def variant(
    model: type[ModelT], base: type[ModelT], *, drop: tuple[str, ...] = (), **fields: Any
) -> type[ModelT]:
    """A copy of ``model`` with fields dropped or redefined, as a careless edit would leave it."""
    kept: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in model.model_fields.items()
        if name not in drop and name not in fields
    }
    copy = create_model(model.__name__, __base__=base, __doc__=model.__doc__, **kept, **fields)
    for constant in ("OWNER", "ROUTING_KEY"):
        if hasattr(model, constant):
            setattr(copy, constant, getattr(model, constant))
    return copy


def registered(**changes: Any) -> type[Message]:
    """``CustomerRegistered`` with ``changes`` (``drop=...`` or field definitions)."""
    return variant(CustomerRegistered, Event, **changes)


def check(model: type[Message]) -> list[Incompatibility]:
    return incompatibilities(message_schema(CustomerRegistered), message_schema(model))


BREAKING = [
    pytest.param(
        registered(drop=("email",)),
        [Incompatibility("email", "field removed")],
        id="field-removed",
    ),
    pytest.param(
        registered(customer_number=(str, Field())),
        [Incompatibility("customer_number", "type changed from integer to string")],
        id="field-retyped",
    ),
    pytest.param(
        registered(customer_id=(str, Field())),
        [Incompatibility("customer_id", "format changed from 'uuid' to None")],
        id="format-changed",
    ),
    pytest.param(
        registered(language=(Literal["en"], Field())),
        [
            Incompatibility(
                "language",
                "no longer accepts "
                + ", ".join(f'"{v}"' for v in sorted(get_args(Language)) if v != "en"),
            )
        ],
        id="literal-value-removed",
    ),
    pytest.param(
        registered(loyalty_tier=(str, Field())),
        [Incompatibility("loyalty_tier", "new required field")],
        id="new-required-field",
    ),
    pytest.param(
        registered(message_id=(UUID, Field())),
        [Incompatibility("message_id", "field became required")],
        id="field-became-required",
    ),
    pytest.param(
        registered(causation_id=(UUID, Field(default=None))),
        [Incompatibility("causation_id", "type changed from null | string to string")],
        id="optional-lost-null",
    ),
    pytest.param(
        registered(first_name=(str, Field(min_length=1))),
        [Incompatibility("first_name", "minLength tightened from None to 1")],
        id="bound-added",
    ),
    pytest.param(
        registered(email=(str, Field(pattern=r"^\S+@\S+$"))),
        [Incompatibility("email", "pattern changed from None to '^\\\\S+@\\\\S+$'")],
        id="pattern-added",
    ),
    pytest.param(
        registered(type=(Literal["CustomerSignedUp"], "CustomerSignedUp")),
        [
            Incompatibility(
                "", "type name changed from 'CustomerRegistered' to 'CustomerSignedUp'"
            ),
            Incompatibility("type", 'no longer accepts "CustomerRegistered"'),
        ],
        id="type-name-changed",
    ),
]


@pytest.mark.parametrize(("model", "expected"), BREAKING)
def test_catches_breaking_change(model: type[Message], expected: list[Incompatibility]) -> None:
    assert check(model) == expected


def test_catches_changed_routing_key() -> None:
    moved = registered()
    moved.ROUTING_KEY = "customers.customer.signed_up.v1"

    assert check(moved) == [
        Incompatibility(
            "",
            f"routing key changed from {CustomerRegistered.ROUTING_KEY!r}"
            " to 'customers.customer.signed_up.v1'",
        )
    ]


def test_follows_refs_into_nested_models_behind_optionals() -> None:
    class SlimmerRegistration(StrictModel):
        """``CustomerRegistration`` without ``verification_required``."""

        customer_id: UUID
        customer_number: int

    changes = incompatibilities(
        Reply[CustomerRegistration].model_json_schema(),
        Reply[SlimmerRegistration].model_json_schema(),
    )

    assert changes == [Incompatibility("result.verification_required", "field removed")]


def test_walks_recursive_models_once() -> None:
    class Node(StrictModel):
        """A tree, whose schema refers to itself."""

        label: str
        children: list[Node] = []

    class LooseNode(StrictModel):
        """The same tree with a label that may be a number too."""

        label: str | int
        children: list[LooseNode] = []

    assert incompatibilities(Node.model_json_schema(), LooseNode.model_json_schema()) == [
        Incompatibility("label", "type changed from string to integer | string")
    ]


LANGUAGES_AND_LATIN: Any = Literal[(*get_args(Language), "la")]

COMPATIBLE = [
    pytest.param(registered(), id="unchanged"),
    pytest.param(registered(referrer=(str | None, None)), id="optional-field-added"),
    pytest.param(registered(nickname=(str, "")), id="field-with-default-added"),
    pytest.param(registered(language=(LANGUAGES_AND_LATIN, Field())), id="literal-value-added"),
    pytest.param(
        registered(customer_number=(int, Field(description="Reworded."))),
        id="bound-dropped-and-description-changed",
    ),
]


@pytest.mark.parametrize("model", COMPATIBLE)
def test_accepts_compatible_change(model: type[Message]) -> None:
    assert check(model) == []


def test_compares_command_envelope_fields_too() -> None:
    hurried = variant(RegisterCustomer, Command, deadline=(str, Field()))

    changes = incompatibilities(message_schema(RegisterCustomer), message_schema(hurried))

    assert Incompatibility("deadline", "field became required") in changes


def version_2() -> type[Message]:
    """``CustomerRegistered`` v2 without ``email``: breaking, but as a new major it may be."""
    model = registered(drop=("email",), version=(Literal[2], 2))
    model.ROUTING_KEY = "customers.customer.registered.v2"
    return model


def files(*models: type[Message]) -> dict[str, dict[str, Any]]:
    return {message_path(model): message_schema(model) for model in models}


def test_new_major_next_to_the_old_one_passes() -> None:
    committed = files(CustomerRegistered, version_2())

    assert check_files(committed, files(CustomerRegistered, version_2())) == []
    assert (
        check_against_base(files(CustomerRegistered), files(CustomerRegistered, version_2())) == []
    )


def test_old_major_without_its_model_is_an_orphan() -> None:
    problems = check_files(files(CustomerRegistered, version_2()), files(version_2()))

    assert [problem.split(":")[0] for problem in problems] == [
        "customers/CustomerRegistered.v1.json"
    ]


def test_bumping_the_major_in_place_fails_even_if_the_old_file_is_deleted() -> None:
    problems = check_against_base(files(CustomerRegistered), files(version_2()))

    assert [problem.split(":")[0] for problem in problems] == [
        "customers/CustomerRegistered.v1.json"
    ]


def test_retiring_an_old_major_after_the_new_one_shipped_passes() -> None:
    base = files(CustomerRegistered, version_2())

    assert check_against_base(base, files(version_2())) == []


def test_model_not_exported_yet_is_reported() -> None:
    problems = check_files({}, files(CustomerRegistered))

    assert problems == [
        "customers/CustomerRegistered.v1.json: not exported yet; "
        "run python -m contracts.schema_export"
    ]
