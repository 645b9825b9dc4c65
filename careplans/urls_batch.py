from django.urls import path

from careplans.views import batch

urlpatterns = [
    path("clinics/<int:clinic_id>/new/", batch.batch_print_new, name="batch_print_new"),
    path("<int:batch_id>/", batch.batch_print_status, name="batch_print_status"),
    path(
        "<int:batch_id>/status.json", batch.batch_print_status_json, name="batch_print_status_json"
    ),
    path("<int:batch_id>/download/", batch.batch_print_download, name="batch_print_download"),
]
