"""`manage.py export_fhir PATIENT_ID [--assessment ID] [--user USERNAME] > bundle.json`:
a patient's assessment, scores, diary and plan as a FHIR R4 bundle (see practice/fhir.py).

With ``--user`` the patient must be in one of that user's clinics, as in the web
application; every export is written to the audit log (by that user, else "manage.py").
Exits 1 naming what is wrong: no such patient, an assessment of someone else, a stored PDF
that is missing or altered.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.models import Assessment
from clinic.access import log_command_access
from clinic.models import AuditAction, Membership, Patient
from practice.fhir_export import ExportError, fhir_bundle


class Command(BaseCommand):
    help = "Print a patient's assessment, scores, diary and care plan as a FHIR R4 bundle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("patient_id", type=int)
        parser.add_argument(
            "--assessment",
            type=int,
            help="the assessment to export (default: the one behind the latest signed plan)",
        )
        parser.add_argument(
            "--user", help="export as this user: only patients of their clinics are found"
        )

    def handle(
        self,
        *args: Any,
        patient_id: int,
        assessment: int | None,
        user: str | None,
        **options: Any,
    ) -> None:
        account = None
        patients = Patient.objects.select_related("clinic")
        if user is not None:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("--user: no active user named %(name)s.") % {"name": user})
            clinics = Membership.objects.active().filter(user=account).values("clinic")
            patients = patients.filter(clinic__in=clinics)
        patient = patients.filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(
                _("PATIENT_ID: no patient %(id)s in the clinics you may see.") % {"id": patient_id}
            )
        chosen = None
        if assessment is not None:
            chosen = Assessment.objects.filter(pk=assessment, patient=patient).first()
            if chosen is None:
                raise CommandError(
                    _("--assessment: patient %(patient)s has no assessment %(id)s.")
                    % {"patient": patient_id, "id": assessment}
                )
        try:
            bundle = fhir_bundle(patient=patient, assessment=chosen)
        except ExportError as error:
            raise CommandError(str(error)) from None
        log_command_access(
            user=account,
            patient=patient,
            what=_("FHIR bundle"),
            action=AuditAction.EXPORT,
            command=f"manage.py export_fhir {patient_id}"
            + (f" --assessment {assessment}" if assessment is not None else ""),
        )
        self.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False))
