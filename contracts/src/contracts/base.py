"""The envelope every Clientele message shares, and the reply shape of commands.

A message names itself three ways: ``type`` (stable name, never reused), ``version``
(major version: bumped on any incompatible change) and ``ROUTING_KEY`` (where it travels,
which ends in the major version so that v1 and v2 can flow side by side).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Message(BaseModel):
    """Envelope fields shared by every event and command.

    Readers ignore fields they do not know (tolerant reader), so a producer may add an
    optional field before its consumers are redeployed.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    ROUTING_KEY: ClassVar[str]
    OWNER: ClassVar[str]

    message_id: UUID = Field(
        default_factory=uuid4,
        description="Unique per message; consumers use it to ignore redeliveries.",
    )
    occurred_at: AwareDatetime = Field(
        default_factory=lambda: datetime.now(UTC),
        description="When the fact happened or the command was issued (UTC with offset).",
    )
    shop_id: UUID = Field(description="The shop this message belongs to.")
    correlation_id: UUID = Field(
        default_factory=uuid4,
        description="Shared by every message caused by the same outside request.",
    )
    causation_id: UUID | None = Field(
        default=None, description="The message_id of the message that caused this one."
    )

    @classmethod
    def caused_by(cls, cause: Message, **fields: Any) -> Self:
        """Build a message that continues ``cause``'s conversation (same shop and correlation)."""
        fields.setdefault("shop_id", cause.shop_id)
        return cls(correlation_id=cause.correlation_id, causation_id=cause.message_id, **fields)


class Event(Message):
    """A fact that happened in the owning service; published on the events exchange."""


class Command(Message):
    """A request to the owning service, answered with a :class:`Reply`."""

    READ_ONLY: ClassVar[bool] = False
    """A query: changes nothing, so it is answered without the inbox (a repeat is harmless)."""

    deadline: AwareDatetime | None = Field(
        default=None, description="After this moment the caller no longer waits for an answer."
    )


class FieldError(BaseModel):
    """One bad input field and why it was refused."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    field: str = Field(description="Dotted path of the field, as the caller named it.")
    reason: str = Field(description="Why the value was refused, in plain English.")


class CommandError(BaseModel):
    """A refusal the caller can show; ``code`` is stable, ``status`` is the HTTP status to use."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str = Field(description="Stable machine-readable reason, e.g. 'email_taken'.")
    status: int = Field(description="HTTP status the gateway answers with.", ge=400, le=599)
    title: str = Field(description="Short summary of the problem type.")
    detail: str = Field(default="", description="Explanation specific to this request.")
    fields: list[FieldError] = Field(default_factory=list, description="Bad fields, if any.")
    retry_after: int | None = Field(
        default=None, description="Seconds after which the same command may succeed."
    )


ResultT = TypeVar("ResultT", bound=BaseModel)


class Reply(BaseModel, Generic[ResultT]):
    """The answer to a command: a result or an error, never both."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    ok: bool = Field(description="True when the command succeeded.")
    result: ResultT | None = Field(default=None, description="The command's result when ok.")
    error: CommandError | None = Field(default=None, description="Why it failed when not ok.")
