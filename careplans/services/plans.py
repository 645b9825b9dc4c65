"""Writes for care plans: small, atomic, keyword-only. Signed plans never change."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import home_tokens
from assessments.models import Assessment, HomeTasks, Status
from assessments.red_flags import EMERGENCY
from assessments.selectors import assessment_to_intake, diary_events
from assessments.services.home import DEFAULT_DIARY_DAYS, home_link_create, home_tasks_send
from careplans import rules
from careplans.documents import PageOneDoesNotFit, Printable, render_pdf
from careplans.models import (
    BASE_LANGUAGE,
    CarePlan,
    CarePlanItem,
    Intervention,
    PlanStatus,
    items_from_built,
)
from careplans.restate import restate_dose
from careplans.selectors import plan_safety_warnings, plan_settings
from careplans.services.reviews import reviews_schedule
from clinic.models import Membership, Patient

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
    # The record is kept in the base language whatever the therapist's screen shows: the
    # documents translate titles and reasons when they print (reference section 10).
    with translation.override(BASE_LANGUAGE):
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
    *,
    item: CarePlanItem,
    phase: int,
    dosing: dict[str, int],
    reason: str = "",
    rationale: str | None = None,
) -> CarePlanItem:
    """Change an item's phase, dose and (when given) rationale; the builder's sentence of
    the dose in the rationale is worded again for the new dose (careplans.restate)."""
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
    text = item.rationale if rationale is None else rationale.strip()
    # The rationale was written in the base language (careplan_build), whatever the
    # screen's language now: the dose sentence is found and reworded in that language.
    with translation.override(BASE_LANGUAGE):
        item.rationale = restate_dose(item.code, text, before=item.dosing, after=dosing)
    item.dosing = dosing
    item.full_clean()
    item.save(update_fields=["phase", "dosing", "phase_reason", "rationale"])
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


class PlanChangedWhileSigning(ValidationError):
    """The plan kept changing while its PDF rendered: nothing was signed."""


# A render takes about half a second; an edit landing in it makes the signing render again.
SIGNING_ATTEMPTS = 3


class _Changed(Exception):
    """Raised inside the signing transaction to roll it back and render again."""


def _row(instance: Model) -> dict[str, object]:
    return {
        field.attname: field.value_from_object(instance) for field in instance._meta.concrete_fields
    }


def _fingerprint(
    plan: CarePlan, items: Sequence[CarePlanItem], library: Iterable[Intervention]
) -> str:
    """A digest of the rows the patient's PDF prints: the plan, its items in order, the
    patient and clinic, and the library texts of the plan's items."""
    codes = {item.code for item in items}
    rows = {
        "plan": _row(plan),
        "patient": _row(plan.patient),
        "clinic": _row(plan.patient.clinic),
        "items": [_row(item) for item in items],
        "library": sorted(
            (_row(entry) for entry in library if entry.code in codes), key=lambda r: str(r["code"])
        ),
    }
    encoded = json.dumps(rows, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _require_therapist(plan: CarePlan, user: User) -> None:
    """Issue 10: a signature is a clinical act; only a therapist of the plan's clinic signs
    (a clinic admin when also a therapist there)."""
    memberships = Membership.objects.active().filter(user=user, clinic_id=plan.patient.clinic_id)
    if not any(membership.is_therapist for membership in memberships):
        raise PermissionDenied(_("Only a therapist of this clinic can sign a care plan."))


def careplan_sign(*, plan: CarePlan, user: User, reason: str = "", link_base: str = "") -> CarePlan:
    """Store the patient's PDF with its SHA-256 and lock the plan.

    WeasyPrint takes about half a second, so the PDF renders with no transaction open
    (other writers never wait for it); the signature then commits in a short transaction
    that locks the plan and stores it only if the rows the PDF prints are unchanged since
    they were read. An edit that landed in between makes it render again; a plan that keeps
    changing is not signed.

    Safety rule 5: the plan is checked with its intake; a plan that breaks a safety rule
    is signed only with a reason, kept with the warnings it answers.

    Issue 11: when the clinic asks for it and ``link_base`` (the site's address) is given,
    the plan prints a new home-task link for the patient, made with the signature.
    """
    _require_therapist(plan, user)
    home_token = ""
    for _attempt in range(SIGNING_ATTEMPTS):
        snapshot = (
            CarePlan.objects.select_related("patient", "patient__clinic", "assessment")
            .filter(pk=plan.pk)
            .first()
        )
        if snapshot is None or snapshot.status != PlanStatus.DRAFT:
            raise PlanLocked()
        printable = Printable.stored(snapshot)
        # Not at the emergency tier: nothing on that plan may suggest waiting (section 3).
        if (
            link_base
            and snapshot.patient.clinic.home_link_on_plan
            and snapshot.referral_urgency != EMERGENCY
        ):
            home_token = home_token or home_tokens.new_token()
            path = reverse("home_check", kwargs={"token": home_token})
            printable.home_link_url = link_base.rstrip("/") + path
        fingerprint = _fingerprint(snapshot, printable.items, printable.library.values())
        warnings = plan_safety_warnings(snapshot, items=printable.items)
        reason = reason.strip()
        if warnings and not reason:
            raise ValidationError(
                {"reason": _("This plan breaks a safety rule: say why you sign it as it is.")}
            )
        # The plan as it will be stored, so the PDF prints the signature.
        snapshot.status = PlanStatus.SIGNED
        snapshot.signed_by = user
        snapshot.signed_at = timezone.now()
        snapshot.signing_reason = reason if warnings else ""
        snapshot.signing_warnings = warnings
        try:
            pdf = render_pdf(printable, "patient", signing=True)
        except PageOneDoesNotFit as unfit:
            # Clinical reference, section 8: page 1 carries the warning signs and contact.
            raise ValidationError(
                _(
                    "Page 1 of the printed plan cannot hold the warning signs and the "
                    "clinic's contact with this many daily items: move some to phase 2 "
                    "(at review), then sign."
                )
            ) from unfit
        try:
            return _store_signature(
                snapshot, fingerprint=fingerprint, pdf=pdf, home_token=home_token
            )
        except _Changed:
            continue
    raise PlanChangedWhileSigning(
        _(
            "The plan changed while it was being signed, so it was not signed. "
            "Check it and sign again."
        )
    )


@transaction.atomic
def _store_signature(
    signed: CarePlan, *, fingerprint: str, pdf: bytes, home_token: str = ""
) -> CarePlan:
    plan = _draft(signed)
    plan.patient = Patient.objects.select_related("clinic").get(pk=plan.patient_id)
    items = list(plan.items.all())
    library = Intervention.objects.filter(
        clinic_id=plan.patient.clinic_id, code__in={item.code for item in items}
    )
    if _fingerprint(plan, items, library) != fingerprint:
        raise _Changed()
    for field in SIGNATURE_FIELDS:
        setattr(plan, field, getattr(signed, field))
    plan.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    plan.pdf.save(_pdf_name(plan), ContentFile(pdf), save=False)
    try:
        plan.save(update_fields=[*SIGNATURE_FIELDS, "pdf", "pdf_sha256"])
        reviews_schedule(plan=plan)
        if home_token:
            # The link printed on the plan works from the moment the plan is signed, and
            # leads to a diary to keep before the review (unless tasks are open already).
            assert signed.signed_by is not None
            link, _token = home_link_create(
                patient=plan.patient, user=signed.signed_by, token=home_token
            )
            plan.printed_home_link = link
            plan.save(update_fields=["printed_home_link"])
            if not HomeTasks.objects.open().filter(patient=plan.patient).exists():
                home_tasks_send(
                    patient=plan.patient,
                    user=signed.signed_by,
                    questionnaires=[],
                    diary_days=DEFAULT_DIARY_DAYS,
                    due_on=plan.next_review_on,
                )
    except BaseException:
        plan.pdf.delete(save=False)  # the row was not stored: nor is its file kept
        raise
    return plan


SIGNATURE_FIELDS = ("status", "signed_by", "signed_at", "signing_reason", "signing_warnings")


def _pdf_name(plan: CarePlan) -> str:
    # The record number is free text: only its safe characters name the stored file.
    record = re.sub(r"[^A-Za-z0-9_-]", "_", plan.patient.record_number)[:40]
    return f"plan-{record}-v{plan.version}-{plan.pk}.pdf"


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
