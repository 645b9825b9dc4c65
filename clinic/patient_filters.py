"""The patient list's filters, shared by the list on screen and its CSV export, so that an
export holds exactly the patients the list showed."""

from __future__ import annotations

from clinic.forms import PatientFilterForm
from clinic.models import PatientQuerySet


def filtered_patients(patients: PatientQuerySet, form: PatientFilterForm) -> PatientQuerySet:
    """``patients`` (already scoped to the user's clinics) as the filter form asks; a form
    with bad values filters on nothing but the status default: current patients."""
    status = "active"
    if form.is_valid():
        status = form.cleaned_data["status"] or "active"
        patients = patients.search(form.cleaned_data["q"])
        if form.cleaned_data["therapist"]:
            patients = patients.filter(assigned_therapist=form.cleaned_data["therapist"])
    if status == "active":
        return patients.active()
    if status == "archived":
        return patients.archived()
    return patients
