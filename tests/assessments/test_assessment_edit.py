import json

import pytest
from django.urls import reverse

from assessments.models import Assessment, Status
from assessments.services import snapshot


def url(assessment) -> str:
    return reverse("assessment_edit", args=[assessment.pk])


def complete_url(assessment) -> str:
    # The page's Complete button posts here (the visit-complete flow).
    return reverse("visit_complete", args=[assessment.pk])


def form_data(assessment, **values) -> dict:
    data = {
        "kind": assessment.kind,
        "assessed_on": assessment.assessed_on.isoformat(),
        "version": assessment.version,
        "original": json.dumps(snapshot(assessment)),
    }
    data.update(values)
    return data


def test_a_draft_saves_incomplete_and_keeps_not_assessed(therapist_client, assessment):
    response = therapist_client.post(url(assessment), form_data(assessment, urgency="true"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.urgency is True
    assert assessment.urge_leaks is None  # not assessed, not "no"
    assert assessment.stress_leak_triggers is None
    assert assessment.status == Status.DRAFT
    assert assessment.version == 2


def test_no_and_not_assessed_stay_distinct(therapist_client, assessment):
    therapist_client.post(
        url(assessment), form_data(assessment, effort_leaks="false", urgency="false")
    )
    assessment.refresh_from_db()
    assert assessment.stress_leak_triggers == []
    assert assessment.urgency is False


def test_leaks_on_effort_need_a_trigger(therapist_client, assessment):
    response = therapist_client.post(url(assessment), form_data(assessment, effort_leaks="true"))
    assert "stress_leak_triggers" in response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_examination_findings_need_recorded_consent(therapist_client, assessment):
    response = therapist_client.post(
        url(assessment), form_data(assessment, oxford_grade="3", tone="normal", urgency="true")
    )
    errors = response.context["form"].errors
    assert "Record consent" in str(errors["oxford_grade"]) and "tone" in errors
    content = response.content.decode()
    assert 'value="true" selected' in content  # what was typed is kept
    assessment.refresh_from_db()
    assert assessment.oxford_grade is None and assessment.urgency is None


def test_examination_findings_save_once_consent_is_recorded(therapist_client, assessment):
    therapist_client.post(
        url(assessment),
        form_data(assessment, consent_recorded="true", internal_exam="true", oxford_grade="3"),
    )
    assessment.refresh_from_db()
    assert (assessment.consent_recorded, assessment.oxford_grade) == (True, 3)


def test_out_of_range_values_name_the_field(therapist_client, assessment):
    response = therapist_client.post(
        url(assessment),
        form_data(assessment, consent_recorded="true", oxford_grade="7", bmi="5"),
    )
    assert {"oxford_grade", "bmi"} <= set(response.context["form"].errors)


def test_complete_checks_the_contracts_cross_field_rules(therapist_client, assessment):
    response = therapist_client.post(
        complete_url(assessment),
        form_data(assessment, weeks_postpartum="6", hormonal_status="postmenopausal", complete=""),
    )
    errors = response.context["form"].errors
    assert "weeks_postpartum" in errors
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and assessment.weeks_postpartum is None


def test_a_draft_may_be_inconsistent_until_completed(therapist_client, assessment):
    therapist_client.post(
        url(assessment), form_data(assessment, weeks_postpartum="6", hormonal_status="pregnant")
    )
    assessment.refresh_from_db()
    assert assessment.weeks_postpartum == 6


def test_complete_locks_the_assessment(therapist_client, assessment):
    response = therapist_client.post(
        complete_url(assessment), form_data(assessment, urgency="true", complete="")
    )
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == Status.COMPLETE and assessment.completed_at
    response = therapist_client.post(url(assessment), form_data(assessment, urgency="false"))
    assessment.refresh_from_db()
    assert assessment.urgency is True


def test_the_later_of_two_saves_is_refused_and_shows_what_changed(
    therapist_client, colleague_client, assessment
):
    opened_by_tess = form_data(assessment)
    colleague_client.post(url(assessment), form_data(assessment, urgency="true", night_voids="2"))

    response = therapist_client.post(
        url(assessment), {**opened_by_tess, "constipation": "true", "night_voids": "3"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "saved this assessment while you were editing it" in content
    assert "Colin Reyes saved this assessment" in content
    assert "Times woken to void</strong>: — → 2" in content
    assessment.refresh_from_db()
    assert (assessment.night_voids, assessment.constipation) == (2, None)  # theirs kept
    form = response.context["form"]
    assert form["night_voids"].value() == "3"  # and yours is still on screen
    # Saving again, having seen theirs, keeps yours.
    therapist_client.post(url(assessment), {**form.data.dict()})
    assessment.refresh_from_db()
    assert (assessment.night_voids, assessment.constipation, assessment.urgency) == (3, True, None)


def test_it_checks_clinic_membership(outsider_client, assessment):
    assert outsider_client.get(url(assessment)).status_code == 404
    assert (
        outsider_client.post(url(assessment), form_data(assessment, urgency="true")).status_code
        == 404
    )
    assessment.refresh_from_db()
    assert assessment.urgency is None


@pytest.mark.parametrize("kind", ["intake", "review"])
def test_new_assessment_is_created_by_post(therapist_client, patient, kind):
    response = therapist_client.post(reverse("assessment_new", args=[patient.pk]), {"kind": kind})
    created = Assessment.objects.get()
    assert response["Location"] == url(created)
    assert created.kind == kind


def test_a_review_is_prefilled_from_the_last_assessment(therapist_client, patient, assessment):
    assessment.urgency = True
    assessment.oxford_grade = 2
    assessment.consent_recorded = True
    assessment.stress_leak_triggers = ["cough"]
    assessment.save()
    therapist_client.post(reverse("assessment_new", args=[patient.pk]), {"kind": "review"})
    review = Assessment.objects.exclude(pk=assessment.pk).get()
    assert (review.urgency, review.oxford_grade, review.stress_leak_triggers) == (
        True,
        2,
        ["cough"],
    )
    assert review.status == Status.DRAFT and review.questionnaires == {}


def test_new_assessment_checks_clinic_membership(outsider_client, patient):
    response = outsider_client.post(
        reverse("assessment_new", args=[patient.pk]), {"kind": "intake"}
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_the_history_section_asks_about_treatment_and_cancer_history(therapist_client, assessment):
    # intake-v1 additions (2026-12-01): four history findings, each "not assessed" at first.
    response = therapist_client.get(url(assessment))
    history = next(s for s in response.context["form"].sections() if s["key"] == "history")
    labels = {field.name: field.label for field in history["fields"]}
    assert labels["bladder_training_weeks_tried"] == "Weeks of bladder training already done"
    assert labels["oab_medication_tried"] == "Overactive-bladder medicine already tried"
    assert labels["hormone_sensitive_cancer"] == "Hormone-sensitive cancer, ever"
    assert labels["aromatase_inhibitor"] == "Currently takes an aromatase inhibitor"
    content = response.content.decode()
    for words in (
        "Overactive-bladder medicine already tried",
        "An antimuscarinic or a beta-3 agonist",
        "Breast, womb (endometrial) or another hormone-sensitive cancer.",
        "Currently takes an aromatase inhibitor",
    ):
        assert words in content, words


def test_the_new_history_findings_save_and_a_blank_stays_not_assessed(therapist_client, assessment):
    therapist_client.post(
        url(assessment),
        form_data(
            assessment,
            bladder_training_weeks_tried="0",
            oab_medication_tried="false",
            hormone_sensitive_cancer="true",
        ),
    )
    assessment.refresh_from_db()
    assert assessment.bladder_training_weeks_tried == 0  # never tried, not unknown
    assert assessment.oab_medication_tried is False
    assert assessment.hormone_sensitive_cancer is True
    assert assessment.aromatase_inhibitor is None  # not asked


def test_each_red_flag_box_says_how_urgent_it_is(therapist_client, assessment):
    # Clinical reference, section 3 rule 1: the labels follow the tiers of red_flags.py.
    from assessments.red_flags import EMERGENCY_FLAGS, URGENT_FLAGS

    response = therapist_client.get(url(assessment))
    labels = dict(response.context["form"].fields["red_flags"].choices)
    for flag in EMERGENCY_FLAGS:
        assert str(labels[flag]).endswith("(emergency department now)"), flag
    for flag in URGENT_FLAGS:
        assert str(labels[flag]).endswith("(urgent)"), flag
    assert "urgent at 45 and over" in labels["visible_haematuria"]
    assert "urgent at 50 and over" in labels["non_visible_haematuria"]
    assert "with haematuria at 40 and over: urgent" in labels["recurrent_uti"]
    content = response.content.decode()
    assert "same day" not in content
    # The banner shown as soon as a flag is ticked sends an emergency flag on at once.
    live = content[content.index('id="red-flag-live"') :].split("</div>", 1)[0]
    assert "emergency department now" in live
