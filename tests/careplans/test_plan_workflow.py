import hashlib

import pytest
from django.urls import reverse

from careplans.models import CarePlan, Intervention, PlanStatus
from careplans.rules import BREATHING, PFMT
from tests.factories import AssessmentFactory


def detail(plan) -> str:
    return reverse("plan_detail", args=[plan.pk])


def test_build_plan_from_a_completed_assessment(therapist_client, complete_assessment, library):
    response = therapist_client.post(reverse("plan_build", args=[complete_assessment.pk]))
    plan = CarePlan.objects.get()
    assert response["Location"] == detail(plan)
    codes = list(plan.items.values_list("code", flat=True))
    assert codes[0] == BREATHING
    assert codes == [item["code"] for item in plan.built["items"]]
    assert plan.status == PlanStatus.DRAFT


def test_building_again_opens_the_same_draft(therapist_client, complete_assessment, library):
    url = reverse("plan_build", args=[complete_assessment.pk])
    therapist_client.post(url)
    therapist_client.post(url)
    assert CarePlan.objects.count() == 1


def test_a_draft_assessment_cannot_make_a_plan(therapist_client, patient, therapist):
    draft = AssessmentFactory(patient=patient, therapist=therapist)
    therapist_client.post(reverse("plan_build", args=[draft.pk]))
    assert not CarePlan.objects.exists()


def test_removing_a_safety_item_asks_for_a_reason(therapist_client, plan):
    breathing = plan.items.get(code=BREATHING)
    url = reverse("plan_item_remove", args=[plan.pk, breathing.pk])
    response = therapist_client.post(url, {"reason": ""}, follow=True)
    assert "safety item: say why" in response.content.decode()
    breathing.refresh_from_db()
    assert not breathing.removed
    therapist_client.post(url, {"reason": "Already practised daily with the yoga teacher"})
    breathing.refresh_from_db()
    assert breathing.removed and breathing.removal_reason.startswith("Already practised")


def test_a_plain_item_is_removed_without_a_reason(therapist_client, plan):
    item = plan.items.get(code="lifestyle.weight")
    therapist_client.post(reverse("plan_item_remove", args=[plan.pk, item.pk]))
    item.refresh_from_db()
    assert item.removed


def test_dosing_and_phase_can_change(therapist_client, plan):
    pfmt = plan.items.get(code=PFMT)
    assert pfmt.phase == 2 and pfmt.hold_reason  # painful penetration holds it
    prefix = f"i{pfmt.pk}"
    data = {f"{prefix}-phase": "1", f"{prefix}-phase_reason": "Pain settled since the intake"}
    data.update({f"{prefix}-dosing_{k}": v for k, v in pfmt.dosing.items()})
    data[f"{prefix}-dosing_hold_s"] = 6
    therapist_client.post(reverse("plan_item_update", args=[plan.pk, pfmt.pk]), data)
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 6 and pfmt.phase == 1
    assert pfmt.phase_reason == "Pain settled since the intake"


def test_the_dose_of_a_held_item_changes_without_a_reason(therapist_client, plan):
    pfmt = plan.items.get(code=PFMT)
    prefix = f"i{pfmt.pk}"
    data = {f"{prefix}-phase": "2"}
    data.update({f"{prefix}-dosing_{k}": v for k, v in pfmt.dosing.items()})
    data[f"{prefix}-dosing_hold_s"] = 6
    therapist_client.post(reverse("plan_item_update", args=[plan.pk, pfmt.pk]), data)
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 6 and pfmt.phase == 2


def test_bad_dosing_is_refused_naming_the_field(therapist_client, plan):
    pfmt = plan.items.get(code=PFMT)
    prefix = f"i{pfmt.pk}"
    data = {f"{prefix}-phase": "2", f"{prefix}-dosing_hold_s": "-3"}
    response = therapist_client.post(
        reverse("plan_item_update", args=[plan.pk, pfmt.pk]), data, follow=True
    )
    assert "was not changed" in response.content.decode()
    assert "Hold (seconds)" in response.content.decode()
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 4


def test_items_can_be_reordered(therapist_client, plan):
    first, second = plan.items.order_by("position")[:2]
    therapist_client.post(reverse("plan_item_move", args=[plan.pk, second.pk]), {"direction": "up"})
    assert list(plan.items.order_by("position")[:2]) == [second, first]


def test_an_item_can_be_added_from_the_library(therapist_client, plan, clinic):
    extra = (
        Intervention.objects.filter(clinic=clinic)
        .exclude(code__in=plan.items.values_list("code", flat=True))
        .first()
    )
    therapist_client.post(
        reverse("plan_item_add", args=[plan.pk]),
        {"intervention": extra.pk, "phase": "2", "rationale": "Asked for it"},
    )
    added = plan.items.get(code=extra.code)
    assert added.added_by_therapist and added.rationale == "Asked for it"


def test_signing_stores_the_pdf_with_its_sha256(therapist_client, plan, therapist):
    therapist_client.post(reverse("plan_note", args=[plan.pk]), {"personal_note": "Go gently."})
    therapist_client.post(reverse("plan_sign", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED and plan.signed_by == therapist
    stored = plan.pdf.read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == plan.pdf_sha256
    printed = therapist_client.get(reverse("plan_document", args=[plan.pk, "patient", "pdf"]))
    assert b"".join(printed.streaming_content) == stored


def test_a_signed_plan_never_changes(therapist_client, plan):
    therapist_client.post(reverse("plan_sign", args=[plan.pk]))
    item = plan.items.get(code="lifestyle.weight")
    therapist_client.post(reverse("plan_item_remove", args=[plan.pk, item.pk]))
    therapist_client.post(reverse("plan_note", args=[plan.pk]), {"personal_note": "changed"})
    item.refresh_from_db()
    plan.refresh_from_db()
    assert not item.removed and plan.personal_note == ""


def test_a_change_after_signing_makes_a_new_version(therapist_client, plan):
    therapist_client.post(reverse("plan_sign", args=[plan.pk]))
    response = therapist_client.post(reverse("plan_new_version", args=[plan.pk]))
    new = CarePlan.objects.get(version=2)
    assert response["Location"] == detail(new)
    assert new.supersedes == plan and new.status == PlanStatus.DRAFT
    assert new.items.count() == plan.items.count()
    assert therapist_client.get(detail(plan)).status_code == 200  # earlier version readable


@pytest.mark.parametrize(
    "name,args",
    [
        ("plan_detail", []),
        ("plan_sign", []),
        ("plan_new_version", []),
        ("plan_note", []),
        ("plan_item_add", []),
    ],
)
def test_it_checks_clinic_membership(outsider_client, plan, name, args):
    url = reverse(name, args=[plan.pk, *args])
    response = outsider_client.post(url) if name != "plan_detail" else outsider_client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["patient", "clinician", "referral"])
def test_documents_check_clinic_membership(outsider_client, plan, kind):
    url = reverse("plan_document", args=[plan.pk, kind, "pdf"])
    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["plan_item_remove", "plan_item_update", "plan_item_move"])
def test_item_actions_check_clinic_membership(outsider_client, plan, name):
    item = plan.items.first()
    assert outsider_client.post(reverse(name, args=[plan.pk, item.pk])).status_code == 404


def test_build_checks_clinic_membership(outsider_client, complete_assessment):
    response = outsider_client.post(reverse("plan_build", args=[complete_assessment.pk]))
    assert response.status_code == 404
    assert not CarePlan.objects.exists()
