"""The patient's own pages (issue 11), reached by their link after the birth-date check
(assessments/home_gate.py): the list of tasks, each questionnaire a screen at a time, the
bladder diary's big buttons, sending it all in, and what happens next.

Plain forms that post and redirect (no JavaScript needed). Every write goes through
assessments/services/home.py, which refuses once the tasks were sent in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import forms_home, wallclock
from assessments import questionnaires as q
from assessments.forms_home import DiaryEntryForm, IQQ3Form, ScreenForm
from assessments.home_gate import PatientVisit, patient_link_page
from assessments.models import HomeDiaryEntry, HomeTasks
from assessments.services.home import (
    HomeTasksClosed,
    diary_progress,
    home_answers_save,
    home_diary_add,
    home_diary_change,
    home_diary_delete,
    home_tasks_submit,
)


def _now() -> datetime:
    """The local wall-clock time, to the minute (diary times have no offset)."""
    return timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)


def _page(
    request: HttpRequest, visit: PatientVisit, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    patient = visit.patient
    context.update(
        clinic=patient.clinic,
        name=patient.preferred_name or patient.first_name,
        tasks=visit.tasks,
    )
    return render(request, f"assessments/home/{template}", context, status=status)


def _nothing_open(request: HttpRequest, visit: PatientVisit, token: str) -> HttpResponse:
    """Every page once the tasks were sent in: a thank-you, never a form. A change posted
    then is refused, and said so."""
    if request.method == "POST":
        messages.error(request, _("What you sent is already with the clinic: nothing was changed."))
        return redirect("home_tasks", token=token)
    sent = HomeTasks.objects.filter(patient=visit.patient, submitted_at__isnull=False).exists()
    return _page(request, visit, "done.html", token=token, sent=sent)


def _closed(request: HttpRequest, token: str) -> HttpResponse:
    messages.error(request, _("What you sent is already with the clinic: nothing was changed."))
    return redirect("home_tasks", token=token)


def _has_entries(tasks: HomeTasks) -> bool:
    return bool(tasks.diary_entries.exists())


def _anything_entered(tasks: HomeTasks) -> bool:
    started = any(
        forms_home.progress(name, tasks.answers.get(name)).started for name in tasks.questionnaires
    )
    return started or _has_entries(tasks)


def _questionnaire_rows(tasks: HomeTasks) -> list[dict[str, Any]]:
    rows = []
    for name in tasks.questionnaires:
        stored = tasks.answers.get(name)
        done = forms_home.progress(name, stored)
        if done.complete:
            state = _("Done")
        elif not done.started:
            state = _("Not started")
        elif done.total == 1:
            state = _("Started")
        else:
            state = _("%(done)s of %(total)s parts done") % {"done": done.done, "total": done.total}
        rows.append(
            {
                "name": name,
                "title": forms_home.TITLES[name],
                "instrument": forms_home.INSTRUMENTS[name],
                "state": state,
                "complete": done.complete,
                "started": done.started,
                "section": forms_home.first_unfinished(name, stored),
            }
        )
    return rows


def _diary_state(tasks: HomeTasks) -> dict[str, Any] | None:
    if not tasks.diary_days:
        return None
    progress = diary_progress(tasks, _now().date())
    return {
        "days": progress.asked,
        "day": progress.day,
        "days_kept": progress.days_kept,
        "done": progress.done,
        "days_missing": progress.days_missing,
        "entries": progress.entries,
    }


def _visit_tasks(visit: PatientVisit) -> HomeTasks:
    assert visit.tasks is not None  # the views check first
    return visit.tasks


def _open_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page needs tasks still open; otherwise the thank-you (or a refused change)."""

    def page(request: HttpRequest, visit: PatientVisit, token: str, **kwargs: Any) -> HttpResponse:
        if visit.tasks is None:
            return _nothing_open(request, visit, token)
        return view(request, visit, token=token, **kwargs)

    page.__name__ = view.__name__
    page.__doc__ = view.__doc__
    return page


# --- The list of tasks -----------------------------------------------------------------------


@patient_link_page
@require_GET
@_open_only
def home_tasks(request: HttpRequest, visit: PatientVisit, token: str) -> HttpResponse:
    tasks = _visit_tasks(visit)
    return _page(
        request,
        visit,
        "tasks.html",
        token=token,
        questionnaires=_questionnaire_rows(tasks),
        diary=_diary_state(tasks),
        can_send=_anything_entered(tasks),
    )


# --- A questionnaire, one screen at a time ---------------------------------------------------


@patient_link_page
@require_http_methods(["GET", "POST"])
@_open_only
def home_questionnaire(
    request: HttpRequest, visit: PatientVisit, token: str, name: str, section: int
) -> HttpResponse:
    tasks = _visit_tasks(visit)
    if name not in tasks.questionnaires or name not in forms_home.SCREENS:
        raise Http404()
    screens = forms_home.SCREENS[name]
    if not 1 <= section <= len(screens):
        raise Http404()
    screen = screens[section - 1]
    stored = tasks.answers.get(name)
    data = request.POST if request.method == "POST" else None
    form: ScreenForm | IQQ3Form
    if name == "iqq3":
        form = IQQ3Form(data, stored=stored)
    else:
        form = ScreenForm(data, name=name, screen=screen, stored=stored)
    if request.method == "POST" and form.is_valid():
        if isinstance(form, IQQ3Form):
            answers: Any = form.answers
        else:
            answers = forms_home.merge_screen(name, screen, stored, form.values())
        try:
            home_answers_save(tasks=tasks, name=name, answers=answers)
        except HomeTasksClosed:
            return _closed(request, token)
        return _after_screen(request, token, name, section, len(screens), form.unanswered())
    return _page(
        request,
        visit,
        "questionnaire.html",
        status=400 if form.errors else 200,
        token=token,
        form=form,
        questionnaire=name,
        title=forms_home.TITLES[name],
        instrument=forms_home.INSTRUMENTS[name],
        screen_title=forms_home.screen_title(name, screen),
        section=section,
        sections=len(screens),
        stem=_stem(name, screen),
    )


def _stem(name: str, screen: str) -> str:
    if name == "pfdi20":
        return _(q.PFDI20_STEM)
    if name == "pfiq7":
        return _(q.PFIQ7_STEM)
    return ""


def _after_screen(
    request: HttpRequest, token: str, name: str, section: int, sections: int, unanswered: int
) -> HttpResponse:
    if unanswered:
        messages.info(
            request,
            _("Saved. Questions left unanswered on that page: %(count)s. You can go back to them.")
            % {"count": unanswered},
        )
    if "back" in request.POST and section > 1:
        return redirect("home_questionnaire", token=token, name=name, section=section - 1)
    if "later" in request.POST or "back" in request.POST or section == sections:
        if not unanswered:
            messages.success(request, _("Saved. Thank you."))
        return redirect("home_tasks", token=token)
    return redirect("home_questionnaire", token=token, name=name, section=section + 1)


# --- The bladder diary -----------------------------------------------------------------------


def _entry_rows(tasks: HomeTasks) -> list[dict[str, Any]]:
    """The entries by day, the newest day first; each day in the order of the clock."""
    entries = [(wallclock.from_db(entry.time), entry) for entry in tasks.diary_entries.all()]
    days = []
    for day, group in groupby(entries, key=lambda pair: pair[0].date()):
        days.append(
            {
                "day": day,
                "entries": [
                    {
                        "entry": entry,
                        "time": moment,
                        "label": forms_home.EVENT_LABELS.get(entry.event, entry.event),
                    }
                    for moment, entry in group
                ],
            }
        )
    return list(reversed(days))


def _said(event: str, moment: datetime) -> dict[str, str]:
    return {"what": str(forms_home.EVENT_NAMES[event]), "time": time_format(moment.time())}


@patient_link_page
@require_http_methods(["GET", "POST"])
@_open_only
def home_diary(request: HttpRequest, visit: PatientVisit, token: str) -> HttpResponse:
    tasks = _visit_tasks(visit)
    if not tasks.diary_days:
        raise Http404()
    now = _now()
    if request.method == "POST":
        form = DiaryEntryForm(request.POST, now=now)
        if form.is_valid():
            event = form.diary_event()
            try:
                home_diary_add(tasks=tasks, event=event)
            except HomeTasksClosed:
                return _closed(request, token)
            messages.success(
                request, _("Saved: %(what)s at %(time)s.") % _said(event.event, event.time)
            )
            return redirect("home_diary", token=token)
    else:
        form = DiaryEntryForm(now=now, initial={"time": forms_home.time_value(now)})
    return _page(
        request,
        visit,
        "diary.html",
        status=400 if form.errors else 200,
        token=token,
        form=form,
        buttons=forms_home.EVENT_BUTTONS,
        diary=_diary_state(tasks),
        days=_entry_rows(tasks),
        now=now,
        today=now.date(),
        yesterday=now.date() - timedelta(days=1),
        open_details=bool(form.errors) or _details_given(form),
    )


def _details_given(form: DiaryEntryForm) -> bool:
    return form.is_bound and any(
        str(form.data.get(name, "")).strip() for name in ("volume_ml", "urgency", "note")
    )


@patient_link_page
@require_http_methods(["GET", "POST"])
@_open_only
def home_diary_entry(
    request: HttpRequest, visit: PatientVisit, token: str, entry_id: int
) -> HttpResponse:
    tasks = _visit_tasks(visit)
    entry = get_object_or_404(HomeDiaryEntry, pk=entry_id, tasks=tasks)
    moment = wallclock.from_db(entry.time)
    now = _now()
    if request.method == "POST" and "delete" in request.POST:
        try:
            home_diary_delete(entry=entry)
        except HomeTasksClosed:
            return _closed(request, token)
        messages.success(request, _("Deleted: %(what)s at %(time)s.") % _said(entry.event, moment))
        return redirect("home_diary", token=token)
    if request.method == "POST":
        form = DiaryEntryForm(request.POST, now=now)
        if form.is_valid():
            event = form.diary_event()
            try:
                home_diary_change(entry=entry, event=event)
            except HomeTasksClosed:
                return _closed(request, token)
            messages.success(
                request, _("Saved: %(what)s at %(time)s.") % _said(event.event, event.time)
            )
            return redirect("home_diary", token=token)
    else:
        form = DiaryEntryForm(
            now=now,
            initial={
                "event": entry.event,
                "time": forms_home.time_value(moment),
                "volume_ml": entry.volume_ml,
                "urgency": entry.urgency,
                "note": entry.note,
            },
        )
    return _page(
        request,
        visit,
        "diary_entry.html",
        status=400 if form.errors else 200,
        token=token,
        form=form,
        entry=entry,
        moment=moment,
        label=forms_home.EVENT_LABELS.get(entry.event, entry.event),
    )


# --- Sending it in ---------------------------------------------------------------------------


@patient_link_page
@require_http_methods(["GET", "POST"])
@_open_only
def home_submit(request: HttpRequest, visit: PatientVisit, token: str) -> HttpResponse:
    tasks = _visit_tasks(visit)
    if request.method == "POST":
        if not _anything_entered(tasks):
            messages.error(request, _("There is nothing to send yet: nothing was sent."))
            return redirect("home_tasks", token=token)
        try:
            home_tasks_submit(tasks=tasks)
        except HomeTasksClosed:
            return _closed(request, token)
        return redirect("home_done", token=token)
    diary = _diary_state(tasks)
    days = _entry_rows(tasks) if diary else []
    return _page(
        request,
        visit,
        "submit.html",
        token=token,
        questionnaires=_questionnaire_rows(tasks),
        diary=diary,
        diary_days=len(days),
        can_send=_anything_entered(tasks),
    )


@patient_link_page
@require_GET
def home_done(request: HttpRequest, visit: PatientVisit, token: str) -> HttpResponse:
    if visit.tasks is not None:
        return redirect("home_tasks", token=token)
    return _nothing_open(request, visit, token)
