"""`manage.py prune`: abandoned uploads and old batch files go; signed plans never do."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from careplans.models import BatchPrint
from clinic.services.patient_import import import_upload_store
from practice.housekeeping import prune_daily
from tests.factories import BatchPrintFactory, SignedCarePlanFactory


def age(path, **delta) -> None:
    then = (timezone.now() - timedelta(**delta)).timestamp()
    os.utime(path, (then, then))


def prune(*args) -> str:
    out = StringIO()
    call_command("prune", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def upload(media_root, clinic, clinic_admin):
    def make(**delta):
        import_upload_store(clinic=clinic, user=clinic_admin, data=b"record_number\n")
        path = max((media_root / "imports").iterdir(), key=os.path.getctime)
        age(path, **delta)
        return path

    return make


@pytest.fixture
def finished_batch(media_root, clinic, clinic_admin, patient):
    def make(days, status=BatchPrint.Status.FINISHED):
        batch = BatchPrintFactory(
            clinic=clinic,
            requested_by=clinic_admin,
            patient_ids=[patient.pk],
            status=status,
            done=1,
            finished_at=timezone.now() - timedelta(days=days),
        )
        batch.output.save(f"batch-{batch.pk}.pdf", ContentFile(b"%PDF-1.7 batch"))
        return batch

    return make


def test_it_deletes_uploads_never_imported_after_a_day(upload):
    # (each new upload sweeps those over two hours old: the old one comes last)
    recent, old = upload(hours=1), upload(hours=25)
    output = prune()
    assert not old.exists() and recent.exists()
    assert f"Deleted upload imports/{old.name}" in output
    assert "Deleted 1 upload(s) older than 24 h" in output


def test_it_deletes_the_files_of_batches_over_for_a_week_and_keeps_their_rows(
    finished_batch, settings
):
    old, recent = finished_batch(days=8), finished_batch(days=2)
    old_file = old.output.path
    output = prune()
    assert not os.path.exists(old_file) and os.path.exists(recent.output.path)
    old.refresh_from_db()
    assert old.output == "" and old.status == BatchPrint.Status.FINISHED
    assert f"Deleted batch file {os.path.relpath(old_file, settings.MEDIA_ROOT)}" in output


def test_the_ages_are_settings(upload, finished_batch, settings):
    settings.PRUNE_UPLOADS_AFTER_HOURS = 48
    settings.PRUNE_BATCHES_AFTER_DAYS = 30
    old_upload, old_batch = upload(hours=25), finished_batch(days=8)
    prune()
    assert old_upload.exists() and os.path.exists(old_batch.output.path)


def test_it_never_deletes_a_signed_plan_or_a_running_batch(media_root, upload, finished_batch):
    plan = SignedCarePlanFactory()
    age(plan.pdf.path, days=400)
    running = finished_batch(days=30, status=BatchPrint.Status.RUNNING)
    prune()
    assert os.path.exists(plan.pdf.path) and os.path.exists(running.output.path)


def test_dry_run_lists_and_deletes_nothing(upload, finished_batch):
    old_upload, old_batch = upload(hours=30), finished_batch(days=10)
    output = prune("--dry-run")
    assert f"Would delete upload imports/{old_upload.name}" in output
    assert "Would delete 1 upload(s)" in output and "1 batch file(s)" in output
    assert old_upload.exists() and os.path.exists(old_batch.output.path)
    old_batch.refresh_from_db()
    assert old_batch.output


def test_the_batch_page_says_the_file_was_pruned(admin_client_, finished_batch):
    batch = finished_batch(days=8)
    prune()
    page = admin_client_.get(reverse("batch_print_status", args=[batch.pk])).content.decode()
    assert "was deleted after a few days" in page
    assert 'data-show="nothing_printed" hidden' in page
    assert reverse("batch_print_download", args=[batch.pk]) not in page


def waiting_prunes():
    return DBTaskResult.objects.filter(
        task_path=prune_daily.module_path, status=TaskResultStatus.READY
    )


def test_schedule_queues_the_daily_task_once(db):
    assert "Queued the daily prune." in prune("--schedule")
    assert "already queued" in prune("--schedule")
    assert waiting_prunes().count() == 1


def test_the_daily_task_prunes_and_queues_itself_a_day_later(upload):
    old = upload(hours=25)
    assert prune_daily.call() == {"uploads": 1, "batch_outputs": 0}
    assert not old.exists()
    (following,) = waiting_prunes()
    assert following.run_after > timezone.now() + timedelta(hours=23)
