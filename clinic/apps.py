from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic import i18n


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self) -> None:
        # The pure clinical modules translate through clinic.i18n: hand it Django's gettext.
        i18n.install(gettext)
        # Sign-ins, failures, lockouts and sign-outs go into the audit trail.
        import_module("clinic.signals")
        # Starts the idle-timeout clock at sign-in.
        import_module("clinic.idle")
        # Notes at sign-in whether the user has two-factor (read by its middleware).
        import_module("clinic.two_factor")
