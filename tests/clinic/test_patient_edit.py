from django.urls import reverse


def url(patient) -> str:
    return reverse("patient_edit", args=[patient.pk])


def form_data(patient, **overrides) -> dict:
    data = {
        "clinic": patient.clinic_id,
        "record_number": patient.record_number,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "anatomy": patient.anatomy,
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def test_it_saves_changes(therapist_client, patient):
    response = therapist_client.post(url(patient), form_data(patient, pronouns="they/them"))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.pronouns == "they/them"


def test_the_clinic_cannot_be_changed(therapist_client, patient, other_clinic):
    therapist_client.post(url(patient), form_data(patient, clinic=other_clinic.pk))
    patient.refresh_from_db()
    assert patient.clinic_id != other_clinic.pk


def test_it_checks_clinic_membership(outsider_client, patient):
    assert outsider_client.get(url(patient)).status_code == 404
    assert outsider_client.post(url(patient), form_data(patient, last_name="X")).status_code == 404
    patient.refresh_from_db()
    assert patient.last_name == "Santos"


def test_a_bad_save_changes_nothing(therapist_client, patient):
    response = therapist_client.post(url(patient), form_data(patient, first_name="", pronouns="x"))
    assert "first_name" in response.context["form"].errors
    patient.refresh_from_db()
    assert (patient.first_name, patient.pronouns) == ("Maria", "she/her")


def test_editing_a_patient_of_a_deactivated_therapist_keeps_them(
    therapist_client, patient, colleague
):
    patient.assigned_therapist = colleague
    patient.save()
    colleague.memberships.update(is_active=False)
    response = therapist_client.get(url(patient))
    assert f'value="{colleague.pk}" selected' in response.content.decode()
    therapist_client.post(
        url(patient), form_data(patient, pronouns="they/them", assigned_therapist=colleague.pk)
    )
    patient.refresh_from_db()
    assert (patient.assigned_therapist, patient.pronouns) == (colleague, "they/them")
