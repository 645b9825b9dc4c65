"""The clinic admin's audit report and its CSV export."""

from django.urls import path

from clinic.views import audit

urlpatterns = [
    path("clinics/<int:clinic_id>/audit/", audit.audit_report, name="audit_report"),
    path("clinics/<int:clinic_id>/audit/export.csv", audit.audit_export, name="audit_export"),
]
