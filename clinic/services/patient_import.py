"""Front-desk operations of a clinic admin: the patient import, and the clinic's staff.

The import is all or nothing by default: a preview lists every problem; the import
re-checks the file inside its transaction and writes every row or none. On request the
good rows are imported and the bad ones skipped, handed back as a CSV file that names
each row's problem (each row is whole: one row is one patient, saved or not).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import global_settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Membership, Patient, Role
from clinic.patient_csv import (
    DATE_ORDERS,
    DateOrder,
    PatientRow,
    RowError,
    bad_rows_csv,
    parse_patient_csv,
)
from clinic.patient_languages import printed_by

# --- Patient import -----------------------------------------------------------------------

_DATE_ORDERS: dict[str, DateOrder] = {order: order for order in DATE_ORDERS}


@dataclass(frozen=True)
class ExistingRecord:
    line: int
    record_number: str


@dataclass(frozen=True)
class ImportPreview:
    row_count: int  # data rows in the file
    rows: list[PatientRow]  # rows that can be imported as they are
    errors: list[RowError]  # every problem, in file order
    existing: list[ExistingRecord]  # record numbers the clinic already has
    therapist_ids: dict[str, int] = field(default_factory=dict)  # username -> user id
    readable: bool = True  # every row was read: the bad ones can be written out

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.errors and not self.existing

    @property
    def problem_lines(self) -> int:
        return len({e.line for e in self.errors} | {e.line for e in self.existing})

    @property
    def bad_rows_available(self) -> bool:
        """The rows with problems can be downloaded on their own, with their problems."""
        return self.readable and self.row_count > 0 and self.problem_lines > 0

    @property
    def can_skip_bad_rows(self) -> bool:
        """Some rows are good and some bad: the good ones can be imported alone."""
        return bool(self.rows) and self.bad_rows_available

    def problems_by_line(self) -> dict[int, str]:
        """Each bad line's problems, in words, for the problem column."""
        found: dict[int, list[str]] = {}
        for error in self.errors:
            found.setdefault(error.line, []).append(error.message)
        for record in self.existing:
            message = _("record_number %(value)s is already a patient of this clinic.")
            found.setdefault(record.line, []).append(message % {"value": record.record_number})
        return {line: " ".join(messages) for line, messages in found.items()}

    def errors_by_column(self) -> list[tuple[str, int]]:
        """How many lines each column is wrong on, most first: one bad column in every row
        (a date format) is then plain at a glance."""
        lines: dict[str, set[int]] = {}
        for error in self.errors:
            lines.setdefault(error.field, set()).add(error.line)
        return sorted(((name, len(found)) for name, found in lines.items()), key=lambda c: -c[1])


class ImportRefused(Exception):
    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        super().__init__(_("The file has problems; nothing was imported."))


def _active_therapists(clinic: Clinic) -> dict[str, int]:
    return dict(
        Membership.objects.active()
        .filter(clinic=clinic, role=Role.THERAPIST)
        .values_list("user__username", "user_id")
    )


def patient_import_preview(
    *, clinic: Clinic, data: bytes, today: date | None = None
) -> ImportPreview:
    """Every problem of an import file for this clinic, in a constant number of queries."""
    parsed = parse_patient_csv(
        data,
        today=today,
        languages=dict(global_settings.LANGUAGES),
        printed=printed_by(clinic),
        date_order=_DATE_ORDERS.get(clinic.import_date_order, "iso_only"),
    )
    if not parsed.keys:
        return ImportPreview(parsed.row_count, [], parsed.errors, [], readable=parsed.readable)

    # One query for all: a clinic's record numbers fit in memory, and a list of 50,000
    # parameters would not fit in SQLite's IN (...).
    taken = {
        number.casefold()
        for number in Patient.objects.filter(clinic=clinic).values_list("record_number", flat=True)
    }
    therapists = _active_therapists(clinic)
    # Usernames are typed by hand: Tess finds tess.
    by_folded_name = {name.casefold(): name for name in therapists}

    flagged = {(error.line, error.field) for error in parsed.errors}
    errors = list(parsed.errors)
    existing = []
    therapist_of: dict[int, str] = {}
    for key in parsed.keys:
        number, username = key.record_number, key.therapist
        if number and (key.line, "record_number") not in flagged and number.casefold() in taken:
            existing.append(ExistingRecord(key.line, number))
        if username and (key.line, "therapist") not in flagged:
            found = username if username in therapists else by_folded_name.get(username.casefold())
            if found is None:
                message = _(
                    "therapist '%(value)s' is not the username of an active therapist of "
                    "%(clinic)s."
                )
                values = {"value": username[:40], "clinic": clinic.name}
                errors.append(RowError(key.line, "therapist", message % values))
            else:
                therapist_of[key.line] = found
    for row in parsed.rows:
        if row.email:
            # The parser's check is loose; the patient form's is Django's.
            try:
                validate_email(row.email)
            except ValidationError:
                message = _("email '%(value)s' is not an email address.")
                errors.append(RowError(row.line, "email", message % {"value": row.email[:40]}))
    errors.sort(key=lambda error: error.line)  # stable: a line's problems keep their order

    bad_lines = {error.line for error in errors} | {record.line for record in existing}
    rows = [
        replace(row, therapist=therapist_of.get(row.line, ""))
        for row in parsed.rows
        if row.line not in bad_lines
    ]
    return ImportPreview(parsed.row_count, rows, errors, existing, therapists, parsed.readable)


def patient_import(*, clinic: Clinic, data: bytes) -> int:
    """Import every patient of the file, or none: ImportRefused carries the problems."""
    return _import(clinic=clinic, data=data, good_rows=None)[0]


def patient_import_good_rows(*, clinic: Clinic, data: bytes, good_rows: int) -> tuple[int, str]:
    """Import the good rows of the file and skip the bad ones; returns how many were
    imported and the bad rows as CSV (with their problems). Refused, importing nothing,
    when the file's check no longer finds the ``good_rows`` the admin agreed to."""
    return _import(clinic=clinic, data=data, good_rows=good_rows)


def patient_import_bad_rows(*, clinic: Clinic, data: bytes) -> str:
    """The file's rows with problems, as CSV with a column naming each one's problem."""
    preview = patient_import_preview(clinic=clinic, data=data)
    if not preview.bad_rows_available:
        return ""
    return bad_rows_csv(data, preview.problems_by_line())


def _import(*, clinic: Clinic, data: bytes, good_rows: int | None) -> tuple[int, str]:
    try:
        with transaction.atomic():
            # Checked again inside the transaction: the clinic may have changed since the
            # preview (a colleague added a patient, a therapist left).
            preview = patient_import_preview(clinic=clinic, data=data)
            if good_rows is None:
                accepted = preview.ready
            else:
                accepted = preview.can_skip_bad_rows and len(preview.rows) == good_rows
            if not accepted:
                raise ImportRefused(preview)
            bad = "" if preview.ready else bad_rows_csv(data, preview.problems_by_line())
            patients = [
                Patient(
                    clinic=clinic,
                    record_number=row.record_number,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    preferred_name=row.preferred_name,
                    date_of_birth=row.date_of_birth,
                    anatomy=row.anatomy,
                    gender_identity=row.gender_identity,
                    pronouns=row.pronouns,
                    preferred_language=row.preferred_language,
                    other_language=row.other_language,
                    email=row.email,
                    phone=row.phone,
                    assigned_therapist_id=preview.therapist_ids.get(row.therapist),
                )
                for row in preview.rows
            ]
            Patient.objects.bulk_create(patients)
    except IntegrityError:
        # Two imports of overlapping files at once: the second finds the first's numbers.
        raise ImportRefused(patient_import_preview(clinic=clinic, data=data)) from None
    return len(patients), bad


# --- The uploaded file, between the preview and the import ---------------------------------
#
# The file is kept on the server (default storage, imports/<random>.csv); the browser holds
# only a signed token naming it, its clinic and its uploader. Nothing the client sends is
# trusted: the token's signature, clinic and user are checked, and the file is read again
# and re-validated on import. The file is deleted once imported, once it proved unusable,
# and at the latest UPLOAD_MAX_AGE after upload.

UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = timedelta(hours=2)
_TOKEN_SALT = "clinic.patient-import"
_UPLOAD_NAME = re.compile(rf"{UPLOAD_DIR}/[0-9a-f]{{32}}\.csv")


class UploadGone(Exception):
    """The token is expired, altered, another user's or clinic's, or its file is gone."""


def import_upload_store(*, clinic: Clinic, user: User, data: bytes) -> str:
    import_upload_sweep()
    name = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.csv", ContentFile(data))
    return signing.dumps({"clinic": clinic.pk, "user": user.pk, "name": name}, salt=_TOKEN_SALT)


def _upload_name(*, token: str, clinic: Clinic, user: User) -> str:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        raise UploadGone from None
    if not isinstance(payload, dict):
        raise UploadGone
    name = payload.get("name")
    if (
        payload.get("clinic") != clinic.pk
        or payload.get("user") != user.pk
        or not isinstance(name, str)
        or not _UPLOAD_NAME.fullmatch(name)
    ):
        raise UploadGone
    return name


def import_upload_read(*, token: str, clinic: Clinic, user: User) -> bytes:
    name = _upload_name(token=token, clinic=clinic, user=user)
    try:
        with default_storage.open(name, "rb") as file:
            data: bytes = file.read()
            return data
    except FileNotFoundError:
        raise UploadGone from None


def import_upload_discard(*, token: str, clinic: Clinic, user: User) -> None:
    try:
        default_storage.delete(_upload_name(token=token, clinic=clinic, user=user))
    except UploadGone:
        pass


def import_upload_sweep() -> int:
    """Delete uploads older than UPLOAD_MAX_AGE: patient data is not kept lying about."""
    try:
        _, names = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - UPLOAD_MAX_AGE
    removed = 0
    for name in names:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # swept by another request meanwhile
            pass
    return removed


# --- Staff --------------------------------------------------------------------------------
