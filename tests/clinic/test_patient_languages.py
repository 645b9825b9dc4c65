"""A patient's language: one the clinic prints, or "other" with the language named
(issue 9, reference section 10); the clinic chooses its language and printed languages."""

from __future__ import annotations

from django.urls import reverse

from clinic.models import Patient
from clinic.services.patient_import import patient_import_preview
from tests.clinic.test_clinic_settings import data as settings_data
from tests.clinic.test_patient_create import valid
from tests.factories import PatientFactory

CREATE = reverse("patient_create")


def language_options(response) -> list[str]:
    return [
        value for value, _label in response.context["form"].fields["preferred_language"].choices
    ]


def test_the_form_offers_the_clinics_printed_languages_and_other(therapist_client, clinic):
    clinic.printed_languages = ["en", "es"]
    clinic.save()
    response = therapist_client.get(CREATE)
    assert language_options(response) == ["en", "es", "other"]
    page = response.content.decode()
    assert "Esperanto" not in page and "Ido" not in page
    assert "Spanish" in page


def test_a_clinic_that_prints_english_only_offers_english_and_other(therapist_client):
    assert language_options(therapist_client.get(CREATE)) == ["en", "other"]


def test_other_needs_the_language_named(therapist_client, clinic):
    response = therapist_client.post(CREATE, valid(clinic=clinic.pk, preferred_language="other"))
    assert "other_language" in response.context["form"].errors
    assert not Patient.objects.exists()

    therapist_client.post(
        CREATE, valid(clinic=clinic.pk, preferred_language="other", other_language="Tigrinya")
    )
    patient = Patient.objects.get()
    assert (patient.preferred_language, patient.other_language) == ("other", "Tigrinya")
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Tigrinya" in page


def test_a_language_the_clinic_does_not_offer_is_refused(therapist_client, clinic):
    response = therapist_client.post(CREATE, valid(clinic=clinic.pk, preferred_language="eo"))
    assert "preferred_language" in response.context["form"].errors


def test_an_earlier_language_stays_readable_and_editable(therapist_client, clinic):
    # Recorded before the clinic's list (or imported): it stays until someone changes it.
    patient = PatientFactory(clinic=clinic, preferred_language="pt")
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Portuguese" in page
    url = reverse("patient_edit", args=[patient.pk])
    assert language_options(therapist_client.get(url)) == ["en", "pt", "other"]
    response = therapist_client.post(
        url,
        valid(
            record_number=patient.record_number,
            preferred_language="pt",
            other_language="left over",
        ),
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.preferred_language, patient.other_language) == ("pt", "")


def test_the_import_takes_the_same_languages(clinic):
    clinic.printed_languages = ["en", "es"]
    clinic.save()
    data = (
        "record_number,first_name,last_name,date_of_birth,anatomy,preferred_language\n"
        "R1,Ana,López,1984-06-30,vulva,es\n"
        "R2,Rui,Costa,1970-01-02,penis,Portuguese\n"
        "R3,Abeba,Tesfaye,1990-03-04,vulva,other\n"
        "R4,Zed,Zed,1990-03-04,vulva,Klingon\n"
    ).encode()
    preview = patient_import_preview(clinic=clinic, data=data)
    rows = {row.record_number: row for row in preview.rows}
    assert (rows["R1"].preferred_language, rows["R1"].other_language) == ("es", "")
    assert (rows["R2"].preferred_language, rows["R2"].other_language) == ("other", "Portuguese")
    assert "R3" not in rows  # a bare "other" names no language for the interpreter
    assert [(e.line, e.field) for e in preview.errors] == [
        (4, "preferred_language"),
        (5, "preferred_language"),
    ]


def test_the_clinic_chooses_its_language_and_printed_languages(admin_client_, clinic):
    url = reverse("clinic_settings", args=[clinic.pk])
    page = admin_client_.get(url).content.decode()
    assert "Languages the clinic prints patient plans in" in page
    response = admin_client_.post(
        url, settings_data(clinic, language="es", printed_languages=["en"])
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    # The clinic's own language is always printed.
    assert (clinic.language, clinic.printed_languages) == ("es", ["en", "es"])
