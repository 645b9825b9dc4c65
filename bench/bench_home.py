"""A patient's diary entry, saved through their own page, at clinic scale (issue 11).

A small clinic (50 patients) and a large one (50,000), seeded as bench_clinic_scale
seeds them (the same clinics when it ran first), one patient in ten of each with a link,
open home tasks and a day of diary entries. A patient past the birth-date check posts
one entry to the diary page, as their phone would: the large clinic must run the same
number of SQL queries as the small one, in at most twice its median time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bench.bench_clinic_scale import _queries
from bench.harness import Result, paired_medians

SIZES = {"small": 50, "large": 50_000}
EVERY = 10  # one patient in ten has home tasks of their own
ENTRIES = 8  # a day of a patient's diary


def _clinic(label: str, patients: int):
    """The scale bench's clinic of this size, or a new one seeded the same way."""
    from clinic.models import Clinic
    from practice.management.commands.seed_demo import seed_patients

    clinic = Clinic.objects.filter(name=f"Scale clinic {label}").first()
    if clinic is None:
        clinic = Clinic.objects.create(name=f"Scale clinic {label}")
        seed_patients(clinic=clinic, count=patients)
    return clinic


def _seed_home_tasks(clinic, user) -> None:
    """Links, open tasks and diary entries for one patient in ten: the home tables hold
    as many rows as the clinic is large."""
    from django.db import transaction
    from django.utils import timezone

    from assessments import home_tokens, wallclock
    from assessments.models import HomeDiaryEntry, HomeLink, HomeTasks
    from clinic.models import Patient

    ids = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True)[::EVERY])
    now = timezone.now()
    start = timezone.localtime().replace(tzinfo=None, hour=6, minute=0) - timedelta(days=1)
    with transaction.atomic():
        HomeLink.objects.bulk_create(
            HomeLink(
                patient_id=pk,
                token_hash=home_tokens.token_hash(home_tokens.new_token()),
                created_by=user,
                expires_at=now + timedelta(days=14),
            )
            for pk in ids
        )
        tasks = HomeTasks.objects.bulk_create(
            HomeTasks(patient_id=pk, questionnaires=["pfdi20"], created_by=user) for pk in ids
        )
        HomeDiaryEntry.objects.bulk_create(
            (
                HomeDiaryEntry(
                    tasks=t,
                    time=wallclock.to_db(start + timedelta(hours=2 * n)),
                    event="void",
                    volume_ml=250,
                )
                for t in tasks
                for n in range(ENTRIES)
            ),
            batch_size=2000,
        )


def _diary_poster(label: str, patients: int) -> Callable[[], None]:
    """A patient of the clinic, past the birth-date check, posting one diary entry."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from assessments.services.home import home_link_create, home_tasks_send
    from clinic.models import Membership, Patient, Role

    clinic = _clinic(label, patients)
    user = get_user_model().objects.create_user(f"home-{label}-therapist", password="x")
    Membership.objects.create(user=user, clinic=clinic, role=Role.THERAPIST)
    _seed_home_tasks(clinic, user)
    patient = Patient.objects.filter(clinic=clinic).order_by("pk")[patients // 2 + 1]
    home_tasks_send(patient=patient, user=user, questionnaires=[], diary_days=3, due_on=None)
    _link, token = home_link_create(patient=patient, user=user)
    client = Client()
    checked = client.post(
        reverse("home_check", args=[token]), {"date_of_birth": patient.date_of_birth.isoformat()}
    )
    assert checked.status_code == 302, checked.status_code
    url = reverse("home_diary", args=[token])

    def post() -> None:
        moment = timezone.localtime() - timedelta(minutes=1)
        response = client.post(
            url,
            {
                "event": "void",
                "time": moment.strftime("%Y-%m-%dT%H:%M"),
                "volume_ml": "280",
                "urgency": "2",
            },
        )
        assert response.status_code == 302, response.status_code

    return post


def run() -> list[Result]:
    small, large = (_diary_poster(label, n) for label, n in SIZES.items())
    results = [Result("patient_diary_entry_queries", _queries(large) / _queries(small), 1.0)]
    small_s, large_s = paired_medians(small, large, repeat=25)
    results.append(Result("patient_diary_entry_time", large_s / small_s, 2.0))
    return results
