"""`manage.py import_intake INTAKE.json --patient RECORD --clinic ID --therapist USERNAME`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from assessments.intake import IntakeError, intake_diary, load_intake_file
from assessments.services.intake_import import intake_import
from clinic.models import Membership, Patient


class Command(BaseCommand):
    help = "Import an intake-v1 JSON file as a draft assessment of a patient."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("intake_json", type=Path)
        parser.add_argument("--patient", required=True, help="the patient's record number")
        parser.add_argument("--clinic", type=int, required=True, help="the clinic's id")
        parser.add_argument("--therapist", required=True, help="username of the therapist")

    def handle(
        self,
        *args: Any,
        intake_json: Path,
        patient: str,
        clinic: int,
        therapist: str,
        **o: Any,
    ) -> None:
        def fail(message: str) -> NoReturn:
            self.stderr.write(message)
            raise SystemExit(2)

        try:
            intake, folder = load_intake_file(intake_json)
            events = intake_diary(intake, folder=folder)
        except IntakeError as error:
            fail(f"{intake_json}: not a valid intake-v1 file:\n{error}")
        found = Patient.objects.filter(clinic_id=clinic, record_number=patient).first()
        if found is None:
            fail(f"--patient: no patient with record number {patient} in clinic {clinic}")
        user = get_user_model().objects.filter(username=therapist).first()
        if (
            user is None
            or not Membership.objects.active().filter(user=user, clinic_id=clinic).exists()
        ):
            fail(f"--therapist: {therapist} is not an active member of clinic {clinic}")
        assessment = intake_import(patient=found, intake=intake, therapist=user, events=events)
        self.stdout.write(f"Imported as draft assessment {assessment.pk} of {found}.")
