"""The clinic admin's operations: patient import and export, and the clinic's staff."""

from django.urls import path

from clinic.views import imports, staff

urlpatterns = [
    path("patients/export/", imports.patient_export, name="patient_export"),
    path("clinics/<int:clinic_id>/patients/import/", imports.patient_import, name="patient_import"),
    path(
        "clinics/<int:clinic_id>/patients/import/<str:token>/",
        imports.patient_import_preview,
        name="patient_import_preview",
    ),
    path(
        "clinics/<int:clinic_id>/patients/import/<str:token>/confirm/",
        imports.patient_import_confirm,
        name="patient_import_confirm",
    ),
    path(
        "clinics/<int:clinic_id>/patients/import/<str:token>/problems.csv",
        imports.patient_import_bad_rows,
        name="patient_import_bad_rows",
    ),
    path("clinics/<int:clinic_id>/staff/", staff.staff_list, name="staff_list"),
    path("clinics/<int:clinic_id>/staff/add/", staff.staff_add, name="staff_add"),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/deactivate/",
        staff.staff_deactivate,
        name="staff_deactivate",
    ),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/reactivate/",
        staff.staff_reactivate,
        name="staff_reactivate",
    ),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/unlock/",
        staff.staff_unlock,
        name="staff_unlock",
    ),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/invite/",
        staff.staff_invite,
        name="staff_invite",
    ),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/reassign/",
        staff.staff_reassign,
        name="staff_reassign",
    ),
]
