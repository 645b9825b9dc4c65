"""Stored patient data is for the server's account alone: files 0600 in folders 0700."""

import os
import sqlite3
import stat

import pytest
from django.conf import settings

from careplans.models import BatchPrint
from careplans.services.batch import batch_print_run
from clinic.services.patient_import import import_upload_store
from tests.factories import BatchPrintFactory, SignedCarePlanFactory


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_private(path, root) -> None:
    assert mode(path) == 0o600, path
    folder = path.parent
    while True:
        assert mode(folder) == 0o700, folder
        if folder == root:
            break
        folder = folder.parent


def test_a_signed_plan_is_stored_privately(media_root, patient):
    plan = SignedCarePlanFactory(assessment__patient=patient)
    assert_private(media_root / plan.pdf.name, media_root)


def test_a_batch_output_is_stored_privately(media_root, clinic, clinic_admin, patient):
    SignedCarePlanFactory(assessment__patient=patient)
    batch = BatchPrintFactory(clinic=clinic, requested_by=clinic_admin, patient_ids=[patient.pk])
    batch_print_run.call(batch.pk)
    batch = BatchPrint.objects.get(pk=batch.pk)
    assert batch.output
    assert_private(media_root / batch.output.name, media_root)


def test_an_uploaded_patient_list_is_stored_privately(media_root, clinic, clinic_admin):
    import_upload_store(clinic=clinic, user=clinic_admin, data=b"record_number\n")
    (upload,) = (media_root / "imports").iterdir()
    assert_private(upload, media_root)


def test_files_the_process_makes_are_private_including_sqlite_wal_and_shm(tmp_path):
    # The process umask (set in settings) covers files no storage writes: SQLite's.
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("CREATE TABLE t (x)")
    database.execute("INSERT INTO t VALUES (1)")
    database.commit()
    try:
        for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
            assert mode(tmp_path / name) == 0o600, name
    finally:
        database.close()


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the data folder is made by the SQLite settings",
)
def test_the_data_folder_is_private():
    assert mode(settings.VAR_DIR) == 0o700
    assert mode(settings.VAR_DIR / "secret_key") == 0o600
