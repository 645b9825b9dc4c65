from django.urls import path

from practice import views, views_export

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("clinics/<int:clinic_id>/export/", views_export.clinic_export, name="clinic_export"),
    path(
        "patients/<int:patient_id>/fhir/",
        views_export.patient_fhir_export,
        name="patient_fhir_export",
    ),
    path("plans/<int:plan_id>/fhir/", views_export.plan_fhir_export, name="plan_fhir_export"),
]
