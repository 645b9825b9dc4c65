"""Export a patient's assessment, scores, diary and plan as a FHIR R4 bundle: gathers the
facts from the database for ``practice.fhir`` and checks the bundle before it leaves.

Which assessment: the one asked for; else the one behind the patient's latest signed plan;
else the latest. Which plan of it: the one asked for; else its latest signed version; else
its latest draft (exported with status ``draft``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments import classification
from assessments.models import Assessment
from assessments.selectors import assessment_to_intake, diary_events, latest_assessment
from assessments.summary import assessment_summary
from careplans.documents import document_language
from careplans.dosing import clinician_line
from careplans.models import CarePlan, CarePlanItem, PlanStatus
from careplans.services.batch import Skip, signed_pdf
from clinic.models import Patient
from practice import fhir

logger = logging.getLogger(__name__)


class ExportError(Exception):
    """The bundle cannot be made; the message says why, for the user."""


def _plan_for(assessment: Assessment) -> CarePlan | None:
    plans = assessment.care_plans.order_by("-version", "-id")
    return plans.filter(status=PlanStatus.SIGNED).first() or plans.first()


def chosen_records(
    patient: Patient, *, assessment: Assessment | None = None, plan: CarePlan | None = None
) -> tuple[Assessment | None, CarePlan | None]:
    """The assessment and plan a bundle of this patient carries (see the module's doc)."""
    if plan is not None:
        return plan.assessment, plan
    if assessment is None:
        signed = patient.care_plans.filter(status=PlanStatus.SIGNED).order_by("-signed_at").first()
        assessment = signed.assessment if signed else latest_assessment(patient)
    return assessment, (_plan_for(assessment) if assessment else None)


def _who(plan: CarePlan) -> str:
    user = plan.signed_by if plan.is_signed and plan.signed_by else plan.created_by
    return user.get_full_name() or user.get_username()


def _replaced_by(plan: CarePlan) -> int | None:
    """The version of the signed plan that replaced this one, if any."""
    later = getattr(plan, "superseded_by", None)
    while later is not None and not later.is_signed:
        later = getattr(later, "superseded_by", None)
    return later.version if later is not None else None


def _plan_facts(plan: CarePlan) -> fhir.PlanFacts:
    items = plan.items.filter(removed=False).order_by("position")
    pdf = None
    printed = plan.printed_home_link
    if plan.is_signed and printed is not None and printed.works_at(timezone.now()):
        # Issue 11: the stored PDF prints the patient's home-task link; a key to their
        # pages must not leave the clinic while it still works.
        raise ExportError(
            _(
                "the signed plan prints the patient's home-task link, which works until "
                "%(until)s: stop the link on the patient page (and hand over a new one), or "
                "export after that date"
            )
            % {"until": date_format(timezone.localtime(printed.expires_at), "DATE_FORMAT")}
        )
    if plan.is_signed:
        try:
            pdf = signed_pdf(plan)
        except Skip as skip:
            reasons = {
                "file_missing": _("the signed plan's stored PDF is missing"),
                "file_altered": _(
                    "the signed plan's stored PDF no longer matches its signature hash"
                ),
            }
            raise ExportError(reasons.get(str(skip.args[0]), str(skip.args[0]))) from None
    return fhir.PlanFacts(
        pk=plan.pk,
        version=plan.version,
        signed=plan.is_signed,
        created_at=plan.created_at,
        signed_at=plan.signed_at,
        author_name=_who(plan),
        items=[
            fhir.ItemFacts(
                code=item.code,
                category=item.category,
                phase=item.phase,
                title=item.title,
                rationale=item.rationale,
                dosing=item.dosing,
                dose_words=clinician_line(item.dosing),
                source=item.source,
                hold_reason=item.hold_reason,
            )
            for item in items
        ],
        red_flags=plan.red_flags,
        referral_urgency=plan.referral_urgency,
        language=document_language(plan),
        pdf=pdf,
        pdf_sha256=plan.pdf_sha256,
        superseded_by_version=_replaced_by(plan),
    )


def _assessment_facts(assessment: Assessment, plan: CarePlan | None) -> fhir.AssessmentFacts:
    events = diary_events(assessment)
    summary = assessment_summary(assessment, events=events)
    if plan is not None:
        conclusion = plan.classification
    else:
        found = classification.classify(assessment_to_intake(assessment, with_diary=False))
        conclusion = {
            "incontinence_type": found.incontinence_type,
            "predominant": found.predominant,
            "tone_profile": found.tone_profile,
            "reasons": list(found.reasons),
        }
    return fhir.AssessmentFacts(
        pk=assessment.pk,
        assessed_on=assessment.assessed_on,
        intake=assessment_to_intake(assessment, with_diary=False),
        classification=conclusion,
        events=events,
        metrics=summary["diary_metrics"],
    )


def fhir_bundle(
    *,
    patient: Patient,
    assessment: Assessment | None = None,
    plan: CarePlan | None = None,
    exported_at: datetime | None = None,
) -> dict[str, Any]:
    """The patient's bundle, validated as FHIR R4. The caller scoped the patient to the
    user's clinics and logs the export."""
    assessment, plan = chosen_records(patient, assessment=assessment, plan=plan)
    if plan is not None:
        plan = (
            CarePlan.objects.select_related(
                "patient__clinic", "signed_by", "created_by", "printed_home_link"
            )
            .prefetch_related(Prefetch("items", queryset=CarePlanItem.objects.all()))
            .get(pk=plan.pk)
        )
    facts = fhir.ExportFacts(
        base=settings.FLOORPLAN_FHIR_BASE,
        time_zone=settings.TIME_ZONE,
        exported_at=exported_at or timezone.now(),
        patient=fhir.PatientFacts(
            pk=patient.pk,
            clinic_id=patient.clinic_id,
            clinic_name=patient.clinic.name,
            record_number=patient.record_number,
            family_name=patient.last_name,
            given_name=patient.first_name,
            birth_date=patient.date_of_birth,
        ),
        assessment=_assessment_facts(assessment, plan) if assessment else None,
        plan=_plan_facts(plan) if plan else None,
    )
    bundle = fhir.build_bundle(facts)
    try:
        fhir.validate_bundle(bundle)
    except fhir.BundleInvalid:
        # A fault of ours, never the user's: the detail goes to the log, not the screen.
        logger.exception("FHIR bundle of patient %s did not validate", patient.pk)
        raise ExportError(
            _("the bundle did not pass the FHIR R4 check (a fault in FloorPlan, logged)")
        ) from None
    return bundle


def bundle_file_name(patient: Patient) -> str:
    return f"floorplan-{patient.record_number}-fhir.json"
