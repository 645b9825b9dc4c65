"""Forms of the clinic admin's pages: the patient import upload, and the clinic's staff."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from clinic import patient_csv
from clinic.forms import TherapistChoiceField
from clinic.models import Clinic, Membership, Role


class PatientImportForm(forms.Form):
    file = forms.FileField(
        label=_("Patient file (CSV)"),
        help_text=_(
            "Comma, semicolon or tab separated, as Excel saves it; at most 5 MB and 50,000 "
            "patients."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # FileField has refused an upload without a size already; None is for the type.
        if upload.size is not None and upload.size > patient_csv.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into smaller files."),
                params={"mb": patient_csv.MAX_FILE_BYTES // 1_000_000},
            )
        return upload

    def file_bytes(self) -> bytes:
        # Read one byte more than allowed, so a file that grew past the size check is
        # refused by the parser rather than cut short.
        data: bytes = self.cleaned_data["file"].read(patient_csv.MAX_FILE_BYTES + 1)
        return data


class PatientImportConfirmForm(forms.Form):
    """Import only the good rows: how many the admin saw in the check and agreed to. Left
    out, the import is all or nothing."""

    good_rows = forms.IntegerField(min_value=1, max_value=patient_csv.MAX_ROWS)


class StaffAddForm(UserCreationForm[User]):
    """A new therapist's account: invited by email to choose a password (the default), or
    given one by the admin and told in person."""

    INVITE = "invite"
    PASSWORD = "password"
    access = forms.ChoiceField(
        label=_("How they get in"),
        choices=[
            (INVITE, _("Email them an invitation with a link to choose their own password")),
            (PASSWORD, _("Set a password now and tell it to them in person")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        for name in ("password1", "password2"):
            self.fields[name].required = False
        self.fields["email"].help_text = _("The invitation goes to this address.")
        self.fields["password1"].help_text = _("Only when you set the password now. %(rules)s") % {
            "rules": self.fields["password1"].help_text
        }

    @property
    def invites(self) -> bool:
        return self.cleaned_data.get("access") == self.INVITE

    def clean(self) -> dict[str, Any]:
        access = self.cleaned_data.get("access")
        if access == self.INVITE:
            # Passwords typed before choosing the invitation are not used.
            self.cleaned_data["password1"] = self.cleaned_data["password2"] = ""
        elif access == self.PASSWORD:
            for name in ("password1", "password2"):
                if not self.cleaned_data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required when you set the password."))
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        if access == self.INVITE and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("An invitation needs the therapist's email address."))
        return cleaned


class StaffReassignForm(forms.Form):
    to_user = TherapistChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Assign them to"),
        empty_label=_("Choose a therapist"),
    )

    def __init__(self, *args: Any, clinic: Clinic, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TherapistChoiceField, self.fields["to_user"]).queryset = (
            get_user_model()
            .objects.filter(
                memberships__clinic=clinic,
                memberships__role=Role.THERAPIST,
                memberships__is_active=True,
            )
            .exclude(pk=membership.user_id)
            .order_by("first_name", "last_name")
        )
