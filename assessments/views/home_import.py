"""A bladder diary the patient kept in My Flow Check, imported into the review queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import diary
from assessments.models import HomeTasks
from assessments.my_flow_check import parse_my_flow_check, zone_sentence
from assessments.services.home import home_tasks_import
from clinic.access import AuthenticatedHttpRequest, log_access, patient_for_user
from clinic.models import AuditAction
from clinic.uploads import refuse_oversized


class MyFlowCheckUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export from My Flow Check (CSV or FHIR)"),
        help_text=gettext_lazy(
            "The CSV file (my-flow-check-….csv) or the FHIR file (….fhir.json) the app made."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.json,text/csv,application/json,application/fhir+json"}
        ),
    )


@require_http_methods(["GET", "POST"])
def home_import_my_flow_check(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for_user(request, patient_id)
    posted = request.method == "POST"  # a refused upload may leave the POST empty
    if posted:
        log_access(request, patient, _("Imported a My Flow Check diary"), action=AuditAction.IMPORT)
    else:
        log_access(request, patient, _("Opened the My Flow Check import page"))
    form = MyFlowCheckUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    refuse_oversized(request, form)
    errors: list[diary.RowError] = []
    if posted and form.is_valid():
        data = form.cleaned_data["file"].read(diary.MAX_FILE_BYTES + 1)
        try:
            read = parse_my_flow_check(data, clinic_time_zone=settings.TIME_ZONE)
        except diary.DiaryError as error:
            errors = error.errors
        else:
            events = read.events
            home_tasks_import(
                patient=patient,
                user=request.user,
                events=events,
                source=HomeTasks.Source.MY_FLOW_CHECK,
            )
            days = diary.diary_metrics(events)["days_recorded"]
            messages.success(
                request,
                _(
                    "Imported: %(entries)d entries over %(days)d days (%(clock)s), "
                    "waiting for review."
                )
                % {"entries": len(events), "days": days, "clock": zone_sentence(read)},
            )
            if read.oz_read_as_ml:
                messages.info(
                    request,
                    _(
                        "Volumes read as millilitres: this export comes from an older version "
                        "of the app, which wrote millilitres even when set to ounces."
                    ),
                )
            if not days:
                messages.warning(
                    request,
                    _(
                        "The diary has no day with both a wake-up and a bed time, so its "
                        "daily numbers cannot be worked out."
                    ),
                )
            return redirect("patient_detail", patient_id=patient.pk)
    context = {"patient": patient, "form": form, "errors": errors, "zone": settings.TIME_ZONE}
    return render(request, "assessments/home_clinic/my_flow_check.html", context)
