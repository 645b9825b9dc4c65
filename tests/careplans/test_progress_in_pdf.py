"""A re-issued plan's PDF carries the patient's progress; a first plan's does not."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from assessments.models import Status
from assessments.services.intake_import import intake_import
from careplans import documents, services
from careplans.models import CarePlan
from tests.careplans.conftest import example_intake
from tests.factories import SignedCarePlanFactory


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def patient_pdf(plan: CarePlan) -> str:
    return text_of(documents.render_pdf(CarePlan.objects.get(pk=plan.pk), "patient"))


def context(plan: CarePlan) -> dict:
    printable = documents.Printable.stored(CarePlan.objects.get(pk=plan.pk))
    return documents.document_context(printable, "patient")


def review(first, therapist, *, weeks: int, **scores):
    """A completed review `weeks` after the first visit, scored as given."""
    assessment = intake_import(patient=first.patient, intake=example_intake(), therapist=therapist)
    assessment.kind = "review"
    assessment.assessed_on = first.assessed_on + timedelta(weeks=weeks)
    for name, value in scores.items():
        setattr(assessment, name, value)
    assessment.save()
    return services.visit_complete(assessment=assessment, user=therapist)


def test_a_first_plan_has_no_progress_section(plan):
    assert "progress_svg" not in context(plan)
    assert "Your progress" not in patient_pdf(plan)


def test_the_plan_after_a_signed_one_shows_the_progress(complete_assessment, therapist, library):
    SignedCarePlanFactory(assessment=complete_assessment)
    complete_assessment.iciq_ui_sf_total = 14
    complete_assessment.save()
    later = review(complete_assessment, therapist, weeks=6, iciq_ui_sf_total=9, oxford_grade=3)
    second = services.careplan_build(assessment=later, user=therapist)
    assert second.version == 1  # a new assessment's first plan, but not the patient's

    found = context(second)
    assert found["progress_svg"].startswith("data:image/svg+xml;base64,")
    text = patient_pdf(second)
    assert "Your progress" in text
    assert "How your answers and measurements have changed since your first visit." in text
    assert "Leaking and how much it affects you (ICIQ-UI SF)" in text
    assert "lower is better" in text and "higher is better" in text
    # 14 to 9 is a fall of 5, past the 2.52 points of the MID: starred, and explained.
    assert "9 ★" in text
    assert "A change this big is one most people notice as a real difference" in text


def test_a_new_version_is_re_issued_too(complete_assessment, therapist, library):
    review(complete_assessment, therapist, weeks=-6, iciq_ui_sf_total=16)  # an earlier visit
    complete_assessment.iciq_ui_sf_total = 15
    complete_assessment.save()
    signed = SignedCarePlanFactory(assessment=complete_assessment, with_items=True)
    second = services.careplan_new_version(plan=signed, user=therapist)
    assert second.version == 2
    text = patient_pdf(second)
    assert "Your progress" in text
    assert "★" not in text  # 16 to 15 is not a real difference yet


def test_one_visit_with_outcomes_is_not_progress(complete_assessment, therapist, library):
    SignedCarePlanFactory(assessment=complete_assessment)
    later = review(
        complete_assessment,
        therapist,
        weeks=6,
        **{
            name: None
            for name in ("iciq_ui_sf_total", "pfdi20_total", "pfiq7_total", "oxford_grade")
        },
        day_voids=None,
        night_voids=None,
    )
    second = services.careplan_build(assessment=later, user=therapist)
    assert "progress_svg" not in context(second)


def test_a_plan_charts_the_visits_up_to_its_own_assessment(complete_assessment, therapist, library):
    SignedCarePlanFactory(assessment=complete_assessment)
    complete_assessment.iciq_ui_sf_total = 14
    complete_assessment.save()
    middle = review(complete_assessment, therapist, weeks=6, iciq_ui_sf_total=10)
    second = services.careplan_build(assessment=middle, user=therapist)
    review(complete_assessment, therapist, weeks=12, iciq_ui_sf_total=3)  # after the plan
    (iciq,) = [p["series"] for p in context(second)["progress"] if p["series"].key == "iciq_ui_sf"]
    assert [value for _day, value in iciq.points] == [14, 10]


def test_a_draft_visit_is_not_progress(complete_assessment, therapist, library):
    SignedCarePlanFactory(assessment=complete_assessment)
    later = review(complete_assessment, therapist, weeks=6, iciq_ui_sf_total=5)
    second = services.careplan_build(assessment=later, user=therapist)
    assert "progress_svg" in context(second)
    later.status = Status.DRAFT  # reopened after the plan was built: one visit is left
    later.save()
    assert "progress_svg" not in context(second)
