from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import wallclock
from clinic.models import Patient

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def finding(
    label: StrOrPromise, help_text: StrOrPromise = ""
) -> models.BooleanField[bool | Combinable | None, bool | None]:
    """A yes/no finding; NULL means not assessed, which is not the same as no."""
    return models.BooleanField(label, null=True, blank=True, help_text=help_text)


def count(
    label: StrOrPromise, low: int, high: int, help_text: StrOrPromise = ""
) -> models.PositiveSmallIntegerField[float | int | str | Combinable | None, int | None]:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        help_text=help_text,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
    )


def choice(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]], help_text: StrOrPromise = ""
) -> models.CharField[str | int | Combinable | None, str | None]:
    return models.CharField(
        label, max_length=20, choices=choices, null=True, blank=True, help_text=help_text
    )


class Kind(models.TextChoices):
    INTAKE = "intake", _("Initial intake")
    REVIEW = "review", _("Review")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")


TONE = [("normal", _("Normal")), ("increased", _("Increased")), ("decreased", _("Decreased"))]
RELAXATION = [
    ("complete", _("Complete")),
    ("partial", _("Partial")),
    ("absent", _("Absent")),
    ("delayed", _("Delayed")),
]
MOST_BOTHERSOME = [("stress", _("Leaks on effort")), ("urgency", _("Leaks with urgency"))]
HORMONAL_STATUS = [
    ("premenopausal", _("Premenopausal")),
    ("perimenopausal", _("Perimenopausal")),
    ("postmenopausal", _("Postmenopausal")),
    ("pregnant", _("Pregnant")),
    ("postpartum", _("Postpartum")),
    ("not_applicable", _("Not applicable")),
]


TRIGGER_LABELS = {
    "cough": _("cough"),
    "sneeze": _("sneeze"),
    "laugh": _("laugh"),
    "lift": _("lift"),
    "exercise": _("exercise"),
    "jump": _("jump"),
    "walk": _("walk"),
    "stand_up": _("stand up"),
}
# The intake form's checkboxes: each label says how urgently the flag must be seen, as
# assessments/red_flags.py decides it (clinical reference, section 3 rule 1).
RED_FLAG_LABELS = {
    "visible_haematuria": _("Visible haematuria (urgent at 45 and over: NICE NG12)"),
    "non_visible_haematuria": _("Non-visible haematuria (urgent at 50 and over: NICE NG123)"),
    "dysuria": _("Painful urination (GP within two weeks)"),
    "recurrent_uti": _("Recurrent or persisting UTI (with haematuria at 40 and over: urgent)"),
    "sudden_severe_pelvic_pain": _("Sudden severe pelvic pain (emergency department now)"),
    "saddle_anaesthesia": _("Saddle anaesthesia (emergency department now)"),
    "new_leg_weakness_or_numbness": _(
        "New leg weakness or numbness, both legs (emergency department now)"
    ),
    "new_bowel_or_bladder_loss_with_back_pain": _(
        "New loss of bladder or bowel control with back pain (emergency department now)"
    ),
    "unexplained_weight_loss": _("Unexplained weight loss (urgent)"),
    "pelvic_mass": _("Suspected pelvic mass (urgent)"),
    "suspected_fistula": _("Suspected fistula (urgent)"),
    "palpable_bladder_after_voiding": _("Palpable bladder after voiding (urgent)"),
    "persistent_bloating": _("Persistent bloating (urgent)"),
}
# Each flag by name alone, for the red-flag banner, which shows the urgency beside it.
RED_FLAG_NAMES = {
    "visible_haematuria": _("visible haematuria"),
    "non_visible_haematuria": _("non-visible haematuria"),
    "dysuria": _("painful urination"),
    "recurrent_uti": _("recurrent or persisting UTI"),
    "sudden_severe_pelvic_pain": _("sudden severe pelvic pain"),
    "saddle_anaesthesia": _("saddle anaesthesia"),
    "new_leg_weakness_or_numbness": _("new leg weakness or numbness"),
    "new_bowel_or_bladder_loss_with_back_pain": _(
        "new loss of bladder or bowel control with back pain"
    ),
    "unexplained_weight_loss": _("unexplained weight loss"),
    "pelvic_mass": _("suspected pelvic mass"),
    "suspected_fistula": _("suspected fistula"),
    "palpable_bladder_after_voiding": _("palpable bladder after voiding"),
    "persistent_bloating": _("persistent bloating"),
}


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def in_clinics(self, clinic_ids: list[int]) -> AssessmentQuerySet:
        return self.filter(clinic_id__in=clinic_ids)

    def with_open_red_flags(self) -> AssessmentQuerySet:
        return self.filter(has_red_flags=True, referral_recorded_at__isnull=True)


class Assessment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    # The patient's clinic, kept here so clinic-wide lists use an index of their own
    # (a patient never changes clinic).
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTAKE)
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("therapist"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic locking: a save names the version it started from; a later version wins
    # only if the person saw it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    weight_kg = models.FloatField(
        _("weight (kg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(25), MaxValueValidator(350)],
    )

    # History and goals (issue 13): the patient's own words, printed on the plan.
    chief_complaint = models.TextField(
        _("main concern"),
        blank=True,
        help_text=_("What brings the patient here, in their words."),
    )
    goals = models.TextField(
        _("the patient's goals"),
        blank=True,
        help_text=_("What they want to be able to do again, in their words; one per line."),
    )

    # Symptoms
    stress_leak_triggers = models.JSONField(
        _("leaks on"), null=True, blank=True, help_text=_("Leaks with effort: when?")
    )
    urgency = finding(_("urgency"), _("Sudden compelling desire to void, hard to defer"))
    urge_leaks = finding(_("urge leaks"), _("Leaks on the way to, or before reaching, the toilet"))
    day_voids = count(_("voids while awake"), 0, 40, _("Typical; the diary wins if present"))
    night_voids = count(_("times woken to void"), 0, 15)
    voiding_difficulty = finding(
        _("voiding difficulty"), _("Hesitancy, straining, weak or interrupted stream")
    )
    incomplete_emptying = finding(_("incomplete emptying"))
    pelvic_pain = finding(_("pelvic pain"))
    painful_penetration = finding(_("painful penetration"))
    painful_orgasm = finding(_("painful orgasm"))
    constipation = finding(_("constipation"))
    straining_to_defecate = finding(_("straining to open bowels"))
    prolapse_bulge = finding(_("bulge"), _("Sensation or sight of a vaginal or perineal bulge"))
    constant_tension = finding(_("constant tension"), _("An “always clenched” feeling"))
    most_bothersome = choice(_("most bothersome leaks"), MOST_BOTHERSOME)

    # Examination
    consent_recorded = finding(
        _("consent for internal examination recorded"),
        _("Consent must be recorded before internal examination findings."),
    )
    internal_exam = finding(_("internal examination done"), _("Digital vaginal or rectal"))
    tone = choice(_("resting tone"), TONE)
    oxford_grade = count(_("Modified Oxford grade"), 0, 5)
    endurance_s = count(_("endurance (s)"), 0, 60, _("PERFECT E: seconds a maximal hold lasts"))
    repetitions = count(_("repetitions"), 0, 20, _("PERFECT R: holds before fatigue"))
    fast_contractions = count(
        _("fast contractions"), 0, 30, _("PERFECT F: 1-second contractions before fatigue")
    )
    relaxation = choice(_("relaxation after contraction"), RELAXATION)
    accessory_muscles = finding(
        _("accessory muscles"), _("Abdominals, glutes or adductors substitute")
    )
    breath_holding = finding(_("breath holding"))
    bearing_down = finding(_("bears down"), _("Pushes down (Valsalva) when asked to lift"))
    knack = finding(_("uses the Knack"), _("Pre-contracts before a cough"))
    tenderness = finding(_("tenderness"), _("Tender or trigger points on palpation"))

    # Hormonal
    hormonal_status = choice(_("hormonal status"), HORMONAL_STATUS)
    weeks_postpartum = count(_("weeks postpartum"), 0, 520)
    breastfeeding = finding(_("breastfeeding"))
    vaginal_atrophy = finding(
        _("vaginal atrophy"), _("Signs of genitourinary syndrome of menopause")
    )
    systemic_hrt = finding(_("systemic HRT"))
    vaginal_estrogen = finding(_("already using vaginal estrogen"))

    # History
    vaginal_births = count(_("vaginal births"), 0, 20)
    instrumental_birth = finding(_("instrumental birth"))
    pelvic_surgery = finding(_("pelvic surgery"))
    prostatectomy = finding(_("prostatectomy"))
    prostatectomy_weeks_ago = count(_("weeks since prostatectomy"), 0, 1040)
    continence_surgery = finding(_("continence surgery"))
    pelvic_radiotherapy = finding(_("pelvic radiotherapy"))
    neurological_condition = finding(_("neurological condition"))
    diabetes = finding(_("diabetes"))
    hypermobility = finding(_("hypermobility"))
    scoliosis = finding(_("scoliosis"))
    chronic_pain = finding(_("chronic pain"))
    high_stress = finding(_("high stress"), _("Self-reported chronic stress, “fight or flight”"))
    poor_sleep = finding(_("poor sleep"))
    diuretics = finding(_("takes diuretics"))
    pfmt_months_tried = count(_("months of pelvic floor training already done"), 0, 240)
    bladder_training_weeks_tried = count(_("weeks of bladder training already done"), 0, 520)
    oab_medication_tried = finding(_("an overactive-bladder medicine already tried"))
    hormone_sensitive_cancer = finding(_("breast, womb or other hormone-sensitive cancer, ever"))
    aromatase_inhibitor = finding(_("currently takes an aromatase inhibitor"))

    # Lifestyle
    caffeine_drinks_per_day = count(_("caffeinated drinks a day"), 0, 30)
    alcohol_units_per_week = count(_("alcohol units a week"), 0, 200)
    fluid_intake_ml = models.PositiveIntegerField(
        _("fluid intake (mL a day)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10000)],
    )
    bmi = models.FloatField(
        _("BMI"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(90)],
    )
    smoker = finding(_("smoker"))
    chronic_cough = finding(_("chronic cough"))

    # Red flags: an empty list is "checked, none"; NULL is not assessed.
    red_flags = models.JSONField(_("red flags"), null=True, blank=True)
    has_red_flags = models.BooleanField(default=False, editable=False)
    referral_recorded_at = models.DateTimeField(null=True, blank=True)
    referral_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    referral_note = models.TextField(_("referral"), blank=True)

    # Questionnaires: raw answers as entered, scores as columns for progress charts.
    questionnaires = models.JSONField(default=dict, blank=True)
    pfdi20_total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    pfiq7_total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    iciq_ui_sf_total = models.PositiveSmallIntegerField(null=True, blank=True)
    oab_v8_total = models.PositiveSmallIntegerField(null=True, blank=True)

    notes = models.TextField(_("notes"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["patient", "-assessed_on", "-id"], name="assessment_by_patient"),
            # Partial: red flags are rare, and SQLite cannot seek on a bare boolean.
            models.Index(
                fields=["clinic", "referral_recorded_at"],
                condition=models.Q(has_red_flags=True),
                name="assessment_red_flags",
            ),
            models.Index(
                fields=["clinic", "status", "-completed_at", "-id"], name="assessment_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.clinic_id is None:
            self.clinic_id = self.patient.clinic_id
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def red_flag_labels(self) -> list[str]:
        return [str(RED_FLAG_LABELS.get(code, code)) for code in self.red_flags or []]

    @property
    def red_flag_open(self) -> bool:
        return self.has_red_flags and self.referral_recorded_at is None


class DiaryEntry(models.Model):
    """One event of a bladder diary (diary-v1): rise, bed, void, drink or leak."""

    class Event(models.TextChoices):
        RISE = "rise", _("Got up")
        BED = "bed", _("Went to bed")
        VOID = "void", _("Void")
        DRINK = "drink", _("Drink")
        LEAK = "leak", _("Leak")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="diary_entries"
    )
    time = models.DateTimeField(_("time"))  # local wall-clock time, stored naive-as-UTC
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    volume_ml = models.PositiveSmallIntegerField(
        _("volume (mL)"), null=True, blank=True, validators=[MaxValueValidator(2000)]
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency (0–4)"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        indexes = [models.Index(fields=["assessment", "time"], name="diary_by_assessment")]

    def __str__(self) -> str:
        return f"{wallclock.from_db(self.time):%Y-%m-%d %H:%M} {self.event}"


# --- Issue 11: home tasks, answered on the patient's own phone --------------------------


class HomeLinkQuerySet(models.QuerySet["HomeLink"]):
    def in_clinics(self, clinic_ids: list[int]) -> HomeLinkQuerySet:
        return self.filter(patient__clinic_id__in=clinic_ids)


class HomeLink(models.Model):
    """A patient's link to their home tasks. The token is random (128 bits) and kept only as
    its SHA-256: the link can be shown once, when it is made, and never read back."""

    MAX_BIRTH_DATE_TRIES = 5

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="home_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("works until"))
    revoked_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    wrong_birth_dates = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = HomeLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("patient link")
        verbose_name_plural = _("patient links")

    def __str__(self) -> str:
        return f"link {self.pk} of patient {self.patient_id}"

    def works_at(self, moment: Any) -> bool:
        return self.revoked_at is None and self.locked_at is None and moment < self.expires_at


class HomeTasksQuerySet(models.QuerySet["HomeTasks"]):
    def in_clinics(self, clinic_ids: list[int]) -> HomeTasksQuerySet:
        return self.filter(patient__clinic_id__in=clinic_ids)

    def to_review(self) -> HomeTasksQuerySet:
        return self.filter(submitted_at__isnull=False, accepted_at__isnull=True, set_aside_at=None)

    def open(self) -> HomeTasksQuerySet:
        return self.filter(submitted_at__isnull=True)


class HomeTasks(models.Model):
    """What a patient is asked to do at home (questionnaires, a bladder diary of N days),
    and what they entered. Nothing here changes the record until a therapist accepts it
    into an assessment."""

    class Source(models.TextChoices):
        PATIENT = "patient", _("Entered by the patient")
        MY_FLOW_CHECK = "my_flow_check", _("Imported from My Flow Check")

    # The questionnaires a patient may answer in software (licences: not ICIQ-UI SF or
    # OAB-V8, which stay clinician entry only).
    QUESTIONNAIRES = ("pfdi20", "pfiq7", "iqq3")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="home_tasks")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PATIENT)
    questionnaires = models.JSONField(default=list, blank=True)
    diary_days = models.PositiveSmallIntegerField(
        _("bladder diary (days)"),
        default=3,
        validators=[MaxValueValidator(14)],
        help_text=_("0 for no diary. NICE asks for at least 3 days."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    # intake-v1 ``questionnaires`` shape; partial while the patient is answering.
    answers = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    accepted_into = models.ForeignKey(
        "Assessment",
        on_delete=models.PROTECT,
        related_name="home_tasks",
        null=True,
        blank=True,
    )
    # Not accepted, kept (records are never deleted): e.g. sent twice by mistake.
    set_aside_at = models.DateTimeField(null=True, blank=True)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = HomeTasksQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("home tasks")
        verbose_name_plural = _("home tasks")
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="home_tasks_by_patient"),
            models.Index(fields=["submitted_at", "accepted_at"], name="home_tasks_queue"),
        ]

    def __str__(self) -> str:
        return f"home tasks {self.pk} of patient {self.patient_id}"


class HomeDiaryEntry(models.Model):
    """One diary event the patient entered (diary-v1 fields), kept apart from the clinic's
    diary until accepted."""

    tasks = models.ForeignKey(HomeTasks, on_delete=models.PROTECT, related_name="diary_entries")
    time = models.DateTimeField(_("time"))  # local wall-clock time, stored naive-as-UTC
    event = models.CharField(_("event"), max_length=10, choices=DiaryEntry.Event.choices)
    volume_ml = models.PositiveSmallIntegerField(
        _("volume (mL)"), null=True, blank=True, validators=[MaxValueValidator(2000)]
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency (0–4)"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("diary entry from home")
        verbose_name_plural = _("diary entries from home")
        indexes = [models.Index(fields=["tasks", "time"], name="home_diary_by_tasks")]

    def __str__(self) -> str:
        return f"{wallclock.from_db(self.time):%Y-%m-%d %H:%M} {self.event}"
