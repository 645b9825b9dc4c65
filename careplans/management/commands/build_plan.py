"""`manage.py build_plan INTAKE.json [--pdf OUT.pdf]`: the care-plan builder on a file.

Prints the careplan-v1 JSON; exits 2 naming the field when the intake is invalid. The
same builder serves the web workflow: this is not a second implementation.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from assessments.intake import IntakeError, load_intake_file
from assessments.intake_io import intake_diary
from careplans import rules


class Command(BaseCommand):
    help = "Build a care plan (careplan-v1 JSON) from an intake-v1 file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("intake_json", type=Path)
        parser.add_argument("--pdf", type=Path, help="also write the patient plan as a PDF")

    def handle(self, *args, intake_json: Path, pdf: Path | None, **options) -> None:
        try:
            intake, folder = load_intake_file(intake_json)
            events = intake_diary(intake, folder=folder)
        except IntakeError as error:
            self.stderr.write(f"{intake_json}: not a valid intake-v1 file:\n{error}")
            raise SystemExit(2) from None
        person = intake["patient"]
        diary = (
            rules.diary_findings(events, age=person["age"], weight_kg=person.get("weight_kg"))
            if events
            else None
        )
        plan = rules.build_plan(intake, diary=diary)
        self.stdout.write(json.dumps(plan, indent=2, ensure_ascii=False))
        if pdf is not None:
            from careplans.documents import pdf_from_standalone_plan

            pdf.write_bytes(pdf_from_standalone_plan(intake, plan))
            self.stderr.write(f"Wrote {pdf}")
