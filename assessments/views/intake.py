from __future__ import annotations

import json
from typing import Any, Protocol

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import intake as intake_contract
from assessments import selectors, services
from assessments.access import assessment_for_user
from assessments.forms import AssessmentForm, IntakeUploadForm, ReferralForm
from assessments.intake import FieldError, intake_diary
from assessments.models import Assessment, Kind
from assessments.selectors import assessment_to_intake
from assessments.services.intake_import import intake_import
from assessments.steps import (
    FORM_STEPS,
    STEP_ORDER,
    STEP_TITLES,
    completion_problems,
    field_for_path,
    field_step,
    intake_steps,
    missing_items,
    next_step,
    step_url,
)
from assessments.summary import assessment_summary
from clinic.access import AuthenticatedHttpRequest, log_access, patient_for_user
from clinic.downloads import content_disposition
from clinic.models import AuditAction
from clinic.uploads import refuse_oversized


@require_POST
def assessment_new(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    kind = Kind.REVIEW if request.POST.get("kind") == Kind.REVIEW else Kind.INTAKE
    last = selectors.latest_assessment(patient) if kind == Kind.REVIEW else None
    assessment = services.assessment_create(
        patient=patient, therapist=request.user, kind=kind, prefill_from=last
    )
    log_access(request, patient, _("Started an assessment"), action=AuditAction.EDIT)
    if last is not None:
        messages.info(
            request,
            _("This review starts from the findings of %(date)s: update what has changed.")
            % {"date": date_format(last.assessed_on, "DATE_FORMAT")},
        )
    return redirect("assessment_edit", assessment_id=assessment.pk)


def _show_contract_errors(form: AssessmentForm, errors: list[FieldError]) -> None:
    """Completing checks the rules of intake-v1; each error lands on its field."""
    for error in errors:
        name = field_for_path(error.field)
        if name in form.fields:
            form.add_error(name, error.message)
        else:
            form.add_error(None, f"{error.field}: {error.message}")


class CompleteVisit(Protocol):
    def __call__(
        self, *, assessment: Assessment, user: Any, values: dict[str, Any], expected_version: int
    ) -> Assessment: ...


def assessment_edit(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    """The intake form at its first step, history and goals."""
    return assessment_form_page(request, assessment_id)


def assessment_step(
    request: AuthenticatedHttpRequest, assessment_id: int, step: str
) -> HttpResponse:
    """The intake form at one of its steps (symptoms, examination, hormonal, review)."""
    if step not in FORM_STEPS or step == "history":
        raise Http404(_("No such step."))
    return assessment_form_page(request, assessment_id, step=step)


def _after_save(request: AuthenticatedHttpRequest, assessment: Assessment, step: str) -> str:
    """Where a saved step goes: on (Save and next), to the review, to a step named in the
    navigation (the page's script saves before leaving), or back to the same step."""
    target = step
    if "next" in request.POST:
        target = next_step(step)
    elif "review" in request.POST:
        target = "review"
    elif request.POST.get("goto") in STEP_ORDER:
        target = request.POST["goto"]
    return step_url(assessment, target)


def assessment_form_page(
    request: AuthenticatedHttpRequest,
    assessment_id: int,
    *,
    step: str = "history",
    complete: CompleteVisit | None = None,
) -> HttpResponse:
    """The intake form at one step; a POST saves the draft, or, given ``complete`` (the
    visit-complete flow of the care-plan app, which closes the reviews a visit answers),
    completes it.

    Every step's page holds the whole form (the other steps' sections hidden), so a save
    from any step keeps everything, and a field in error shows wherever it is."""
    assessment = assessment_for_user(request, assessment_id)
    log_access(
        request,
        assessment.patient,
        _("Edited an assessment")
        if request.method == "POST"
        else _("Opened an assessment to edit"),
        action=AuditAction.EDIT if request.method == "POST" else AuditAction.VIEW,
    )
    if not assessment.is_draft:
        messages.info(request, _("This assessment is complete; start a review to record changes."))
        return redirect("assessment_detail", assessment_id=assessment.pk)
    conflict = None
    if request.method == "POST":
        form = AssessmentForm(request.POST, instance=assessment)
        if form.is_valid():
            values = form.finding_values()
            expected = form.cleaned_data["version"]
            try:
                if complete is not None:
                    complete(
                        assessment=assessment,
                        user=request.user,
                        values=values,
                        expected_version=expected,
                    )
                else:
                    services.assessment_save(
                        assessment=assessment,
                        values=values,
                        expected_version=expected,
                        user=request.user,
                    )
            except services.IncompleteIntake as incomplete:
                _show_contract_errors(form, incomplete.errors)
            except services.EditConflict as clash:
                current = clash.current
                conflict = {
                    "by": current.updated_by,
                    "changes": services.changes_since(
                        form.cleaned_data["original"], current, labels=_labels(form)
                    ),
                }
                # Keep everything this person typed; the next save knowingly replaces
                # the other version, whose changes are listed above the form.
                data = request.POST.copy()
                data["version"] = str(current.version)
                data["original"] = json.dumps(services.snapshot(current))
                form = AssessmentForm(data, instance=current)
            except services.NotADraft:
                messages.error(request, _("Someone completed this assessment meanwhile."))
                return redirect("assessment_detail", assessment_id=assessment.pk)
            else:
                if complete is not None:
                    messages.success(request, _("Assessment completed."))
                    return redirect("assessment_detail", assessment_id=assessment.pk)
                messages.success(request, _("Draft saved."))
                return redirect(_after_save(request, assessment, step))
    else:
        form = AssessmentForm(
            instance=assessment,
            initial={
                "version": assessment.version,
                "original": json.dumps(services.snapshot(assessment)),
            },
        )
    return render(
        request,
        "assessments/assessment_form.html",
        _form_context(assessment, form, step=step, conflict=conflict),
    )


def _form_context(
    assessment: Assessment, form: AssessmentForm, *, step: str, conflict: dict[str, Any] | None
) -> dict[str, Any]:
    sections = form.sections()
    for section in sections:
        section["shown"] = section["step"] == step or section["has_errors"]
    errors = form.errors_by_label()
    for error in errors:
        error["step"] = field_step(error["name"])
        error["url"] = step_url(assessment, error["step"])
    context: dict[str, Any] = {
        "assessment": assessment,
        "patient": assessment.patient,
        "form": form,
        "sections": sections,
        "field_errors": errors,
        "conflict": conflict,
        "step": step,
        "step_title": STEP_TITLES[step],
        "steps": intake_steps(assessment, current=step),
        "next_step": next_step(step),
        "next_title": STEP_TITLES[next_step(step)],
        "step_url": step_url(assessment, step),
        "visit_shown": step == "history"
        or any(n in form.errors for n in ("kind", "assessed_on", "weight_kg")),
        "notes_shown": step == "review" or "notes" in form.errors,
    }
    if step == "review":
        context["missing"] = missing_items(assessment)
        context["problems"] = [
            {
                "message": error.message,
                "label": form.fields[name].label if name in form.fields else error.field,
                "url": step_url(assessment, field_step(name)) if name else "",
            }
            for error, name in completion_problems(assessment)
        ]
    return context


def _labels(form: AssessmentForm) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


def assessment_detail(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    log_access(request, assessment.patient, _("Opened an assessment"))
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "patient": assessment.patient,
            "summary": assessment_summary(assessment),
            "referral_form": ReferralForm(),
        },
    )


@require_POST
def assessment_referral(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    form = ReferralForm(request.POST)
    if form.is_valid():
        services.assessment_record_referral(
            assessment=assessment, user=request.user, note=form.cleaned_data["note"]
        )
        log_access(
            request, assessment.patient, _("Recorded a referral"), action=AuditAction.REFERRAL
        )
        messages.success(request, _("Referral recorded."))
    else:
        messages.error(request, _("Say to whom and how the referral was made."))
    return redirect("assessment_detail", assessment_id=assessment.pk)


def assessment_export(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    log_access(
        request, assessment.patient, _("Exported an assessment as JSON"), action=AuditAction.EXPORT
    )
    response = JsonResponse(
        assessment_to_intake(assessment), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = f"intake-{assessment.patient.record_number}-{assessment.assessed_on}.json"
    response["Content-Disposition"] = content_disposition(filename, attachment=True)
    return response


def assessment_import(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    if request.method == "POST":
        log_access(request, patient, _("Imported an intake file"), action=AuditAction.IMPORT)
    else:
        log_access(request, patient, _("Opened the intake import page"))
    posted = request.method == "POST"  # a refused upload may leave the POST empty
    form = IntakeUploadForm(request.POST if posted else None, request.FILES if posted else None)
    refuse_oversized(request, form)
    errors: list[FieldError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            intake = intake_contract.load_intake_text(upload.read(intake_contract.MAX_BYTES + 1))
            events = intake_diary(intake, folder=None)
        except intake_contract.IntakeError as error:
            errors = error.errors
        else:
            assessment = intake_import(
                patient=patient, intake=intake, therapist=request.user, events=events
            )
            messages.success(request, _("Intake imported as a draft: check it, then complete it."))
            return redirect("assessment_detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/assessment_import.html",
        {"patient": patient, "form": form, "errors": errors},
    )
