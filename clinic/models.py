from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.patient_csv import DATE_ORDERS, parse_date_of_birth
from clinic.patient_languages import OTHER, language_name


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4")
    LETTER = "letter", _("US Letter")


class ImportDateOrder(models.TextChoices):
    # Numeric dates are read only in the order the clinic declares: 04/07/1984 is April in
    # the US and July elsewhere, and a guess would swap a whole file's birthdays.
    ISO_ONLY = "iso_only", _("Only YYYY-MM-DD")
    DMY = "dmy", _("Day/month/year")
    MDY = "mdy", _("Month/day/year")


class EnglishSpelling(models.TextChoices):
    UK = "uk", _("UK English")
    US = "us", _("US English")


def default_printed_languages() -> list[str]:
    return ["en"]


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # Settings: conventions of the clinical reference, with its defaults.
    paper_size = models.CharField(
        _("paper size"), max_length=10, choices=PaperSize.choices, default=PaperSize.A4
    )
    daytime_frequency_threshold = models.PositiveSmallIntegerField(
        _("increased daytime frequency above (voids a day)"),
        default=8,
        validators=[MinValueValidator(4), MaxValueValidator(20)],
        help_text=_("A convention: the ICS fixes no number; 7 is the traditional upper limit."),
    )
    fluid_low_ml = models.PositiveIntegerField(
        _("low fluid intake below (mL a day)"),
        default=1500,
        help_text=_(
            "A convention, not a standard (NICE NG123 says only: modify high or low intake)."
        ),
    )
    fluid_high_ml = models.PositiveIntegerField(
        _("high fluid intake above (mL a day)"),
        default=3000,
        help_text=_(
            "A convention, not a standard (NICE NG123 says only: modify high or low intake)."
        ),
    )
    alcohol_units_per_week = models.PositiveSmallIntegerField(
        _("alcohol advice above (units a week)"),
        default=14,
        help_text=_("A convention."),
    )
    phase_one_limit = models.PositiveSmallIntegerField(
        _("at most this many items start at once"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_(
            "A convention (one step at a time): besides breathing, items beyond this number "
            "start at the review. Down-training and the first-line treatment always start."
        ),
    )
    bladder_training_target_min = models.PositiveSmallIntegerField(
        _("bladder training target (minutes between toilet visits)"),
        default=180,
        validators=[MinValueValidator(60), MaxValueValidator(360)],
        help_text=_("A convention: 3 hours is the usual target."),
    )
    nocturia_min_voids = models.PositiveSmallIntegerField(
        _("nocturia counts from (voids a night)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A convention: nocturia as a trigger for advice or referral."),
    )
    down_training_minutes = models.PositiveSmallIntegerField(
        _("down-training to start with (minutes once a day)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A convention: no dosing standard exists; the therapist sets it per plan."),
    )
    # Security settings (issue 10): off in the demo clinic so its logins stay one step.
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for everyone"),
        default=False,
        help_text=_(
            "Everyone working in this clinic signs in with a code from an authenticator app "
            "(or a one-time backup code) as well as their password."
        ),
    )
    allow_trusted_browsers = models.BooleanField(
        _("allow “trust this browser for 30 days”"),
        default=False,
        help_text=_("Staff may skip the two-factor code on a browser they trusted."),
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("sign out after this many idle minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
        help_text=_("At least 5 minutes, at most 12 hours. A warning shows a minute before."),
    )
    import_date_order = models.CharField(
        _("dates in patient import files"),
        max_length=10,
        choices=ImportDateOrder.choices,
        default=ImportDateOrder.ISO_ONLY,
        help_text=_(
            "Dates written 1984-06-30 are always read. Choose the order of your files' "
            "numeric dates (DD/MM/YYYY or MM/DD/YYYY) to read those too; until then they "
            "are refused rather than guessed."
        ),
    )
    # Languages (issue 9, clinical reference section 10).
    language = models.CharField(
        _("the clinic's language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "Clinician summaries and letters, and a patient's plan when their language is "
            "not one the clinic prints."
        ),
    )
    printed_languages = models.JSONField(
        _("languages the clinic prints patient plans in"),
        default=default_printed_languages,
        blank=True,
    )
    english_spelling = models.CharField(
        _("English spelling"),
        max_length=2,
        choices=EnglishSpelling.choices,
        default=EnglishSpelling.UK,
        help_text=_("The patient texts use the clinic's words (e.g. wind or gas)."),
    )
    # Issue 13: a new patient's record number, unless the front desk types one.
    record_number_pattern = models.CharField(
        _("record number pattern"),
        max_length=40,
        default="R{number:04}",
        help_text=_(
            "New patients get the next free number in this pattern unless one is typed. "
            "{number} is the running number ({number:04} pads it to four digits); "
            "{year} is the current year."
        ),
    )
    # Issue 11: the patient's link to their home tasks.
    home_link_days = models.PositiveSmallIntegerField(
        _("patient links last (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "How long a link for questionnaires and the bladder diary at home works after "
            "it is handed over."
        ),
    )
    home_link_on_plan = models.BooleanField(
        _("print the patient's link on the signed plan"),
        default=False,
        help_text=_(
            "Signing a plan then makes a new link for the patient (the old one stops "
            "working) and prints its QR code and code on the plan, so the next diary can be "
            "kept before the review."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    THERAPIST = "therapist", _("Therapist")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    """Ties a user to a clinic with a role; a user may work in several clinics."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # A clinic admin who also treats patients holds both roles: only a therapist signs
    # care plans (issue 10), and this says the admin may.
    also_therapist = models.BooleanField(
        _("also a therapist (may sign care plans)"),
        default=False,
        help_text=_("For a clinic admin who also treats patients."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic} ({self.get_role_display()})"

    @property
    def is_therapist(self) -> bool:
        """May sign care plans: a therapist, or a clinic admin who is also one."""
        return self.role == Role.THERAPIST or self.also_therapist


class Anatomy(models.TextChoices):
    # Used only for exercise cues; it says nothing of gender.
    VULVA = "vulva", _("Vulva")
    PENIS = "penis", _("Penis")
    # intake-v1 addition (2026-12-01): neutral cues only.
    UNSPECIFIED = "unspecified", _("Unspecified (neutral cues only)")


class PatientQuerySet(models.QuerySet["Patient"]):
    def in_clinics(self, clinic_ids: list[int]) -> PatientQuerySet:
        # A plain list (not a subquery) lets the database use the list index to sort.
        return self.filter(clinic_id__in=clinic_ids)

    def active(self) -> PatientQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> PatientQuerySet:
        return self.filter(archived_at__isnull=False)

    def search(self, text: str) -> PatientQuerySet:
        """Front-desk search: a record number, a date of birth, or parts of a name."""
        text = " ".join(text.split())
        if not text:
            return self
        born = birth_dates_searched(text)
        if born:
            return self.filter(date_of_birth__in=born)
        # "ana lop" finds Ana Lopez: every word must match the start of some name.
        every_word = Q()
        for word in text.split(" "):
            every_word &= (
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(preferred_name__istartswith=word)
            )
        return self.filter(Q(record_number__iexact=text) | every_word)


def birth_dates_searched(text: str) -> set[date]:
    """The dates a front-desk search may mean: 1984-06-30, or 04/07/1984 as either 4 July
    or 7 April (both are shown, each with its date of birth, rather than one guessed)."""
    return {born for order in DATE_ORDERS if (born := parse_date_of_birth(text, order)) is not None}


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField(_("record number"), max_length=40)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    anatomy = models.CharField(
        _("anatomy (for exercise cues)"),
        max_length=12,
        choices=Anatomy.choices,
        help_text=_("Used only to word the exercise cues on the printed plan."),
    )
    gender_identity = models.CharField(
        _("gender identity"), max_length=60, blank=True, help_text=_("As the patient states it.")
    )
    pronouns = models.CharField(
        _("pronouns"), max_length=40, blank=True, help_text=_("As the patient states them.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=20, default="en", help_text=_("For the printed plan.")
    )
    # When preferred_language is "other": the language named, so the therapist can arrange
    # an interpreter (the plan prints in the clinic's language).
    other_language = models.CharField(_("which language"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    assigned_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned therapist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_patients",
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "record_number"], name="record_number_unique_in_clinic"
            )
        ]
        indexes = [
            models.Index(
                fields=["clinic", "archived_at", "last_name", "first_name", "id"],
                name="patient_list",
            ),
            models.Index(fields=["clinic", "date_of_birth"], name="patient_dob"),
            models.Index(
                fields=["clinic", "archived_at", "assigned_therapist"], name="patient_caseload"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def language_name(self) -> str:
        """The patient's language as staff read it: "Spanish", or the language named for
        "other" ("Tigrinya"); a code recorded before the clinic's list still reads."""
        if self.preferred_language == OTHER:
            return self.other_language or str(_("another language (not named)"))
        return str(language_name(self.preferred_language))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class AuditAction(models.TextChoices):
    """What an audit row records: reads of patient data, clinical actions, sign-ins."""

    VIEW = "view", _("Opened")
    LIST = "list", _("Listed or searched")
    EDIT = "edit", _("Edited")
    PRINT = "print", _("Printed or downloaded")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    SIGN = "sign", _("Signed")
    NEW_VERSION = "new_version", _("New plan version")
    REFERRAL = "referral", _("Referral letter")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    BATCH_PRINT = "batch_print", _("Batch print")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    HOME_LINK = "home_link", _("Patient link")
    LOCKED_OUT = "locked_out", _("Locked out")
    SIGN_OUT = "sign_out", _("Signed out")
    SECURITY = "security", _("Security change")


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit row."""


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    # A guard in the model, not the database: triggers refusing UPDATE and DELETE would
    # need a migration. Django's bulk deletes and updates go through these two methods.
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")


class AccessLog(models.Model):
    """The audit trail: one row for every read of patient data, every clinical action and
    every sign-in (failed ones included). Append-only: rows are never changed or deleted
    (see ``save`` and ``delete``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_log",
        null=True,
        blank=True,
    )
    # The name typed at a failed sign-in, which may match no user.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(
        _("action"), max_length=20, choices=AuditAction.choices, default=AuditAction.VIEW
    )
    what = models.CharField(_("what"), max_length=200)
    path = models.CharField(_("page"), max_length=500)
    # A list or search page's query, so the report shows what was looked for.
    query = models.CharField(_("search"), max_length=200, blank=True)
    # The role the user acted in (e.g. who signed as what).
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["patient", "-at"], name="access_by_patient"),
            models.Index(fields=["clinic", "-at"], name="access_by_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or self.username} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")


class StaffProfile(models.Model):
    """A staff member's own choices: the language they use the application in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
