"""The bladder diary of an assessment: quick entry, CSV upload, metrics and day charts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import charts, diary, services, wallclock
from assessments.access import assessment_for_user, diary_entry_for_user
from assessments.forms_diary import DiaryRowForm, DiaryUploadForm
from assessments.models import Assessment, DiaryEntry
from assessments.selectors import diary_events
from assessments.services import diary as diary_services
from assessments.steps import STEP_ORDER, STEP_TITLES, intake_steps, next_step, step_url
from assessments.summary import assessment_summary
from clinic.access import AuthenticatedHttpRequest, log_access
from clinic.downloads import content_disposition
from clinic.models import AuditAction
from clinic.uploads import refuse_oversized

# A chart is a document of its own when opened directly: it may load nothing, run nothing.
CHART_POLICY = "default-src 'none'; sandbox"


def _read_only(request: AuthenticatedHttpRequest, assessment: Assessment) -> HttpResponse:
    messages.info(request, _("This assessment is complete: its diary can no longer be changed."))
    return redirect("assessment_diary", assessment_id=assessment.pk)


class _DiaryRow(TypedDict):
    entry: DiaryEntry
    time: datetime  # wall-clock time


def _render(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    *,
    form: DiaryRowForm | None = None,
    upload_form: DiaryUploadForm | None = None,
    upload_errors: list[diary.RowError] | None = None,
) -> HttpResponse:
    entries: list[_DiaryRow] = [
        {"entry": entry, "time": wallclock.from_db(entry.time)}
        for entry in assessment.diary_entries.all()
    ]
    if assessment.is_draft and form is None:
        form = DiaryRowForm(day=_next_day(request, entries))
    if form is not None and not upload_form:
        # The page is for typing rows: the cursor waits in the entry form (an upload's
        # answer keeps the reader at its own messages instead).
        form.focus_first()
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "entries": entries,
        "form": form if assessment.is_draft else None,
        "upload_form": (upload_form or DiaryUploadForm()) if assessment.is_draft else None,
        "upload_errors": upload_errors or [],
        "summary": assessment_summary(assessment),
        "added": request.GET.get("added", ""),
        "steps": intake_steps(assessment, current="diary"),
        "next_title": STEP_TITLES[next_step("diary")],
    }
    return render(request, "assessments/diary.html", context)


def _next_day(request: AuthenticatedHttpRequest, entries: list[_DiaryRow]) -> date | None:
    """The date the next row most likely has: the last row added, else the latest row."""
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return entries[-1]["time"].date() if entries else None


@require_http_methods(["GET", "POST"])
def diary_page(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    log_access(request, assessment.patient, _("Opened a bladder diary"))
    if request.method == "GET":
        return _render(request, assessment)
    if not assessment.is_draft:
        return _read_only(request, assessment)
    leaving = _leaving_to(request)
    if leaving is not None and DiaryRowForm.is_blank(request.POST):
        return redirect(step_url(assessment, leaving))
    form = DiaryRowForm(request.POST)
    if not form.is_valid():
        return _render(request, assessment, form=form)
    try:
        entry = diary_services.diary_add(assessment=assessment, event=form.diary_event)
    except services.NotADraft:
        return _read_only(request, assessment)
    log_access(request, assessment.patient, _("Added a bladder diary row"), action=AuditAction.EDIT)
    when = form.diary_event.time
    messages.success(
        request,
        _("Row added: %(time)s, %(event)s.")
        % {"time": date_format(when, "DATETIME_FORMAT"), "event": entry.get_event_display()},
    )
    if leaving is not None:
        return redirect(step_url(assessment, leaving))
    url = reverse("assessment_diary", args=[assessment.pk])
    # No #fragment: Chromium skips autofocus on a URL that has one.
    return redirect(f"{url}?date={when.date().isoformat()}&added={entry.pk}")


def _leaving_to(request: AuthenticatedHttpRequest) -> str | None:
    """The step a "Save and next" (or the navigation) leaves for; a row typed but not yet
    added is added first, so nothing typed is lost on the way."""
    if "next" in request.POST:
        return next_step("diary")
    if "review" in request.POST:
        return "review"
    goto = request.POST.get("goto")
    return goto if goto in STEP_ORDER else None


@require_POST
def diary_upload(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    log_access(
        request, assessment.patient, _("Uploaded a bladder diary"), action=AuditAction.IMPORT
    )
    if not assessment.is_draft:
        return _read_only(request, assessment)
    form = DiaryUploadForm(request.POST, request.FILES)
    refuse_oversized(request, form)
    if not form.is_valid():
        return _render(request, assessment, upload_form=form)
    try:
        upload = form.cleaned_data["file"]
        events = diary.parse_diary_csv(
            diary.decode_diary_file(upload.read(diary.MAX_FILE_BYTES + 1))
        )
    except diary.DiaryError as error:
        return _render(request, assessment, upload_form=form, upload_errors=error.errors)
    try:
        count = diary_services.diary_replace(assessment=assessment, events=events)
    except services.NotADraft:
        return _read_only(request, assessment)
    messages.success(
        request,
        _("Diary uploaded: %(count)d rows now make up the diary.") % {"count": count},
    )
    return redirect("assessment_diary", assessment_id=assessment.pk)


@require_POST
def diary_entry_delete(
    request: AuthenticatedHttpRequest, assessment_id: int, entry_id: int
) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    log_access(
        request, assessment.patient, _("Deleted a bladder diary row"), action=AuditAction.EDIT
    )
    entry = diary_entry_for_user(assessment, entry_id)
    try:
        diary_services.diary_entry_delete(entry=entry)
    except services.NotADraft:
        return _read_only(request, assessment)
    messages.success(request, _("Row deleted."))
    return redirect("assessment_diary", assessment_id=assessment.pk)


@require_GET
def diary_day_chart(
    request: AuthenticatedHttpRequest, assessment_id: int, day: int
) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    days = diary.diary_days(diary_events(assessment))
    if not 1 <= day <= len(days):
        raise Http404(_("No such diary day."))
    # A chart can be opened, saved or shared on its own: it is a read like any page.
    log_access(request, assessment.patient, _("Opened a bladder diary chart"))
    svg = charts.diary_day_svg(days[day - 1], title=charts.day_title(days[day - 1]))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = CHART_POLICY
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = content_disposition(f"diary-day-{day}.svg", attachment=False)
    return response
