from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from clinic.access import AuthenticatedHttpRequest, log_access
from clinic.models import AuditAction, Clinic, Membership, Patient


class MembershipInline(admin.TabularInline[Membership, Clinic]):
    model = Membership
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    list_display = ["name", "phone", "email", "paper_size"]
    inlines = [MembershipInline]


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin[Patient]):
    list_display = ["record_number", "last_name", "first_name", "clinic", "archived_at"]
    list_filter = ["clinic"]
    search_fields = ["record_number", "last_name", "first_name"]
    raw_id_fields = ["assigned_therapist"]

    def has_delete_permission(self, request: HttpRequest, obj: Patient | None = None) -> bool:
        return False  # archived, never deleted

    # Site administrators read patient records here too: the audit trail records it.
    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) or {}
        if "cl" in changelist:
            log_access(
                cast(AuthenticatedHttpRequest, request),
                None,
                _("Listed patients in the site administration"),
                patient_ids=[patient.pk for patient in changelist["cl"].result_list],
                action=AuditAction.LIST,
                query=request.GET.get("q", ""),
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        patient = self.get_object(request, unquote(object_id))
        if patient is not None:
            log_access(
                cast(AuthenticatedHttpRequest, request),
                patient,
                _("Edited a patient in the site administration")
                if request.method == "POST"
                else _("Opened a patient in the site administration"),
                action=AuditAction.EDIT if request.method == "POST" else AuditAction.VIEW,
            )
        return super().change_view(request, object_id, form_url, extra_context)


# The access log is not here: it is append-only, and clinic admins read it on their
# clinic's audit page (clinic.views.audit).
