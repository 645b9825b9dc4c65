"""`manage.py backup` and `manage.py restore`: every record and every signed PDF survives the
round trip, encrypted or not; a wrong key or a bad file restores nothing."""

import hashlib
import io
import json
import os
import shutil
import stat
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from careplans.models import CarePlan
from clinic.models import AccessLog, AuditAction, Clinic
from practice import backups
from tests.factories import (
    AccessLogFactory,
    BatchPrintFactory,
    DiaryEntryFactory,
    MembershipFactory,
    ReviewFactory,
    SignedCarePlanFactory,
)

# The restore replaces the whole database, which needs it outside a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def needs_pg_tools():
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump and pg_restore (PostgreSQL client tools) are not installed")


@pytest.fixture
def key(monkeypatch):
    value = Fernet.generate_key().decode()
    monkeypatch.setenv(backups.KEY_ENV, value)
    return value


@pytest.fixture
def no_key(monkeypatch):
    monkeypatch.delenv(backups.KEY_ENV, raising=False)


@pytest.fixture
def records(media_root):
    plans = [SignedCarePlanFactory(with_items=True) for _ in range(3)]
    DiaryEntryFactory(assessment=plans[0].assessment)
    ReviewFactory(plan=plans[1])
    MembershipFactory(user=plans[0].created_by, clinic=plans[0].patient.clinic)
    AccessLogFactory(
        user=plans[0].created_by,
        patient=plans[0].patient,
        clinic=plans[0].patient.clinic,
        action=AuditAction.SIGN,
        what="Signed a care plan",
        path="/plans/1/sign/",
        ip_address="10.0.0.7",
    )
    BatchPrintFactory(clinic=plans[0].patient.clinic, requested_by=plans[0].created_by)
    return plans


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def audit_rows() -> list[tuple]:
    return list(
        AccessLog.objects.order_by("pk").values_list(
            "pk", "user_id", "patient_id", "clinic_id", "action", "what", "at", "ip_address"
        )
    )


def signed_pdfs() -> dict[int, str]:
    return {
        plan.pk: hashlib.sha256(plan.pdf.read()).hexdigest()
        for plan in CarePlan.objects.exclude(pdf="")
    }


def empty_installation(media_root) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_every_record_and_signed_pdf_survives_the_round_trip(
    request, tmp_path, media_root, records, encrypted, monkeypatch
):
    if encrypted:
        request.getfixturevalue("key")
    else:
        monkeypatch.delenv(backups.KEY_ENV, raising=False)
    before, log, pdfs = counts(), audit_rows(), signed_pdfs()
    assert log and len(pdfs) == 3 and all(pdfs[p.pk] == p.pdf_sha256 for p in records)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    assert mode(archive) == 0o600
    assert (archive.read_bytes().startswith(backups.MAGIC)) is encrypted

    empty_installation(media_root)
    assert not Clinic.objects.exists()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "3 stored file(s), each matching its SHA-256" in out.getvalue()
    assert counts() == before
    assert audit_rows() == log
    assert signed_pdfs() == pdfs
    for plan in CarePlan.objects.exclude(pdf=""):
        assert mode(plan.pdf.path) == 0o600


def test_the_manifest_describes_the_archive(tmp_path, media_root, records, no_key):
    path, manifest = backups.backup_create(out=tmp_path)
    assert path.parent == tmp_path and path.name.startswith("floorplan-")
    with tarfile.open(path) as tar:
        assert json.loads(tar.extractfile("manifest.json").read()) == manifest
        for entry in manifest["files"]:
            data = tar.extractfile(entry["path"]).read()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert manifest["engine"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["clinic"]
    assert manifest["counts"]["clinic.AccessLog"] == 1
    assert manifest["counts"]["careplans.CarePlan"] == 3
    stored = {f"media/{plan.pdf.name}": plan.pdf_sha256 for plan in records}
    assert stored.items() <= {e["path"]: e["sha256"] for e in manifest["files"]}.items()


def test_encrypt_without_a_key_is_refused(tmp_path, no_key, db):
    with pytest.raises(CommandError, match="--encrypt needs a key in FLOORPLAN_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "b.tar.gz"), "--encrypt")
    assert not list(tmp_path.iterdir())


def test_a_key_that_is_not_a_fernet_key_is_refused(tmp_path, monkeypatch, db):
    monkeypatch.setenv(backups.KEY_ENV, "not-a-key")
    with pytest.raises(CommandError, match="not a Fernet key; make one with"):
        call_command("backup", str(tmp_path / "b.tar.gz"))


def test_an_existing_file_is_not_overwritten(tmp_path, no_key, db):
    (tmp_path / "b.tar.gz").write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "b.tar.gz"))
    assert (tmp_path / "b.tar.gz").read_text() == "keep me"


def test_a_wrong_key_restores_nothing(tmp_path, media_root, records, key, monkeypatch):
    archive = tmp_path / "backup.tar.gz.enc"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)
    monkeypatch.setenv(backups.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="does not open this archive"):
        call_command("restore", str(archive))
    monkeypatch.delenv(backups.KEY_ENV)
    with pytest.raises(CommandError, match="is encrypted: set FLOORPLAN_BACKUP_KEY"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists() and not media_root.exists()


def test_a_cut_encrypted_archive_restores_nothing(tmp_path, media_root, records, key):
    archive = tmp_path / "backup.tar.gz.enc"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)
    archive.write_bytes(archive.read_bytes()[:-50])
    with pytest.raises(CommandError, match="does not open this archive|cut short"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists()


def test_it_restores_only_into_an_empty_installation(tmp_path, media_root, records, no_key):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    before = counts()
    with pytest.raises(CommandError, match=r"not empty \(3 clinics, 4 patients, 3 users\)"):
        call_command("restore", str(archive))
    assert counts() == before
    # An empty database beside stored files is no empty installation either.
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="already holds files"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db, media_root):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive at all")
    with pytest.raises(CommandError, match="not a FloorPlan backup"):
        call_command("restore", str(junk))
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("notes.txt"))
    with pytest.raises(CommandError, match="not a FloorPlan backup"):
        call_command("restore", str(other))
    with pytest.raises(CommandError, match="No file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_a_cut_archive_restores_nothing(tmp_path, media_root, records, no_key):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="not a FloorPlan backup, or it is damaged"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists()


def rewrite(archive, change) -> None:
    """The archive with ``change(name, data, manifest)`` applied to each member."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    members = dict(change(members, manifest))
    members["manifest.json"] = json.dumps(manifest).encode()
    archive.unlink()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_an_altered_pdf_restores_nothing(tmp_path, media_root, records, no_key):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)
    altered = f"media/{records[0].pdf.name}"

    def alter(members, manifest):
        for name, data in members.items():
            yield name, data + b"%tampered" if name == altered else data

    rewrite(archive, alter)
    with pytest.raises(CommandError, match=f"{altered} does not match its SHA-256"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists() and not media_root.exists()


def test_a_path_out_of_the_media_folder_is_refused(tmp_path, media_root, records, no_key):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)

    def escape(members, manifest):
        evil = b"owned"
        manifest["files"].append(
            {"path": "media/../../evil", "sha256": hashlib.sha256(evil).hexdigest(), "size": 5}
        )
        yield from members.items()
        yield "media/../../evil", evil

    rewrite(archive, escape)
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(archive))
    assert not (tmp_path / "evil").exists() and not Clinic.objects.exists()


def test_with_a_key_set_an_unencrypted_archive_is_refused_unless_allowed(
    tmp_path, media_root, records, monkeypatch
):
    # Someone who can write to the backup folder must not be able to plant a plain archive.
    monkeypatch.delenv(backups.KEY_ENV, raising=False)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    before = counts()
    empty_installation(media_root)
    monkeypatch.setenv(backups.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="is not encrypted, but FLOORPLAN_BACKUP_KEY is set"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists() and not media_root.exists()

    call_command("restore", str(archive), "--allow-unencrypted", verbosity=0)
    assert counts() == before


@pytest.mark.parametrize("alias", ["", "./"], ids=["same-path", "same-file-another-way"])
def test_a_file_listed_twice_restores_nothing(tmp_path, media_root, records, no_key, alias):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)

    def twice(members, manifest):
        entry = manifest["files"][0]
        path = entry["path"].replace("media/", f"media/{alias}", 1)
        manifest["files"].append({**entry, "path": path})
        yield from members.items()
        yield path, members[entry["path"]]

    rewrite(archive, twice)
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists() and not media_root.exists()


@pytest.mark.parametrize("name", ["", "..", "../database.sqlite3", "media/database.sqlite3"])
def test_an_unexpected_database_name_restores_nothing(tmp_path, media_root, records, no_key, name):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(media_root)

    def rename(members, manifest):
        old = manifest["database"]["path"]
        manifest["database"]["path"] = name
        for member, data in members.items():
            yield (name if member == old else member), data

    rewrite(archive, rename)
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(archive))
    assert not Clinic.objects.exists() and not media_root.exists()
