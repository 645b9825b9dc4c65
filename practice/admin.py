"""A clinic created in the Django admin starts with the standard intervention library.

The clinic app's admin knows nothing of care plans (it is the lowest layer); this one
wraps it, so the hook lives where both apps may be imported.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from careplans.services.library import library_install
from clinic.admin import ClinicAdmin
from clinic.models import Clinic


class ClinicWithLibraryAdmin(ClinicAdmin):
    def save_model(self, request: HttpRequest, obj: Clinic, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # Without the library, printed plans would carry titles only.
            library_install(clinic=obj)


admin.site.unregister(Clinic)
admin.site.register(Clinic, ClinicWithLibraryAdmin)
