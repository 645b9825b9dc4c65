"""Writes for the letter-recipient directory; entries are never deleted."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from careplans.models import Recipient
from clinic.models import Clinic

EDITABLE_FIELDS: tuple[str, ...] = ("kind", "name", "address", "is_active")


def _tidy(fields: dict[str, Any]) -> dict[str, Any]:
    # A name of spaces is no name: strip, so full_clean() refuses it as blank.
    return {
        name: value.strip() if name in ("name", "address") and isinstance(value, str) else value
        for name, value in fields.items()
    }


@transaction.atomic
def recipient_create(*, clinic: Clinic, kind: str, name: str, address: str = "") -> Recipient:
    recipient = Recipient(clinic=clinic, **_tidy({"kind": kind, "name": name, "address": address}))
    recipient.full_clean()
    recipient.save()
    return recipient


@transaction.atomic
def recipient_update(*, recipient: Recipient, **fields: Any) -> Recipient:
    """Change a recipient's kind, name, address or whether it is in use; the clinic stays."""
    not_editable = sorted(set(fields) - set(EDITABLE_FIELDS))
    if not_editable:
        raise ValueError(f"cannot change {', '.join(not_editable)} of a letter recipient")
    fields = _tidy(fields)
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.full_clean()
    if fields:
        recipient.save(update_fields=list(fields))
    return recipient
