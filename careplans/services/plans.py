"""Writes for care plans: small, atomic, keyword-only. Signed plans never change."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Status
from assessments.selectors import assessment_to_intake, diary_events
from careplans import rules
from careplans.documents import render_pdf
from careplans.models import (
    CarePlan,
    CarePlanItem,
    Intervention,
    PlanStatus,
    items_from_built,
)
from careplans.selectors import plan_safety_warnings, plan_settings
from careplans.services.reviews import reviews_schedule

# NICE NG210: review during a PFMT programme; the default first review is mid-programme.
DEFAULT_REVIEW_AFTER_WEEKS = 6


class PlanLocked(Exception):
    """A signed plan never changes; a change makes a new version."""


def build_for_assessment(assessment: Assessment) -> rules.BuiltPlan:
    """The same builder as `manage.py build_plan`, fed from the database."""
    intake = assessment_to_intake(assessment, with_diary=False)
    settings = plan_settings(assessment.patient.clinic)
    events = diary_events(assessment)
    diary = (
        rules.diary_findings(
            events,
            age=intake["patient"]["age"],
            weight_kg=intake["patient"].get("weight_kg"),
            settings=settings,
        )
        if events
        else None
    )
    return rules.build(intake, diary=diary, settings=settings)


def _draft(plan: CarePlan) -> CarePlan:
    """The plan re-read under a row lock for this transaction, refused unless a draft.

    Checking the caller's copy is not enough: a write that races the signing would pass on
    a copy read before it and change a plan whose PDF is already stored. With the lock it
    waits for the signing to commit, then finds the plan signed.
    """
    current = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if current.status != PlanStatus.DRAFT:
        raise PlanLocked()
    return current


@transaction.atomic
def careplan_build(*, assessment: Assessment, user: User) -> CarePlan:
    if assessment.status != Status.COMPLETE:
        raise ValidationError(_("Complete the assessment before building a plan."))
    existing = assessment.care_plans.filter(status=PlanStatus.DRAFT).first()
    if existing is not None:
        return existing  # one draft at a time: building again opens it
    built = build_for_assessment(assessment)
    latest = assessment.care_plans.aggregate(v=Max("version"))["v"] or 0
    plan = CarePlan.objects.create(
        patient=assessment.patient,
        assessment=assessment,
        version=latest + 1,
        built=built.plan,
        created_by=user,
        next_review_on=assessment.assessed_on + timedelta(weeks=DEFAULT_REVIEW_AFTER_WEEKS),
    )
    CarePlanItem.objects.bulk_create(items_from_built(plan, built))
    return plan


@transaction.atomic
def careplan_item_remove(*, item: CarePlanItem, reason: str = "") -> CarePlanItem:
    _draft(item.plan)
    reason = reason.strip()
    if item.code in rules.SAFETY_CODES and not reason:
        # Safety rule 5: removing a safety item asks for a reason, kept with the plan.
        raise ValidationError({"reason": _("This is a safety item: say why you remove it.")})
    item.removed = True
    item.removal_reason = reason
    item.save(update_fields=["removed", "removal_reason"])
    return item


@transaction.atomic
def careplan_item_restore(*, item: CarePlanItem) -> CarePlanItem:
    _draft(item.plan)
    item.removed = False
    item.removal_reason = ""
    item.save(update_fields=["removed", "removal_reason"])
    return item


@transaction.atomic
def careplan_item_update(
    *, item: CarePlanItem, phase: int, dosing: dict[str, int], reason: str = ""
) -> CarePlanItem:
    _draft(item.plan)
    reason = reason.strip()
    if item.hold_reason and item.phase == 2 and phase == 1 and not reason:
        # Safety rule 5: moving a held item into phase 1 asks for a reason, kept.
        raise ValidationError(
            {
                "phase_reason": _(
                    "This item waits for a reason (%(why)s): say why it should start now."
                )
                % {"why": item.hold_reason}
            }
        )
    if phase == 1 and item.phase == 2:
        item.phase_reason = reason
    elif phase == 2:
        item.phase_reason = ""
    item.phase = phase
    item.dosing = dosing
    item.full_clean()
    item.save(update_fields=["phase", "dosing", "phase_reason"])
    return item


@transaction.atomic
def careplan_item_move(*, item: CarePlanItem, up: bool) -> None:
    _draft(item.plan)
    siblings = list(item.plan.items.order_by("position", "id"))
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        CarePlanItem.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def careplan_item_add(
    *, plan: CarePlan, intervention: Intervention, phase: int, rationale: str
) -> CarePlanItem:
    _draft(plan)
    last = plan.items.aggregate(p=Max("position"))["p"] or 0
    return CarePlanItem.objects.create(
        plan=plan,
        position=last + 1,
        code=intervention.code,
        category=intervention.category,
        phase=phase,
        title=intervention.title,
        rationale=rationale.strip() or _("Added by the therapist."),
        dosing=dict(intervention.default_dosing),
        source=intervention.source,
        added_by_therapist=True,
    )


@transaction.atomic
def careplan_update_note(
    *, plan: CarePlan, personal_note: str, next_review_on: date | None
) -> CarePlan:
    plan = _draft(plan)
    plan.personal_note = personal_note
    plan.next_review_on = next_review_on
    plan.save(update_fields=["personal_note", "next_review_on"])
    return plan


@transaction.atomic
def careplan_sign(*, plan: CarePlan, user: User, reason: str = "") -> CarePlan:
    """Lock the plan and store the patient's PDF with its SHA-256.

    Safety rule 5: the plan is checked with its intake; a plan that breaks a safety rule
    is signed only with a reason, kept with the warnings it answers.
    """
    plan = _draft(plan)
    warnings = plan_safety_warnings(plan)
    reason = reason.strip()
    if warnings and not reason:
        raise ValidationError(
            {"reason": _("This plan breaks a safety rule: say why you sign it as it is.")}
        )
    plan.signing_reason = reason if warnings else ""
    plan.signing_warnings = warnings
    plan.status = PlanStatus.SIGNED
    plan.signed_by = user
    plan.signed_at = timezone.now()
    pdf = render_pdf(plan, "patient")
    plan.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    plan.pdf.save(
        f"plan-{plan.patient.record_number}-v{plan.version}-{plan.pk}.pdf",
        ContentFile(pdf),
        save=False,
    )
    plan.save(
        update_fields=[
            "status",
            "signed_by",
            "signed_at",
            "pdf",
            "pdf_sha256",
            "signing_reason",
            "signing_warnings",
        ]
    )
    reviews_schedule(plan=plan)
    return plan


@transaction.atomic
def careplan_new_version(*, plan: CarePlan, user: User) -> CarePlan:
    """A change after signing: a new draft that supersedes the signed version."""
    if plan.status != PlanStatus.SIGNED:
        return plan
    if hasattr(plan, "superseded_by"):
        return plan.superseded_by
    latest = plan.assessment.care_plans.aggregate(v=Max("version"))["v"]
    new = CarePlan.objects.create(
        patient=plan.patient,
        assessment=plan.assessment,
        version=latest + 1,
        supersedes=plan,
        built=plan.built,
        personal_note=plan.personal_note,
        next_review_on=plan.next_review_on,
        created_by=user,
    )
    items = list(plan.items.all())
    for item in items:
        item.pk = None
        item.plan = new
    CarePlanItem.objects.bulk_create(items)
    return new
