"""One JSON line per request: method, route, status, time and user id; never the address
asked for, its query string or anything a patient wrote."""

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="floorplan.requests")

    def lines() -> list[dict]:
        return [
            json.loads(record.getMessage())
            for record in caplog.records
            if record.name == "floorplan.requests"
        ]

    return lines


def test_a_page_with_a_patient_search_logs_its_route_not_its_address(
    therapist_client, therapist, patient, request_lines
):
    response = therapist_client.get(reverse("patient_detail", args=[patient.pk]) + "?q=Secret")
    assert response.status_code == 200
    therapist_client.get(reverse("patient_list"), {"q": patient.last_name})
    detail, search = request_lines()
    assert detail["method"] == "GET"
    assert detail["view"] == "patient_detail"
    assert detail["route"] == "patients/<int:patient_id>/"
    assert detail["status"] == 200
    assert detail["user"] == therapist.pk
    assert isinstance(detail["duration_ms"], float)
    assert set(detail) == {"time", "method", "view", "route", "status", "duration_ms", "user"}
    assert search["view"] == "patient_list"
    logged = json.dumps(request_lines())
    for private in ("Secret", patient.last_name, patient.first_name, f"patients/{patient.pk}", "?"):
        assert private not in logged


def test_an_anonymous_request_and_an_unknown_address(client, db, request_lines):
    client.get("/login/")
    client.get("/no/such/page/42")
    login, missing = request_lines()
    assert (login["view"], login["status"], login["user"]) == ("login", 200, None)
    assert (missing["view"], missing["route"], missing["status"]) == (None, None, 404)


def test_an_invented_method_is_not_written_as_sent(client, db, request_lines):
    client.generic("X-PATIENT-NAME", "/login/")
    assert request_lines()[0]["method"] == "OTHER"


def test_the_lines_go_to_stderr_as_bare_json():
    config = settings.LOGGING
    assert config["loggers"]["floorplan.requests"]["handlers"] == ["requests"]
    assert config["formatters"]["message"]["format"] == "%(message)s"
