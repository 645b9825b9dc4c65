from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    """What spans the apps: the day's overview, the demo clinic, a new clinic's library."""

    name = "practice"
    verbose_name = _("Practice")
