import pytest

from tests.factories import AssessmentFactory


@pytest.fixture
def assessment(patient, therapist):
    return AssessmentFactory(patient=patient, therapist=therapist)
