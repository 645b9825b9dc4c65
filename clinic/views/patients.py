from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic import services
from clinic.access import (
    AuthenticatedHttpRequest,
    clinic_for_admin,
    clinics_for,
    log_access,
    patient_for_user,
    patients_for,
    require_role,
    role_in,
)
from clinic.forms import ClinicSettingsForm, PatientFilterForm, PatientForm
from clinic.models import AuditAction, Role
from clinic.patient_filters import filtered_patients
from clinic.services.patients import patient_next_record_number


def patient_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinics = clinics_for(request)
    form = PatientFilterForm(request.GET or None, clinics=clinics)
    patients = filtered_patients(patients_for(request).select_related("assigned_therapist"), form)
    page = Paginator(patients, settings.PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [p.pk for p in page.object_list]
    searched = form.cleaned_data["q"] if form.is_valid() else request.GET.get("q", "")
    for clinic in [None] if shown else clinics:
        log_access(
            request,
            None,
            _("Listed or searched patients"),
            patient_ids=shown,
            action=AuditAction.LIST,
            clinic=clinic,
            query=searched,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clinic/patient_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "clinics": clinics,
            "admin_clinics": clinics_for(request, roles=(Role.CLINIC_ADMIN,)),
        },
    )


def patient_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinics = clinics_for(request)
    if not clinics:
        messages.error(request, _("You are not a member of any clinic yet."))
        return redirect("patient_list")
    form = PatientForm(
        request.POST or None,
        clinics=clinics,
        user=request.user,
        # With one clinic the form can say which number a blank field gets.
        next_record_numbers=(
            {clinics[0].pk: patient_next_record_number(clinic=clinics[0])}
            if len(clinics) == 1
            else {}
        ),
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "clinic"}
        try:
            patient = services.patient_create(clinic=form.cleaned_data["clinic"], **fields)
        except ValidationError as error:
            # A record number taken meanwhile (the form checked it a moment before).
            form.add_error(None, error)
        else:
            log_access(request, patient, _("Added a patient"), action=AuditAction.EDIT)
            messages.success(
                request,
                _("%(name)s was added with record number %(number)s.")
                % {"name": patient.display_name, "number": patient.record_number},
            )
            return redirect("patient_detail", patient_id=patient.pk)
    return render(request, "clinic/patient_form.html", {"form": form, "patient": None})


def patient_edit(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    log_access(request, patient, _("Opened patient details for editing"))
    form = PatientForm(request.POST or None, instance=patient, clinics=clinics_for(request))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "clinic"}
        services.patient_update(patient=patient, **fields)
        log_access(request, patient, _("Edited patient details"), action=AuditAction.EDIT)
        messages.success(request, _("Changes saved."))
        return redirect("patient_detail", patient_id=patient.pk)
    return render(request, "clinic/patient_form.html", {"form": form, "patient": patient})


def patient_detail(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    log_access(request, patient, _("Opened patient record"))
    can_archive = role_in(request, patient.clinic_id) == Role.CLINIC_ADMIN
    # The most recent visits only: a patient with hundreds opens as fast as one with five.
    assessments = list(
        patient.assessments.select_related("therapist").order_by("-assessed_on", "-id")[:20]
    )
    plans = list(
        patient.care_plans.select_related("assessment", "signed_by").order_by("-created_at", "-id")[
            :20
        ]
    )
    reviews = list(patient.reviews.open().order_by("due_on", "id")[:10])
    return render(
        request,
        "clinic/patient_detail.html",
        {
            "patient": patient,
            "reviews": reviews,
            "today": timezone.localdate(),
            "can_archive": can_archive,
            "assessments": assessments,
            "plans": plans,
        },
    )


@require_POST
def patient_archive(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    require_role(request, patient, Role.CLINIC_ADMIN)
    services.patient_archive(patient=patient)
    log_access(request, patient, _("Archived a patient"), action=AuditAction.ARCHIVE)
    messages.success(
        request,
        _("%(name)s was archived. Their records are kept and can be restored.")
        % {"name": patient.display_name},
    )
    return redirect("patient_detail", patient_id=patient.pk)


@require_POST
def patient_restore(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    require_role(request, patient, Role.CLINIC_ADMIN)
    services.patient_restore(patient=patient)
    log_access(request, patient, _("Restored a patient"), action=AuditAction.RESTORE)
    messages.success(request, _("%(name)s was restored.") % {"name": patient.display_name})
    return redirect("patient_detail", patient_id=patient.pk)


def clinic_settings(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    # Before the form: validating it puts the typed (maybe bad) pattern on the clinic.
    next_number = patient_next_record_number(clinic=clinic)
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        services.clinic_update_settings(clinic=clinic, **form.cleaned_data)
        messages.success(request, _("Clinic settings saved."))
        return redirect("clinic_settings", clinic_id=clinic.pk)
    context = {
        "clinic": clinic,
        "form": form,
        "next_record_number": next_number,
    }
    return render(request, "clinic/clinic_settings.html", context)
