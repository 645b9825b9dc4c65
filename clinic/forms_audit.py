"""The audit report's filters: who, which patient, what kind of access, between which days."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from clinic.models import AuditAction, Clinic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Outside these days a date is a typing slip, and day arithmetic near year 1 or 9999
# would overflow when shifted to the clinic's time zone.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(9998, 12, 31)


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


def _day_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(FIRST_DAY, message=_("Choose a day in the year 2000 or later.")),
            MaxValueValidator(LAST_DAY, message=_("Choose a day before the year 9999.")),
        ],
        error_messages={"invalid": _("Enter a date as year-month-day, e.g. 2026-03-31.")},
    )


class AuditFilterForm(forms.Form):
    user = StaffChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("User"),
        empty_label=_("Anyone"),
    )
    patient = forms.CharField(
        label=_("Patient"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Record number or name"), "type": "search"}),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditAction.choices],
    )
    date_from = _day_field(_("From"))
    date_to = _day_field(_("To"))

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Everyone who works or worked here: a deactivated therapist's reads stay reportable.
        cast(StaffChoiceField, self.fields["user"]).queryset = (
            get_user_model()
            .objects.filter(memberships__clinic=clinic)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The last day comes before the first."))
        return data
