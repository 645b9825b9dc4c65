"""No input reaches a server error: random and hostile data at the web edges."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.forms import AssessmentForm
from assessments.models import Assessment
from tests.factories import AssessmentFactory, PatientFactory

FORM_FIELDS = list(AssessmentForm.base_fields)
hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "true", "false", "unknown", "-1", "1e999", "NaN", "0x10", "<script>", "٣"]
    ),
)
form_data = st.dictionaries(st.sampled_from(FORM_FIELDS), hostile_text, max_size=25)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_data)
def test_the_intake_form_validates_anything_without_crashing(db, data):
    form = AssessmentForm(data, instance=Assessment())
    if form.is_valid():
        form.finding_values()
    else:
        assert all(isinstance(name, str) for name in form.errors)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()))
)
def test_the_json_import_refuses_garbage_cleanly(therapist_client, patient, payload):
    upload = SimpleUploadedFile("intake.json", payload, "application/json")
    response = therapist_client.post(
        reverse("assessment_import", args=[patient.pk]), {"file": upload}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Assessment.objects.filter(patient=patient).exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_data)
def test_the_intake_page_never_errors(therapist_client, patient, therapist, data):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    response = therapist_client.post(
        reverse("assessment_edit", args=[assessment.pk]), {**data, "version": "1"}
    )
    assert response.status_code in (200, 302)


def test_a_stale_or_forged_version_is_not_a_server_error(therapist_client, clinic, therapist):
    assessment = AssessmentFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)
    for version in ("", "abc", "-5", "99999999999999999999"):
        response = therapist_client.post(
            reverse("assessment_edit", args=[assessment.pk]), {"version": version, "kind": "intake"}
        )
        assert response.status_code in (200, 302)
