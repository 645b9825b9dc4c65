"""Two-factor sign-in: the user's own pages, and a clinic admin's reset of a member's."""

from django.urls import path

from clinic.views import two_factor

urlpatterns = [
    path("account/two-factor/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("account/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path(
        "account/two-factor/backup-codes/",
        two_factor.backup_codes,
        name="two_factor_backup_codes",
    ),
    path("account/two-factor/turn-off/", two_factor.two_factor_disable, name="two_factor_disable"),
    path(
        "clinics/<int:clinic_id>/staff/<int:membership_id>/two-factor/reset/",
        two_factor.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
]
