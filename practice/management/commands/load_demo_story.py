"""A few synthetic visits for the demo clinic, made through the same services as the app:
Maria's intake with a bladder diary and a signed plan (its reviews scheduled), Robert's
intake after prostatectomy with a red flag awaiting referral and a draft plan.
Synthetic data only. Does nothing if the demo patients already have visits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.intake import intake_diary, load_intake_file
from assessments.services.intake_import import intake_import
from careplans import services
from careplans.models import CarePlan
from careplans.services import visit_complete
from clinic.models import Patient

STORY = Path(settings.BASE_DIR) / "fixtures" / "demo"


# Synthetic, as all demo data: Maria's main concern and goals, as she might say them.
MARIA_IN_HER_WORDS = (
    "I leak when I cough or laugh, and I rush to the toilet all day.",
    "Play with my grandchildren and laugh without worrying about leaks.\n"
    "Walk to the market without planning every toilet stop.",
)


class Command(BaseCommand):
    help = "Add the demo clinic's synthetic visits and plans (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        tess = get_user_model().objects.get(username="tess")
        with transaction.atomic():
            maria = self._visit(
                "R0001",
                "intake-maria.json",
                tess,
                note="Small steps, every day.",
                in_her_words=MARIA_IN_HER_WORDS,
            )
            robert = self._visit("R0010", "intake-robert.json", tess)
        if maria is None and robert is None:
            self.stdout.write("The demo story is already there.")
            return
        if maria is not None:
            services.careplan_sign(plan=maria, user=tess)  # renders and stores the PDF
        self.stdout.write("Demo story added: a signed plan, a draft plan and a red flag.")

    def _visit(
        self,
        record: str,
        intake_file: str,
        therapist: User,
        note: str = "",
        in_her_words: tuple[str, str] = ("", ""),
    ) -> CarePlan | None:
        patient = Patient.objects.get(clinic_id=1, record_number=record)
        if patient.assessments.exists():
            return None
        intake, folder = load_intake_file(STORY / intake_file)
        assessment = intake_import(
            patient=patient,
            intake=intake,
            therapist=therapist,
            events=intake_diary(intake, folder=folder),
        )
        # The intake file format has no main concern or goals (they are typed in the clinic).
        assessment.chief_complaint, assessment.goals = in_her_words
        assessment.save(update_fields=["chief_complaint", "goals"])
        assessment = visit_complete(assessment=assessment, user=therapist)
        plan = services.careplan_build(assessment=assessment, user=therapist)
        if note:
            services.careplan_update_note(
                plan=plan, personal_note=note, next_review_on=plan.next_review_on
            )
        return plan
