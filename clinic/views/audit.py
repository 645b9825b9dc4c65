"""The clinic admin's audit report: who read or changed which patient's records, and who
signed in, filtered on screen and exported as CSV. Reading it is itself logged."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clinic.access import AuthenticatedHttpRequest, clinic_for_admin, log_access
from clinic.csv_rows import csv_safe
from clinic.forms_audit import AuditFilterForm
from clinic.models import AccessLog, AuditAction
from clinic.selectors_audit import audit_csv_rows, audit_page, audit_rows

ROWS_PER_PAGE = 50
# Far enough for any real use; a page number beyond it is a typing slip, not a request
# to skip millions of rows.
LAST_PAGE = 10_000


def _page_number(request: AuthenticatedHttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), LAST_PAGE)
    except ValueError:
        return 1


def _filters_query(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def audit_report(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    form = AuditFilterForm(request.GET or None, clinic=clinic)
    query = _filters_query(request)
    log_access(request, None, _("Opened the audit report"), clinic=clinic, query=query)
    rows: list[AccessLog] = []
    more, number = False, _page_number(request)
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        rows, more = audit_page(audit_rows(clinic, filters), number=number, size=ROWS_PER_PAGE)
    return render(
        request,
        "clinic/audit_report.html",
        {
            "clinic": clinic,
            "form": form,
            "rows": rows,
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if more and number < LAST_PAGE else None,
            "query": query,
            "time_zone": settings.TIME_ZONE,
        },
    )


class _Echo:
    """csv.writer's file: hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("When"),
            _("User name"),
            _("Full name"),
            _("Role"),
            _("Action"),
            _("What"),
            _("Patient record number"),
            _("Search"),
            _("Address"),
            _("Page"),
        ]
    )
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


@require_GET
def audit_export(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponseBase:
    clinic = clinic_for_admin(request, clinic_id)
    form = AuditFilterForm(request.GET or None, clinic=clinic)
    if form.is_bound and not form.is_valid():
        # The report shows what is wrong with the filters.
        return redirect(f"{reverse('audit_report', args=[clinic.pk])}?{request.GET.urlencode()}")
    query = _filters_query(request)
    log_access(
        request,
        None,
        _("Exported the audit report as CSV"),
        clinic=clinic,
        action=AuditAction.EXPORT,
        query=query,
    )
    rows = audit_rows(clinic, form.cleaned_data if form.is_bound else {})
    filename = f"audit-{clinic.pk}-{timezone.localdate().isoformat()}.csv"
    return StreamingHttpResponse(
        (line.encode() for line in _csv_lines(audit_csv_rows(rows))),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(True, filename),
            "Cache-Control": "no-store, private",
        },
    )
