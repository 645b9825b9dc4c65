"""The user's own account: change the password, or reset it by e-mail (no sign-in needed:
Django's reset views are marked login_not_required)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from clinic.views import account, profile

urlpatterns = [
    path("account/language/", profile.language_choose, name="language_choose"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/password-reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
