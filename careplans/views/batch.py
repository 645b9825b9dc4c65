"""Batch printing: choose patients, follow the job, download the result. Clinic admins only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, QuerySet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from careplans import selectors
from careplans.access import batch_for_admin
from careplans.forms_batch import PICKS, BatchFilterForm, BatchSelectForm, list_query
from careplans.models import BatchPrint
from careplans.services import batch as batches
from clinic.access import AuthenticatedHttpRequest, clinic_for_admin, log_access
from clinic.models import AuditAction, Clinic, Patient, PatientQuerySet

# The selection page shows how many patients are selected and this many of their names.
PREVIEW = 8
# A queued batch still waiting after this long: say that the worker may not be running.
WAITING_HINT_AFTER_SECONDS = 20


# --- The selection, kept in the session per clinic while the admin pages and searches.


def _session_key(clinic: Clinic) -> str:
    return f"batch_selection_{clinic.pk}"


def _selected(request: AuthenticatedHttpRequest, clinic: Clinic) -> list[int]:
    return list(request.session.get(_session_key(clinic), []))


def _keep(request: AuthenticatedHttpRequest, clinic: Clinic, ids: list[int]) -> None:
    request.session[_session_key(clinic)] = ids


def _picked(clinic: Clinic, pick: str) -> PatientQuerySet:
    """The patients of a quick pick: by default those with a signed plan (only a signed
    plan prints); "all" for every current patient."""
    if pick == "all":
        return Patient.objects.filter(clinic=clinic).active()
    if pick == "overdue":
        return selectors.patients_with_reviews(clinic, pick, timezone.localdate())
    patients = Patient.objects.filter(clinic=clinic).active()
    if pick == "week":
        patients = selectors.patients_with_reviews(clinic, pick, timezone.localdate())
    return patients.filter(Exists(selectors.latest_signed_plans()))


def _listed(clinic: Clinic, pick: str, q: str) -> PatientQuerySet:
    return _picked(clinic, pick).search(q)


def batch_print_new(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    filters = BatchFilterForm(request.GET)
    pick, q = ("", "")
    if filters.is_valid():
        pick, q = filters.cleaned_data["pick"], filters.cleaned_data["q"]
    patients = _listed(clinic, pick, q)
    if request.method == "POST":
        return _select(request, clinic, patients)
    page = Paginator(selectors.with_print_info(patients), settings.PATIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    selected = _selected(request, clinic)
    preview = list(Patient.objects.filter(clinic=clinic, pk__in=selected)[:PREVIEW])
    log_access(
        request,
        None,
        _("Listed patients for batch printing"),
        patient_ids={p.pk for p in page.object_list} | {p.pk for p in preview},
        action=AuditAction.LIST,
        clinic=clinic,
        query=q,
    )
    return render(
        request,
        "careplans/batch_new.html",
        {
            "clinic": clinic,
            "filters": filters,
            "form": BatchSelectForm(),
            "picks": _picks(clinic, pick),
            "page": page,
            "shown": ",".join(str(p.pk) for p in page.object_list),
            "go_previous": _go(pick, q, page.previous_page_number()) if page.has_previous() else "",
            "go_next": _go(pick, q, page.next_page_number()) if page.has_next() else "",
            "selected_ids": set(selected),
            "selected_count": len(selected),
            "selected_preview": preview,
            "max_patients": batches.MAX_PATIENTS,
            "today": timezone.localdate(),
            "recent": [
                batches.batch_print_refresh(b)
                for b in BatchPrint.objects.filter(clinic=clinic).select_related("requested_by")[:5]
            ],
        },
    )


def _go(pick: str, q: str, page: int) -> str:
    return list_query(urlencode({"pick": pick, "q": q, "page": page}))


def _picks(clinic: Clinic, current: str) -> list[dict[str, Any]]:
    counts = {value: _picked(clinic, value).count() for value, _label in PICKS}
    return [
        {
            "query": list_query(f"pick={value}"),
            "label": label,
            "count": counts[value],
            "active": value == current,
        }
        for value, label in PICKS
    ]


def _select(
    request: AuthenticatedHttpRequest, clinic: Clinic, patients: QuerySet[Patient]
) -> HttpResponse:
    form = BatchSelectForm(request.POST)
    back = f"{request.path}?{list_query(request.META.get('QUERY_STRING', ''))}"
    if not form.is_valid():
        messages.error(request, _("The selection could not be read; please try again."))
        return redirect(back)
    data = form.cleaned_data
    # The ticks on the page replace what was selected among the patients it showed.
    ticked = list(
        Patient.objects.filter(clinic=clinic, pk__in=data["tick"]).values_list("pk", flat=True)
    )
    shown = set(data["shown"]) | set(ticked)
    selected = [i for i in _selected(request, clinic) if i not in shown] + ticked
    action = data["action"] or "keep"
    if action == "add_all":
        already = set(selected)
        everyone = patients.values_list("pk", flat=True)[: batches.MAX_PATIENTS + 1]
        selected += [i for i in everyone if i not in already]
    elif action == "clear":
        selected = []
    if len(selected) > batches.MAX_PATIENTS:
        messages.error(
            request,
            _("One batch prints at most %(max)d patients: narrow the list first.")
            % {"max": batches.MAX_PATIENTS},
        )
        return redirect(back)
    _keep(request, clinic, selected)
    if action == "print":
        try:
            batch = batches.batch_print_start(
                clinic=clinic, user=request.user, patient_ids=selected, fmt=data["format"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        _keep(request, clinic, [])
        log_access(
            request,
            None,
            _("Started a batch print"),
            patient_ids=selected,
            action=AuditAction.BATCH_PRINT,
            clinic=clinic,
        )
        return redirect("batch_print_status", batch_id=batch.pk)
    if data["go"]:
        return redirect(f"{request.path}?{data['go']}")
    return redirect(back)


# --- Following a batch.


def _status(batch: BatchPrint) -> dict[str, Any]:
    printed = batch.done - len(batch.failures)
    download = batch.status == BatchPrint.Status.FINISHED and bool(batch.output)
    waiting = (
        batch.status == BatchPrint.Status.QUEUED
        and (timezone.now() - batch.created_at).total_seconds() > WAITING_HINT_AFTER_SECONDS
    )
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_display": batch.get_status_display(),
        "is_over": batch.is_over,
        "total": batch.total,
        "done": batch.done,
        "percent": batch.percent,
        "summary": ngettext(
            "%(done)d of %(total)d patient done, %(printed)d printed.",
            "%(done)d of %(total)d patients done, %(printed)d printed.",
            batch.total,
        )
        % {"done": batch.done, "total": batch.total, "printed": printed},
        "waiting": waiting,
        "error": batch.error,
        "failures": [
            {
                "patient_id": failure["patient_id"],
                "name": failure["name"] or _("Patient %(id)s") % {"id": failure["patient_id"]},
                "reason": failure["reason"],
                "reason_display": str(
                    batches.FAILURE_REASONS.get(failure["reason"], failure["reason"])
                ),
                "detail": failure.get("detail", ""),
            }
            for failure in batch.failures
        ],
        "nothing_printed": batch.status == BatchPrint.Status.FINISHED and not printed,
        # `manage.py prune` deleted the file (PRUNE_BATCHES_AFTER_DAYS); the row stays.
        "pruned": batch.status == BatchPrint.Status.FINISHED and printed > 0 and not download,
        "download_url": reverse("batch_print_download", args=[batch.pk]) if download else None,
        "download_label": (
            _("Download the PDF")
            if batch.format == BatchPrint.Format.PDF
            else _("Download the zip of PDFs")
        ),
    }


@never_cache
def batch_print_status(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = batches.batch_print_refresh(batch_for_admin(request, batch_id))
    # The page names the patients left out; the JSON it polls logs only those added since.
    log_access(
        request,
        None,
        _("Opened a batch print"),
        patient_ids=[failure["patient_id"] for failure in batch.failures],
        action=AuditAction.LIST,
        clinic=batch.clinic,
    )
    request.session[_FAILURES_LOGGED.format(batch.pk)] = len(batch.failures)
    return render(
        request, "careplans/batch_status.html", {"batch": batch, "status": _status(batch)}
    )


@never_cache
def batch_print_status_json(request: AuthenticatedHttpRequest, batch_id: int) -> JsonResponse:
    batch = batches.batch_print_refresh(batch_for_admin(request, batch_id))
    # The page logged the patients it named when it opened; those left out while it polls
    # are logged as they appear, once each (and the JSON fetched alone is logged too).
    key = _FAILURES_LOGGED.format(batch.pk)
    logged = request.session.get(key, 0)
    if len(batch.failures) > logged:
        log_access(
            request,
            None,
            _("Followed a batch print"),
            patient_ids=[failure["patient_id"] for failure in batch.failures[logged:]],
            action=AuditAction.LIST,
            clinic=batch.clinic,
        )
        request.session[key] = len(batch.failures)
    return JsonResponse(_status(batch))


_FAILURES_LOGGED = "floorplan_batch_{}_failures_logged"


def batch_print_download(request: AuthenticatedHttpRequest, batch_id: int) -> FileResponse:
    batch = batch_for_admin(request, batch_id)
    if batch.status != BatchPrint.Status.FINISHED or not batch.output:
        raise Http404(_("This batch has no file to download."))
    left_out = {failure["patient_id"] for failure in batch.failures}
    log_access(
        request,
        None,
        _("Downloaded a batch of signed care plans"),
        patient_ids=[pk for pk in batch.patient_ids if pk not in left_out],
        action=AuditAction.PRINT,
        clinic=batch.clinic,
    )
    name = slugify(f"care plans {batch.clinic.name} {timezone.localdate(batch.created_at)}")
    return FileResponse(
        batch.output.open("rb"),
        as_attachment=True,
        filename=f"{name}-{batch.pk}.{batch.format}",
        content_type="application/pdf"
        if batch.format == BatchPrint.Format.PDF
        else "application/zip",
    )
