"""The patient plan PDF, measured in one run.

1. Building and rendering a typical plan (rules, database, template, WeasyPrint) may take
   at most 1.15 times what WeasyPrint alone takes for the same finished HTML.
2. Re-printing a signed plan (serving the stored file) must be at least 50 times faster
   than rendering it.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.harness import Result, median_seconds, paired_medians

# The worked examples of the intake and diary contracts, the tests' own copies.
EXAMPLES = Path(__file__).resolve().parent.parent / "tests/assessments/data"


def run() -> list[Result]:
    import datetime

    from django.contrib.auth import get_user_model
    from django.test import Client

    from assessments.intake import intake_diary
    from assessments.services.intake_import import intake_import
    from careplans import documents, services
    from careplans.models import CarePlan
    from careplans.services.library import library_install
    from clinic.models import Clinic, Membership, Patient, Role

    clinic = Clinic.objects.create(name="Bench clinic for printing")
    library_install(clinic=clinic)
    user = get_user_model().objects.create_user("bench-printer", password="x")
    Membership.objects.create(user=user, clinic=clinic, role=Role.THERAPIST)
    patient = Patient.objects.create(
        clinic=clinic,
        record_number="B1",
        first_name="Bea",
        last_name="Bench",
        date_of_birth=datetime.date(1972, 3, 1),
        anatomy="vulva",
        pronouns="she/her",
    )
    intake = json.loads((EXAMPLES / "intake-example.json").read_text())
    intake["diary"] = "diary-example.csv"
    assessment = intake_import(
        patient=patient, intake=intake, therapist=user, events=intake_diary(intake, folder=EXAMPLES)
    )
    assessment = services.visit_complete(assessment=assessment, user=user)

    def build_and_render() -> bytes:
        CarePlan.objects.filter(assessment=assessment).delete()
        plan = services.careplan_build(assessment=assessment, user=user)
        return documents.render_pdf(plan, "patient")

    build_and_render()
    html = documents.render_html(CarePlan.objects.get(assessment=assessment), "patient")

    def weasyprint_alone() -> bytes:
        return documents.pdf_from_html(html)

    full, alone = paired_medians(build_and_render, weasyprint_alone, repeat=9, warmup=1)

    plan = services.careplan_sign(
        plan=services.careplan_build(assessment=assessment, user=user), user=user
    )
    client = Client()
    client.force_login(user)
    url = f"/plans/{plan.pk}/patient.pdf"

    def reprint() -> None:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)

    reprinted = median_seconds(reprint, repeat=30)
    return [
        Result("pdf_build_vs_weasyprint", full / alone, 1.15),
        Result("pdf_reprint_speedup", full / reprinted, 50, lower_is_better=False),
    ]
