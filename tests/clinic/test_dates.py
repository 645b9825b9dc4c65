"""Dates nobody can misread (reference §10): spelled-out months in English and Spanish,
native date pickers on every form, and a front-desk search that shows both readings of
04/07/1984 rather than guessing one."""

import inspect
from datetime import date, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

import assessments.forms
import assessments.forms_diary
import assessments.forms_questionnaires
import careplans.forms
import careplans.forms_batch
import careplans.forms_library
import careplans.forms_recipients
import clinic.forms
import clinic.forms_account
import clinic.forms_audit
import clinic.forms_staff
from clinic.models import Patient
from tests.factories import PatientFactory

DAY = date(2026, 12, 1)
EVENING = datetime(2026, 12, 1, 17, 39)  # noqa: DTZ001 - formatting only


@pytest.mark.parametrize(
    ("language", "name", "value", "expected"),
    [
        ("en", "DATE_FORMAT", DAY, "1 December 2026"),
        ("en", "SHORT_DATE_FORMAT", DAY, "1 Dec 2026"),
        ("en", "DATETIME_FORMAT", EVENING, "1 December 2026, 17:39"),
        ("en", "SHORT_DATETIME_FORMAT", EVENING, "1 Dec 2026, 17:39"),
        ("en", "MONTH_DAY_FORMAT", DAY, "1 December"),
        ("es", "DATE_FORMAT", DAY, "1 de diciembre de 2026"),
        ("es", "SHORT_DATE_FORMAT", DAY, "1 dic 2026"),
        ("es", "DATETIME_FORMAT", EVENING, "1 de diciembre de 2026, 17:39"),
        ("es", "SHORT_DATETIME_FORMAT", EVENING, "1 dic 2026, 17:39"),
        ("es", "MONTH_DAY_FORMAT", DAY, "1 de diciembre"),
    ],
)
def test_dates_are_spelled_out_in_each_language(language, name, value, expected):
    with translation.override(language):
        assert date_format(value, name) == expected


@pytest.mark.parametrize("language", ["en", "es"])
def test_typed_dates_are_read_only_as_year_month_day(language):
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("2026-12-01") == DAY
        with pytest.raises(forms.ValidationError):
            field.clean("01/12/2026")


FORM_MODULES = [
    assessments.forms,
    assessments.forms_diary,
    assessments.forms_questionnaires,
    careplans.forms,
    careplans.forms_batch,
    careplans.forms_library,
    careplans.forms_recipients,
    clinic.forms,
    clinic.forms_account,
    clinic.forms_audit,
    clinic.forms_staff,
]


def date_fields() -> list[tuple[str, forms.DateField]]:
    found = []
    for module in FORM_MODULES:
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                found += [
                    (f"{name}.{field_name}", field)
                    for field_name, field in form.base_fields.items()
                    if isinstance(field, forms.DateField)
                ]
    return found


def test_every_date_on_a_form_is_a_native_date_picker():
    fields = date_fields()
    # Date of birth, assessment date, next review, the audit filter's two days.
    assert len(fields) >= 5, fields
    for name, field in fields:
        assert field.widget.input_type == "date", name
        with translation.override("es"):
            # A date picker reads only year-month-day, whatever the page's language.
            assert field.widget.format_value(DAY) == "2026-12-01", name


@pytest.mark.django_db
def test_the_search_shows_both_readings_of_a_numeric_date(clinic):
    july = PatientFactory(clinic=clinic, date_of_birth=date(1984, 7, 4))
    april = PatientFactory(clinic=clinic, date_of_birth=date(1984, 4, 7))
    june = PatientFactory(clinic=clinic, date_of_birth=date(1984, 6, 30))

    assert set(Patient.objects.search("04/07/1984")) == {july, april}
    assert set(Patient.objects.search("1984-07-04")) == {july}
    assert set(Patient.objects.search("30.06.1984")) == {june}  # no month 30: one reading


def test_a_clinic_admin_declares_the_order_of_the_files_dates(admin_client_, clinic):
    url = reverse("clinic_settings", args=[clinic.pk])
    page = admin_client_.get(url).content.decode()
    assert "Month/day/year" in page

    form = admin_client_.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    admin_client_.post(url, {**data, "import_date_order": "mdy"})

    clinic.refresh_from_db()
    assert clinic.import_date_order == "mdy"
    upload = admin_client_.get(reverse("patient_import", args=[clinic.pk])).content.decode()
    assert "month/day/year: MM/DD/YYYY" in upload
