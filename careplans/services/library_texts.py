"""Writes for an intervention's wording in another language: install the shipped drafts,
and a clinic admin's edits and reviews."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careplans.library import TEXT_FIELDS, load_library_texts, translation_errors
from careplans.models import (
    TRANSLATED_LANGUAGES,
    Intervention,
    InterventionText,
    WordingStatus,
)
from clinic.models import Clinic

TEXT_WORDING_FIELDS: tuple[str, ...] = ("title", *TEXT_FIELDS, "clinician_text")


def _check(text: InterventionText) -> None:
    text.full_clean()
    entry = {
        "code": text.intervention.code,
        "category": text.intervention.category,
        "default_dosing": text.intervention.default_dosing,
        "source": "-",
        **{name: getattr(text.intervention, name) for name in TEXT_FIELDS},
    }
    wording = {name: getattr(text, name) for name in TEXT_WORDING_FIELDS}
    if errors := translation_errors(wording, entry):
        raise ValidationError(errors)


@transaction.atomic
def intervention_texts_install(*, clinic: Clinic, update: bool = False) -> int:
    """Add the shipped translations (as drafts) of the clinic's standard entries that have
    none in that language; returns how many were added.

    A text someone at the clinic edited or reviewed is never overwritten. With
    ``update=True`` the drafts nobody touched are refreshed from the files.
    """
    entries = {i.code: i for i in Intervention.objects.filter(clinic=clinic)}
    existing = {
        (t.intervention_id, t.language): t
        for t in InterventionText.objects.filter(intervention__clinic=clinic)
    }
    added = 0
    for language, _name in TRANSLATED_LANGUAGES:
        for code, shipped in load_library_texts(language).items():
            intervention = entries.get(code)
            if intervention is None:
                continue
            wording = {name: shipped[name] for name in TEXT_WORDING_FIELDS}
            text = existing.get((intervention.pk, language))
            if text is None:
                text = InterventionText(intervention=intervention, language=language, **wording)
                _check(text)
                text.save()
                added += 1
                continue
            untouched = text.edited_at is None and text.status == WordingStatus.DRAFTED
            if update and untouched:
                for name, value in wording.items():
                    setattr(text, name, value)
                _check(text)
                text.save(update_fields=list(wording))
    return added


@transaction.atomic
def intervention_text_save(
    *,
    intervention: Intervention,
    language: str,
    user: User,
    reviewed: bool,
    title: str,
    patient_text: str,
    patient_text_vulva: str = "",
    patient_text_penis: str = "",
    clinician_text: str = "",
) -> InterventionText:
    """Save a clinic admin's wording of an entry in ``language``.

    Ticking "reviewed" records who and when; saving changes without it makes the text a
    draft again (clinical reference, section 10: reviewed means a clinician read this
    wording). Saving a reviewed text unchanged and still ticked keeps its review.
    """
    wording = {
        "title": title,
        "patient_text": patient_text,
        "patient_text_vulva": patient_text_vulva,
        "patient_text_penis": patient_text_penis,
        "clinician_text": clinician_text,
    }
    text = (
        InterventionText.objects.select_for_update()
        .filter(intervention=intervention, language=language)
        .first()
    ) or InterventionText(intervention=intervention, language=language)
    changed = text.pk is None or any(getattr(text, k) != v for k, v in wording.items())
    if not changed and reviewed == (text.status == WordingStatus.REVIEWED):
        return text
    now = timezone.now()
    for name, value in wording.items():
        setattr(text, name, value)
    if changed:
        text.edited_by, text.edited_at = user, now
    if reviewed and (changed or text.status != WordingStatus.REVIEWED):
        text.status, text.reviewed_by, text.reviewed_at = WordingStatus.REVIEWED, user, now
    elif not reviewed:
        text.status, text.reviewed_by, text.reviewed_at = WordingStatus.DRAFTED, None, None
    _check(text)
    text.save()
    return text
