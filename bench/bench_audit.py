"""The clinic admin's audit report at clinic scale.

A small clinic (50 patients) and a large one (50,000 patients), each with ten access-log
rows per patient (500 and 500,000 rows) spread over a month, in one database. The large
clinic's report must run the same number of SQL queries as the small one's and take at
most twice its median time: the page reads one page of the log, never all of it.
"""

from __future__ import annotations

from bench.bench_clinic_scale import _client_for, _getter, _queries
from bench.harness import Result, paired_medians

SIZES = {"small": 50, "large": 50_000}
ROWS_PER_PATIENT = 10


def _seed_log(clinic, user) -> None:
    """Ten rows per patient in ten INSERT ... SELECTs (the way log_access writes a list),
    at times spread over March 2026."""
    from django.db import connection

    actions = ["view", "list", "view", "print", "view", "edit", "view", "export", "view", "sign"]
    with connection.cursor() as cursor:
        for round_, action in enumerate(actions[:ROWS_PER_PATIENT]):
            cursor.execute(
                "INSERT INTO clinic_accesslog (user_id, username, clinic_id, patient_id, at,"
                " action, what, path, query, role, ip_address)"
                " SELECT %s, %s, clinic_id, id,"
                " datetime('2026-03-01 08:00:00', '+' || ((id * 7919 + %s * 104729) % 2592000)"
                " || ' seconds'),"
                " %s, 'Opened patient record', '/patients/' || id || '/', '', 'therapist',"
                " '192.0.2.1' FROM clinic_patient WHERE clinic_id = %s",
                [user.pk, user.get_username(), round_, action, clinic.pk],
            )


def run() -> list[Result]:
    from django.contrib.auth import get_user_model

    from clinic.models import Clinic, Role
    from practice.management.commands.seed_demo import seed_patients

    pages = {}
    for label, patients in SIZES.items():
        clinic = Clinic.objects.create(name=f"Audit clinic {label}")
        _client_for(clinic, Role.THERAPIST, f"audit-{label}-therapist")
        admin = _client_for(clinic, Role.CLINIC_ADMIN, f"audit-{label}-admin")
        seed_patients(clinic=clinic, count=patients)
        therapist = get_user_model().objects.get(username=f"audit-{label}-therapist")
        _seed_log(clinic, therapist)
        pages[label] = _getter(admin, f"/clinics/{clinic.pk}/audit/")

    small, large = pages["small"], pages["large"]
    small_s, large_s = paired_medians(small, large, repeat=25)
    return [
        Result("audit_page_queries", _queries(large) / _queries(small), 1.0),
        Result("audit_page_time", large_s / small_s, 2.0),
    ]
