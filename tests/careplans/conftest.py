import json
from pathlib import Path

import pytest

from assessments.services.intake_import import intake_import
from careplans import services
from careplans.services import visit_complete

EXAMPLE = Path(__file__).parent.parent / "assessments" / "data" / "intake-example.json"


def example_intake() -> dict:
    return json.loads(EXAMPLE.read_text())


@pytest.fixture
def library(clinic):
    from careplans.services.library import library_install

    library_install(clinic=clinic)


@pytest.fixture
def complete_assessment(patient, therapist):
    assessment = intake_import(patient=patient, intake=example_intake(), therapist=therapist)
    assessment = visit_complete(assessment=assessment, user=therapist)
    return assessment


@pytest.fixture
def plan(complete_assessment, therapist, library):
    return services.careplan_build(assessment=complete_assessment, user=therapist)


# --- Plans from the sample intakes of tests/careplans/data --------------------------------

DATA = Path(__file__).parent / "data"
SAMPLES = (
    "emergency-saddle",
    "urgent-haematuria",
    "tense-and-weak",
    "unexamined-stress",
    "post-prostatectomy",
    "unspecified-anatomy",
    "postpartum-penetration-pain",
)


def sample_intake(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


@pytest.fixture
def plan_from_intake(clinic, therapist, library):
    """Build a draft plan from an intake (a sample's name or a dict) for a new patient of
    the intake's age, anatomy and pronouns, through the import and the web builder."""
    from datetime import date

    from django.utils import timezone

    from assessments.intake import intake_diary
    from careplans.models import CarePlan
    from tests.factories import PatientFactory

    def build(intake: str | dict, **patient_fields) -> CarePlan:
        intake = sample_intake(intake) if isinstance(intake, str) else intake
        person = intake["patient"]
        fields = {
            "clinic": clinic,
            "assigned_therapist": therapist,
            # Born on 1 January: the patient is the intake's age all year.
            "date_of_birth": date(timezone.localdate().year - person["age"], 1, 1),
            "anatomy": person["anatomy"],
            "pronouns": person.get("pronouns", ""),
            **patient_fields,
        }
        patient = PatientFactory(**fields)
        events = intake_diary(intake, folder=None)
        intake = {key: value for key, value in intake.items() if key != "diary"}
        assessment = intake_import(
            patient=patient, intake=intake, therapist=therapist, events=events
        )
        assessment = visit_complete(assessment=assessment, user=therapist)
        plan = services.careplan_build(assessment=assessment, user=therapist)
        return CarePlan.objects.get(pk=plan.pk)  # as a view would load it

    return build
