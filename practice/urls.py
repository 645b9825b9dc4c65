from django.urls import path

from practice import views, views_export

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("clinics/<int:clinic_id>/export/", views_export.clinic_export, name="clinic_export"),
]
