from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Membership, Patient, Role
from clinic.patient_languages import (
    OTHER,
    OTHER_LABEL,
    available_codes,
    language_choices,
    printed_by,
)
from clinic.record_numbers import pattern_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def therapists_of(clinic_ids: list[int]) -> QuerySet[User]:
    return (
        get_user_model()
        .objects.filter(
            memberships__clinic__in=clinic_ids,
            memberships__role=Role.THERAPIST,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


class TherapistChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class PatientForm(forms.ModelForm[Patient]):
    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), label=_("Clinic"))
    assigned_therapist = TherapistChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Assigned therapist")
    )
    # The clinic's printed languages and "other" (__init__): the plan prints in the one
    # chosen, or in the clinic's language when it is "other".
    preferred_language = forms.ChoiceField(label=_("Preferred language"))

    class Meta:
        model = Patient
        fields = [
            "clinic",
            "record_number",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "anatomy",
            "gender_identity",
            "pronouns",
            "preferred_language",
            "other_language",
            "assigned_therapist",
            "phone",
            "email",
            "address",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        clinics: list[Clinic],
        user: User | None = None,
        next_record_numbers: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        clinic_field = cast("forms.ModelChoiceField[Clinic]", self.fields["clinic"])
        clinic_field.queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        if len(clinics) == 1 or self.instance.pk:
            # A patient stays in their clinic; with one clinic there is nothing to choose.
            self.fields["clinic"].initial = (
                self.instance.clinic_id if self.instance.pk else clinics[0].pk
            )
            self.fields["clinic"].widget = forms.HiddenInput()
            self.fields["clinic"].disabled = bool(self.instance.pk)
        therapists = therapists_of([c.pk for c in clinics])
        current = self.instance.assigned_therapist_id
        if current:
            # A deactivated therapist stays on the patient until someone reassigns them:
            # an edit that leaves the field alone must not silently unassign.
            therapists = (
                get_user_model()
                .objects.filter(Q(pk__in=therapists.values("pk")) | Q(pk=current))
                .order_by("first_name", "last_name")
            )
        cast(TherapistChoiceField, self.fields["assigned_therapist"]).queryset = therapists
        if not self.instance.pk:
            self._new_patient_defaults(clinics, user, next_record_numbers or {})
        # The model field's choices, a list with the blank first: radio buttons need no blank.
        anatomy_field = cast(forms.ChoiceField, self.fields["anatomy"])
        anatomy = cast("list[tuple[str, StrOrPromise]]", anatomy_field.choices)
        self.fields["anatomy"].widget = forms.RadioSelect(choices=anatomy[1:])
        self._language_choices(clinics)

    def _new_patient_defaults(
        self, clinics: list[Clinic], user: User | None, next_numbers: dict[int, str]
    ) -> None:
        # The record number: typed, or the clinic's next one (Clinic.record_number_pattern).
        number = self.fields["record_number"]
        number.required = False
        numbers = [next_numbers[c.pk] for c in clinics if c.pk in next_numbers]
        if len(clinics) == 1 and numbers:
            number.widget.attrs["placeholder"] = numbers[0]
            number.help_text = _("Leave it blank to use the next number, %(number)s.") % {
                "number": numbers[0]
            }
        else:
            number.help_text = _("Leave it blank to use the clinic's next number.")
        # The therapist adding a patient is, unless changed, the one who treats them.
        if user is not None and therapists_of([c.pk for c in clinics]).filter(pk=user.pk).exists():
            self.fields["assigned_therapist"].initial = user.pk

    def _language_choices(self, clinics: list[Clinic]) -> None:
        own = [self.instance.clinic] if self.instance.pk else clinics
        codes = list(dict.fromkeys(code for clinic in own for code in printed_by(clinic)))
        current = self.instance.preferred_language if self.instance.pk else ""
        if current and current not in (*codes, OTHER):
            # A language recorded before (or imported) that the clinic does not print: it
            # stays until someone changes it, and prints like "other".
            codes.append(current)
        language = cast(forms.ChoiceField, self.fields["preferred_language"])
        language.choices = [*language_choices(codes), (OTHER, OTHER_LABEL)]
        language.initial = current or (codes[0] if codes else OTHER)
        self.fields["other_language"].help_text = _(
            "When the language is Other: the plan prints in the clinic's language, and the "
            "therapist is reminded to arrange an interpreter."
        )

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born > date.today():  # noqa: DTZ011 - a birth date is a calendar date
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Please check the year of birth."))
        return born

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        if cleaned.get("preferred_language") == OTHER:
            if not cleaned.get("other_language", "").strip():
                self.add_error(
                    "other_language", _("Name the language, so an interpreter can be arranged.")
                )
        elif "preferred_language" in cleaned:
            cleaned["other_language"] = ""
        clinic = cleaned.get("clinic")
        therapist = cleaned.get("assigned_therapist")
        unchanged = therapist is not None and therapist.pk == self.instance.assigned_therapist_id
        if (
            clinic
            and therapist
            and not unchanged
            and not Membership.objects.active()
            .filter(user=therapist, clinic=clinic, role=Role.THERAPIST)
            .exists()
        ):
            self.add_error(
                "assigned_therapist", _("This therapist does not work in the patient's clinic.")
            )
        return cleaned

    def validate_unique(self) -> None:
        # The clinic may be a disabled field; validate the (clinic, record number) pair
        # with a message the front desk understands.
        super().validate_unique()
        clinic = self.cleaned_data.get("clinic")
        number = self.cleaned_data.get("record_number")
        if clinic and number:
            clash = Patient.objects.filter(clinic=clinic, record_number__iexact=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "record_number",
                    _("Another patient of this clinic already has record number %(number)s.")
                    % {"number": number},
                )


class PatientFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("active", _("Current patients")),
        ("archived", _("Archived")),
        ("all", _("All")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, record number or date of birth"),
                "type": "search",
                "autofocus": True,
            }
        ),
    )
    therapist = TherapistChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Therapist"),
        empty_label=_("Any therapist"),
    )
    status = forms.ChoiceField(
        label=_("Show"), choices=STATUS_CHOICES, required=False, initial="active"
    )

    def __init__(self, *args: Any, clinics: list[Clinic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapist_field = cast(TherapistChoiceField, self.fields["therapist"])
        therapist_field.queryset = therapists_of([c.pk for c in clinics])


class ClinicSettingsForm(forms.ModelForm[Clinic]):
    printed_languages = forms.MultipleChoiceField(
        label=_("Languages the clinic prints patient plans in"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "A patient whose language is not among these gets the plan in the clinic's "
            "language, and the therapist is reminded to arrange an interpreter. The "
            "clinic's language is always printed."
        ),
    )

    class Meta:
        model = Clinic
        fields = [
            "name",
            "phone",
            "email",
            "address",
            "paper_size",
            "import_date_order",
            "record_number_pattern",
            "language",
            "printed_languages",
            "english_spelling",
            "daytime_frequency_threshold",
            "fluid_low_ml",
            "fluid_high_ml",
            "alcohol_units_per_week",
            "nocturia_min_voids",
            "bladder_training_target_min",
            "down_training_minutes",
            "phase_one_limit",
            "require_two_factor",
            "allow_trusted_browsers",
            "idle_timeout_minutes",
            "home_link_days",
            "home_link_on_plan",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        printed = cast(forms.MultipleChoiceField, self.fields["printed_languages"])
        printed.choices = language_choices(available_codes())
        self.initial["printed_languages"] = printed_by(self.instance)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what super().clean() returns (the stubs allow None)
        if "printed_languages" in cleaned and cleaned.get("language"):
            chosen = {*cleaned["printed_languages"], cleaned["language"]}
            cleaned["printed_languages"] = [c for c in available_codes() if c in chosen]
        pattern = cleaned.get("record_number_pattern")
        if pattern is not None:
            problem = pattern_problem(pattern)
            if problem:
                self.add_error("record_number_pattern", problem)
        low, high = cleaned.get("fluid_low_ml"), cleaned.get("fluid_high_ml")
        if low is not None and high is not None and low >= high:
            self.add_error("fluid_high_ml", _("Must be above the low fluid intake."))
        return cleaned
