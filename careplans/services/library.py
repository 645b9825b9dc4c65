"""Writes for the intervention library: install the standard entries, add and edit them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from careplans.library import WORDING_FIELDS, entry_errors, load_library_entries
from careplans.models import Intervention, WordingStatus
from careplans.services.library_texts import intervention_texts_install
from clinic.models import Clinic

LIBRARY_FIELDS: tuple[str, ...] = (
    "category",
    "title",
    "patient_text",
    "patient_text_vulva",
    "patient_text_penis",
    "clinician_text",
    "default_dosing",
    "source",
)


EDITABLE_FIELDS: tuple[str, ...] = (*LIBRARY_FIELDS[1:], "drawing", "is_active")


def _check(intervention: Intervention) -> None:
    intervention.full_clean()
    entry = {name: getattr(intervention, name) for name in ("code", *LIBRARY_FIELDS)}
    if errors := entry_errors(entry):
        raise ValidationError(errors)


@transaction.atomic
def library_install(*, clinic: Clinic, update: bool = False) -> int:
    """Copy the fixture's entries into a clinic's library; returns how many were added.

    Codes the clinic already has keep the clinic's wording, so running it twice adds
    nothing; only an empty ``clinician_text`` is filled from the fixture (the letter
    wording came after the first libraries were installed, and an empty one is nothing a
    clinic wrote). With ``update=True`` those existing entries are overwritten with the
    fixture's wording, dosing and source, including any edits the clinic made; whether an
    entry is offered (``is_active``) is kept. Entries the clinic added itself are never
    touched. The entries' texts in other languages come along as drafts
    (``intervention_texts_install``).
    """
    entries = load_library_entries()
    existing = {i.code: i for i in Intervention.objects.filter(clinic=clinic)}
    added = 0
    for entry in entries:
        fields = {name: entry[name] for name in (*LIBRARY_FIELDS, "drawing")}
        intervention = existing.get(entry["code"])
        if intervention is None:
            intervention = Intervention(clinic=clinic, code=entry["code"], **fields)
            _check(intervention)
            intervention.save()
            added += 1
            continue
        if not update:
            # Only what no clinic wrote is filled: an empty letter wording, a missing picture
            # (the pictures came after the first libraries were installed, like the wording).
            fields = {
                name: entry[name]
                for name in ("clinician_text", "drawing")
                if entry[name] and not getattr(intervention, name).strip()
            }
            if not fields:
                continue
        for name, value in fields.items():
            setattr(intervention, name, value)
        _check(intervention)
        intervention.save(update_fields=list(fields))
    # The same entries' shipped wording in the other languages, as drafts to review.
    intervention_texts_install(clinic=clinic, update=update)
    return added


@transaction.atomic
def intervention_create(
    *,
    clinic: Clinic,
    code: str,
    category: str,
    title: str,
    patient_text: str,
    source: str,
    patient_text_vulva: str = "",
    patient_text_penis: str = "",
    clinician_text: str = "",
    default_dosing: Mapping[str, int] | None = None,
    drawing: str = "",
    is_active: bool = True,
) -> Intervention:
    intervention = Intervention(
        clinic=clinic,
        code=code,
        category=category,
        title=title,
        patient_text=patient_text,
        patient_text_vulva=patient_text_vulva,
        patient_text_penis=patient_text_penis,
        clinician_text=clinician_text,
        default_dosing=dict(default_dosing or {}),
        source=source,
        drawing=drawing,
        is_active=is_active,
    )
    _check(intervention)
    intervention.save()
    return intervention


@transaction.atomic
def intervention_update(*, intervention: Intervention, **fields: Any) -> Intervention:
    """Change an entry's wordings (patient and clinician), dosing, source or whether it is
    offered.

    The code and the category stay: scripts and the builder look entries up by code.
    Entries are never deleted; ``is_active=False`` stops offering one.
    """
    not_editable = sorted(set(fields) - set(EDITABLE_FIELDS))
    if not_editable:
        raise ValueError(f"cannot change {', '.join(not_editable)} of a library entry")
    changed_wording = any(
        getattr(intervention, name) != value
        for name, value in fields.items()
        if name in TRANSLATED_FIELDS
    )
    for name, value in fields.items():
        setattr(intervention, name, value)
    _check(intervention)
    if fields:
        intervention.save(update_fields=list(fields))
    if changed_wording:
        # The translations said what the English said: until someone fluent checks them
        # against the new English, they are drafts again (and the plan page says so).
        intervention.texts.update(status=WordingStatus.DRAFTED, reviewed_by=None, reviewed_at=None)
    return intervention


# What a translation renders: a change to any of these in English makes it a draft again.
TRANSLATED_FIELDS = frozenset({"title", *WORDING_FIELDS, "default_dosing"})
