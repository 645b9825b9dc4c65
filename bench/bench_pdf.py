"""The patient plan PDF, measured in one run.

1. Building and rendering a typical plan (rules, database, template, WeasyPrint) may take
   at most 1.15 times what WeasyPrint alone takes for the same finished HTML.
2. Re-printing a signed plan (serving the stored file) must be at least 50 times faster
   than rendering it.
3. Other writers are not blocked while a plan is signed: saving another patient's plan
   note while a signature renders (in another process, as another server worker would)
   may take at most twice what it takes alone. The PDF renders with no transaction open;
   on SQLite a writer waits for the write lock only during the signature's short commit.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
        Result("save_during_signing_vs_alone", _save_during_signing(assessment, user), 2),
    ]


def _save_during_signing(assessment: Any, user: Any) -> float:
    """Median time of a save made while signatures render, over its median time alone.

    Each signature runs in a forked process (as another server worker would); saves are
    timed here from the moment its PDF starts rendering until it has committed."""
    from django.db import connections

    from assessments.services.intake_import import intake_import
    from careplans import documents, services
    from careplans.models import CarePlan
    from clinic.models import Patient

    other_patient = Patient.objects.create(
        clinic=assessment.patient.clinic,
        record_number="B2",
        first_name="Ben",
        last_name="Bench",
        date_of_birth=assessment.patient.date_of_birth,
        anatomy="vulva",
    )
    intake = json.loads((EXAMPLES / "intake-example.json").read_text())
    other_assessment = services.visit_complete(
        assessment=intake_import(patient=other_patient, intake=intake, therapist=user), user=user
    )
    other = services.careplan_build(assessment=other_assessment, user=user)
    notes = iter(range(10**6))

    def save() -> None:
        services.careplan_update_note(
            plan=other, personal_note=f"Note {next(notes)}", next_review_on=None
        )

    def saves_while_signing(plan_id: int) -> list[float]:
        context = multiprocessing.get_context("fork")
        rendering, signed = context.Event(), context.Event()

        def sign() -> None:
            render = documents.pdf_from_html

            def pdf_from_html(html: str, **options: bool) -> bytes:
                rendering.set()
                return render(html, **options)

            documents.pdf_from_html = pdf_from_html
            services.careplan_sign(plan=CarePlan.objects.get(pk=plan_id), user=user)
            signed.set()

        connections.close_all()  # the child opens a connection of its own
        child = context.Process(target=sign)
        child.start()
        if not rendering.wait(timeout=120):
            raise RuntimeError("the signing process never started rendering")
        times = []
        while not signed.is_set() and child.is_alive():
            times.append(_seconds(save))
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"the signing process failed (exit code {child.exitcode})")
        return times

    alone = median_seconds(save, repeat=40)
    during: list[float] = []
    for _signature in range(3):
        latest = CarePlan.objects.filter(assessment=assessment, status="signed").latest("version")
        draft = services.careplan_new_version(plan=latest, user=user)
        during += saves_while_signing(draft.pk)
    return statistics.median(during) / alone


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
