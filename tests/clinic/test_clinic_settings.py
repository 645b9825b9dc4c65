from django.urls import reverse

from careplans.services import visit_complete


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
        "nocturia_min_voids": 2,
        "bladder_training_target_min": 180,
        "down_training_minutes": 5,
        "phase_one_limit": 5,
        "idle_timeout_minutes": 30,
        "import_date_order": "iso_only",
        "language": "en",
        "printed_languages": ["en"],
        "english_spelling": "uk",
        "record_number_pattern": clinic.record_number_pattern,
        "home_link_days": 14,
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


def test_the_rule_conventions_are_on_the_settings_page(admin_client_, clinic):
    # Clinical reference: every convention is a clinic setting, said so on screen.
    page = admin_client_.get(url(clinic)).content.decode().lower()
    for label in (
        "nocturia counts from",
        "bladder training target",
        "down-training to start with",
        "at most this many items start at once",
    ):
        assert label in page


def test_the_phase_one_limit_and_bladder_target_shape_new_plans(
    admin_client_, clinic, patient, therapist
):
    from assessments.services.intake_import import intake_import
    from careplans import services
    from careplans.services.library import library_install

    library_install(clinic=clinic)
    admin_client_.post(
        url(clinic), data(clinic, phase_one_limit=1, bladder_training_target_min=240)
    )
    clinic.refresh_from_db()
    assert (clinic.phase_one_limit, clinic.bladder_training_target_min) == (1, 240)
    intake = {
        "schema": "pelvic-intake/1",
        "patient": {"anatomy": "vulva", "age": 50},
        "symptoms": {"stress_leak_triggers": [], "urgency": True, "day_voids": 12},
        "exam": {"tone": "normal", "oxford_grade": 3, "relaxation": "complete"},
        "lifestyle": {"caffeine_drinks_per_day": 4, "bmi": 33, "smoker": True},
    }
    assessment = intake_import(patient=patient, intake=intake, therapist=therapist)
    assessment = visit_complete(assessment=assessment, user=therapist)
    plan = services.careplan_build(assessment=assessment, user=therapist)
    phases = {item.code: item.phase for item in plan.items.all()}
    # One step at a time with a limit of 1: only the first-line treatment starts now.
    assert phases["bladder_training.schedule"] == 1
    assert phases["lifestyle.caffeine"] == phases["lifestyle.weight"] == 2
    bladder = plan.items.get(code="bladder_training.schedule")
    assert bladder.dosing["target_interval_min"] == 240


def test_a_clinic_admin_chooses_us_english_for_the_patient_texts(admin_client_, clinic):
    assert "English spelling" in admin_client_.get(url(clinic)).content.decode()
    admin_client_.post(url(clinic), data(clinic, english_spelling="us"))
    clinic.refresh_from_db()
    assert clinic.english_spelling == "us"
