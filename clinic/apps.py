from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self) -> None:
        from django.utils.translation import gettext

        from clinic import i18n

        i18n.install(gettext)
