"""The safety check of a plan with its intake (clinical reference, section 3 rule 5): the
plan page shows it, a held item moves into phase 1 only with a reason, and a plan that
breaks a safety rule is signed only with a reason, all kept and printed in the clinician
summary."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careplans import documents, services
from careplans.models import CarePlan, Intervention, PlanStatus
from careplans.rules import PFMT, safety_violations
from careplans.selectors import plan_safety_warnings
from tests.careplans.test_documents import squashed, text_of

# Stress leaks with pelvic pain; the examination is otherwise normal, so the tone profile
# is "normal" and only the intake says there is pain (section 3 rule 2).
PAIN_INTAKE = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "vulva", "age": 45},
    "symptoms": {
        "stress_leak_triggers": ["cough", "sneeze"],
        "urgency": False,
        "pelvic_pain": True,
    },
    "exam": {
        "consent_recorded": True,
        "internal_exam": True,
        "tone": "normal",
        "oxford_grade": 3,
        "endurance_s": 5,
        "repetitions": 8,
        "relaxation": "complete",
    },
}
PAIN_HOLD = "Pelvic pain: starts once the muscles relax fully and the pain has settled"
REASON = "Pain has settled since the intake; she asked to start the exercises now"


def detail(plan) -> str:
    return reverse("plan_detail", args=[plan.pk])


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def update_data(item, *, phase: int, reason: str = "", **dosing) -> dict:
    prefix = f"i{item.pk}"
    data = {f"{prefix}-phase": str(phase), f"{prefix}-phase_reason": reason}
    data.update({f"{prefix}-dosing_{k}": v for k, v in {**item.dosing, **dosing}.items()})
    return data


def move_to_phase_one(client, plan, item, reason: str = "", **dosing):
    url = reverse("plan_item_update", args=[plan.pk, item.pk])
    return client.post(url, update_data(item, phase=1, reason=reason, **dosing), follow=True)


@pytest.fixture
def pain_plan(plan_from_intake) -> CarePlan:
    plan = plan_from_intake(PAIN_INTAKE)
    assert plan.classification["tone_profile"] == "normal"
    return plan


@pytest.fixture
def pfmt(pain_plan):
    item = pain_plan.items.get(code=PFMT)
    assert item.phase == 2 and item.hold_reason == PAIN_HOLD
    return item


@pytest.fixture
def warned_plan(pain_plan, pfmt) -> CarePlan:
    """The therapist has started PFMT now, with a reason: the plan breaks safety rule 2."""
    services.careplan_item_update(item=pfmt, phase=1, dosing=pfmt.dosing, reason=REASON)
    assert plan_safety_warnings(pain_plan)
    return pain_plan


# --- The safety check on the plan page ------------------------------------------------------


def test_a_fresh_plan_has_no_safety_warning(therapist_client, pain_plan):
    assert plan_safety_warnings(pain_plan) == []
    response = therapist_client.get(detail(pain_plan))
    assert 'id="safety-check"' not in response.content.decode()
    assert "Sign the plan" in response.content.decode()


def test_pfmt_moved_into_phase_one_with_pelvic_pain_shows_a_safety_warning(
    therapist_client, pain_plan, pfmt
):
    move_to_phase_one(therapist_client, pain_plan, pfmt, reason=REASON)
    pfmt.refresh_from_db()
    assert pfmt.phase == 1

    text = page_text(therapist_client.get(detail(pain_plan)))
    check = text[text.index('id="safety-check"') :]
    check = check[: check.index("</div>")]
    assert "strengthening.pfmt asks for squeezing in phase 1 although it must wait" in check
    assert PAIN_HOLD in check
    assert "Sign despite the warnings" in text

    # The check reads the intake: the plan alone says nothing of pain.
    edited = {
        **pain_plan.built,
        "items": [
            {"code": i.code, "phase": i.phase, "category": i.category, "dosing": i.dosing}
            for i in pain_plan.items.all()
        ],
    }
    assert safety_violations(edited) == []


def test_the_plan_page_shows_each_hold_reason_and_asks_why_only_for_held_items(
    therapist_client, pain_plan
):
    text = page_text(therapist_client.get(detail(pain_plan)))
    held = list(pain_plan.items.exclude(hold_reason=""))
    assert {item.code for item in held} == {PFMT, "coordination.knack"}
    assert text.count(f"Waits:</strong> {PAIN_HOLD}") == len(held)
    for item in pain_plan.items.all():
        field = f'name="i{item.pk}-phase_reason"'
        assert (field in text) == (item in held), item.code


# --- Moving a held item into phase 1 ---------------------------------------------------------


def test_moving_a_held_item_into_phase_one_without_a_reason_is_refused(
    therapist_client, pain_plan, pfmt
):
    before = dict(pfmt.dosing)
    response = move_to_phase_one(therapist_client, pain_plan, pfmt, hold_s=7)
    text = page_text(response)
    assert f"{pfmt.title} was not changed" in text
    assert f"This item waits for a reason ({PAIN_HOLD}): say why it should start now." in text
    pfmt.refresh_from_db()
    assert pfmt.phase == 2 and pfmt.phase_reason == "" and pfmt.dosing == before


def test_a_reason_of_spaces_is_no_reason(therapist_client, pain_plan, pfmt):
    move_to_phase_one(therapist_client, pain_plan, pfmt, reason="   ")
    pfmt.refresh_from_db()
    assert pfmt.phase == 2


def test_with_a_reason_it_moves_and_the_reason_shows_on_the_page_and_in_the_summary(
    therapist_client, pain_plan, pfmt
):
    response = move_to_phase_one(therapist_client, pain_plan, pfmt, reason=REASON)
    pfmt.refresh_from_db()
    assert pfmt.phase == 1 and pfmt.phase_reason == REASON
    text = page_text(response)
    assert f"Started now despite its hold:</strong> {REASON}" in text

    summary = text_of(documents.render_pdf(pain_plan, "clinician"))
    assert squashed(f"Moved to phase 1 despite its hold: {REASON}") in squashed(summary)


def test_moving_it_back_to_phase_two_clears_the_reason(therapist_client, warned_plan):
    pfmt = warned_plan.items.get(code=PFMT)
    url = reverse("plan_item_update", args=[warned_plan.pk, pfmt.pk])
    therapist_client.post(url, update_data(pfmt, phase=2))
    pfmt.refresh_from_db()
    assert pfmt.phase == 2 and pfmt.phase_reason == ""
    assert plan_safety_warnings(warned_plan) == []


def test_an_item_without_a_hold_moves_into_phase_one_without_a_reason(therapist_client, plan):
    # "One step at a time" is a hold too; an item the therapist added has none.
    extra = Intervention.objects.get(clinic=plan.patient.clinic, code="lifestyle.smoking_cough")
    item = services.careplan_item_add(plan=plan, intervention=extra, phase=2, rationale="")
    assert item.hold_reason == ""
    move_to_phase_one(therapist_client, plan, item)
    item.refresh_from_db()
    assert item.phase == 1


# --- Signing ----------------------------------------------------------------------------------


def test_signing_a_plan_with_warnings_without_a_reason_is_refused(therapist_client, warned_plan):
    response = therapist_client.post(
        reverse("plan_sign", args=[warned_plan.pk]), {"reason": ""}, follow=True
    )
    assert "This plan breaks a safety rule: say why you sign it as it is." in page_text(response)
    warned_plan.refresh_from_db()
    assert warned_plan.status == PlanStatus.DRAFT
    assert not warned_plan.pdf and warned_plan.pdf_sha256 == ""
    assert warned_plan.signed_at is None and warned_plan.signing_reason == ""
    assert not warned_plan.reviews.exists()


def test_the_sign_form_asks_for_a_reason_when_there_are_warnings(therapist_client, warned_plan):
    text = page_text(therapist_client.get(detail(warned_plan)))
    assert "Why sign it despite the safety warnings?" in text
    assert "This plan breaks a safety rule (see the safety check above)." in text


def test_with_a_reason_it_signs_and_the_summary_prints_the_reason_and_the_warnings(
    therapist_client, warned_plan, therapist
):
    warnings = plan_safety_warnings(warned_plan)
    why = "Discussed the risk with the patient; she understands and will stop if pain returns"
    therapist_client.post(reverse("plan_sign", args=[warned_plan.pk]), {"reason": why})
    warned_plan.refresh_from_db()
    assert warned_plan.status == PlanStatus.SIGNED and warned_plan.signed_by == therapist
    assert warned_plan.signing_reason == why
    assert warned_plan.signing_warnings == warnings
    assert warned_plan.pdf

    response = therapist_client.get(
        reverse("plan_document", args=[warned_plan.pk, "clinician", "pdf"])
    )
    summary = squashed(text_of(response.content))
    assert squashed(f"Signed despite these warnings, because: {why}") in summary
    for warning in warnings:
        assert squashed(warning) in summary
    assert squashed(f"Moved to phase 1 despite its hold: {REASON}") in summary

    text = page_text(therapist_client.get(detail(warned_plan)))
    assert f"Signed despite safety warnings:</strong> {why}" in text


def test_a_plan_without_warnings_signs_without_a_reason(therapist_client, plan):
    assert plan_safety_warnings(plan) == []
    response = therapist_client.get(detail(plan))
    assert "Why sign it despite the safety warnings?" not in response.content.decode()
    therapist_client.post(reverse("plan_sign", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert plan.signing_reason == "" and plan.signing_warnings == []
    assert "Signed despite" not in text_of(documents.render_pdf(plan, "clinician"))


def test_a_reason_given_when_no_warning_needs_one_is_not_kept(therapist_client, plan):
    therapist_client.post(reverse("plan_sign", args=[plan.pk]), {"reason": "Just in case"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED and plan.signing_reason == ""


# --- The clinician summary --------------------------------------------------------------------


def test_the_clinician_summary_lists_each_phase_two_items_hold_reason(plan):
    later = list(plan.items.filter(phase=2))
    assert later and all(item.hold_reason for item in later)
    summary = squashed(text_of(documents.render_pdf(plan, "clinician")))
    for item in later:
        assert squashed(f"Waits: {item.hold_reason}") in summary, item.code


def test_the_unsigned_summary_shows_the_warnings_as_the_plan_stands(warned_plan):
    summary = squashed(text_of(documents.render_pdf(warned_plan, "clinician")))
    for warning in plan_safety_warnings(warned_plan):
        assert squashed(warning) in summary
    assert squashed("Signing this plan as it is will ask for a reason.") in summary


# --- Queries ----------------------------------------------------------------------------------


def test_the_plan_pages_queries_do_not_grow_with_its_items(therapist_client, pain_plan, clinic):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert therapist_client.get(detail(pain_plan)).status_code == 200
        return len(captured)

    before = queries()
    codes = set(pain_plan.items.values_list("code", flat=True))
    extra = Intervention.objects.filter(clinic=clinic).exclude(code__in=codes)[:6]
    for intervention in extra:
        services.careplan_item_add(plan=pain_plan, intervention=intervention, phase=2, rationale="")
    assert pain_plan.items.count() == len(codes) + 6
    assert queries() == before


def test_other_clinics_cannot_sign_or_move_items(outsider_client, warned_plan):
    pfmt = warned_plan.items.get(code=PFMT)
    sign = outsider_client.post(reverse("plan_sign", args=[warned_plan.pk]), {"reason": "x"})
    move = outsider_client.post(
        reverse("plan_item_update", args=[warned_plan.pk, pfmt.pk]),
        update_data(pfmt, phase=2),
    )
    assert sign.status_code == 404 and move.status_code == 404
    warned_plan.refresh_from_db()
    assert warned_plan.status == PlanStatus.DRAFT
