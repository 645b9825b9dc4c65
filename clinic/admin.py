from django.contrib import admin
from django.http import HttpRequest

from clinic.models import AccessLog, Clinic, Membership, Patient


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


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ["at", "user", "patient", "what"]
    raw_id_fields = ["user", "patient"]

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
