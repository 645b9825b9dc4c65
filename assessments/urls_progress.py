from django.urls import path

from assessments.views import progress

urlpatterns = [
    path(
        "patients/<int:patient_id>/progress/",
        progress.patient_progress,
        name="patient_progress",
    ),
    path(
        "patients/<int:patient_id>/progress.svg",
        progress.patient_progress_chart,
        name="patient_progress_chart",
    ),
    path(
        "patients/<int:patient_id>/outcomes.csv",
        progress.patient_outcomes_csv,
        name="patient_outcomes_csv",
    ),
]
