from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import health
from clinic.views import idle
from clinic.views import patients as views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("practice.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/idle/", idle.idle_session, name="idle_session"),
    path("", include("clinic.urls_account")),
    path("", include("clinic.urls_two_factor")),
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/new/", views.patient_create, name="patient_create"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path("patients/<int:patient_id>/archive/", views.patient_archive, name="patient_archive"),
    path("patients/<int:patient_id>/restore/", views.patient_restore, name="patient_restore"),
    path("", include("assessments.urls")),
    path("p/", include("assessments.urls_home")),
    path("", include("careplans.urls")),
    path("", include("careplans.urls_recipients")),
    path("", include("clinic.urls_operations")),
    path("", include("clinic.urls_audit")),
    path("clinics/<int:clinic_id>/settings/", views.clinic_settings, name="clinic_settings"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.PROMETHEUS_METRICS:
    urlpatterns.append(path("metrics", health.metrics, name="metrics"))
