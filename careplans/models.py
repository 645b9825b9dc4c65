from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, HomeLink
from assessments.red_flags import referral_urgency
from careplans.reviews import week_end
from careplans.rules import BuiltPlan
from clinic.models import Clinic, Patient


class Category(models.TextChoices):
    # The nine of careplan-v1, and nothing else.
    RELAXATION = "relaxation", _("Relaxation")
    STRENGTHENING = "strengthening", _("Strengthening")
    COORDINATION = "coordination", _("Coordination")
    BLADDER_TRAINING = "bladder_training", _("Bladder training")
    LIFESTYLE = "lifestyle", _("Lifestyle")
    MEDICAL_REFERRAL = "medical_referral", _("Medical referral")
    SPECIALIST_REFERRAL = "specialist_referral", _("Specialist referral")
    URGENT_REFERRAL = "urgent_referral", _("Urgent referral")
    EDUCATION = "education", _("Education")


class Drawing(models.TextChoices):
    """The line drawings printed beside a plan item (static/floorplan/drawings/<value>.svg),
    drawn for this project."""

    LYING_KNEES_BENT = "lying_knees_bent", _("Lying on the back, knees bent")
    SIDE_LYING = "side_lying", _("Lying on the side")
    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")
    CHILDS_POSE = "childs_pose", _("Child's pose")
    HAPPY_BABY = "happy_baby", _("Happy baby")
    SUPPORTED_SQUAT = "supported_squat", _("Supported squat")
    BELLY_BREATHING = "belly_breathing", _("Belly breathing, a hand on the belly")
    TOILET_FOOTSTOOL = "toilet_footstool", _("On the toilet with a footstool")
    KNACK = "knack", _("The Knack: squeeze before a cough or a lift")


class Intervention(models.Model):
    """The clinic's library: what an item says to the patient, by anatomy where it differs."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="interventions")
    code = models.CharField(_("code"), max_length=80)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    title = models.CharField(_("title for the patient"), max_length=200)
    patient_text = models.TextField(_("what to do, in plain words"))
    patient_text_vulva = models.TextField(
        _("wording for a patient with a vulva"),
        blank=True,
        help_text=_("Leave empty to use the text above."),
    )
    patient_text_penis = models.TextField(
        _("wording for a patient with a penis"),
        blank=True,
        help_text=_("Leave empty to use the text above."),
    )
    # Clinical reference, section 9: letters to other clinicians use a clinical wording,
    # never the patient's instructions.
    clinician_text = models.TextField(
        _("wording for letters to other clinicians"),
        blank=True,
        help_text=_("Clinical language for referral letters; never the patient's instructions."),
    )
    default_dosing = models.JSONField(_("default dosing"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300)
    drawing = models.CharField(
        _("picture"),
        max_length=30,
        choices=Drawing.choices,
        blank=True,
        help_text=_("A line drawing printed beside the item on the patient's plan."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("intervention")
        verbose_name_plural = _("intervention library")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="intervention_code_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    # The texts of an entry that is not in the database (a plan built from a file):
    # careplans.library.fixture_library sets them; a saved entry reads ``texts``.
    detached_texts: tuple[InterventionText, ...] = ()

    def text_for(self, anatomy: str) -> str:
        specific = {"vulva": self.patient_text_vulva, "penis": self.patient_text_penis}
        return specific.get(anatomy) or self.patient_text

    def in_language(self, language: str) -> LibraryWording:
        """The entry's wording in ``language``: its translation when the clinic has one,
        else the English base (then ``language`` says "en", so a caller can tell).

        Reads ``texts`` through ``.all()``, so ``prefetch_related("texts")`` serves a
        whole library in one query."""
        if language != BASE_LANGUAGE:
            texts = self.detached_texts if self.pk is None else self.texts.all()
            for text in texts:
                if text.language == language:
                    return LibraryWording.of(text, language=language, status=text.status)
        return LibraryWording.of(self, language=BASE_LANGUAGE, status=WordingStatus.REVIEWED)


# The library's own wording (Intervention) is English; every other language the
# application speaks has its texts in InterventionText.
BASE_LANGUAGE = "en"
TRANSLATED_LANGUAGES: list[tuple[str, Any]] = [
    (code, name) for code, name in settings.LANGUAGES if code != BASE_LANGUAGE
]


class WordingStatus(models.TextChoices):
    # Clinical reference, section 10: a translation is a draft until a clinician fluent
    # in the language has reviewed it.
    DRAFTED = "drafted", _("Drafted")
    REVIEWED = "reviewed", _("Reviewed")


@dataclass(frozen=True)
class LibraryWording:
    """What one library entry says in one language, as documents print it."""

    title: str
    patient_text: str
    patient_text_vulva: str
    patient_text_penis: str
    clinician_text: str
    language: str
    status: str

    @classmethod
    def of(
        cls, source: Intervention | InterventionText, *, language: str, status: str
    ) -> LibraryWording:
        return cls(
            title=source.title,
            patient_text=source.patient_text,
            patient_text_vulva=source.patient_text_vulva,
            patient_text_penis=source.patient_text_penis,
            clinician_text=source.clinician_text,
            language=language,
            status=status,
        )

    @property
    def is_drafted(self) -> bool:
        return self.status == WordingStatus.DRAFTED

    def text_for(self, anatomy: str) -> str:
        specific = {"vulva": self.patient_text_vulva, "penis": self.patient_text_penis}
        return specific.get(anatomy) or self.patient_text


class InterventionText(models.Model):
    """A library entry's wording in a language other than English, with its review."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=TRANSLATED_LANGUAGES)
    title = models.CharField(_("title for the patient"), max_length=200)
    patient_text = models.TextField(_("what to do, in plain words"))
    patient_text_vulva = models.TextField(
        _("wording for a patient with a vulva"),
        blank=True,
        help_text=_("Leave empty to use the text above."),
    )
    patient_text_penis = models.TextField(
        _("wording for a patient with a penis"),
        blank=True,
        help_text=_("Leave empty to use the text above."),
    )
    clinician_text = models.TextField(_("wording for letters to other clinicians"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WordingStatus.choices, default=WordingStatus.DRAFTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Set when someone at the clinic saves the text: `load_library --update` then leaves it.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        ordering = ["intervention", "language"]
        verbose_name = _("intervention text")
        verbose_name_plural = _("intervention texts")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "language"], name="intervention_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention.code} ({self.language})"

    def text_for(self, anatomy: str) -> str:
        specific = {"vulva": self.patient_text_vulva, "penis": self.patient_text_penis}
        return specific.get(anatomy) or self.patient_text


class RecipientKind(models.TextChoices):
    # Clinical reference, section 9: who a referral letter may go to.
    EMERGENCY_DEPARTMENT = "emergency_department", _("Emergency department")
    GP = "gp", _("GP (family doctor)")
    UROLOGY = "urology", _("Urology")
    UROGYNAECOLOGY = "urogynaecology", _("Urogynaecology")
    GYNAECOLOGY = "gynaecology", _("Gynaecology")
    COLORECTAL = "colorectal", _("Colorectal surgery")
    PAIN_SERVICE = "pain_service", _("Pain service")
    PSYCHOLOGY = "psychology", _("Psychology")


class Recipient(models.Model):
    """The clinic's directory of services a referral letter can be addressed to."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("kind"), max_length=30, choices=RecipientKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("letter recipient")
        verbose_name_plural = _("letter recipients")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class CarePlanQuerySet(models.QuerySet["CarePlan"]):
    def in_clinics(self, clinic_ids: list[int]) -> CarePlanQuerySet:
        return self.filter(patient__clinic_id__in=clinic_ids)


class CarePlan(models.Model):
    """One version of a patient's plan. Signed versions never change; a change after
    signing is a new version that supersedes it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_plans")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="care_plans")
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # What the builder produced (careplan-v1), kept as built for the record.
    built = models.JSONField()
    personal_note = models.TextField(_("personal note to the patient"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="plans/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # Safety rule 5: signing a plan that breaks a safety rule asks for a reason, kept here
    # with the warnings it answered, and printed in the clinician summary.
    signing_reason = models.TextField(
        _("reason for signing despite the safety warnings"), blank=True
    )
    signing_warnings = models.JSONField(default=list, blank=True)
    # Issue 11: the patient's home-task link printed on this plan when it was signed (the
    # stored PDF holds its token: what leaves the clinic checks it no longer works).
    printed_home_link = models.ForeignKey(
        HomeLink, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = CarePlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="one_plan_version")
        ]
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="plan_by_patient"),
            models.Index(fields=["status", "-created_at"], name="plan_drafts"),
            models.Index(fields=["status", "-signed_at"], name="plan_recent_signed"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} plan v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.status == PlanStatus.SIGNED

    @property
    def classification(self) -> dict[str, Any]:
        classification: dict[str, Any] = self.built.get("classification", {})
        return classification

    @property
    def notices(self) -> list[str]:
        notices: list[str] = self.built.get("notices", [])
        return notices

    @property
    def red_flags(self) -> list[str]:
        red_flags: list[str] = self.built.get("red_flags", [])
        return red_flags

    @property
    def referral_urgency(self) -> str | None:
        """The red-flag tier (careplan-v1); plans built before it existed read it again."""
        if "referral_urgency" in self.built:
            stored: str | None = self.built["referral_urgency"]
            return stored
        if not self.red_flags:
            return None
        # The age at the assessment, as the builder and the letters read it.
        return referral_urgency(self.red_flags, self.patient.age_on(self.assessment.assessed_on))


class CarePlanItem(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=80)
    category = models.CharField(max_length=30, choices=Category.choices)
    phase = models.PositiveSmallIntegerField(choices=[(1, _("Start now")), (2, _("At review"))])
    title = models.CharField(max_length=200)
    rationale = models.TextField()
    dosing = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=300)
    added_by_therapist = models.BooleanField(default=False)
    # A removed item stays on the record, with the reason when it was a safety item.
    removed = models.BooleanField(default=False)
    removal_reason = models.TextField(blank=True)
    # Safety rule 2: why a phase-2 item waits, in the therapist's words (careplan-v1), and
    # the code of that reason, from which the printed plan words it for the patient.
    hold_reason = models.TextField(blank=True)
    hold_code = models.CharField(max_length=40, blank=True)
    # Plain-words notes the builder chose for the printed plan (codes of careplans.rules.phrases).
    patient_notes = models.JSONField(default=list, blank=True)
    # Safety rule 5: why the therapist moved a held item into phase 1.
    phase_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.code


# The careplan-v1 fields of an item, as stored.
ITEM_FIELDS = ("code", "category", "phase", "title", "rationale", "dosing", "source")


def items_from_built(plan: CarePlan, built: BuiltPlan) -> list[CarePlanItem]:
    """The builder's items as (unsaved) plan items, with what the printed plan needs."""
    return [
        CarePlanItem(
            plan=plan,
            position=n,
            **{key: item[key] for key in ITEM_FIELDS},
            hold_reason=item.get("hold_reason") or "",
            hold_code=planned.hold_code,
            patient_notes=planned.notes,
        )
        for n, (item, planned) in enumerate(zip(built.plan["items"], built.items, strict=True), 1)
    ]


class ReviewReason(models.TextChoices):
    PFMT_MID = "pfmt_mid", _("Mid-programme review of pelvic floor training")
    PFMT_END = "pfmt_end", _("End-of-programme review of pelvic floor training")
    BLADDER_TRAINING = "bladder_training", _("Bladder training review (6 weeks)")
    OAB_MEDICATION = "oab_medication", _("Review 4 weeks after starting OAB medication")
    PLANNED = "planned", _("Planned review")


class ReviewQuerySet(models.QuerySet["Review"]):
    def open(self) -> ReviewQuerySet:
        return self.filter(closed_at__isnull=True)

    def in_clinics(self, clinic_ids: list[int]) -> ReviewQuerySet:
        return self.filter(patient__clinic_id__in=clinic_ids)

    def due_this_week(self, today: date) -> ReviewQuerySet:
        return self.filter(due_on__gte=today, due_on__lte=week_end(today))

    def overdue(self, today: date) -> ReviewQuerySet:
        return self.filter(due_on__lt=today)


class Review(models.Model):
    """A follow-up a signed plan calls for; closed by a review visit or a newer plan."""

    class Closed(models.TextChoices):
        DONE = "done", _("Done")
        SUPERSEDED = "superseded", _("Superseded by a newer plan")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="reviews")
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    reason = models.CharField(_("reason"), max_length=30, choices=ReviewReason.choices)
    due_on = models.DateField(_("due"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=Closed.choices, blank=True)
    closed_by_assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(fields=["closed_at", "due_on"], name="review_due"),
            models.Index(fields=["patient", "due_on"], name="review_by_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.get_reason_display()} {self.due_on}"


class BatchPrintQuerySet(models.QuerySet["BatchPrint"]):
    def in_clinics(self, clinic_ids: list[int]) -> BatchPrintQuerySet:
        return self.filter(clinic_id__in=clinic_ids)


class BatchPrint(models.Model):
    """One batch of signed plans printed for a clinic admin, run by the background worker."""

    class Format(models.TextChoices):
        PDF = "pdf", _("One PDF")
        ZIP = "zip", _("A zip of PDFs, one per patient")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Printing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="batch_prints")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(_("format"), max_length=3, choices=Format.choices)
    # The patients asked for, in print order; checked against the clinic again when run.
    patient_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # [{"patient_id": 1, "name": "...", "reason": "..."}]: patients left out, and why.
    failures = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # Written with every step of progress: a running batch whose heartbeat stops has a
    # dead worker behind it (see careplans.batch.batch_print_refresh).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    output = models.FileField(upload_to="batches/%Y/%m/", blank=True)

    objects = BatchPrintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch print")
        verbose_name_plural = _("batch prints")
        indexes = [models.Index(fields=["clinic", "-created_at"], name="batch_by_clinic")]

    def __str__(self) -> str:
        return f"{self.clinic} batch {self.pk} ({self.status})"

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        return (100 * self.done // self.total) if self.total else 0
