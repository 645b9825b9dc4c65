"""Synthetic patients, visits, plans and reviews in bulk, for demos and benchmarks.

Never real data: names are drawn from short lists and every value is random.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Kind, Status
from careplans.models import CarePlan, PlanStatus, Review
from clinic.models import Anatomy, Clinic, Membership, Patient, Role

FIRST_NAMES = (
    "Ada Alex Amira Ana Beatriz Ben Carmen Chen Dana Eli Farah Grace Hana Ines Jamal Jo Kai "
    "Leila Lin Maya Mei Nadia Noor Omar Priya Quinn Rosa Sam Sofia Tariq Uma Val Wen Yara Zoe"
).split()
LAST_NAMES = (
    "Abbott Baker Chaudhry Diaz Evans Fischer Garcia Haddad Ito Jensen Kowalski Lopez Murphy "
    "Nakamura Okafor Patel Quinn Rossi Silva Tanaka Ueda Varga Walsh Xu Young Zimmer"
).split()
BATCH = 2000


class Command(BaseCommand):
    help = "Create synthetic patients (and visits, plans, reviews) in a clinic, in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument(
            "--assessments", type=int, default=0, help="completed visits, spread over them"
        )
        parser.add_argument("--clinic", type=int, help="clinic id (default: the first clinic)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(
        self,
        *args: Any,
        patients: int,
        assessments: int,
        clinic: int | None,
        seed: int,
        **options: Any,
    ) -> None:
        if patients < 0 or assessments < 0:
            raise CommandError("--patients and --assessments must be 0 or more")
        clinics = Clinic.objects.order_by("pk")
        target = clinics.filter(pk=clinic).first() if clinic else clinics.first()
        if target is None:
            raise CommandError("No clinic: load the demo clinic first (make demo).")
        created = seed_patients(clinic=target, count=patients, seed=seed)
        visits = seed_visits(clinic=target, count=assessments, seed=seed) if assessments else 0
        self.stdout.write(
            f"Created {created} synthetic patients and {visits} visits in {target.name}."
        )


def _therapists(clinic: Clinic) -> list[int]:
    return list(
        Membership.objects.active()
        .filter(clinic=clinic, role=Role.THERAPIST)
        .values_list("user_id", flat=True)
    )


def seed_patients(*, clinic: Clinic, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    therapist_ids = _therapists(clinic)
    taken = Patient.objects.filter(clinic=clinic).count()
    rows = []
    for n in range(taken, taken + count):
        anatomy = Anatomy.VULVA if rng.random() < 0.8 else Anatomy.PENIS
        rows.append(
            Patient(
                clinic=clinic,
                record_number=f"S{n + 1:07d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65)),
                anatomy=anatomy,
                pronouns=rng.choice(["she/her", "he/him", "they/them", ""]),
                preferred_language=rng.choice(["en", "en", "en", "es"]),
                assigned_therapist_id=rng.choice(therapist_ids) if therapist_ids else None,
            )
        )
    with transaction.atomic():
        Patient.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def seed_visits(
    *, clinic: Clinic, count: int, seed: int = 2026, patient_ids: Sequence[int] | None = None
) -> int:
    """Completed visits with scores over the clinic's patients; a signed-plan-like review
    schedule for one patient in ten, so dashboards have something to show."""

    rng = random.Random(seed)
    ids = list(patient_ids or Patient.objects.filter(clinic=clinic).values_list("id", flat=True))
    therapist_ids = _therapists(clinic) or list(
        Membership.objects.filter(clinic=clinic).values_list("user_id", flat=True)
    )
    if not ids or not therapist_ids:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    per_patient, extra = divmod(count, len(ids))
    made = 0
    with transaction.atomic():
        rows: list[Assessment] = []
        for index, patient_id in enumerate(ids):
            visits = per_patient + (1 if index < extra else 0)
            start = today - timedelta(days=rng.randrange(60, 720))
            iciq, grade = rng.randrange(6, 19), rng.randrange(0, 4)
            for visit in range(visits):
                rows.append(
                    Assessment(
                        patient_id=patient_id,
                        clinic_id=clinic.pk,
                        therapist_id=rng.choice(therapist_ids),
                        kind=Kind.INTAKE if visit == 0 else Kind.REVIEW,
                        assessed_on=start + timedelta(weeks=6 * visit),
                        status=Status.COMPLETE,
                        completed_at=now,
                        urgency=rng.random() < 0.5,
                        stress_leak_triggers=["cough"] if rng.random() < 0.6 else [],
                        oxford_grade=min(grade + visit // 2, 5),
                        consent_recorded=True,
                        internal_exam=True,
                        day_voids=rng.randrange(5, 14),
                        night_voids=rng.randrange(0, 4),
                        iciq_ui_sf_total=max(iciq - 2 * visit, 0),
                        questionnaires={},
                    )
                )
            if len(rows) >= BATCH:
                made += len(Assessment.objects.bulk_create(rows, batch_size=BATCH))
                rows = []
        made += len(Assessment.objects.bulk_create(rows, batch_size=BATCH))

        # One patient in ten has a signed plan with an open review around now.
        latest = {
            a["patient_id"]: a["id"]
            for a in Assessment.objects.filter(patient_id__in=ids[::10])
            .order_by("patient_id", "assessed_on")
            .values("patient_id", "id")
        }
        plans = CarePlan.objects.bulk_create(
            [
                CarePlan(
                    patient_id=patient_id,
                    assessment_id=assessment_id,
                    built={},
                    status=PlanStatus.SIGNED,
                    created_by_id=therapist_ids[0],
                    signed_by_id=therapist_ids[0],
                    signed_at=now,
                )
                for patient_id, assessment_id in latest.items()
            ],
            batch_size=BATCH,
        )
        Review.objects.bulk_create(
            [
                Review(
                    patient_id=plan.patient_id,
                    plan_id=plan.pk,
                    reason="bladder_training",
                    due_on=today + timedelta(days=rng.randrange(-14, 28)),
                )
                for plan in plans
            ],
            batch_size=BATCH,
        )
    return made
