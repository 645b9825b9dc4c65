"""The clinic admin's directory of letter recipients."""

from django.urls import path

from careplans.views import recipients

urlpatterns = [
    path("clinics/<int:clinic_id>/recipients/", recipients.recipient_list, name="recipient_list"),
    path(
        "clinics/<int:clinic_id>/recipients/new/",
        recipients.recipient_new,
        name="recipient_new",
    ),
    path(
        "clinics/<int:clinic_id>/recipients/<int:recipient_id>/edit/",
        recipients.recipient_edit,
        name="recipient_edit",
    ),
    path(
        "clinics/<int:clinic_id>/recipients/<int:recipient_id>/deactivate/",
        recipients.recipient_deactivate,
        name="recipient_deactivate",
    ),
    path(
        "clinics/<int:clinic_id>/recipients/<int:recipient_id>/reactivate/",
        recipients.recipient_reactivate,
        name="recipient_reactivate",
    ),
]
