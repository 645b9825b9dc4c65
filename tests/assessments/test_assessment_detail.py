import pytest
from django.urls import reverse

from assessments.models import Status
from clinic.models import AccessLog


def url(assessment) -> str:
    return reverse("assessment_detail", args=[assessment.pk])


@pytest.fixture
def mixed_leaks(assessment):
    assessment.stress_leak_triggers = ["cough", "sneeze"]
    assessment.urgency = True
    assessment.consent_recorded = True
    assessment.internal_exam = True
    assessment.tone = "increased"
    assessment.oxford_grade = 2
    assessment.save()
    return assessment


def test_it_shows_the_classification_with_reasons(therapist_client, mixed_leaks):
    response = therapist_client.get(url(mixed_leaks))
    classification = response.context["summary"]["classification"]
    assert classification.incontinence_type == "mixed"
    assert classification.tone_profile == "tense_and_weak"
    content = response.content.decode()
    for reason in classification.reasons:
        assert str(reason) in content or reason.replace("'", "&#x27;") in content


def test_not_assessed_findings_are_counted_not_shown_as_no(therapist_client, assessment):
    assessment.urgency = False
    assessment.save()
    content = therapist_client.get(url(assessment)).content.decode()
    assert "14 findings not assessed" in content  # symptoms: 15 fields, one recorded


def test_it_checks_clinic_membership(outsider_client, assessment):
    assert outsider_client.get(url(assessment)).status_code == 404
    assert not AccessLog.objects.exists()


def test_opening_it_is_logged(therapist_client, therapist, assessment):
    therapist_client.get(url(assessment))
    assert AccessLog.objects.get().what == "Opened an assessment"


def test_a_red_flag_shows_on_every_patient_page_until_the_referral(therapist_client, assessment):
    assessment.red_flags = ["visible_haematuria"]
    assessment.has_red_flags = True
    assessment.save()
    pages = [
        reverse("patient_detail", args=[assessment.patient_id]),
        url(assessment),
        reverse("assessment_edit", args=[assessment.pk]),
    ]
    for page in pages:
        content = therapist_client.get(page).content.decode()
        assert "Urgent: the GP (family doctor) within days" in content, page  # 56, NICE NG12

    therapist_client.post(
        reverse("assessment_referral", args=[assessment.pk]), {"note": "GP, urgent letter"}
    )
    assessment.refresh_from_db()
    assert assessment.referral_recorded_at and assessment.referral_note == "GP, urgent letter"
    for page in pages:
        assert "Urgent: the GP" not in therapist_client.get(page).content.decode()


def test_a_referral_needs_a_note(therapist_client, assessment):
    assessment.red_flags = ["pelvic_mass"]
    assessment.has_red_flags = True
    assessment.save()
    therapist_client.post(reverse("assessment_referral", args=[assessment.pk]), {"note": ""})
    assessment.refresh_from_db()
    assert assessment.referral_recorded_at is None


def test_referral_checks_clinic_membership(outsider_client, assessment):
    response = outsider_client.post(
        reverse("assessment_referral", args=[assessment.pk]), {"note": "x"}
    )
    assert response.status_code == 404


def test_saving_a_red_flag_through_the_form_sets_the_banner(therapist_client, assessment):
    from tests.assessments.test_assessment_edit import form_data

    therapist_client.post(
        reverse("assessment_edit", args=[assessment.pk]),
        form_data(assessment, any_red_flags="true", red_flags=["saddle_anaesthesia"]),
    )
    assessment.refresh_from_db()
    assert assessment.red_flag_open
    assert assessment.status == Status.DRAFT


def test_html_in_notes_is_shown_as_text(therapist_client, assessment):
    assessment.notes = "<img src=x onerror=alert(1)>"
    assessment.save()
    content = therapist_client.get(url(assessment)).content.decode()
    assert "<img src=x" not in content and "&lt;img src=x onerror=alert(1)&gt;" in content
