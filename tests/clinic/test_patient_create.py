from django.urls import reverse

from clinic.models import Patient

URL = reverse("patient_create")


def valid(**overrides) -> dict:
    data = {
        "record_number": "R0100",
        "first_name": "Ana",
        "last_name": "Lopez",
        "date_of_birth": "1980-02-29",
        "anatomy": "vulva",
        "pronouns": "she/her",
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def test_it_creates_a_patient_in_the_users_clinic(therapist_client, clinic, therapist):
    response = therapist_client.post(URL, valid(clinic=clinic.pk, assigned_therapist=therapist.pk))
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_detail", args=[patient.pk])
    assert (patient.clinic, patient.last_name, patient.assigned_therapist) == (
        clinic,
        "Lopez",
        therapist,
    )


def test_it_cannot_put_a_patient_into_another_clinic(therapist_client, clinic, other_clinic):
    response = therapist_client.post(URL, valid(clinic=other_clinic.pk))
    assert response.status_code == 200
    assert "clinic" in response.context["form"].errors
    assert not Patient.objects.exists()


def test_bad_input_names_each_field_and_keeps_what_was_typed(therapist_client, clinic):
    response = therapist_client.post(
        URL, valid(clinic=clinic.pk, date_of_birth="2199-01-01", anatomy="", email="nope")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"date_of_birth", "anatomy", "email"}
    assert "cannot be in the future" in str(errors["date_of_birth"])
    content = response.content.decode()
    assert 'value="Lopez"' in content and 'value="R0100"' in content
    assert not Patient.objects.exists()


def test_record_number_is_unique_within_the_clinic(therapist_client, clinic, patient):
    response = therapist_client.post(URL, valid(clinic=clinic.pk, record_number="r0001"))
    assert "already has record number" in str(response.context["form"].errors["record_number"])
    assert Patient.objects.count() == 1


def test_the_same_record_number_is_fine_in_another_clinic(client, outsider, other_clinic, patient):
    client.force_login(outsider)
    client.post(URL, valid(clinic=other_clinic.pk, record_number="R0001"))
    assert Patient.objects.filter(record_number="R0001").count() == 2


def test_assigned_therapist_must_work_in_the_clinic(therapist_client, clinic, outsider):
    response = therapist_client.post(URL, valid(clinic=clinic.pk, assigned_therapist=outsider.pk))
    assert "assigned_therapist" in response.context["form"].errors


def test_anatomy_may_be_left_unspecified(therapist_client, clinic):
    # intake-v1 addition (2026-12-01): "unspecified" words the printed cues neutrally.
    form = therapist_client.get(URL).context["form"]
    radios = [(str(choice.data["value"]), choice.choice_label) for choice in form["anatomy"]]
    assert radios == [
        ("vulva", "Vulva"),
        ("penis", "Penis"),
        ("unspecified", "Unspecified (neutral cues only)"),
    ]

    response = therapist_client.post(URL, valid(clinic=clinic.pk, anatomy="unspecified"))
    patient = Patient.objects.get()
    assert response["Location"] == reverse("patient_detail", args=[patient.pk])
    assert patient.anatomy == "unspecified"
    detail = therapist_client.get(response["Location"]).content.decode()
    assert "Unspecified (neutral cues only)" in detail
