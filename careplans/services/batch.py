"""Batch printing: a clinic admin's patients' latest signed plans, as one PDF or a zip.

`batch_print_start` records the request and enqueues `batch_print_run` through the tasks API;
the database backend's worker (`manage.py db_worker`, `make worker`) runs it. The task copies
each patient's stored signed PDF, never a new rendering: that file is the signed record.

A batch never stays "running" forever:
- an exception in the task (including the worker being stopped hard with a second Ctrl+C,
  which raises SystemExit) marks the batch failed with the reason, then lets the task fail;
- a worker that dies without running any code (killed, out of memory, machine lost) leaves a
  heartbeat that stops moving: each patient writes one, and `batch_print_refresh`, run
  whenever anyone reads the batch's status, fails a running batch whose heartbeat is older
  than STALE_AFTER, and a batch whose task the backend reports failed or lost.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any, TypedDict, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from pypdf import PdfReader, PdfWriter

from careplans.models import BatchPrint, CarePlan
from careplans.selectors import latest_signed_plans
from clinic.models import Clinic, Patient

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger(__name__)

# One batch prints at most this many patients: a week's reviews, not the whole register.
MAX_PATIENTS = 1000
# Reading one stored PDF takes well under a second; minutes without progress mean no worker.
STALE_AFTER = timedelta(minutes=5)

# Why a patient was left out; the codes are stored, the words shown in the reader's language.
FAILURE_REASONS = {
    "no_signed_plan": gettext_lazy("No signed care plan."),
    "file_missing": gettext_lazy("The stored PDF of the signed plan is missing."),
    "file_altered": gettext_lazy(
        "The stored PDF does not match the one signed (SHA-256 differs): not printed."
    ),
    "not_in_clinic": gettext_lazy("No longer a patient of this clinic."),
    "error": gettext_lazy("The plan could not be added."),
}


# --- Reads: which patients a quick pick selects.


# --- Writes.


@transaction.atomic
def batch_print_start(
    *, clinic: Clinic, user: User, patient_ids: Iterable[int], fmt: str
) -> BatchPrint:
    """Record the batch and enqueue it; ids of patients outside the clinic are ignored."""
    if fmt not in BatchPrint.Format.values:
        raise ValidationError(_("Choose one PDF or a zip of PDFs."))
    # In the clinic's list order (last name, first name), which is the print order.
    ids = list(
        Patient.objects.filter(clinic=clinic, pk__in=set(patient_ids)).values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(_("Choose at least one patient."))
    if len(ids) > MAX_PATIENTS:
        raise ValidationError(
            _("One batch prints at most %(max)d patients; you chose %(n)d.")
            % {"max": MAX_PATIENTS, "n": len(ids)}
        )
    batch = BatchPrint.objects.create(
        clinic=clinic, requested_by=user, format=fmt, patient_ids=ids, total=len(ids)
    )
    # The queued task is a row in the same transaction: both are saved, or neither.
    result = batch_print_run.enqueue(batch.pk)
    batch.task_result_id = str(result.id)
    batch.save(update_fields=["task_result_id"])
    return batch


def batch_print_refresh(batch: BatchPrint) -> BatchPrint:
    """Fail a batch whose worker is gone, so that no batch shows "printing" forever."""
    if batch.is_over:
        return batch
    now = timezone.now()
    error = ""
    if batch.status == BatchPrint.Status.RUNNING and (
        batch.heartbeat_at is None or batch.heartbeat_at < now - STALE_AFTER
    ):
        error = _("No progress since %(time)s: the print worker stopped.") % {
            "time": date_format(timezone.localtime(batch.heartbeat_at or now), "DATETIME_FORMAT")
        }
    else:
        error = _task_error(batch)
    if not error:
        return batch
    BatchPrint.objects.filter(pk=batch.pk, status=batch.status).update(
        status=BatchPrint.Status.FAILED, error=error, finished_at=now
    )
    batch.refresh_from_db()
    return batch


def _task_error(batch: BatchPrint) -> str:
    """What went wrong, when the backend says the task failed or no longer has it."""
    if not batch.task_result_id:
        return ""
    try:
        result = batch_print_run.get_result(batch.task_result_id)
    except TaskResultDoesNotExist:
        return _("The print job was lost from the queue.")
    if (
        result.status == TaskResultStatus.RUNNING
        and batch.status == BatchPrint.Status.QUEUED
        and result.started_at
        and result.started_at < timezone.now() - STALE_AFTER
    ):
        # The worker took the job, then died before the batch was claimed.
        return _("The print worker stopped before starting this batch.")
    if result.status != TaskResultStatus.FAILED:
        return ""
    if result.errors:
        # The last line of the traceback: "ValueError: what happened".
        return result.errors[-1].traceback.strip().splitlines()[-1]
    return _("The print job failed.")


# --- The task.


class Skip(Exception):
    """This patient is left out of the batch, for the reason coded in args[0]."""


@task()
def batch_print_run(batch_id: int) -> dict[str, int]:
    # Claim the batch: a batch already running, finished or failed is never printed twice.
    claimed = BatchPrint.objects.filter(pk=batch_id, status=BatchPrint.Status.QUEUED).update(
        status=BatchPrint.Status.RUNNING, heartbeat_at=timezone.now()
    )
    if not claimed:
        return {"printed": 0, "failed": 0}
    try:
        return _print(BatchPrint.objects.select_related("clinic").get(pk=batch_id))
    except BaseException as exc:
        now = timezone.now()
        BatchPrint.objects.filter(pk=batch_id).update(
            status=BatchPrint.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            heartbeat_at=now,
            finished_at=now,
        )
        raise


class _SignedPlanId(TypedDict):
    signed_plan_id: int | None


def _print(batch: BatchPrint) -> dict[str, int]:
    # Scoped again at run time: only the clinic's patients, each with its latest signed plan.
    # (django-stubs loses the annotation through in_bulk(); the cast puts it back.)
    patients = cast(
        "dict[int, WithAnnotations[Patient, _SignedPlanId]]",
        Patient.objects.filter(clinic=batch.clinic, pk__in=batch.patient_ids)
        .annotate(signed_plan_id=Subquery(latest_signed_plans().values("pk")[:1]))
        .in_bulk(),
    )
    plans = CarePlan.objects.in_bulk(
        [p.signed_plan_id for p in patients.values() if p.signed_plan_id]
    )
    failures: list[dict[str, Any]] = []
    with tempfile.TemporaryFile() as out:
        sink = PdfSink(out) if batch.format == BatchPrint.Format.PDF else ZipSink(out)
        for done, patient_id in enumerate(batch.patient_ids, start=1):
            patient = patients.get(patient_id)
            try:
                if patient is None:
                    raise Skip("not_in_clinic")
                plan = plans.get(patient.signed_plan_id)
                if plan is None:  # as signed_pdf would say
                    raise Skip("no_signed_plan")
                sink.add(patient, plan, signed_pdf(plan))
            except Skip as skip:
                failures.append(_failure(patient_id, patient, skip.args[0]))
            except Exception as exc:  # one patient's problem must not lose the others
                logger.exception("Batch %s: patient %s not printed", batch.pk, patient_id)
                failures.append(_failure(patient_id, patient, "error", f"{exc}"[:300]))
            BatchPrint.objects.filter(pk=batch.pk).update(
                done=done, failures=failures, heartbeat_at=timezone.now()
            )
        sink.close()
        printed = batch.total - len(failures)
        name: str | None = ""
        if printed:
            out.seek(0)
            batch.output.save(f"batch-{batch.pk}.{batch.format}", File(out), save=False)
            name = batch.output.name
    now = timezone.now()
    BatchPrint.objects.filter(pk=batch.pk).update(
        status=BatchPrint.Status.FINISHED, output=name, heartbeat_at=now, finished_at=now
    )
    return {"printed": printed, "failed": len(failures)}


def _failure(
    patient_id: int, patient: Patient | None, reason: str, detail: str = ""
) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "name": patient.display_name if patient else "",
        "reason": reason,
        "detail": detail,
    }


def signed_pdf(plan: CarePlan | None) -> bytes:
    """The stored file of a signed plan, checked against the SHA-256 kept at signing."""
    if plan is None:
        raise Skip("no_signed_plan")
    name = plan.pdf.name
    if not name:  # no file stored (what `not plan.pdf` tells)
        raise Skip("file_missing")
    try:
        with plan.pdf.storage.open(name, "rb") as stored:
            data: bytes = stored.read()
    except OSError:
        raise Skip("file_missing") from None
    if plan.pdf_sha256 and hashlib.sha256(data).hexdigest() != plan.pdf_sha256:
        raise Skip("file_altered")
    return data


def member_name(patient: Patient, plan: CarePlan) -> str:
    """The file name of one plan in the zip: unique, since record numbers are."""
    person = slugify(f"{patient.last_name} {patient.first_name}") or "patient"
    return get_valid_filename(f"{patient.record_number}-{person}-v{plan.version}.pdf")


@dataclass
class PdfSink:
    """All plans in one PDF, one bookmark per patient."""

    out: IO[bytes]

    def __post_init__(self) -> None:
        self.writer = PdfWriter()

    def add(self, patient: Patient, plan: CarePlan, data: bytes) -> None:
        # Read fully before appending, so an unreadable file adds no stray pages.
        reader = PdfReader(io.BytesIO(data))
        if not len(reader.pages):
            raise ValueError("empty PDF")
        self.writer.append(reader, outline_item=f"{patient.display_name} ({patient.record_number})")

    def close(self) -> None:
        self.writer.write(self.out)


@dataclass
class ZipSink:
    """One PDF per patient, each byte for byte the stored signed file."""

    out: IO[bytes]

    def __post_init__(self) -> None:
        self.zip = zipfile.ZipFile(self.out, "w", compression=zipfile.ZIP_DEFLATED)

    def add(self, patient: Patient, plan: CarePlan, data: bytes) -> None:
        self.zip.writestr(member_name(patient, plan), data)

    def close(self) -> None:
        self.zip.close()
