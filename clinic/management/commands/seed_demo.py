"""Synthetic patients in bulk, for demos and benchmarks. Never real data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clinic.models import Anatomy, Clinic, Membership, Patient, Role

FIRST_NAMES = (
    "Ada Alex Amira Ana Beatriz Ben Carmen Chen Dana Eli Farah Grace Hana Ines Jamal Jo Kai "
    "Leila Lin Maya Mei Nadia Noor Omar Priya Quinn Rosa Sam Sofia Tariq Uma Val Wen Yara Zoe"
).split()
LAST_NAMES = (
    "Abbott Baker Chaudhry Diaz Evans Fischer Garcia Haddad Ito Jensen Kowalski Lopez Murphy "
    "Nakamura Okafor Patel Quinn Rossi Silva Tanaka Ueda Varga Walsh Xu Young Zimmer"
).split()


class Command(BaseCommand):
    help = "Create N synthetic patients in a clinic, quickly (bulk inserts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument("--clinic", type=int, help="clinic id (default: the first clinic)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, patients: int, clinic: int | None, seed: int, **options) -> None:
        if patients < 0:
            raise CommandError("--patients must be 0 or more")
        clinics = Clinic.objects.order_by("pk")
        target = clinics.filter(pk=clinic).first() if clinic else clinics.first()
        if target is None:
            raise CommandError("No clinic: load the demo clinic first (make demo).")
        created = seed_patients(clinic=target, count=patients, seed=seed)
        self.stdout.write(f"Created {created} synthetic patients in {target.name}.")


def seed_patients(*, clinic: Clinic, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    therapist_ids = list(
        Membership.objects.active()
        .filter(clinic=clinic, role=Role.THERAPIST)
        .values_list("user_id", flat=True)
    )
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
        Patient.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
