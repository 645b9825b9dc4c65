"""Patients in and out as CSV: the clinic admin's import (upload, preview, import) and the
export of the patient list as filtered on screen."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import patient_csv
from clinic.access import AuthenticatedHttpRequest, clinic_for_admin, clinics_for, log_access
from clinic.downloads import content_disposition
from clinic.forms import PatientFilterForm
from clinic.forms_staff import PatientImportConfirmForm, PatientImportForm
from clinic.models import AuditAction, Clinic, Patient, PatientQuerySet, Role
from clinic.patient_filters import filtered_patients
from clinic.services import patient_import as import_services
from clinic.uploads import refuse_oversized

# A table of more problems than this helps no one; the counts by column cover them all.
MAX_PROBLEMS_SHOWN = 1_000
EXPORT_LINES_PER_CHUNK = 500


def _wants_json(request: AuthenticatedHttpRequest) -> bool:
    # import.js uploads with XMLHttpRequest (for its progress bar) and asks for JSON.
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def patient_import(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    if request.method == "GET":
        return render(request, "clinic/import_upload.html", _upload_context(clinic))
    form = PatientImportForm(request.POST, request.FILES)
    refuse_oversized(request, form)
    if form.is_valid():
        token = import_services.import_upload_store(
            clinic=clinic, user=request.user, data=form.file_bytes()
        )
        url = reverse("patient_import_preview", args=[clinic.pk, token])
        return JsonResponse({"location": url}) if _wants_json(request) else redirect(url)
    if _wants_json(request):
        problems = [str(message) for errors in form.errors.values() for message in errors]
        return JsonResponse({"errors": problems}, status=400)
    return render(request, "clinic/import_upload.html", _upload_context(clinic, form))


def _upload_context(clinic: Clinic, form: PatientImportForm | None = None) -> dict[str, Any]:
    return {
        "clinic": clinic,
        "form": form or PatientImportForm(),
        "columns": patient_csv.COLUMNS,
        "required": patient_csv.REQUIRED,
        "max_bytes": patient_csv.MAX_FILE_BYTES,
        "max_mb": patient_csv.MAX_FILE_BYTES // 1_000_000,
    }


@require_GET
def patient_import_preview(
    request: AuthenticatedHttpRequest, clinic_id: int, token: str
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    try:
        data = import_services.import_upload_read(token=token, clinic=clinic, user=request.user)
    except import_services.UploadGone:
        return _upload_gone(request, clinic.pk)
    preview = import_services.patient_import_preview(clinic=clinic, data=data)
    if not preview.ready and not preview.bad_rows_available:
        # Nothing can come of it: a corrected file will be uploaded anyway.
        import_services.import_upload_discard(token=token, clinic=clinic, user=request.user)
    context = {
        **_upload_context(clinic),
        "preview": preview,
        "token": token,
        "problems": preview.errors[:MAX_PROBLEMS_SHOWN],
        "problems_not_shown": max(0, len(preview.errors) - MAX_PROBLEMS_SHOWN),
        "by_column": preview.errors_by_column(),
    }
    return render(request, "clinic/import_preview.html", context)


@require_POST
def patient_import_confirm(
    request: AuthenticatedHttpRequest, clinic_id: int, token: str
) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    try:
        data = import_services.import_upload_read(token=token, clinic=clinic, user=request.user)
    except import_services.UploadGone:
        return _upload_gone(request, clinic.pk)
    form = PatientImportConfirmForm(request.POST)
    good_rows = form.cleaned_data["good_rows"] if form.is_valid() else None
    bad = ""
    try:
        if good_rows is None:
            count = import_services.patient_import(clinic=clinic, data=data)
        else:
            count, bad = import_services.patient_import_good_rows(
                clinic=clinic, data=data, good_rows=good_rows
            )
    except import_services.ImportRefused:
        messages.error(
            request,
            _("Nothing was imported: the clinic's records changed since the check. See below."),
        )
        return redirect("patient_import_preview", clinic_id=clinic.pk, token=token)
    import_services.import_upload_discard(token=token, clinic=clinic, user=request.user)
    log_access(
        request,
        None,
        _("Imported %(count)d patients from a CSV file") % {"count": count},
        action=AuditAction.IMPORT,
        clinic=clinic,
    )
    imported = ngettext(
        "%(count)d patient was imported into %(clinic)s.",
        "%(count)d patients were imported into %(clinic)s.",
        count,
    ) % {"count": count, "clinic": clinic.name}
    if not bad:
        messages.success(request, imported)
        return redirect("patient_list")
    # The skipped rows wait, as a file of their own, to be downloaded, fixed and uploaded.
    skipped = import_services.import_upload_store(
        clinic=clinic, user=request.user, data=bad.encode()
    )
    messages.success(
        request,
        imported
        + " "
        + _(
            "The rows with problems were skipped: download them below, correct them and "
            "upload the file again."
        ),
    )
    return redirect("patient_import_preview", clinic_id=clinic.pk, token=skipped)


@require_GET
def patient_import_bad_rows(
    request: AuthenticatedHttpRequest, clinic_id: int, token: str
) -> HttpResponse:
    """The uploaded file's rows with problems, as CSV with a column naming each problem."""
    clinic = clinic_for_admin(request, clinic_id)
    try:
        data = import_services.import_upload_read(token=token, clinic=clinic, user=request.user)
    except import_services.UploadGone:
        return _upload_gone(request, clinic.pk)
    text = import_services.patient_import_bad_rows(clinic=clinic, data=data)
    if not text:
        messages.error(request, _("This file has no rows with problems to download."))
        return redirect("patient_import_preview", clinic_id=clinic.pk, token=token)
    log_access(
        request,
        None,
        _("Downloaded the rows with problems of a patient import file"),
        action=AuditAction.IMPORT,
        clinic=clinic,
    )
    response = HttpResponse(text.encode(), content_type="text/csv; charset=utf-8")
    filename = f"patients-with-problems-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition(filename, attachment=True)
    response["Cache-Control"] = "no-store"
    return response


def _upload_gone(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    messages.error(
        request,
        _(
            "That upload is no longer available: it was imported, found unusable, or is more "
            "than two hours old. Please upload the file again."
        ),
    )
    return redirect("patient_import", clinic_id=clinic_id)


@require_GET
def patient_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The patient list as filtered on screen (all pages), for clinic admins: patients of
    the clinics they administer."""
    admin_clinics = clinics_for(request, roles=(Role.CLINIC_ADMIN,))
    administered = [c.pk for c in admin_clinics]
    if not administered:
        raise PermissionDenied(_("Only a clinic admin can export the patient list."))
    form = PatientFilterForm(request.GET or None, clinics=clinics_for(request))
    patients = filtered_patients(Patient.objects.in_clinics(administered), form)
    # Logged before a line leaves: a row for each exported patient (one INSERT a clinic),
    # or the clinic's own row when the export holds nobody.
    searched = form.cleaned_data["q"] if form.is_valid() else request.GET.get("q", "")
    for clinic in admin_clinics:
        log_access(
            request,
            None,
            _("Exported the patient list as CSV"),
            patient_ids=patients.filter(clinic=clinic).values_list("pk", flat=True),
            action=AuditAction.EXPORT,
            clinic=clinic,
            query=searched,
        )
    response = StreamingHttpResponse(
        _chunks(patient_csv.patient_csv_lines(_rows(patients))),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"patients-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition(filename, attachment=True)
    response["Cache-Control"] = "no-store"
    return response


# The import's columns, read from the model: the therapist by username.
_EXPORTED = tuple(
    "assigned_therapist__username" if column == "therapist" else column
    for column in patient_csv.COLUMNS
)


def _rows(patients: PatientQuerySet) -> Iterator[patient_csv.PatientRow]:
    for values in patients.values_list(*_EXPORTED).iterator(chunk_size=2_000):
        *fields, therapist = values
        # One starred tuple: mypy cannot place an argument after *fields.
        yield patient_csv.PatientRow(0, *(*fields, therapist or ""))


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == EXPORT_LINES_PER_CHUNK:
            yield "".join(batch).encode()
            batch = []
    yield "".join(batch).encode()
