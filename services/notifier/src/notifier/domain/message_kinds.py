"""Every kind of email the notifier queues; each one has templates in every language."""

from __future__ import annotations

from typing import Literal, get_args

MessageKind = Literal[
    "verification_code",
    "invitation",
    "password_reset",
    "email_change_code",
    "welcome",
    "account_deleted",
    "registration_copy",
    "system_change_report",
]
"""Template name of a queued message (``templates/<language>/<kind>.*``)."""

MESSAGE_KINDS: tuple[MessageKind, ...] = get_args(MessageKind)
