"""The questionnaires page: entry, scoring stored and shown, partial refusal, licences."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.questionnaires import PFDI20_ITEMS, PFIQ7_ITEMS
from assessments.services import assessment_complete
from clinic.models import AccessLog


def url(assessment) -> str:
    return reverse("assessment_questionnaires", args=[assessment.pk])


# POPDI-6 (1+2+3+4+0+0)/6 x 25 = 41.7; CRADI-8 all 0; UDI-6 all 4 = 100; total 141.7.
PFDI20 = [1, 2, 3, 4, 0, 0] + [0] * 8 + [4] * 6
# Bladder all 3 = 100; bowel all 0; prolapse 7/21 x 100 = 33.3; total 133.3.
PFIQ7 = {"bladder": [3] * 7, "bowel": [0] * 7, "prolapse": [1] * 7}


def pfdi20_data(items=PFDI20) -> dict[str, str]:
    return {f"pfdi20_{n}": str(v) for n, v in enumerate(items, start=1)}


def pfiq7_data(answers=PFIQ7) -> dict[str, str]:
    return {
        f"pfiq7_{scale}_{n}": str(v)
        for scale, values in answers.items()
        for n, v in enumerate(values, start=1)
    }


def everything() -> dict[str, object]:
    return {
        **pfdi20_data(),
        **pfiq7_data(),
        "iqq3_any_leak_3_months": "yes",
        "iqq3_when": ["activity", "urge"],
        "iqq3_most_often": "activity",
        "iciq_ui_sf_frequency": "3",
        "iciq_ui_sf_amount": "4",
        "iciq_ui_sf_interference": "7",
        **{f"oab_v8_{n}": "1" for n in range(1, 9)},
    }


def test_scores_are_stored_and_shown_with_the_subscales(therapist_client, therapist, assessment):
    response = therapist_client.post(url(assessment), everything())
    assert response.status_code == 302

    assessment.refresh_from_db()
    assert assessment.questionnaires == {
        "pfdi20": PFDI20,
        "pfiq7": PFIQ7,
        "iqq3": {"any_leak_3_months": True, "when": ["activity", "urge"], "most_often": "activity"},
        "iciq_ui_sf": {"frequency": 3, "amount": 4, "interference": 7},
        "oab_v8": [1] * 8,
    }
    assert assessment.pfdi20_total == Decimal("141.7")
    assert assessment.pfiq7_total == Decimal("133.3")
    assert (assessment.iciq_ui_sf_total, assessment.oab_v8_total) == (14, 8)
    assert assessment.updated_by == therapist

    for page in (url(assessment), reverse("assessment_detail", args=[assessment.pk])):
        content = therapist_client.get(page).content.decode()
        for testid, shown in [
            ("pfdi20-popdi6", "41.7"),
            ("pfdi20-cradi8", "0.0"),
            ("pfdi20-udi6", "100.0"),
            ("pfdi20-total", "141.7"),
            ("pfiq7-bladder", "100.0"),
            ("pfiq7-prolapse", "33.3"),
            ("pfiq7-total", "133.3"),
            ("iciq_ui_sf-total", "14"),
            ("oab_v8-total", "8"),
        ]:
            assert f'data-testid="{testid}">{shown}<' in content, testid
        assert "suggests OAB" in content
        assert "Stress incontinence" in content


def test_the_form_is_prefilled_from_the_stored_answers(therapist_client, assessment):
    therapist_client.post(url(assessment), everything())
    form = therapist_client.get(url(assessment)).context["form"]
    assert form["pfdi20_4"].value() == 4
    assert form["pfiq7_prolapse_7"].value() == 1
    assert form["iqq3_when"].value() == ["activity", "urge"]
    assert form["iciq_ui_sf_amount"].value() == 4


def test_the_freely_available_wording_is_shown(therapist_client, assessment):
    content = therapist_client.get(url(assessment)).content.decode()
    assert PFDI20_ITEMS[0] in content
    assert PFIQ7_ITEMS[6] in content
    assert "have you leaked urine (even a small amount)?" in content


def test_no_licensed_wording_is_in_the_page(therapist_client, assessment):
    therapist_client.post(url(assessment), everything())
    for page in (url(assessment), reverse("assessment_detail", args=[assessment.pk])):
        content = therapist_client.get(page).content.decode().lower()
        # ICIQ-UI SF questions and answers (licensed): none of their text appears.
        assert "how often do you leak urine" not in content
        assert "how much urine do you usually leak" not in content
        assert "interfere with your everyday life" not in content
        assert "about once a week or less often" not in content
        # OAB-V8 questions (licence unknown).
        assert "frequent urination during the daytime" not in content
        assert "an uncomfortable urge to urinate" not in content
    content = therapist_client.get(url(assessment)).content.decode().lower()
    assert "frequency score (0–5)" in content and "item 8 score (0–5)" in content


def test_a_blank_questionnaire_is_not_stored(therapist_client, assessment):
    response = therapist_client.post(url(assessment), pfdi20_data())
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert set(assessment.questionnaires) == {"pfdi20"}
    assert assessment.pfiq7_total is None and assessment.iciq_ui_sf_total is None
    assert "scores-pfiq7" not in therapist_client.get(url(assessment)).content.decode()


def test_a_partly_filled_questionnaire_is_refused_naming_the_items(therapist_client, assessment):
    data = {**everything()}
    del data["pfdi20_7"], data["pfdi20_12"], data["pfiq7_bowel_3"], data["iciq_ui_sf_amount"]
    response = therapist_client.post(url(assessment), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert {"pfdi20_7", "pfdi20_12", "pfiq7_bowel_3", "iciq_ui_sf_amount"} <= set(form.errors)
    content = response.content.decode()
    assert "PFDI-20 is partly filled: items 7, 12 not answered." in content
    assert "PFIQ-7 is partly filled: bowel item 3 not answered." in content
    assert "ICIQ-UI SF is partly filled: amount score not answered." in content
    # Everything typed is kept, and each bad field is marked.
    assert form["pfdi20_8"].value() == "0" and form["oab_v8_3"].value() == "1"
    assert 'name="pfdi20_7" value="0" class="form-check-input is-invalid"' in content
    assessment.refresh_from_db()
    assert assessment.questionnaires == {} and assessment.pfdi20_total is None


def test_a_partly_answered_3iq_is_refused(therapist_client, assessment):
    response = therapist_client.post(url(assessment), {"iqq3_any_leak_3_months": "yes"})
    assert {"iqq3_when", "iqq3_most_often"} <= set(response.context["form"].errors)
    assert "3IQ is partly filled: questions 2 and 3 not answered." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.questionnaires == {}


def test_3iq_most_often_must_be_one_of_the_kinds_ticked(therapist_client, assessment):
    data = {"iqq3_any_leak_3_months": "yes", "iqq3_when": ["activity"], "iqq3_most_often": "equal"}
    response = therapist_client.post(url(assessment), data)
    assert "iqq3_most_often" in response.context["form"].errors


def test_3iq_no_leaks_skips_the_other_questions(therapist_client, assessment):
    data = {"iqq3_any_leak_3_months": "no", "iqq3_most_often": "urge"}
    therapist_client.post(url(assessment), data)
    assessment.refresh_from_db()
    assert assessment.questionnaires == {"iqq3": {"any_leak_3_months": False}}
    content = therapist_client.get(url(assessment)).content.decode()
    assert "No leaks in the last 3 months" in content


def test_out_of_range_scores_are_refused(therapist_client, assessment):
    data = {"iciq_ui_sf_frequency": "3", "iciq_ui_sf_amount": "3", "iciq_ui_sf_interference": "2"}
    response = therapist_client.post(url(assessment), {**data, "pfdi20_1": "5"})
    assert {"iciq_ui_sf_amount", "pfdi20_1"} <= set(response.context["form"].errors)
    assessment.refresh_from_db()
    assert assessment.questionnaires == {}


def test_a_questionnaire_can_be_discarded(therapist_client, assessment):
    therapist_client.post(url(assessment), everything())
    therapist_client.post(url(assessment), {**everything(), "discard_pfdi20": "on"})
    assessment.refresh_from_db()
    assert "pfdi20" not in assessment.questionnaires and assessment.pfdi20_total is None
    assert assessment.pfiq7_total == Decimal("133.3")


def test_a_completed_assessment_is_read_only(therapist_client, assessment):
    therapist_client.post(url(assessment), pfdi20_data())
    assessment.refresh_from_db()
    assessment = assessment_complete(assessment=assessment, user=assessment.therapist)

    response = therapist_client.get(url(assessment))
    assert response.status_code == 200
    content = response.content.decode()
    assert "questionnaires are read-only" in content
    assert "Save questionnaires" not in content
    assert 'data-testid="pfdi20-total">141.7<' in content
    form = response.context["form"]
    assert form["pfdi20_4"].value() == 4
    assert all(field.disabled for field in form.fields.values())
    assert content.count(" checked") == 20 and "<select" in content and " disabled" in content

    response = therapist_client.post(
        url(assessment), {"pfdi20_1": "0", **pfiq7_data()}, follow=True
    )
    assert response.status_code == 200
    assert "questionnaires are read-only" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.questionnaires == {"pfdi20": PFDI20}
    assert assessment.pfiq7_total is None


def test_it_checks_clinic_membership(outsider_client, assessment):
    assert outsider_client.get(url(assessment)).status_code == 404
    assert outsider_client.post(url(assessment), everything()).status_code == 404
    assessment.refresh_from_db()
    assert assessment.questionnaires == {}
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("method", "what"), [("get", "Opened the questionnaires"), ("post", "Saved questionnaires")]
)
def test_opening_and_saving_are_logged(therapist_client, assessment, method, what):
    getattr(therapist_client, method)(url(assessment))
    assert AccessLog.objects.get().what == what


def test_scores_partial_renders_nothing_without_scores(therapist_client, assessment):
    content = therapist_client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert 'id="scores"' not in content.content.decode()
