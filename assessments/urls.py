from django.urls import include, path

from assessments.views import diary, home_clinic, home_import, intake, questionnaires

urlpatterns = [
    path(
        "patients/<int:patient_id>/assessments/new/", intake.assessment_new, name="assessment_new"
    ),
    path(
        "patients/<int:patient_id>/assessments/import/",
        intake.assessment_import,
        name="assessment_import",
    ),
    path("assessments/<int:assessment_id>/", intake.assessment_detail, name="assessment_detail"),
    path("assessments/<int:assessment_id>/edit/", intake.assessment_edit, name="assessment_edit"),
    # The intake's later steps (the first, history and goals, is edit/ itself).
    path(
        "assessments/<int:assessment_id>/edit/<slug:step>/",
        intake.assessment_step,
        name="assessment_step",
    ),
    path(
        "assessments/<int:assessment_id>/referral/",
        intake.assessment_referral,
        name="assessment_referral",
    ),
    path(
        "assessments/<int:assessment_id>/export.json",
        intake.assessment_export,
        name="assessment_export",
    ),
    path(
        "assessments/<int:assessment_id>/questionnaires/",
        questionnaires.assessment_questionnaires,
        name="assessment_questionnaires",
    ),
    path("assessments/<int:assessment_id>/diary/", diary.diary_page, name="assessment_diary"),
    path(
        "assessments/<int:assessment_id>/diary/upload/",
        diary.diary_upload,
        name="assessment_diary_upload",
    ),
    path(
        "assessments/<int:assessment_id>/diary/<int:entry_id>/delete/",
        diary.diary_entry_delete,
        name="assessment_diary_entry_delete",
    ),
    path(
        "assessments/<int:assessment_id>/diary/day-<int:day>.svg",
        diary.diary_day_chart,
        name="assessment_diary_chart",
    ),
    path("", include("assessments.urls_progress")),
    # Home tasks (issue 11): the staff side.
    path(
        "patients/<int:patient_id>/home-tasks/",
        home_clinic.home_tasks_send,
        name="home_tasks_send",
    ),
    path("patients/<int:patient_id>/home-link/", home_clinic.home_link_new, name="home_link_new"),
    path("home-links/<int:link_id>/stop/", home_clinic.home_link_stop, name="home_link_stop"),
    path(
        "patients/<int:patient_id>/home-link/email/",
        home_clinic.home_link_email,
        name="home_link_email",
    ),
    path("home-tasks/<int:tasks_id>/", home_clinic.home_tasks_review, name="home_tasks_review"),
    path(
        "patients/<int:patient_id>/my-flow-check/",
        home_import.home_import_my_flow_check,
        name="home_import_my_flow_check",
    ),
]
