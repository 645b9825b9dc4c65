"""Backups: the whole installation in one archive, and back.

An archive is a tar.gz holding
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while people work)
  or ``database.dump`` (``pg_dump --format=custom``, from the same snapshot as the counts);
- ``media/...``: every stored file (signed plan PDFs, batch outputs);
- ``manifest.json``: when, which engine, the applied migrations, rows per model, and the
  SHA-256 of the database and of every file.

The database is copied first, then the files: every PDF the copy names was stored before
it, and signed PDFs are never deleted, so the archive holds each one.

With a key (``FLOORPLAN_BACKUP_KEY``, a Fernet key) the archive is encrypted in chunks, each
an authenticated Fernet token carrying its position and whether it is the last, so a
reordered or cut file is refused as firmly as a wrong key. Make a key with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``
and keep it away from the backups.

With a key set, a restore refuses an unencrypted archive (unless told otherwise): whoever
can write to the backup folder could otherwise plant one.

A restore goes into an empty installation only. It checks everything first (the key, the
archive, every SHA-256, the migrations, that nothing is there yet), and only then replaces
the database in one step and moves the files in place.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from clinic.models import Clinic, Patient

FORMAT = "floorplan-backup/1"
KEY_ENV = "FLOORPLAN_BACKUP_KEY"
MAGIC = b"FLOORPLAN-BACKUP-FERNET/1\n"
CHUNK = 4 * 1024 * 1024
MANIFEST = "manifest.json"
KEY_HELP = (
    'make one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The only database member a backup holds, by engine; a restore accepts no other name.
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """What went wrong, in words for whoever runs the command."""


# --- Keys and encryption -------------------------------------------------------------------


def backup_key() -> str:
    return os.environ.get(KEY_ENV, "").strip()


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError:
        raise BackupError(f"{KEY_ENV} is not a Fernet key; {KEY_HELP}") from None


def _encrypt(source: IO[bytes], out: IO[bytes], fernet: Fernet) -> None:
    out.write(MAGIC)
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        token = fernet.encrypt(bytes([last]) + index.to_bytes(8, "big") + chunk)
        out.write(len(token).to_bytes(4, "big") + token)
        if last:
            return
        chunk, index = following, index + 1


def _decrypt(source: IO[bytes], out: IO[bytes], fernet: Fernet) -> None:
    """``source`` is positioned after MAGIC."""
    index = 0
    while True:
        size = source.read(4)
        if len(size) != 4:
            raise BackupError("The encrypted archive is cut short.")
        token = source.read(int.from_bytes(size, "big"))
        try:
            plain = fernet.decrypt(token)
        except InvalidToken:
            raise BackupError(
                f"{KEY_ENV} does not open this archive: a different key, or the file was "
                "altered. Nothing was restored."
            ) from None
        if len(plain) < 9 or int.from_bytes(plain[1:9], "big") != index:
            raise BackupError(
                "The encrypted archive's parts are out of order. Nothing was restored."
            )
        out.write(plain[9:])
        if plain[0]:
            if source.read(1):
                raise BackupError("The encrypted archive has data after its end.")
            return
        index += 1


# --- Backup ----------------------------------------------------------------------------------


def media_root() -> Path:
    return Path(default_storage.path(""))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _pg_env() -> dict[str, str]:
    """The connection settings as libpq's variables: the password never on a command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in [
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ]:
        if settings.get(key):
            env[variable] = str(settings[key])
    sslmode = settings.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(apt-get install postgresql-client) in the same version as the server."
        ) from None
    if done.returncode:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")


def _dump_sqlite(path: Path) -> dict[str, int]:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file, no -wal beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        counts = {}
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                table = model._meta.db_table.replace('"', '""')
                (counts[model._meta.label],) = target.execute(
                    f'SELECT count(*) FROM "{table}"'
                ).fetchone()
    finally:
        target.close()
    return counts


def _dump_postgresql(path: Path) -> dict[str, int]:
    # pg_dump reads the snapshot the counts are taken in: both describe the same moment.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = _model_counts()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ],
            "pg_dump",
        )
    return counts


def _stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield "media/" + path.relative_to(root).as_posix(), path


def _private_file(path: Path) -> IO[bytes]:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def backup_create(*, out: Path, encrypt: bool = False) -> tuple[Path, dict[str, Any]]:
    """Write the archive to ``out`` (or, for a folder, a dated file in it), 0600; encrypted
    when ``encrypt`` or when a key is set. Returns the file and its manifest."""
    key = backup_key()
    if encrypt and not key:
        raise BackupError(f"--encrypt needs a key in {KEY_ENV}; {KEY_HELP}")
    fernet = _fernet(key) if key else None
    if out.is_dir():
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        out = out / f"floorplan-{stamp}.tar.gz{'.enc' if fernet else ''}"
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new name.")
    if not out.parent.is_dir():
        raise BackupError(f"No folder {out.parent}.")
    with tempfile.TemporaryDirectory(prefix="floorplan-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            database = work / DATABASE_FILES["sqlite"]
            counts = _dump_sqlite(database)
        elif connection.vendor == "postgresql":
            database = work / DATABASE_FILES["postgresql"]
            counts = _dump_postgresql(database)
        else:
            raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": {
                "path": database.name,
                "sha256": _sha256_file(database),
                "size": database.stat().st_size,
            },
            "migrations": _applied_migrations(),
            "counts": counts,
            "files": [],
        }
        archive = work / "backup.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(database, arcname=database.name)
            for name, path in _stored_files(media_root()):
                try:
                    data = path.read_bytes()
                except FileNotFoundError:  # a batch file pruned meanwhile
                    continue
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o600, int(path.stat().st_mtime)
                tar.addfile(info, io.BytesIO(data))
                manifest["files"].append(
                    {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                )
            text = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(text), 0o600, int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(text))
        # Written beside the target, then renamed: no half-written archive under its name.
        partial = out.with_name(f".{out.name}.partial")
        try:
            with archive.open("rb") as source, _private_file(partial) as target:
                if fernet:
                    _encrypt(source, target, fernet)
                else:
                    shutil.copyfileobj(source, target)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return out, manifest


# --- Restore ---------------------------------------------------------------------------------


def _is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def _open_archive(archive: Path, work: Path, *, allow_unencrypted: bool) -> Path:
    """The plain tar.gz: the archive itself, or its decryption in ``work``."""
    try:
        encrypted = _is_encrypted(archive)
    except OSError as error:
        raise BackupError(f"Cannot read {archive}: {error.strerror}.") from None
    key = backup_key()
    if not encrypted:
        if key and not allow_unencrypted:
            raise BackupError(
                f"{archive} is not encrypted, but {KEY_ENV} is set: backups here are "
                "encrypted, so this one may have been planted. If you know where it comes "
                "from, restore it with --allow-unencrypted. Nothing was restored."
            )
        return archive
    if not key:
        raise BackupError(f"{archive} is encrypted: set {KEY_ENV} to the key it was made with.")
    fernet = _fernet(key)
    plain = work / "archive.tar.gz"
    with archive.open("rb") as source, _private_file(plain) as target:
        source.seek(len(MAGIC))
        _decrypt(source, target, fernet)
    return plain


def _safe_member(name: object) -> str:
    """A manifest path we are willing to write: under media/, no way out of it, and spelled
    one way only (PurePosixPath drops "." and "//", so "media/./a" would be "media/a" again)."""
    if not isinstance(name, str) or not name.startswith("media/") or "\\" in name:
        raise BackupError(f"The manifest names an unsafe path: {name!r}.")
    parts = PurePosixPath(name).parts
    if (
        PurePosixPath(name).as_posix() != name
        or any(part in ("", ".", "..") for part in parts)
        or len(parts) < 2
    ):
        raise BackupError(f"The manifest names an unsafe path: {name!r}.")
    return name


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except KeyError:
        manifest = None
    except ValueError:  # not JSON
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a FloorPlan backup: it has no FloorPlan manifest.")
    try:
        entries = [manifest["database"], *manifest["files"]]
        for entry in entries:
            if not _SHA256.fullmatch(entry["sha256"]) or not isinstance(entry["path"], str):
                raise TypeError
        if (
            not isinstance(manifest["migrations"], dict)
            or not isinstance(manifest["counts"], dict)
            or manifest["engine"] not in DATABASE_FILES
        ):
            raise TypeError
        database = manifest["database"]["path"]
        files = [_safe_member(entry["path"]) for entry in manifest["files"]]
    except (KeyError, TypeError):
        raise BackupError("The backup's manifest is incomplete or damaged.") from None
    if database != DATABASE_FILES[manifest["engine"]]:
        raise BackupError(f"The backup's manifest names an unexpected database: {database!r}.")
    if len(set(files)) != len(files):
        twice = sorted({name for name in files if files.count(name) > 1})
        raise BackupError(f"The backup's manifest lists {twice[0]} more than once.")
    return manifest


def _extract_checked(tar: tarfile.TarFile, name: str, sha256: str, target: Path) -> None:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(
            f"{name} is listed in the manifest but missing from the archive."
        ) from None
    source = tar.extractfile(member) if member.isfile() else None
    if source is None:
        raise BackupError(f"{name} in the archive is not a file.")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source, _private_file(target) as out:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != sha256:
        raise BackupError(
            f"{name} does not match its SHA-256 in the manifest: the archive is damaged."
        )


def _disk_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def installation_contents() -> dict[str, int]:
    """What is already here; an installation with none of these is empty."""
    found = {}
    models: list[tuple[str, type[Model]]] = [
        ("clinics", Clinic),
        ("patients", Patient),
        ("users", get_user_model()),
    ]
    for label, model in models:
        try:
            found[label] = model._default_manager.count()
        except DatabaseError:  # no tables yet: never migrated
            found[label] = 0
    return found


def _check_empty() -> None:
    found = installation_contents()
    if any(found.values()):
        held = ", ".join(f"{n} {label}" for label, n in found.items() if n)
        raise BackupError(
            f"This installation is not empty ({held}): a backup is restored only into a new, "
            "empty installation. Nothing was restored."
        )
    if any(True for _ in _stored_files(media_root())):
        raise BackupError(
            f"{media_root()} already holds files: a backup is restored only into a new, empty "
            "installation. Nothing was restored."
        )


def _restore_sqlite(database: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    source = sqlite3.connect(database)
    try:
        # Replaces every page of the live database in one step, while it stays open.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(database: Path) -> None:
    connection.close()
    # One transaction: a failure leaves the database as it was.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database),
        ],
        "pg_restore",
    )


def backup_restore(*, archive: Path, allow_unencrypted: bool = False) -> dict[str, Any]:
    """Bring the archive back into this empty installation; returns its manifest.

    With a key set, an unencrypted archive is refused unless ``allow_unencrypted``."""
    root = media_root()
    root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Staged beside the media folder, so the files move into place by renaming.
    with tempfile.TemporaryDirectory(prefix=".floorplan-restore-", dir=root.parent) as tmp:
        work = Path(tmp)
        staged = work / "staged"
        try:
            plain = _open_archive(archive, work, allow_unencrypted=allow_unencrypted)
            with tarfile.open(plain, "r:gz") as tar:
                manifest = _read_manifest(tar)
                # Validated by _read_manifest: a fixed name, and media/ paths listed once.
                database = work / manifest["database"]["path"]
                _extract_checked(
                    tar, manifest["database"]["path"], manifest["database"]["sha256"], database
                )
                for entry in manifest["files"]:
                    _extract_checked(tar, entry["path"], entry["sha256"], staged / entry["path"])
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise BackupError(
                f"{archive} is not a FloorPlan backup, or it is damaged ({error})."
            ) from None
        except OSError as error:  # e.g. "media/a" and "media/a/b" both listed, or a full disk
            raise BackupError(
                f"Could not unpack {archive} ({error.strerror or error}). Nothing was restored."
            ) from None
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this installation uses "
                f"{connection.vendor}."
            )
        applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        unknown = applied - _disk_migrations()
        if unknown:
            raise BackupError(
                "This backup was made by a newer FloorPlan (migrations unknown here: "
                f"{', '.join(sorted('.'.join(m) for m in unknown)[:5])}): update first."
            )
        _check_empty()
        targets = [
            (staged / entry["path"], root / PurePosixPath(entry["path"]).relative_to("media"))
            for entry in manifest["files"]
        ]
        # Checked now, so the moves below cannot fail once the database is replaced.
        taken = [str(target) for _, target in targets if os.path.lexists(target)]
        if taken:
            raise BackupError(f"{taken[0]} is in the way. Nothing was restored.")

        if connection.vendor == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database)
        if _disk_migrations() - applied:  # made by an older FloorPlan
            call_command("migrate", interactive=False, verbosity=0)
        for source, target in targets:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(source, target)
    return manifest


def restored_counts(manifest: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(model, rows in the backup, rows now) for every model the backup counted."""
    now = _model_counts()
    return [
        (label, count, now.get(label, 0)) for label, count in sorted(manifest["counts"].items())
    ]
