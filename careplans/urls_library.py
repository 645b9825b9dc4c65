from django.urls import path

from careplans.views import library

urlpatterns = [
    path("", library.library_list, name="library_list"),
    path("new/", library.library_new, name="library_new"),
    path("preview/", library.library_preview, name="library_preview"),
    path("<int:intervention_id>/edit/", library.library_edit, name="library_edit"),
    path(
        "<int:intervention_id>/preview/",
        library.library_entry_preview,
        name="library_entry_preview",
    ),
    path(
        "<int:intervention_id>/texts/<str:language>/",
        library.library_text_edit,
        name="library_text_edit",
    ),
]
