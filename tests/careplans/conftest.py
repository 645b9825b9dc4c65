import json
from pathlib import Path

import pytest

from assessments.intake_io import intake_import
from assessments.models import Status
from careplans import services

EXAMPLE = Path(__file__).parent.parent / "assessments" / "data" / "intake-example.json"


def example_intake() -> dict:
    return json.loads(EXAMPLE.read_text())


@pytest.fixture
def library(clinic):
    from careplans.library import library_install

    library_install(clinic=clinic)


@pytest.fixture
def complete_assessment(patient, therapist):
    assessment = intake_import(patient=patient, intake=example_intake(), therapist=therapist)
    assessment.status = Status.COMPLETE
    assessment.save()
    return assessment


@pytest.fixture
def plan(complete_assessment, therapist, library):
    return services.careplan_build(assessment=complete_assessment, user=therapist)
