from django.contrib import admin

from clinic.models import AccessLog, Clinic, Membership, Patient


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "paper_size"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # A new clinic starts with the standard intervention library, which its
            # admins then adapt; without it printed plans would carry titles only.
            from careplans.library import library_install

            library_install(clinic=obj)


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["record_number", "last_name", "first_name", "clinic", "archived_at"]
    list_filter = ["clinic"]
    search_fields = ["record_number", "last_name", "first_name"]
    raw_id_fields = ["assigned_therapist"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # archived, never deleted


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "patient", "what"]
    raw_id_fields = ["user", "patient"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
