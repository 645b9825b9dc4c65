"""Review scheduling (clinical reference section 7: NICE NG210, NICE NG123)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from careplans import services
from careplans.models import Review
from careplans.reviews import reviews_for_plan
from tests.assessments.test_assessment_edit import form_data
from tests.factories import ReviewFactory, SignedCarePlanFactory

SIGNED = date(2026, 11, 2)


def test_pfmt_is_reviewed_mid_programme_and_at_its_end():
    # NICE NG210: at least one review during a PFMT programme and one at its end.
    due = reviews_for_plan(
        [{"code": "strengthening.pfmt", "phase": 1, "dosing": {"weeks": 12}}],
        signed_on=SIGNED,
        planned_on=None,
    )
    assert [(r.reason, r.due_on) for r in due] == [
        ("pfmt_mid", SIGNED + timedelta(weeks=6)),
        ("pfmt_end", SIGNED + timedelta(weeks=12)),
    ]


def test_bladder_training_is_reviewed_after_6_weeks():
    # NICE NG123: bladder training for at least 6 weeks, then review.
    due = reviews_for_plan(
        [{"code": "bladder_training.schedule", "phase": 1, "dosing": {"weeks": 8}}],
        signed_on=SIGNED,
        planned_on=None,
    )
    assert [(r.reason, r.due_on) for r in due] == [
        ("bladder_training", SIGNED + timedelta(weeks=6))
    ]


def test_oab_medication_is_reviewed_after_4_weeks():
    # NICE NG123: review 4 weeks after starting a new OAB medication.
    due = reviews_for_plan(
        [{"code": "medical_referral.oab_medication", "phase": 1, "dosing": {}}],
        signed_on=SIGNED,
        planned_on=None,
    )
    assert [r.reason for r in due] == ["oab_medication"]
    assert due[0].due_on == SIGNED + timedelta(weeks=4)


def test_phase_2_items_schedule_nothing_yet():
    due = reviews_for_plan(
        [{"code": "strengthening.pfmt", "phase": 2, "dosing": {"weeks": 12}}],
        signed_on=SIGNED,
        planned_on=None,
    )
    assert due == []


def test_the_planned_review_is_kept_unless_it_repeats_another():
    items = [{"code": "bladder_training.schedule", "phase": 1, "dosing": {}}]
    six_weeks = SIGNED + timedelta(weeks=6)
    assert [r.reason for r in reviews_for_plan(items, signed_on=SIGNED, planned_on=six_weeks)] == [
        "bladder_training"
    ]
    later = reviews_for_plan(items, signed_on=SIGNED, planned_on=SIGNED + timedelta(weeks=10))
    assert [r.reason for r in later] == ["bladder_training", "planned"]


def far_review(plan) -> None:
    plan.next_review_on = date.today() + timedelta(weeks=12)  # noqa: DTZ011
    plan.save()


def test_signing_schedules_reviews_and_a_newer_plan_supersedes_them(plan, therapist):
    far_review(plan)
    signed = services.careplan_sign(plan=plan, user=therapist)
    first = set(Review.objects.open().values_list("reason", flat=True))
    assert "bladder_training" in first and "planned" in first
    new = services.careplan_new_version(plan=signed, user=therapist)
    services.careplan_sign(plan=new, user=therapist)
    assert Review.objects.filter(plan=signed, closed_reason="superseded").count() == len(first)
    assert Review.objects.open().filter(plan=new).count() == len(first)


def test_a_completed_review_visit_closes_the_reviews_due(
    therapist_client, complete_assessment, patient
):
    plan = SignedCarePlanFactory(assessment=complete_assessment)
    today = timezone.localdate()
    bladder = ReviewFactory(plan=plan, reason="bladder_training", due_on=today + timedelta(weeks=6))
    planned = ReviewFactory(plan=plan, reason="planned", due_on=today + timedelta(weeks=12))
    therapist_client.post(reverse("assessment_new", args=[patient.pk]), {"kind": "review"})
    visit = patient.assessments.filter(kind="review").get()

    therapist_client.post(
        reverse("visit_complete", args=[visit.pk]),
        form_data(visit, assessed_on=(bladder.due_on - timedelta(days=3)).isoformat(), complete=""),
    )
    bladder.refresh_from_db()
    assert bladder.closed_reason == "done" and bladder.closed_by_assessment == visit
    planned.refresh_from_db()
    assert planned.closed_at is None  # due beyond the visit's 14 days
