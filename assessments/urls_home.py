"""The patient's pages, reached by their link (issue 11): ``/p/<token>/...``. Nothing in
these addresses but the token names the patient."""

from django.urls import path

from assessments.views import home_door, home_patient

urlpatterns = [
    path("", home_door.home_enter, name="home_enter"),
    path("<str:token>/", home_door.home_check, name="home_check"),
    path("<str:token>/tasks/", home_patient.home_tasks, name="home_tasks"),
    path(
        "<str:token>/questionnaires/<str:name>/<int:section>/",
        home_patient.home_questionnaire,
        name="home_questionnaire",
    ),
    path("<str:token>/diary/", home_patient.home_diary, name="home_diary"),
    path(
        "<str:token>/diary/<int:entry_id>/",
        home_patient.home_diary_entry,
        name="home_diary_entry",
    ),
    path("<str:token>/send/", home_patient.home_submit, name="home_submit"),
    path("<str:token>/done/", home_patient.home_done, name="home_done"),
]
