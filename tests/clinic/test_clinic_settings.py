from django.urls import reverse


def url(clinic) -> str:
    return reverse("clinic_settings", args=[clinic.pk])


def data(clinic, **overrides) -> dict:
    values = {
        "name": clinic.name,
        "paper_size": "letter",
        "daytime_frequency_threshold": 7,
        "fluid_low_ml": 1500,
        "fluid_high_ml": 3000,
        "alcohol_units_per_week": 14,
    }
    values.update(overrides)
    return values


def test_a_clinic_admin_changes_the_conventions(admin_client_, clinic):
    response = admin_client_.get(url(clinic))
    assert "they are conventions" in response.content.decode()
    admin_client_.post(url(clinic), data(clinic))
    clinic.refresh_from_db()
    assert (clinic.paper_size, clinic.daytime_frequency_threshold) == ("letter", 7)


def test_bad_values_name_the_field_and_save_nothing(admin_client_, clinic):
    response = admin_client_.post(
        url(clinic), data(clinic, fluid_high_ml=1000, daytime_frequency_threshold=99)
    )
    assert {"fluid_high_ml", "daytime_frequency_threshold"} <= set(response.context["form"].errors)
    clinic.refresh_from_db()
    assert clinic.daytime_frequency_threshold == 8


def test_a_therapist_cannot_change_settings(therapist_client, clinic):
    assert therapist_client.get(url(clinic)).status_code == 403


def test_it_checks_clinic_membership(outsider_client, clinic):
    assert outsider_client.post(url(clinic), data(clinic)).status_code == 404
    clinic.refresh_from_db()
    assert clinic.paper_size == "A4"
