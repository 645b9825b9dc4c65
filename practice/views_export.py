"""The clinic admin's full export of their clinic (practice/clinic_export.py)."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.access import AuthenticatedHttpRequest, clinic_for_admin, log_access
from clinic.models import AuditAction
from practice.clinic_export import clinic_export_write, export_filename

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
