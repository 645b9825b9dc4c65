"""Record numbers from the clinic's pattern: pure rules (no database), then the new-patient
page that uses them and the settings page that sets the pattern."""

import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from clinic.models import Patient
from clinic.record_numbers import next_record_number, pattern_problem
from clinic.services import patients as patient_services
from tests.clinic.test_clinic_settings import data as settings_data
from tests.clinic.test_patient_create import valid
from tests.factories import PatientFactory

CREATE = reverse("patient_create")

# --- The pattern (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "taken", "expected"),
    [
        ("R{number:04}", [], "R0001"),
        ("R{number:04}", ["R0001", "r0007", "X0099", "R12"], "R0013"),
        ("R{number:04}", ["R9999"], "R10000"),
        ("{year}-{number}", ["2025-40", "2026-2"], "2026-3"),
        ("{year}-{number}", ["2025-40"], "2026-1"),  # a new year starts again at 1
        ("P{{{number:03}}}", ["P{041}"], "P{042}"),
    ],
)
def test_the_next_number_follows_the_highest_of_the_pattern(pattern, taken, expected):
    assert next_record_number(pattern, taken=taken, year=2026) == expected


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("R0001", "exactly once"),
        ("R{number}{number}", "exactly once"),
        ("R{number:abc}", "zero-padded width such as {number:04}"),
        ("R{number:4}", "not {number:4}"),
        ("R{num}", "Unknown placeholder {num}"),
        ("R{number!r}", "Unknown placeholder {number!r}"),
        ("{year:%y}{number}", "{year} takes no format"),
        ("R{number", "has no partner"),
        ("R}{number}", "has no partner"),
        ("X" * 39 + "{number:04}", "longer than 40 characters"),
    ],
)
def test_a_bad_pattern_is_named(pattern, words):
    assert words in pattern_problem(pattern)


@pytest.mark.parametrize(
    "pattern", ["R{number:04}", "{year}/{number}", "{number}", "A-{number:010}"]
)
def test_good_patterns_pass(pattern):
    assert pattern_problem(pattern) is None


# --- A new patient ------------------------------------------------------------------------


def test_left_blank_the_clinics_next_number_is_used_and_shown_beforehand(
    therapist_client, clinic, patient
):
    clinic.record_number_pattern = "FP-{year}-{number:03}"
    clinic.save()
    year = timezone.localdate().year
    form = therapist_client.get(CREATE).context["form"]
    field = form.fields["record_number"]
    assert not field.required
    assert field.widget.attrs["placeholder"] == f"FP-{year}-001"
    assert f"Leave it blank to use the next number, FP-{year}-001." in field.help_text

    response = therapist_client.post(CREATE, valid(clinic=clinic.pk, record_number=""), follow=True)
    created = Patient.objects.get(last_name="Lopez")
    assert created.record_number == f"FP-{year}-001"
    assert f"with record number FP-{year}-001" in response.content.decode()


def test_a_typed_number_is_kept_and_must_be_free(therapist_client, clinic, patient):
    therapist_client.post(CREATE, valid(clinic=clinic.pk, record_number="X-7"))
    assert Patient.objects.filter(record_number="X-7").exists()
    clash = therapist_client.post(CREATE, valid(clinic=clinic.pk, record_number="x-7"))
    errors = clash.context["form"].errors["record_number"]
    assert errors == ["Another patient of this clinic already has record number x-7."]


def test_two_patients_at_once_get_the_next_free_number(clinic, patient, monkeypatch):
    # The second request read the numbers before the first saved R0002: it tries again.
    PatientFactory(clinic=clinic, record_number="R0002")
    stale = iter([["R0001"]])
    real = patient_services._taken_record_numbers
    monkeypatch.setattr(
        patient_services,
        "_taken_record_numbers",
        lambda c: next(stale, None) or real(c),
    )
    created = patient_services.patient_create(
        clinic=clinic,
        first_name="Bo",
        last_name="Diaz",
        date_of_birth="1980-01-01",
        anatomy="penis",
    )
    assert created.record_number == "R0003"


def test_a_clash_at_the_database_tries_the_next_number(clinic, patient, monkeypatch):
    saves = []
    real_save = Patient.save

    def save_once_clashing(self, *args, **kwargs):
        saves.append(self.record_number)
        if len(saves) == 1:
            raise IntegrityError("UNIQUE constraint failed")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Patient, "save", save_once_clashing)
    created = patient_services.patient_create(
        clinic=clinic,
        first_name="Bo",
        last_name="Diaz",
        date_of_birth="1980-01-01",
        anatomy="penis",
    )
    assert saves == ["R0002", "R0002"]  # the first try was taken meanwhile; read again
    assert created.pk and created.record_number == "R0002"


def test_the_creating_therapist_is_the_default_assigned_therapist(
    therapist_client, clinic, therapist, colleague
):
    form = therapist_client.get(CREATE).context["form"]
    assert form["assigned_therapist"].value() == therapist.pk
    html = therapist_client.get(CREATE).content.decode()
    assert f'<option value="{therapist.pk}" selected>' in html


def test_an_admin_creating_a_patient_gets_no_default_therapist(admin_client_, clinic, therapist):
    form = admin_client_.get(CREATE).context["form"]
    assert form["assigned_therapist"].value() is None


def test_anatomy_shows_three_radio_buttons_with_the_help_text(therapist_client):
    html = therapist_client.get(CREATE).content.decode()
    radios = re.findall(r'<input type="radio"[^>]*name="anatomy" value="(\w+)"', html)
    assert radios == ["vulva", "penis", "unspecified"]
    assert "Used only to word the exercise cues on the printed plan." in html


def test_editing_keeps_the_record_number_required(therapist_client, patient):
    response = therapist_client.post(
        reverse("patient_edit", args=[patient.pk]),
        valid(clinic=patient.clinic_id, record_number=""),
    )
    assert "record_number" in response.context["form"].errors
    patient.refresh_from_db()
    assert patient.record_number == "R0001"


def test_another_clinics_patient_numbers_do_not_count(client, outsider, other_clinic, patient):
    client.force_login(outsider)
    client.post(CREATE, valid(clinic=other_clinic.pk, record_number=""))
    assert Patient.objects.get(clinic=other_clinic).record_number == "R0001"


# --- The clinic setting -------------------------------------------------------------------


def test_the_admin_sets_the_pattern_and_sees_the_next_number(admin_client_, clinic, patient):
    page = admin_client_.get(reverse("clinic_settings", args=[clinic.pk])).content.decode()
    assert "The next new patient gets R0002" in page
    url = reverse("clinic_settings", args=[clinic.pk])
    admin_client_.post(url, settings_data(clinic, record_number_pattern="RPH{number:05}"))
    clinic.refresh_from_db()
    assert clinic.record_number_pattern == "RPH{number:05}"
    assert "The next new patient gets RPH00001" in admin_client_.get(url).content.decode()


def test_a_bad_pattern_is_refused_with_its_reason(admin_client_, clinic):
    url = reverse("clinic_settings", args=[clinic.pk])
    response = admin_client_.post(url, settings_data(clinic, record_number_pattern="R{nummer}"))
    errors = response.context["form"].errors["record_number_pattern"]
    assert errors == ["Unknown placeholder {nummer}: the placeholders are {number} and {year}."]
    clinic.refresh_from_db()
    assert clinic.record_number_pattern == "R{number:04}"


def test_the_settings_are_the_admins_alone(client, clinic, therapist, outsider):
    url = reverse("clinic_settings", args=[clinic.pk])
    client.force_login(therapist)
    assert (
        client.post(url, settings_data(clinic, record_number_pattern="T{number}")).status_code
        == 403
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    clinic.refresh_from_db()
    assert clinic.record_number_pattern == "R{number:04}"


def test_one_huge_typed_number_does_not_end_automatic_numbering():
    # A number typed at the desk whose successor would not fit (40 characters) is not
    # followed: the next patient still gets a number.
    huge = "R" + "9" * 39
    assert next_record_number("R{number:04}", taken=["R0007", huge], year=2026) == "R0008"
