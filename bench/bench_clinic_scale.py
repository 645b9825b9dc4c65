"""The busy pages at clinic scale, measured in one run.

A small clinic (50 patients, 200 visits) and a large one (50,000 patients, 200,000
visits) in one database. For the dashboard, the patient list, a patient's page and their
progress page, each large-clinic page must run the same number of SQL queries as the
small one and take at most twice its median time. Then a patient with 500 visits must
open (patient page and progress page) within 1.5 times the time of one with 5.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.harness import Result, paired_medians

SIZES = {"small": (50, 200), "large": (50_000, 200_000)}


def _client_for(clinic, role: str, name: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from clinic.models import Membership

    user = get_user_model().objects.create_user(name, password="x", first_name=name)
    Membership.objects.create(user=user, clinic=clinic, role=role)
    client = Client()
    client.force_login(user)
    return client


def _getter(client, url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def _queries(action: Callable[[], None]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def run() -> list[Result]:
    from clinic.models import Clinic, Patient, Role
    from practice.management.commands.seed_demo import seed_patients, seed_visits

    pages: dict[str, dict[str, Callable[[], None]]] = {}
    for label, (patients, visits) in SIZES.items():
        clinic = Clinic.objects.create(name=f"Scale clinic {label}")
        _client_for(clinic, Role.THERAPIST, f"{label}-therapist")
        admin = _client_for(clinic, Role.CLINIC_ADMIN, f"{label}-admin")
        seed_patients(clinic=clinic, count=patients)
        seed_visits(clinic=clinic, count=visits)
        patient = Patient.objects.filter(clinic=clinic).order_by("pk")[patients // 2]
        pages[label] = {
            "dashboard": _getter(admin, "/"),
            "patient_list": _getter(admin, "/patients/"),
            "patient_page": _getter(admin, f"/patients/{patient.pk}/"),
            "progress_page": _getter(admin, f"/patients/{patient.pk}/progress/"),
        }

    results = []
    for page in pages["small"]:
        small, large = pages["small"][page], pages["large"][page]
        results.append(Result(f"{page}_queries", _queries(large) / _queries(small), 1.0))
        small_s, large_s = paired_medians(small, large, repeat=25)
        results.append(Result(f"{page}_time", large_s / small_s, 2.0))

    # One patient with 5 visits and one with 500, in the large clinic.
    clinic = Clinic.objects.get(name="Scale clinic large")
    admin = _client_for(clinic, Role.CLINIC_ADMIN, "visits-admin")
    few, many = seed_patients_pair(clinic)
    seed_visits(clinic=clinic, count=5, patient_ids=[few.pk], seed=5)
    seed_visits(clinic=clinic, count=500, patient_ids=[many.pk], seed=500)
    for page, path in (
        ("patient_page", "/patients/{}/"),
        ("progress_page", "/patients/{}/progress/"),
    ):
        five, hundreds = paired_medians(
            _getter(admin, path.format(few.pk)), _getter(admin, path.format(many.pk)), repeat=25
        )
        results.append(Result(f"{page}_500_vs_5_visits", hundreds / five, 1.5))
    return results


def seed_patients_pair(clinic):
    from clinic.models import Patient
    from practice.management.commands.seed_demo import seed_patients

    seed_patients(clinic=clinic, count=2, seed=7)
    return tuple(Patient.objects.filter(clinic=clinic).order_by("-pk")[:2][::-1])
