from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import assessment_for_user
from assessments.forms_questionnaires import QuestionnairesForm
from assessments.models import Assessment
from assessments.questionnaires import QuestionnaireError, score_all
from assessments.services import NotADraft
from assessments.services.questionnaires import assessment_questionnaires_save
from assessments.steps import STEP_ORDER, STEP_TITLES, intake_steps, next_step, step_url
from clinic.access import AuthenticatedHttpRequest, log_access
from clinic.models import AuditAction


@require_http_methods(["GET", "POST"])
def assessment_questionnaires(
    request: AuthenticatedHttpRequest, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    stored = assessment.questionnaires or {}
    initial = QuestionnairesForm.initial_from(stored)
    if request.method == "POST":
        log_access(request, assessment.patient, _("Saved questionnaires"), action=AuditAction.EDIT)
        if not assessment.is_draft:
            messages.error(
                request, _("This assessment is complete: its questionnaires are read-only.")
            )
            return redirect("assessment_questionnaires", assessment_id=assessment.pk)
        form = QuestionnairesForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                assessment_questionnaires_save(
                    assessment=assessment, answers=form.answers, user=request.user
                )
            except NotADraft:
                messages.error(request, _("Someone completed this assessment meanwhile."))
                return redirect("assessment_questionnaires", assessment_id=assessment.pk)
            except QuestionnaireError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Questionnaires saved."))
                return redirect(_after_save(request, assessment))
    else:
        log_access(request, assessment.patient, _("Opened the questionnaires"))
        form = QuestionnairesForm(initial=initial, read_only=not assessment.is_draft)
    return render(
        request,
        "assessments/questionnaires.html",
        {
            "assessment": assessment,
            "patient": assessment.patient,
            "form": form,
            "scores": score_all(stored),
            "steps": intake_steps(assessment, current="questionnaires"),
            "next_step_url": step_url(assessment, next_step("questionnaires")),
            "next_title": STEP_TITLES[next_step("questionnaires")],
        },
    )


def _after_save(request: AuthenticatedHttpRequest, assessment: Assessment) -> str:
    """Save and next goes on to the diary; the navigation's steps are saved before too."""
    target = "questionnaires"
    if "next" in request.POST:
        target = next_step("questionnaires")
    elif "review" in request.POST:
        target = "review"
    elif request.POST.get("goto") in STEP_ORDER:
        target = request.POST["goto"]
    return step_url(assessment, target)
