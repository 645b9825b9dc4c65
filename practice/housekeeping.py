"""Pruning: patient data that outlived its use is deleted from the server.

Two kinds of file are pruned, nothing else: patient lists uploaded for an import that was
never confirmed (``imports/``, older than PRUNE_UPLOADS_AFTER_HOURS) and the files of
batch prints that are over (older than PRUNE_BATCHES_AFTER_DAYS; the batch's row stays,
as the record of who printed what). Signed plan PDFs and database records are never
touched: they are the clinical record.

`manage.py prune` runs it (for cron); `prune_daily` is the same as a task that schedules
its own next run a day later, so a running worker (`manage.py db_worker`) prunes once a
day with no cron. `manage.py prune --schedule` (run by `make worker` and `make run`)
queues the first run; it queues nothing when a run is already waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from careplans.models import BatchPrint
from clinic.services.patient_import import UPLOAD_DIR

# When the daily task runs again after a run.
EVERY = timedelta(days=1)


@dataclass
class PruneReport:
    uploads: list[str] = field(default_factory=list)  # storage names deleted
    batch_outputs: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.uploads) + len(self.batch_outputs)


def prune(*, now: datetime | None = None, dry_run: bool = False) -> PruneReport:
    """Delete (or, with ``dry_run``, list) the abandoned uploads and old batch files."""
    now = now or timezone.now()
    report = PruneReport()
    upload_cutoff = now - timedelta(hours=settings.PRUNE_UPLOADS_AFTER_HOURS)
    try:
        _, names = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        names = []
    for name in sorted(names):
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) >= upload_cutoff:
                continue
            if not dry_run:
                default_storage.delete(path)
        except FileNotFoundError:  # imported or swept meanwhile
            continue
        report.uploads.append(path)

    batch_cutoff = now - timedelta(days=settings.PRUNE_BATCHES_AFTER_DAYS)
    over = BatchPrint.objects.filter(
        status__in=[BatchPrint.Status.FINISHED, BatchPrint.Status.FAILED]
    ).exclude(output="")
    old = over.filter(
        Q(finished_at__lt=batch_cutoff) | Q(finished_at=None, created_at__lt=batch_cutoff)
    )
    for batch in old.order_by("pk"):
        name = batch.output.name or ""
        report.batch_outputs.append(name)
        if dry_run:
            continue
        # The row first: a download never finds a row naming a deleted file.
        BatchPrint.objects.filter(pk=batch.pk).update(output="")
        default_storage.delete(name)
    return report


@task()
def prune_daily() -> dict[str, int]:
    report = prune()
    prune_schedule(run_after=timezone.now() + EVERY)
    return {"uploads": len(report.uploads), "batch_outputs": len(report.batch_outputs)}


def prune_schedule(*, run_after: datetime | None = None) -> bool:
    """Queue the daily prune unless a run is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=prune_daily.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    task_ = prune_daily.using(run_after=run_after) if run_after else prune_daily
    task_.enqueue()
    return True
