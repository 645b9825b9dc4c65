"""`manage.py build_plan INTAKE.json [--pdf PLAN.pdf] [--summary SUMMARY.pdf]
[--letter LETTER.pdf]`: the care-plan builder on a file.

Prints the careplan-v1 JSON; exits 2 naming the field when the intake is invalid. The
same builder and the same document renderer serve the web workflow: this is not a second
implementation. ``--letter`` writes the referral letter of the most urgent referral due
now (the red-flag tier's recipient first, else the first phase-1 referral item's); when
none is due it writes no file, says so on standard error and exits 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from assessments.intake import IntakeError, intake_diary, load_intake_file
from careplans import letters, rules


class Command(BaseCommand):
    help = "Build a care plan (careplan-v1 JSON) from an intake-v1 file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("intake_json", type=Path)
        parser.add_argument("--pdf", type=Path, help="also write the patient plan as a PDF")
        parser.add_argument(
            "--summary", type=Path, help="also write the clinician summary as a PDF"
        )
        parser.add_argument(
            "--letter", type=Path, help="also write the referral letter due now as a PDF"
        )

    def handle(
        self,
        *args: Any,
        intake_json: Path,
        pdf: Path | None,
        summary: Path | None,
        letter: Path | None,
        **options: Any,
    ) -> None:
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
        built = rules.build(intake, diary=diary)
        self.stdout.write(json.dumps(built.plan, indent=2, ensure_ascii=False))
        if pdf is None and summary is None and letter is None:
            return
        # WeasyPrint is needed only for documents: the JSON works without it.
        from careplans.documents import pdf_from_standalone_plan

        def write(path: Path, kind: str, **extra: str) -> None:
            path.write_bytes(
                pdf_from_standalone_plan(intake, built, events=events, kind=kind, **extra)
            )
            self.stderr.write(f"Wrote {path}")

        if pdf is not None:
            write(pdf, "patient")
        if summary is not None:
            write(summary, "clinician")
        if letter is not None:
            due = letters.due_letters(
                referral_urgency=built.plan["referral_urgency"],
                items=[
                    letters.LetterItem(item["code"], item["category"], item["phase"])
                    for item in built.plan["items"]
                ],
                anatomy=person["anatomy"],
            )
            if due:
                write(letter, "referral", recipient=due[0])
            else:
                self.stderr.write(
                    _("No referral is due now: no letter written to %(path)s.") % {"path": letter}
                )
