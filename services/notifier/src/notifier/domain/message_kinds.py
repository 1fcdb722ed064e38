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
    "order_confirmation",
    "order_confirmation_copy",
    "order_notice",
    "order_status",
    "order_status_copy",
    "data_rejected",
    "invoice",
    "invoice_copy",
]
"""Template name of a queued message (``templates/<language>/<kind>.*``).

A ``*_copy`` kind is the partner's copy of the customer's email of the same name (N4): the
same body under a notice saying whose email it copies, in the partner's language.
"""

MESSAGE_KINDS: tuple[MessageKind, ...] = get_args(MessageKind)
