"""A patient's progress over visits: the page, its chart and the outcome history as CSV."""

from __future__ import annotations

import csv
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import progress_store
from assessments.progress import progress_series, visit_cells
from assessments.progress_charts import progress_chart_svg
from assessments.views.diary import CHART_POLICY
from clinic.access import AuthenticatedHttpRequest, log_access, patient_for_user
from clinic.downloads import content_disposition
from clinic.models import AuditAction, Patient

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def chart_title(patient: Patient) -> str:
    return _("Progress over visits: %(name)s") % {"name": patient.display_name}


def _page_number(request: AuthenticatedHttpRequest, pages: int) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), pages)
    except ValueError:
        return 1


@require_GET
def patient_progress(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    log_access(request, patient, _("Opened the progress page"))
    overview = progress_store.overview(patient)
    size = progress_store.TABLE_ROWS
    pages = max(1, -(-overview.visits // size))
    page = _page_number(request, pages)
    visits = progress_store.recent_visits(patient, offset=(page - 1) * size)
    rows = [
        {"visit": visit, "cells": list(visit_cells(visit, overview.baselines).values())}
        for visit in visits
    ]
    measures = progress_series([])  # labels, units and MIDs, in the table's column order
    context = {
        "patient": patient,
        "overview": overview,
        "measures": measures,
        "with_mid": [m for m in measures if m.mid is not None],
        "without_mid": [m for m in measures if m.mid is None],
        "baselines": [
            {"measure": m, "value": overview.baselines[m.key], "on": overview.baseline_dates[m.key]}
            for m in measures
            if m.key in overview.baselines
        ],
        "rows": rows,
        "page": page,
        "pages": pages,
        "first_row": (page - 1) * size + 1,
        "last_row": (page - 1) * size + len(rows),
    }
    return render(request, "assessments/progress.html", context)


@require_GET
def patient_progress_chart(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    # A chart can be opened, saved or shared on its own: it is a read like any page.
    log_access(request, patient, _("Opened the progress chart"))
    series = progress_series(progress_store.patient_visits(patient))
    response = HttpResponse(
        progress_chart_svg(series, title=chart_title(patient)),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Security-Policy"] = CHART_POLICY
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = content_disposition("progress.svg", attachment=False)
    return response


@require_GET
def patient_outcomes_csv(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    log_access(
        request, patient, _("Exported the outcome history as CSV"), action=AuditAction.EXPORT
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = _UNSAFE_FILENAME.sub("_", patient.record_number).strip("._") or "patient"
    response["Content-Disposition"] = content_disposition(f"outcomes-{name}.csv", attachment=True)
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerows(progress_store.outcome_rows(progress_store.patient_visits(patient)))
    return response
