"""The clinic's directory of letter recipients (clinical reference, section 9): who a
referral letter to each kind of service is addressed to.

Clinic admins keep it; the letters code reads it through ``default_recipient``. Entries
are never deleted: ``is_active=False`` takes one out of use and keeps it for the record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from careplans.models import Recipient
from clinic.models import Clinic

EDITABLE_FIELDS: tuple[str, ...] = ("kind", "name", "address", "is_active")


# --- Reads ----------------------------------------------------------------------------------


def recipients_for_clinic(
    *, clinic_id: int, kind: str | None = None, active_only: bool = True
) -> QuerySet[Recipient]:
    """A clinic's recipients, by kind then name; only those in use unless told otherwise."""
    recipients = Recipient.objects.filter(clinic_id=clinic_id)
    if kind is not None:
        recipients = recipients.filter(kind=kind)
    if active_only:
        recipients = recipients.filter(is_active=True)
    return recipients.order_by("kind", "name", "id")


def default_recipient(*, clinic_id: int, kind: str) -> Recipient | None:
    """The recipient a new letter to this kind of service is addressed to: the first one
    in use, by name; ``None`` when the clinic has none."""
    return recipients_for_clinic(clinic_id=clinic_id, kind=kind).first()


# --- Writes ---------------------------------------------------------------------------------


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
