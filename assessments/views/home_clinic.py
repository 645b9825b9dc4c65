"""The staff side of home tasks (issue 11): sending tasks, handing over the patient's link,
and reviewing what the patient sent in before accepting it into an assessment.

The link's token exists only in the response that makes it (the handover page): the clinic
keeps its hash, so a lost slip is replaced by a new link, never shown again.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import charts, diary, home_tokens, wallclock
from assessments.forms_home_clinic import (
    QUESTIONNAIRE_NAMES,
    AcceptForm,
    HomeTasksForm,
    LinkEmailForm,
    task_names,
)
from assessments.home_gate import patient_language
from assessments.models import Assessment, HomeLink, HomeTasks, Status
from assessments.questionnaires import score_all
from assessments.services import home as home_services
from assessments.services.assessments import NotADraft
from clinic.access import AuthenticatedHttpRequest, log_access, memberships_for, patient_for_user
from clinic.models import AuditAction, Patient


def _clinic_ids(request: AuthenticatedHttpRequest) -> list[int]:
    return [m.clinic_id for m in memberships_for(request)]


def _link_for_user(request: AuthenticatedHttpRequest, link_id: int) -> HomeLink:
    try:
        return (
            HomeLink.objects.in_clinics(_clinic_ids(request))
            .select_related("patient", "patient__clinic")
            .get(pk=link_id)
        )
    except HomeLink.DoesNotExist:
        raise Http404(_("No such link.")) from None


def _tasks_for_user(request: AuthenticatedHttpRequest, tasks_id: int) -> HomeTasks:
    try:
        return (
            HomeTasks.objects.in_clinics(_clinic_ids(request))
            .select_related("patient", "patient__clinic", "accepted_into")
            .get(pk=tasks_id)
        )
    except HomeTasks.DoesNotExist:
        raise Http404(_("No such home tasks.")) from None


# --- Sending tasks and handing over the link --------------------------------------------


def _open_tasks(patient: Patient) -> HomeTasks | None:
    return HomeTasks.objects.open().filter(patient=patient).first()


@require_http_methods(["GET", "POST"])
def home_tasks_send(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    tasks = _open_tasks(patient)
    form = HomeTasksForm(request.POST or None, link_days=patient.clinic.home_link_days, tasks=tasks)
    if request.method == "POST" and form.is_valid():
        tasks = home_services.home_tasks_send(
            patient=patient,
            user=request.user,
            questionnaires=form.cleaned_data["questionnaires"],
            diary_days=form.cleaned_data["diary_days"],
            due_on=form.cleaned_data["due_on"],
        )
        log_access(request, patient, _("Sent home tasks"), action=AuditAction.EDIT)
        if home_services.home_link_usable(patient) is not None:
            messages.success(request, _("Tasks updated: the patient's link stays the same."))
            return redirect("patient_detail", patient_id=patient.pk)
        return _new_link(request, patient)
    log_access(request, patient, _("Opened the home tasks form"))
    return render(
        request,
        "assessments/home_clinic/send.html",
        {"patient": patient, "form": form, "tasks": tasks},
        status=400 if form.errors else 200,
    )


@require_POST
def home_link_new(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    return _new_link(request, patient)


def _new_link(request: AuthenticatedHttpRequest, patient: Patient) -> HttpResponse:
    link, token = home_services.home_link_create(patient=patient, user=request.user)
    log_access(request, patient, _("Made a patient link"), action=AuditAction.HOME_LINK)
    form = LinkEmailForm(initial={"token": token, "email": patient.email})
    return _handover(request, patient, link, token, form)


def _handover(
    request: AuthenticatedHttpRequest,
    patient: Patient,
    link: HomeLink,
    token: str,
    email_form: LinkEmailForm,
    *,
    status: int = 200,
) -> HttpResponse:
    """The page that shows the token, once: never stored, never in an address."""
    url = request.build_absolute_uri(reverse("home_check", args=[token]))
    short_code = home_tokens.grouped(token)
    qr = home_tokens.qr_svg(url, title=_("QR code of the patient's link"))
    tasks = _open_tasks(patient)
    return render(
        request,
        "assessments/home_clinic/handover.html",
        {
            "patient": patient,
            "clinic": patient.clinic,
            "link": link,
            "url": url,
            "short_code": short_code,
            # The same link with the short code: dashes and case do not matter.
            "address_to_type": request.build_absolute_uri(reverse("home_check", args=[short_code])),
            "qr": mark_safe(qr),  # noqa: S308 - segno's own SVG of our own URL
            "email_form": email_form,
            "tasks": tasks,
            "task_names": task_names(tasks) if tasks else [],
        },
        status=status,
    )


@require_POST
def home_link_stop(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    link = _link_for_user(request, link_id)
    home_services.home_link_revoke(link=link, user=request.user)
    log_access(request, link.patient, _("Stopped a patient link"), action=AuditAction.HOME_LINK)
    messages.success(request, _("The link was stopped: it no longer opens anything."))
    return redirect("patient_detail", patient_id=link.patient_id)


@require_POST
def home_link_email(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    form = LinkEmailForm(request.POST)
    token = request.POST.get("token", "")
    link = home_services.home_link_usable(patient)
    if link is None or home_tokens.token_hash(token) != link.token_hash:
        messages.error(
            request,
            _("That link no longer works, so it was not sent. Make a new link and send that."),
        )
        return redirect("patient_detail", patient_id=patient.pk)
    if not form.is_valid():
        return _handover(request, patient, link, token, form, status=400)
    email = form.cleaned_data["email"]
    url = request.build_absolute_uri(reverse("home_check", args=[token]))
    clinic = patient.clinic
    with translation.override(patient_language(patient)):
        expires = date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")
        send_mail(
            subject=_("Your home tasks from %(clinic)s") % {"clinic": clinic.name},
            message=_(
                "%(clinic)s asks you to fill in some questionnaires and a bladder diary on "
                "your phone or computer.\n\n"
                "Open this link:\n%(url)s\n\n"
                "You will be asked for your date of birth. The link works until %(expires)s.\n"
                "\n%(clinic)s%(phone)s"
            )
            % {
                "clinic": clinic.name,
                "url": url,
                "expires": expires,
                "phone": f"\n{clinic.phone}" if clinic.phone else "",
            },
            from_email=None,
            recipient_list=[email],
        )
    log_access(request, patient, _("Emailed the patient link"), action=AuditAction.HOME_LINK)
    messages.success(request, _("Sent to %(email)s.") % {"email": email})
    return redirect("patient_detail", patient_id=patient.pk)


# --- What the patient sent in -------------------------------------------------------------


def _base64(svg: str) -> str:
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _weight_kg(patient: Patient) -> float | None:
    """For 24-hour polyuria: the weight of the patient's latest assessment that has one."""
    latest = (
        patient.assessments.exclude(weight_kg=None)
        .order_by("-assessed_on", "-id")
        .values_list("weight_kg", flat=True)
        .first()
    )
    return float(latest) if latest is not None else None


def review_context(tasks: HomeTasks) -> dict[str, Any]:
    """What the review page shows: the scores and the diary as the assessment page would
    show them (the same scoring, parser and metrics), and every row the parser refuses."""
    patient = tasks.patient
    answers = home_services.complete_answers(tasks)
    entries = [
        {"entry": entry, "time": wallclock.from_db(entry.time)}
        for entry in tasks.diary_entries.all()
    ]
    summary: dict[str, Any] = {"diary_metrics": None, "diary_days": []}
    diary_errors: list[diary.RowError] = []
    charts_svg: list[dict[str, Any]] = []
    weight = _weight_kg(patient)
    try:
        events = home_services.home_diary_events(tasks)
    except diary.DiaryError as error:
        events, diary_errors = [], error.errors
    if events:
        day = (tasks.submitted_at and timezone.localdate(tasks.submitted_at)) or (
            timezone.localdate()
        )
        threshold = patient.clinic.daytime_frequency_threshold
        days = diary.diary_days(events)
        summary = {
            "diary_metrics": diary.diary_metrics(
                events,
                age=patient.age_on(day),
                weight_kg=weight,
                daytime_frequency_threshold=threshold,
            ),
            "diary_days": days,
            "threshold": threshold,
        }
        # As images (data: addresses): inline, the charts' element ids would clash.
        charts_svg = [
            {
                "day": d,
                "src": "data:image/svg+xml;base64,"
                + _base64(charts.diary_day_svg(d, title=charts.day_title(d))),
            }
            for d in days
        ]
    asked = [str(QUESTIONNAIRE_NAMES.get(n, n)) for n in tasks.questionnaires if n not in answers]
    return {
        "tasks": tasks,
        "patient": patient,
        "task_names": task_names(tasks),
        "scores": score_all(answers),
        "answers": answers,
        "not_answered": asked,
        "summary": summary,
        "charts": charts_svg,
        "weight_kg": weight,
        # What the score and diary partials read of an assessment (no chart links: none yet).
        "source": {"questionnaires": answers, "weight_kg": weight},
        "entries": entries,
        "diary_errors": diary_errors,
        # Only what was sent in and is neither accepted nor set aside may be accepted.
        "can_accept": tasks.submitted_at is not None
        and tasks.accepted_at is None
        and tasks.set_aside_at is None,
    }


def _drafts(patient: Patient) -> list[Assessment]:
    return list(patient.assessments.filter(status=Status.DRAFT).order_by("-assessed_on", "-id"))


@require_http_methods(["GET", "POST"])
def home_tasks_review(request: AuthenticatedHttpRequest, tasks_id: int) -> HttpResponse:
    tasks = _tasks_for_user(request, tasks_id)
    patient = tasks.patient
    form = AcceptForm(request.POST or None, drafts=_drafts(patient))
    if request.method == "POST":
        if "set_aside" in request.POST:
            try:
                home_services.home_tasks_set_aside(tasks=tasks, user=request.user)
            except home_services.HomeTasksClosed:
                messages.error(
                    request,
                    _(
                        "Not set aside: it was already accepted or set aside, or the patient "
                        "has not sent it in yet."
                    ),
                )
                return redirect("patient_detail", patient_id=patient.pk)
            log_access(
                request, patient, _("Set aside what a patient sent in"), action=AuditAction.EDIT
            )
            messages.success(request, _("Set aside: kept, and left out of the record."))
            return redirect("patient_detail", patient_id=patient.pk)
        if form.is_valid():
            return _accept(request, tasks, form)
    log_access(request, patient, _("Opened what a patient sent in"))
    context = review_context(tasks)
    context["form"] = form
    return render(
        request,
        "assessments/home_clinic/review.html",
        context,
        status=400 if form.errors else 200,
    )


def _accept(request: AuthenticatedHttpRequest, tasks: HomeTasks, form: AcceptForm) -> HttpResponse:
    patient = tasks.patient
    try:
        assessment = home_services.home_tasks_accept(
            tasks=tasks, user=request.user, assessment=form.assessment()
        )
    except diary.DiaryError:
        messages.error(request, _("The diary has rows that cannot be read: see below."))
        return redirect("home_tasks_review", tasks_id=tasks.pk)
    except NotADraft:
        messages.error(request, _("That assessment is no longer a draft: choose another."))
        return redirect("home_tasks_review", tasks_id=tasks.pk)
    except home_services.HomeTasksClosed:
        messages.info(request, _("This was already accepted or set aside."))
        return redirect("home_tasks_review", tasks_id=tasks.pk)
    log_access(
        request,
        patient,
        _("Accepted what a patient sent in into an assessment"),
        action=AuditAction.EDIT,
    )
    messages.success(
        request,
        _("What %(name)s sent in is now part of this assessment.") % {"name": patient.display_name},
    )
    return redirect("assessment_detail", assessment_id=assessment.pk)
