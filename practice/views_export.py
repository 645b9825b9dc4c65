"""Exports: the clinic admin's full export of their clinic (practice/clinic_export.py), and
one patient's FHIR R4 bundle (practice/fhir_export.py) from the patient or plan page."""

from __future__ import annotations

import json
import tempfile

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from careplans.access import plan_for_user
from careplans.models import CarePlan
from clinic.access import (
    AuthenticatedHttpRequest,
    clinic_for_admin,
    log_access,
    patient_for_user,
)
from clinic.downloads import content_disposition
from clinic.models import AuditAction, Patient
from practice.clinic_export import clinic_export_write, export_filename
from practice.fhir_export import ExportError, bundle_file_name, fhir_bundle

# One audit row per patient, written in slices (SQLite's limit on query parameters).
LOG_SLICE = 1000


@never_cache
@require_http_methods(["GET", "POST"])
def clinic_export(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse | FileResponse:
    clinic = clinic_for_admin(request, clinic_id)
    if request.method == "GET":
        return render(request, "practice/clinic_export.html", {"clinic": clinic})
    # Built in a temporary file (disk, not memory), which the response streams and closes.
    out = tempfile.TemporaryFile()
    patient_ids = clinic_export_write(clinic=clinic, user=request.user, out=out)
    what = _("Downloaded the clinic export")
    if not patient_ids:
        log_access(request, None, what, action=AuditAction.EXPORT, clinic=clinic)
    for start in range(0, len(patient_ids), LOG_SLICE):
        log_access(
            request,
            None,
            what,
            patient_ids=patient_ids[start : start + LOG_SLICE],
            action=AuditAction.EXPORT,
        )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export_filename(clinic, timezone.localdate()),
        content_type="application/zip",
    )


def _fhir_download(
    request: AuthenticatedHttpRequest, patient: Patient, plan: CarePlan | None, back: str
) -> HttpResponse:
    try:
        bundle = fhir_bundle(patient=patient, plan=plan)
    except ExportError as error:
        messages.error(request, _("No FHIR export: %(reason)s.") % {"reason": error})
        return redirect(back)
    log_access(request, patient, _("FHIR bundle"), action=AuditAction.EXPORT)
    response = HttpResponse(
        json.dumps(bundle, indent=2, ensure_ascii=False), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = content_disposition(
        bundle_file_name(patient), attachment=True
    )
    return response


# POST: a download of a record writes an audit row, which a link from elsewhere must not.
@never_cache
@require_http_methods(["POST"])
def patient_fhir_export(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """The patient's bundle: the assessment behind their latest signed plan, with it."""
    patient = patient_for_user(request, patient_id)
    return _fhir_download(request, patient, None, reverse("patient_detail", args=[patient.pk]))


@never_cache
@require_http_methods(["POST"])
def plan_fhir_export(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    """This plan version's bundle, with its assessment."""
    plan = plan_for_user(request, plan_id)
    return _fhir_download(request, plan.patient, plan, reverse("plan_detail", args=[plan.pk]))
