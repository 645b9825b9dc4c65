"""The patient list at 50 and at 50,000 patients, measured in one run.

Two clinics in one database: a small one (50 patients) and a large one (50,000). The
same page for a therapist of each must run the same number of SQL queries and the large
one may take at most twice the median time of the small one.
"""

from __future__ import annotations

from bench.harness import Result, paired_medians

SMALL, LARGE = 50, 50_000


def run() -> list[Result]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clinic.management.commands.seed_demo import seed_patients
    from clinic.models import Clinic, Membership, Role

    clients = {}
    for label, count in (("small", SMALL), ("large", LARGE)):
        clinic = Clinic.objects.create(name=f"Bench clinic {label}")
        user = get_user_model().objects.create_user(f"bench-{label}", password="x")
        Membership.objects.create(user=user, clinic=clinic, role=Role.THERAPIST)
        seed_patients(clinic=clinic, count=count)
        client = Client()
        client.force_login(user)
        clients[label] = client

    def page(label: str):
        def get() -> None:
            response = clients[label].get("/patients/")
            assert response.status_code == 200, response.status_code

        return get

    queries = {}
    for label in clients:
        with CaptureQueriesContext(connection) as captured:
            page(label)()
        queries[label] = len(captured)
    small, large = paired_medians(page("small"), page("large"), repeat=40)
    return [
        Result("patient_list_queries", queries["large"] / queries["small"], 1.0),
        Result("patient_list_time", large / small, 2.0),
    ]
