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
